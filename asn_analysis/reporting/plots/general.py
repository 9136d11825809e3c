"""Figure building blocks every domain uses: the notebook style, a forest plot, a labelled heatmap.

Each figure function of :mod:`asn_analysis.reporting.plots` draws on a given Axes (or a new
figure) and returns it, so a notebook and the brief show the same picture of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.colors import Colormap, ListedColormap, Normalize

from asn_analysis._validation import Lang, check_lang
from asn_analysis.reporting.text import choose

__all__ = [
    "coefficients",
    "fixed_title",
    "heatmap",
    "labelled_heatmap",
    "localize",
    "new_axes",
    "set_style",
]


def set_style() -> None:
    """Set the look of the notebooks' figures (seaborn's white grid), for the whole session.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():  # here only for the example's duration
    ...     set_style()
    ...     mpl.rcParams["axes.grid"]
    True
    """
    import seaborn as sns

    sns.set_theme(style="whitegrid")


def new_axes(ax: plt.Axes | None, figsize: tuple[float, float]) -> plt.Axes:
    """Return ``ax``, or the Axes of a new figure of ``figsize`` when it is None.

    Examples
    --------
    >>> ax = new_axes(None, (4, 3))
    >>> ax.figure.get_size_inches().tolist()
    [4.0, 3.0]
    >>> plt.close(ax.figure)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


class _IndonesianNumbers(ticker.Formatter):
    """Tick labels of another formatter with Indonesian separators (0,5 and 1.234)."""

    def __init__(self, inner: ticker.Formatter) -> None:
        self.inner = inner

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    @staticmethod
    def _swap(text: str) -> str:
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._swap(self.inner(x, pos))

    def format_ticks(self, values: Any) -> list[str]:
        return [self._swap(t) for t in self.inner.format_ticks(values)]

    def get_offset(self) -> str:
        return self._swap(self.inner.get_offset())


def localize(target: plt.Figure | plt.Axes, lang: Lang) -> plt.Figure | plt.Axes:
    """Write the numbers on a figure's axes in the reader's style (0,5 and 1.234 in Indonesian).

    Numeric tick labels (matplotlib's scalar, percent and plain formatters) of every axes get
    the Indonesian decimal comma and thousands dot for ``lang="id"``; text ticks (unit names)
    are left alone, and English keeps matplotlib's style. Every figure function calls it on what
    it returns, and :func:`asn_analysis.reporting.export.write_figures` on every figure.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 0.5, 1.5], [1000, 2500, 1200])
    >>> _ = localize(fig, "id")
    >>> fig.canvas.draw()
    >>> [t.get_text() for t in ax.get_xticklabels()][1:4]
    ['0,0', '0,2', '0,4']
    >>> plt.close(fig)
    """
    check_lang(lang)
    if lang == "en":
        return target
    axes = target.axes if isinstance(target, plt.Figure) else [target]
    numeric = (ticker.ScalarFormatter, ticker.PercentFormatter, ticker.FormatStrFormatter,
               ticker.StrMethodFormatter)  # fmt: skip
    for ax in axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, numeric):
                axis.set_major_formatter(_IndonesianNumbers(fmt))
    return target


def heatmap(
    table: pd.DataFrame,
    *,
    title: str,
    figsize: tuple[float, float] = (9, 9),
    ax: plt.Axes | None = None,
    lang: Lang = "en",
    **options: Any,
) -> plt.Axes:
    """Draw a table as a heatmap with a title and no axis labels (seaborn ``heatmap``).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows and columns as shown.
    title : str
        Title.
    figsize : tuple of float, default (9, 9)
        Size of a new figure.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    lang : {"id", "en"}, default "en"
        Style of the numbers in the cells and on the colour bar (:func:`localize`).
    **options
        Passed to :func:`seaborn.heatmap` (``cmap``, ``annot``, ``fmt``, ...).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"2024": [10, 3], "2025": [12, 0]}, index=["A", "B"])
    >>> ax = heatmap(t, title="Respondents", annot=True, fmt="d", cbar=False)
    >>> ax.get_title()
    'Respondents'
    >>> ax = heatmap(t / 4, title="Porsi", annot=True, fmt=".2f", cbar=False, lang="id")
    >>> ax.texts[0].get_text()
    '2,50'
    >>> plt.close("all")
    """
    return labelled_heatmap(table, title=title, figsize=figsize, ax=ax, lang=lang, **options)


