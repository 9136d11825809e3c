"""The documentation site (``make docs``): it builds offline with warnings as errors, every
internal link resolves, and it holds what issue 16 asks (getting started, real data, the
regulations with their formulas, every public module's API page, the executed notebooks, the
architecture, the validation evidence, JupyterLab and re-running a notebook).

The site is built once per run (a module fixture; ``make test`` distributes by file, so the build
stays on one worker), into a temporary folder with the same command as ``make docs``. Sphinx's
``linkcheck`` builder goes online, so internal links are checked here on the built HTML instead:
every ``href`` and ``src`` that is not a URL must name a file of the site and, with a fragment,
an ``id`` in that file. The build writes the API stubs to ``docs/api/generated/`` (gitignored).
"""

from __future__ import annotations

import json
import pkgutil
import re
import shlex
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import asn_analysis

pytest.importorskip("sphinx", reason="the docs extra (pip install -e '.[dev]') is not installed")
pytest.importorskip("myst_nb", reason="the docs extra is not installed")
pytest.importorskip("numpydoc", reason="the docs extra is not installed")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
#: The one remote resource a page may load: MathJax, for the formulas of the API docstrings
#: (Sphinx's default; without a network they show as TeX source).
REMOTE_ALLOWED = re.compile(r"^https://cdn\.jsdelivr\.net/npm/mathjax@")


def sphinx_command(out: Path) -> list[str]:
    """The ``make docs`` command, with its output folders moved to ``out``."""
    return [
        sys.executable,
        *("-m", "sphinx", "-b", "html", "-c", "docs", "-W", "--keep-going", "-q", "."),
        str(out / "html"),
        *("-d", str(out / "doctrees")),
    ]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    proc = subprocess.run(sphinx_command(out), cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, f"the site does not build cleanly:\n{proc.stderr[-6000:]}"
    return out / "html"


class _Page(HTMLParser):
    """The ids a page defines, the links it makes, and Python references left without a link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.unlinked: list[str] = []
        self._in_a = 0
        self._code: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "a":
            self._in_a += 1
        for key in ("href", "src"):
            if a.get(key) is not None and (tag != "link" or key == "href"):
                self.links.append(a[key])
        classes = (a.get("class") or "").split()
        if tag == "code" and {"xref", "py"} <= set(classes) and not self._in_a:
            self._code = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_a -= 1
        if tag == "code" and self._code is not None:
            self.unlinked.append(self._code)
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code += data


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def broken_links(site: Path) -> list[str]:
    """Every internal ``href``/``src`` of the site's HTML that names no file or no anchor."""
    pages = {p.resolve(): parse(p) for p in site.rglob("*.html")}
    broken = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not link:
                continue  # a URL (http, mailto, data): not part of the site
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.resolve())}: {link}"
            if not target.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in pages[target].ids:
                    broken.append(f"{where} (no such anchor)")
    return broken


def public_modules() -> list[str]:
    found = pkgutil.walk_packages(asn_analysis.__path__, prefix="asn_analysis.")
    names = ["asn_analysis", *(m.name for m in found)]
    return sorted(n for n in names if not any(p.startswith("_") for p in n.split(".")))


def text_of(path: Path, *, sep: str = " ") -> str:
    """The page's text: tags replaced by ``sep`` (``""`` keeps highlighted code in one piece)."""
    text = re.sub(r"<[^>]+>", sep, path.read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", text.replace("&#39;", "'").replace("&quot;", '"'))


# The link check itself ------------------------------------------------------------------------


def test_link_check_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="sub/b.html#x">ok</a> <a href="#top" id="top">ok</a> <a href="https://x.org/">'
        'url</a> <a href="sub/b.html#gone">1</a> <a href="c.html">2</a> <img src="i.png">'
        '<a href="sub/">dir</a>'
    )
    (tmp_path / "sub" / "b.html").write_text('<p id="x">b</p><a href="../index.html#top">ok</a>')
    (tmp_path / "sub" / "index.html").write_text("<p>dir</p>")
    assert broken_links(tmp_path) == [
        "index.html: sub/b.html#gone (no such anchor)",
        "index.html: c.html (no such file)",
        "index.html: i.png (no such file)",
    ]


# The built site -------------------------------------------------------------------------------


def test_no_internal_link_is_broken(site):
    assert broken_links(site) == []


def test_site_opens_at_the_root_and_links_every_page(site):
    assert 'url=docs/index.html"' in (site / "index.html").read_text()
    home = parse(site / "docs" / "index.html").links
    for page in ("getting_started", "real_data", "regulations", "notebooks", "lab", "validation"):
        assert f"{page}.html" in home, page
    assert "architecture.html" in home and "api/index.html" in home


def test_getting_started_and_real_data_come_from_the_readme(site):
    start = text_of(site / "docs" / "getting_started.html")
    assert "make run" in start and "make test" in start and "temuan.xlsx" in start
    real = site / "docs" / "real_data.html"
    assert "ASN_ANALYSIS_SALT" in text_of(real) and "Run configuration" in text_of(real)
    # README's links to the codebook lead to its page on the site
    assert "../data/README.html" in parse(real).links
    assert "Reading exports" in text_of(site / "data" / "README.html")


