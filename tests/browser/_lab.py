"""A real JupyterLab for browser tests: a server on 127.0.0.1 over a temporary copy of some
notebooks, and helpers to open a notebook and run its cells in chromium (Playwright).

The server has a random free port and a random token, its own configuration, runtime,
settings and workspace folders (so nothing of the user's JupyterLab leaks in or out), and
kernels that import this checkout's ``nnlib`` (``PYTHONPATH``). Use the fixture with the
folder of notebooks given by a ``lab_notebooks`` fixture of the test module::

    @pytest.fixture(scope="module")
    def lab_notebooks(tmp_path_factory):
        folder = tmp_path_factory.mktemp("notebooks")
        write_notebook(folder / "name.ipynb", ["print(1)"])   # or return a folder of the repository
        return folder

    def test_something(browser, lab_server):
        context, page = open_notebook(browser, lab_server, "name.ipynb")

or, outside pytest (the benchmarks), ``with running_lab(folder) as lab: ...``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: ``base`` (``http://127.0.0.1:port``), its ``token``, its root ``folder``
    and the server's process id ``pid``."""

    base: str
    token: str
    folder: Path
    pid: int

    @property
    def url(self) -> str:
        """The base URL with the token: opens JupyterLab logged in."""
        return f"{self.base}/lab?token={self.token}"

    def notebook_url(self, name: str) -> str:
        return f"{self.base}/lab/tree/{name}?token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_lab(notebooks: Path) -> Iterator[Lab]:
    """JupyterLab over a temporary copy of the folder ``notebooks``; stopped (and the copy removed) on exit."""
    with tempfile.TemporaryDirectory(prefix="nnlib-lab-") as tmp:
        folder = Path(tmp) / "root"
        shutil.copytree(notebooks, folder)
        port, token = free_port(), secrets.token_hex(16)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
            "JUPYTER_CONFIG_DIR": f"{tmp}/config",
            "JUPYTER_RUNTIME_DIR": f"{tmp}/runtime",
            "JUPYTERLAB_SETTINGS_DIR": f"{tmp}/settings",
            "JUPYTERLAB_WORKSPACES_DIR": f"{tmp}/workspaces",
            "IPYTHONDIR": f"{tmp}/ipython",
        }
        # no "get Jupyter news?" prompt over the notebook
        news = Path(tmp, "settings", "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings")
        news.parent.mkdir(parents=True)
        news.write_text('{"fetchNews": "false"}')
        command = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: set_theme, and tests that run commands
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ]
        log_path = Path(tmp) / "lab.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=folder)
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + START_TIMEOUT_S
                while True:
                    try:
                        urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                        break
                    except OSError:
                        if server.poll() is not None or time.monotonic() > deadline:
                            raise RuntimeError(
                                f"jupyter lab did not start within {START_TIMEOUT_S} s: {log_path.read_text()[-2000:]}"
                            ) from None
                        time.sleep(0.2)
                yield Lab(base, token, folder, server.pid)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


@pytest.fixture(scope="module")
def lab_server(lab_notebooks: Path) -> Iterator[Lab]:
    """JupyterLab over a copy of the folder that the module's ``lab_notebooks`` fixture gives."""
    folder = Path(lab_notebooks)
    if not folder.is_dir():
        pytest.fail(f"lab_server needs lab_notebooks to be a folder of notebooks, got {folder!r}")
    with running_lab(folder) as lab:
        yield lab


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code ``cells`` (no outputs) for the Python 3 kernel."""
    path.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "id": f"cell{i}",
                        "metadata": {},
                        "outputs": [],
                        "source": source,
                    }
                    for i, source in enumerate(cells)
                ],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return path


def open_notebook(browser, lab: Lab, name: str, *, dark: bool = False, timeout_ms: int = 60_000):
    """Open notebook ``name`` of ``lab`` in a fresh browser context: ``(context, page)``, once the kernel is idle."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(lab.notebook_url(name))
    page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content")
    page.wait_for_function(
        "() => document.querySelector('.jp-Dialog') || "
        "/\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')"
    )
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    if select.count():  # "Select Kernel", when the notebook's kernel is not remembered
        select.click()
    wait_idle(page)
    return context, page


def set_theme(page, dark: bool) -> None:
    """Switch JupyterLab's theme (JupyterLab Light / JupyterLab Dark) and wait until it applies."""
    name = "JupyterLab Dark" if dark else "JupyterLab Light"
    page.evaluate(
        "name => window.jupyterapp ? window.jupyterapp.commands.execute('apputils:change-theme', {theme: name}) : null",
        name,
    )
    want = "false" if dark else "true"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{want}'")


def wait_idle(page) -> None:
    """Wait until the status bar says the kernel is idle."""
    page.wait_for_function("() => /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')")


def run_cell(page, index: int) -> None:
    """Run code cell ``index`` (0-based) of the open notebook, as Ctrl+Enter in it does."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "i => { const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];"
        " const p = c && c.querySelector('.jp-InputPrompt'); return p && /\\[(\\*|\\d+)\\]/.test(p.textContent); }",
        arg=index,
    )
