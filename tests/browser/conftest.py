"""The browser tests' fixtures (defined in ``_browser.py``, which the test modules import too)."""

from _browser import base_url, browser, pytest_collection_modifyitems, site  # noqa: F401