def labelled_heatmap(
    table: pd.DataFrame,
    *,
    title: str,
    figsize: tuple[float, float] = (9, 9),
    ax: plt.Axes | None = None,
    lang: Lang = "en",
    xtick_kws: dict[str, Any] | None = None,
    **options: Any,
) -> plt.Axes:
    """Draw :func:`heatmap` with the column labels styled by ``xtick_kws``, laid out once.

    The picture is seaborn's :func:`seaborn.heatmap`; the options the notebooks use (colour
    map, limits, centre, annotations, colour bar, tick labels) are drawn here without the
    full render seaborn makes to check whether tick labels overlap (the check reads the
    labels' extents instead). Other options go to seaborn.

    Parameters
    ----------
    table, title, figsize, ax, lang
        As :func:`heatmap`.
    xtick_kws : dict, optional
        Text properties of the column labels (e.g. ``rotation``, ``fontsize``), set before
        the layout.
    **options
        As :func:`heatmap`.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on, laid out with ``tight_layout``.

    Examples
    --------
    >>> t = pd.DataFrame({"segment 1": [0.5], "segment 2": [-1.0]}, index=["JPM"])
    >>> ax = labelled_heatmap(t, title="z", xtick_kws={"rotation": 0, "fontsize": 9},
    ...                       annot=True, fmt=".1f", cbar=False)
    >>> [t.get_fontsize() for t in ax.get_xticklabels()]
    [9.0, 9.0]
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    ax = new_axes(ax, figsize)
    notes: list[Any] = []  # the cell annotations the fast path drew
    if _FAST_HEATMAP_OPTIONS.issuperset(options) and _plain_labels(table):
        notes = _draw_heatmap(table, ax, **options)
    else:  # an option drawn by seaborn only
        import seaborn as sns

        sns.heatmap(table, ax=ax, **options)
    if lang == "id":
        for text in ax.texts:
            text.set_text(_IndonesianNumbers._swap(text.get_text()))
    fixed_title(ax, title)
    ax.set_xlabel("")
    ax.set_ylabel("")
    if xtick_kws:
        plt.setp(ax.get_xticklabels(), **xtick_kws)
    plain = set(options.get("annot_kws") or {}) <= {"size", "fontsize", "color"}
    for note in notes if plain else ():  # not measured by the layout nor the inline PNG ...
        note.set_in_layout(False)
    pars = vars(ax.figure.subplotpars).copy()
    ax.figure.tight_layout()
    if plain and notes and not _inside_cells(ax, notes, table.shape):
        for note in notes:  # ... unless one may reach out of the axes: measured, as seaborn's
            note.set_in_layout(True)
        ax.figure.subplots_adjust(**pars)  # the layout again from where it started
        ax.figure.tight_layout()
    localize(ax.figure, lang)
    return ax


def fixed_title(ax: plt.Axes, title: str) -> None:
    """Set the title of an axes whose y axis holds text labels, at its usual place.

    Matplotlib re-places a title at every draw, measuring every y tick label to look for an
    offset text (``1e6``) the title could cover; a y axis of names has none, so the title
    stays where matplotlib puts it (just above the axes) and nothing is measured.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> fixed_title(ax, "Staff")
    >>> ax.get_title(), ax.title.get_position()[1]
    ('Staff', 1.0)
    >>> plt.close(fig)
    """
    ax.set_title(title, y=1.0)


#: The options of :func:`seaborn.heatmap` that :func:`_draw_heatmap` draws itself.
_FAST_HEATMAP_OPTIONS = frozenset(
    {"cmap", "vmin", "vmax", "center", "annot", "fmt", "annot_kws", "cbar", "cbar_kws",
     "xticklabels", "yticklabels"}
)  # fmt: skip


def _plain_labels(table: pd.DataFrame) -> bool:
    """Whether ``table`` has a flat row and column index (seaborn joins MultiIndex labels)."""
    return not isinstance(table.index, pd.MultiIndex) and not isinstance(
        table.columns, pd.MultiIndex
    )


def _centred(cmap: Colormap, vmin: float, vmax: float, center: float) -> Colormap:
    """Return ``cmap`` re-centred on ``center`` over ``[vmin, vmax]``, as seaborn does."""
    bad = cmap(np.ma.masked_invalid([np.nan]))[0]
    under, over = cmap(-np.inf), cmap(np.inf)
    under_set = under != cmap(0)
    over_set = over != cmap(cmap.N - 1)
    vrange = max(vmax - center, center - vmin)
    cmin, cmax = Normalize(center - vrange, center + vrange)([vmin, vmax])
    return ListedColormap(cmap(np.linspace(cmin, cmax, 256))).with_extremes(
        bad=bad, under=under if under_set else None, over=over if over_set else None
    )


def _ticks(ax: plt.Axes, labels: Any, axis: int, *, auto: bool) -> tuple[Any, Any]:
    """Ticks and labels of one heatmap axis: every label, or seaborn's ``"auto"`` thinning."""
    if not len(labels):
        return [], []
    every = 1
    if auto:
        bbox = ax.get_window_extent().transformed(ax.figure.dpi_scale_trans.inverted())
        (tick,) = (ax.xaxis, ax.yaxis)[axis].set_ticks([0])
        max_ticks = int((bbox.width, bbox.height)[axis] // (tick.label1.get_size() / 72))
        if max_ticks < 1:
            return [], []
        every = len(labels) // max_ticks + 1
    return np.arange(0, len(labels), every) + 0.5, labels[::every]


def _inside_cells(ax: plt.Axes, notes: list[Any], shape: tuple[int, int]) -> bool:
    """Whether every cell annotation surely lies inside the axes, without measuring each one.

    A bound, in points: a line is at most 1.1 times the sum of its characters' advances plus
    1 point wide (each distinct character measured once) and 1.5 ems tall, centred on its
    cell; it is inside when half of that fits between the cell's centre and the nearer edge
    of the axes. Text with ``$`` (mathtext) is never taken as inside.
    """
    n_rows, n_cols = shape
    box = ax.get_position()
    width, height = ax.figure.get_size_inches() * 72 * (box.width, box.height)
    cell_w, cell_h = width / max(n_cols, 1), height / max(n_rows, 1)
    renderer = ax.figure.canvas.get_renderer()
    to_points = 72 / ax.figure.dpi
    advance: dict[tuple[str, Any], float] = {}
    for note in notes:
        text, prop = note.get_text(), note.get_fontproperties()
        if "$" in text:
            return False
        lines = text.split("\n")
        for char in set(text) - {"\n"}:
            if (char, prop) not in advance:
                w, _, _ = renderer.get_text_width_height_descent(char, prop, ismath=False)
                advance[char, prop] = w * to_points
        half_w = max(1.1 * sum(advance[c, prop] for c in line) + 1 for line in lines) / 2
        half_h = 0.75 * note.get_fontsize() * len(lines)
        x, y = note.get_position()
        if half_w > cell_w * min(x, n_cols - x) or half_h > cell_h * min(y, n_rows - y):
            return False
    return True


def _overlap(labels: list[Any]) -> bool:
    """Whether any two tick labels overlap (seaborn's ``axis_ticklabels_overlap``)."""
    if not labels:
        return False
    boxes = [label.get_window_extent() for label in labels]
    return max(b.count_overlaps(boxes) for b in boxes) > 1


def _draw_heatmap(
    table: pd.DataFrame,
    ax: plt.Axes,
    *,
    cmap: str | Colormap | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    center: float | None = None,
    annot: Any = None,
    fmt: str = ".2g",
    annot_kws: dict[str, Any] | None = None,
    cbar: bool = True,
    cbar_kws: dict[str, Any] | None = None,
    xticklabels: Any = "auto",
    yticklabels: Any = "auto",
) -> list[Any]:
    """Draw what :func:`seaborn.heatmap` draws for these options, in the same order.

    The one difference: seaborn renders the whole figure to test its tick labels for
    overlap; here their extents are read without rendering (the labels are placed when set).
    Missing cells are blank. Returns the cell annotations (text artists) drawn.
    """
    from seaborn.utils import despine, relative_luminance

    values = table.to_numpy()
    data = np.ma.masked_where(np.asarray(table.isna()), values)
    calc = data.astype(float).filled(np.nan)
    vmin = np.nanmin(calc) if vmin is None else vmin
    vmax = np.nanmax(calc) if vmax is None else vmax
    if cmap is None:
        from seaborn import cm

        cmap = cm.rocket if center is None else cm.icefire
    elif isinstance(cmap, str):
        cmap = mpl.colormaps[cmap]
    if center is not None:
        cmap = _centred(cmap, vmin, vmax, center)
    if annot is None or annot is False:
        annot_data = None
    else:
        annot_data = data if isinstance(annot, bool) else np.asarray(annot)
        if annot_data.shape != data.shape:
            raise ValueError("`data` and `annot` must have same shape.")
    despine(ax=ax, left=True, bottom=True)
    mesh = ax.pcolormesh(data, cmap=cmap, vmin=vmin, vmax=vmax, linewidths=0, edgecolor="white")
    ax.set(xlim=(0, data.shape[1]), ylim=(0, data.shape[0]))
    ax.invert_yaxis()
    if cbar:
        ax.figure.colorbar(mesh, None, ax, **(cbar_kws or {})).outline.set_linewidth(0)
    auto_x = isinstance(xticklabels, str) and xticklabels == "auto"
    auto_y = isinstance(yticklabels, str) and yticklabels == "auto"
    xticks, xlabels = _ticks(ax, table.columns.values if auto_x else xticklabels, 0, auto=auto_x)
    yticks, ylabels = _ticks(ax, table.index.values if auto_y else yticklabels, 1, auto=auto_y)
    ax.set(xticks=xticks, yticks=yticks)
    xtl = ax.set_xticklabels(xlabels)
    ytl = ax.set_yticklabels(ylabels, rotation="vertical")
    plt.setp(ytl, va="center")
    if _overlap(xtl):
        plt.setp(xtl, rotation="vertical")
    if _overlap(ytl):
        plt.setp(ytl, rotation="horizontal")
    names = (table.columns.name, table.index.name)
    ax.set(xlabel="" if names[0] is None else names[0], ylabel="" if names[1] is None else names[1])
    if annot_data is None:
        return []
    notes = []
    mesh.update_scalarmappable()
    height, width = annot_data.shape
    xpos, ypos = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    cells = zip(xpos.flat, ypos.flat, mesh.get_array().flat, mesh.get_facecolors(),
                annot_data.flat, strict=False)  # fmt: skip
    for x, y, m, color, val in cells:
        if m is not np.ma.masked:
            text_color = ".15" if relative_luminance(color) > 0.408 else "w"
            kws = {"color": text_color, "ha": "center", "va": "center"}
            text = ("{:" + fmt + "}").format(val)
            notes.append(ax.text(x, y, text, **{**kws, **(annot_kws or {})}))
    return notes


def coefficients(
    table: pd.DataFrame,
    *,
    terms: Sequence[str],
    title: str,
    lang: Lang = "id",
    labels: dict[str, str] | None = None,
    ax: plt.Axes | None = None,
) -> plt.Axes:
    """Plot coefficients with their confidence intervals (a forest plot).

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by term, with ``coef``, ``ci_low`` and ``ci_high``.
    terms : sequence of str
        Terms shown, top to bottom.
    title : str
        Title.
    lang : {"id", "en"}, default "id"
        Language of the axis label.
    labels : dict, optional
        Display names of the terms.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> t = pd.DataFrame({"coef": [0.3], "ci_low": [0.1], "ci_high": [0.5]}, index=["jpm"])
    >>> ax = coefficients(t, terms=["jpm"], title="JPM", lang="en")
    >>> ax.get_xlabel()
    'Coefficient (95% CI)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    t = table.loc[list(terms)][::-1]
    ax = new_axes(ax, (6, 0.5 * len(t) + 1.2))
    names = [(labels or {}).get(k, k) for k in t.index]
    ax.errorbar(
        t["coef"],
        names,
        xerr=[t["coef"] - t["ci_low"], t["ci_high"] - t["coef"]],
        fmt="o",
        capsize=3,
    )
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel(choose(lang, "Koefisien (IK 95%)", "Coefficient (95% CI)"))
    fixed_title(ax, title)
    ax.figure.tight_layout()
    return localize(ax, lang)
