"""Sphinx extension: let the whole book build as one page, for ``make pdf``.

``make pdf`` builds the book with Sphinx's ``singlehtml`` builder and prints that
page with chromium (``tools/make_pdf.py``). myst-nb registers the node that folds a
code cell ("Show code cell source") for the ``html`` builder only, and Sphinx looks
translators up by builder name first, so the single-page build stops on it. This
extension gives that node the same HTML visitors under ``singlehtml``.

The single page also gets ``_static/print.css``, the book's layout on paper (title
page, contents, appendix); the print rules every page has are in ``course.css``.
"""

from __future__ import annotations

from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput
from sphinx.application import Sphinx


def _add_book_stylesheet(app: Sphinx) -> None:
    if app.builder.name == "singlehtml":
        app.add_css_file("print.css", media="print")


def setup(app: Sphinx) -> dict[str, object]:
    app.setup_extension("myst_nb")
    app.add_node(HideCodeCellNode, override=True, singlehtml=(visit_HideCellInput, depart_HideCellInput))
    app.connect("builder-inited", _add_book_stylesheet)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