def test_regulations_state_formulas_and_link_the_code(site):
    page = site / "docs" / "regulations.html"
    text = text_of(page)
    for needle in ("14 Tahun 2017", "38 Tahun 2017", "6 Tahun 2022", "88.31", "76.61", "65.00"):
        assert needle in text, needle
    assert "IKM (25-100) = 25 x IKM" in text and "JPM = min(100" in text
    links = parse(page).links
    for anchor in (
        "asn_analysis.satisfaction.ikm.ikm",
        "asn_analysis.competency.match.job_person_match",
        "asn_analysis.talent.skp_predikat",
    ):
        assert any(link.endswith("#" + anchor) for link in links), anchor


def test_every_public_module_has_its_api_page(site):
    api = site / "docs" / "api" / "generated"
    for name in public_modules():
        page = api / f"{name}.html"
        assert page.is_file(), name
        assert f"module-{name}" in parse(page).ids, name
    # a module shadowed by the function its package re-exports keeps all its members
    ids = parse(api / "asn_analysis.satisfaction.ikm.html").ids
    assert {"asn_analysis.satisfaction.ikm.ikm", "asn_analysis.satisfaction.ikm.mutu"} <= ids


def test_our_pages_name_no_python_object_without_a_link(site):
    """A reference to the package that resolves nowhere renders as plain code: a broken link."""
    for page in [*(site / "docs").glob("*.html"), *(site / "notebooks").glob("*.html")]:
        assert parse(page).unlinked == [], page.name
    # in the API, names used as they are imported link to where they are documented
    pkg = parse(site / "docs" / "api" / "generated" / "asn_analysis.satisfaction.html")
    assert not [u for u in pkg.unlinked if u.startswith(("ikm", "asn_analysis.satisfaction"))]


def test_notebooks_are_pages_with_their_committed_outputs(site):
    for nb in NOTEBOOKS:
        page = site / "notebooks" / f"{nb.stem}.html"
        html = page.read_text(encoding="utf-8")
        # the committed outputs: text, tables and figures (the site executes nothing)
        assert html.count('class="cell_output') >= 3 and "<img" in html, nb.name
        assert "vnd.asn-analysis.table" not in html, nb.name  # tables show as their text
    assert f"../notebooks/{NOTEBOOKS[0].stem}.html" in parse(site / "docs" / "notebooks.html").links


def test_validation_links_the_simulation_studies(site):
    page = site / "docs" / "validation.html"
    links = parse(page).links
    assert "effects_simulation.html" in links and "competency_coverage.html" in links
    text = text_of(page)
    for ref in ("csdid", "drdid", "wildboottest", "pysyncon", "linearmodels", "pingouin"):
        assert ref in text, ref


def test_lab_page_says_how_to_open_and_rerun(site):
    text = text_of(site / "docs" / "lab.html", sep="")
    assert "make lab" in text and "papermill notebooks/06-segments.ipynb" in text
    assert "asn-analysis run --notebook 06-segments -p k 3" in text


def test_pages_load_nothing_remote_but_mathjax(site):
    for page in site.rglob("*.html"):
        assert not [link for link in parse(page).links if link.startswith("//")], page
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html):
            assert REMOTE_ALLOWED.match(src), (page, src)


# Without a build -------------------------------------------------------------------------------


def test_lab_page_lists_each_notebooks_parameters():
    rows = re.findall(
        r"^\| `(\d\d-[a-z-]+)` \| (.+) \|$", (ROOT / "docs" / "lab.md").read_text(), re.M
    )
    listed = {nb: set(re.findall(r"`(\w+)`", params)) for nb, params in rows}
    common = {"data_path", "columns_path", "lang", "seed"}
    actual = {}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        cell = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
        names = set(re.findall(r"^(\w+)\s*=", "".join(cell["source"]), re.M))
        assert common <= names, nb.name
        actual[nb.stem] = names - common
    assert listed == actual


def test_dev_installs_the_docs_extra():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert extras["docs"] and set(extras["docs"]) <= set(extras["dev"])


def test_make_targets_docs_and_lab():
    def recipe(target: str) -> list[str]:
        # -n prints the recipes without running them (nor the install step of .venv)
        out = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        return out.stdout.replace("\\\n", " ").splitlines()

    docs = next(shlex.split(line) for line in recipe("docs") if " sphinx " in line)
    assert docs[0] == ".venv/bin/python"
    assert docs[1:] == [
        *("-m", "sphinx", "-b", "html", "-c", "docs", "-W", "--keep-going", "-q", "."),
        *("docs/_build/html", "-d", "docs/_build/doctrees"),
    ]
    assert sphinx_command(Path("x"))[1:11] == docs[1:11]  # the tests build as make docs does
    lab = next(line for line in recipe("lab") if "jupyter lab" in line)
    assert lab.startswith("cd notebooks && ") and "/.venv/bin/jupyter lab" in lab
