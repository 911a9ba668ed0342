"""The browser tests' fixtures (defined in ``_browser.py`` and ``_lab.py``, which the test modules import too)."""

from _browser import base_url, browser, pytest_collection_modifyitems, site  # noqa: F401
from _lab import lab_server  # noqa: F401  (JupyterLab on a test module's lab_notebooks folder)
