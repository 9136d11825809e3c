"""Sphinx configuration of the asn-analysis documentation site (built by ``make docs``).

The source directory is the repository root (``sphinx-build -c docs . docs/_build/html``) so that
the pages can include README.md and data/README.md and render the committed, executed notebooks in
notebooks/ where they live: nothing is copied and nothing is duplicated. ``include_patterns`` keeps
every other file of the repository out of the build. The build is offline: no intersphinx, no
notebook execution (myst-nb renders the outputs committed in each notebook).
"""

from __future__ import annotations

import os
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
    "sphinx.ext.autosummary",
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
templates_path = [str(ROOT / "docs" / "_templates")]  # autosummary reads it from the srcdir

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
autosummary_generate = True
autosummary_imported_members = False
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
    "page_width": "1100px",
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


def setup(app):  # noqa: ANN001, ANN201  (Sphinx's hook)
    """Connect the hooks of this site."""
    app.connect("autodoc-skip-member", _skip_type_alias)
