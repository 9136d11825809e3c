"""Sphinx configuration of the asn-analysis documentation site (built by ``make docs``).

The source directory is the repository root (``sphinx-build -c docs . docs/_build/html``) so that
the pages can include README.md and data/README.md and render the committed, executed notebooks in
notebooks/ where they live: nothing is copied and nothing is duplicated. ``include_patterns`` keeps
every other file of the repository out of the build. The build is offline: no intersphinx, no
notebook execution (myst-nb renders the outputs committed in each notebook).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from myst_nb.core.render import NbElementRenderer  # noqa: E402

import asn_analysis  # noqa: E402  (after the path is set)
from asn_analysis.reporting.notebook import TABLE_MIME  # noqa: E402

project = "asn-analysis"
author = "asn-analysis developers"
copyright = "asn-analysis developers"  # noqa: A001  (Sphinx's name)
release = version = getattr(asn_analysis, "__version__", "0.1.0")
language = "en"

extensions = [
    "myst_nb",  # Markdown pages (MyST) and notebooks; also loads myst_parser
    "sphinx.ext.autodoc",
    "numpydoc",
]

root_doc = "docs/index"
include_patterns = [
    "docs/*.md",
    "docs/api/**",
    "data/README.md",
    "notebooks/[0-9]*.ipynb",
]
exclude_patterns = ["docs/_build/**", "**/.ipynb_checkpoints/**", ".venv/**"]
# numpydoc turns each References entry into a citation; the docstrings cite without in-text
# markers, which docutils reports as "not referenced". Only that check is off.
suppress_warnings = ["ref.citation"]

# Markdown and notebooks ---------------------------------------------------------------------
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3  # README-style links to "#section-title" resolve
nb_execution_mode = "off"  # render the committed outputs; `make notebooks` re-executes them
nb_merge_streams = True


# reporting.notebook.show() adds a machine-readable copy of each table (read by the tests that scan
# notebooks for small cells); the page shows the table's text, as JupyterLab does. myst-nb warns
# about every mime type it has no renderer for: this one, and only this one, renders as nothing.
_render_unhandled = NbElementRenderer.render_unhandled


def _skip_table_json(self, data):  # noqa: ANN001, ANN202  (myst-nb's signature)
    return [] if data.mime_type == TABLE_MIME else _render_unhandled(self, data)


NbElementRenderer.render_unhandled = _skip_table_json

# API reference ------------------------------------------------------------------------------
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "none"  # the numpydoc Parameters section states each type
autodoc_member_order = "bysource"
numpydoc_show_class_members = False  # members are documented by autodoc on the same page
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# HTML: the theme that ships with Sphinx (no extra package, works offline) -------------------
html_theme = "alabaster"
html_title = "asn-analysis"
html_extra_path = ["_root"]  # index.html at the site's root: a redirect to docs/index.html
html_theme_options = {
    "description": "Evaluating an ASN personnel system: IKM, JPM, training effects",
    "fixed_sidebar": True,
    "page_width": "1280px",
    "sidebar_width": "260px",
}
html_show_sourcelink = False
html_copy_source = False


def _skip_type_alias(app, what, name, obj, skip, options):  # noqa: ANN001, ANN202, ARG001
    """Leave module-level type aliases (``FixedEffect = tuple[np.ndarray, int]``) out.

    autodoc takes a ``types.GenericAlias`` for a class and fails on its signature; the alias is
    named in the signatures of the functions that use it, which are documented.
    """
    return True if isinstance(obj, types.GenericAlias) else None


def _documented(name: str) -> object | None:
    """Return the object autodoc documents as ``name`` (longest importable module, then attrs)."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
            if obj is None:
                return None
        return obj
    return None


def _imported(name: str) -> object | None:
    """Return what ``from a.b import c`` gives for ``a.b.c``: attributes win over submodules.

    So ``asn_analysis.satisfaction.ikm`` is the function the package re-exports, not the module
    of the same name.
    """
    parts = name.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except ImportError:
        return None
    for i, attr in enumerate(parts[1:], start=2):
        nxt = getattr(obj, attr, None)
        if nxt is None:
            try:
                nxt = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                return None
        obj = nxt
    return obj


def _public_name(app, env, node, contnode):  # noqa: ANN001, ANN202  (Sphinx's hook)
    """Resolve a reference by its public import path to where the object is documented.

    Docstrings name objects as users import them (``asn_analysis.satisfaction.ikm``, or ``ikm``
    in the package's own docstring); autodoc documents each object once, under the module that
    defines it (``asn_analysis.satisfaction.ikm.ikm``). The object the name imports is found
    among the documented objects with the same last name.
    """
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"].lstrip(".~")
    module = node.get("py:module") or ""
    # the current class, module, then the packages above it (which re-export their public names)
    context = [f"{module}.{node['py:class']}"] if module and node.get("py:class") else []
    context += [module.rsplit(".", k)[0] for k in range(module.count(".") + 1)] if module else []
    lookup = _documented if node["reftype"] == "mod" else _imported
    names = [target, *(f"{c}.{target}" for c in context)]
    named = [n for n in names if lookup(n) is not None]
    if not named or not named[0].startswith("asn_analysis"):
        return None  # not ours (builtins, pandas, ...): no intersphinx, so it stays plain code
    obj = lookup(named[0])
    domain = env.get_domain("py")
    last = target.rsplit(".", 1)[-1]
    for name in sorted(domain.objects):
        if name.rsplit(".", 1)[-1] == last and _documented(name) is obj:
            for reftype in (node["reftype"], "obj"):
                ref = domain.resolve_xref(
                    env, node["refdoc"], app.builder, reftype, name, node, contnode
                )
                if ref is not None:
                    return ref
    return None


API_DIR = ROOT / "docs" / "api" / "generated"


def public_modules() -> list[str]:
    """Every public module of asn_analysis (no part of its dotted name starts with ``_``)."""
    found = pkgutil.walk_packages(asn_analysis.__path__, prefix="asn_analysis.")
    names = ["asn_analysis", *(m.name for m in found)]
    return sorted(n for n in names if not any(p.startswith("_") for p in n.split(".")))


def _module_page(name: str, modules: list[str]) -> str:
    """Return the reST of one module's page: a package lists its modules, a module its members."""
    children = [m for m in modules if m.rpartition(".")[0] == name]
    title = f"``{name}``"
    lines = [title, "=" * len(title), "", f".. automodule:: {name}"]
    if children:
        lines += ["   :no-members:", "", ".. rubric:: Pages of its modules", ""]
        lines += [".. toctree::", "   :maxdepth: 1", ""]
        lines += [f"   {child}" for child in children]
    return "\n".join(lines) + "\n"


def write_api_pages(app) -> None:  # noqa: ANN001  (Sphinx's hook)
    """Write docs/api/generated/<module>.rst for every public module (rewritten only if changed).

    Generated here rather than by autosummary: autosummary imports ``a.b.c`` by attribute, so a
    module shadowed by the function its package re-exports (``satisfaction.ikm``) would be
    documented as that function and its other members lost.
    """
    modules = public_modules()
    API_DIR.mkdir(parents=True, exist_ok=True)
    wanted = {f"{m}.rst": _module_page(m, modules) for m in modules}
    for stale in set(p.name for p in API_DIR.glob("*.rst")) - set(wanted):
        (API_DIR / stale).unlink()
    for file, text in wanted.items():
        path = API_DIR / file
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's hook)
    """Connect the hooks of this site."""
    app.connect("builder-inited", write_api_pages)
    app.connect("autodoc-skip-member", _skip_type_alias)
    app.connect("missing-reference", _public_name)
