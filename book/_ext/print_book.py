"""Sphinx extension: let the whole book build as one page, for ``make pdf``.

``make pdf`` builds the book with Sphinx's ``singlehtml`` builder and prints that
page with chromium (``tools/make_pdf.py``). myst-nb registers the node that folds a
code cell ("Show code cell source") for the ``html`` builder only, and Sphinx looks
translators up by builder name first, so the single-page build stops on it. This
extension gives that node the same HTML visitors under ``singlehtml``.

It also adds ``_static/print.css`` to every page, for print only, so that printing
one page of the website gives a readable page too (no navigation, solutions open).
"""

from __future__ import annotations

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, singlehtml=(visit_HideCellInput, depart_HideCellInput))
    app.add_css_file("print.css", media="print")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
