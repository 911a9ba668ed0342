"""The browser tests' fixtures (defined in ``_browser.py`` and ``_lab.py``, which the test modules import too)."""

from _browser import PAGE_WEIGHTS, base_url, browser, pytest_collection_modifyitems, site  # noqa: F401
from _lab import lab_app, lab_server  # noqa: F401  (JupyterLab or Notebook 7 on a test module's lab_notebooks folder)


def pytest_terminal_summary(terminalreporter) -> None:
    """Every page's weight, as test_reader.py measured it."""
    if not PAGE_WEIGHTS:
        return
    terminalreporter.write_sep("-", "page weights (decoded): by the load event / all loaded by the end of the test")
    for docname, (by_load, loaded) in PAGE_WEIGHTS.items():
        terminalreporter.write_line(f"{docname:32} {by_load / 1e6:5.2f} MB / {loaded / 1e6:5.2f} MB")
