"""A real JupyterLab for browser tests: a folder of notebooks in, a base URL with its token out.

``run_lab(folder)`` starts ``jupyter lab`` from this environment on 127.0.0.1 with a port the
system picks and a random token, serving ``folder``. Its settings, workspaces, configuration
and runtime files live in a temporary folder, so the developer's own JupyterLab settings
change nothing and nothing is left behind. The server is stopped on exit (its log is
appended to the error if it does not start).

``lab_server`` is the pytest fixture around it: a test module defines ``lab_notebooks`` (the
folder to serve, module-scoped) and gets a ``Lab`` back. ``Lab.url(path)`` is the address of
a notebook with the token; ``open_notebook`` opens one in a Playwright page and waits until
its kernel is idle.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60
CONFIG = {
    "LabApp": {
        # no news feed and no update check: the server asks no other host for anything
        "news_url": None,
        "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
        # window.jupyterapp, for set_theme and for tests that run JupyterLab's commands
        "expose_app_in_browser": True,
    },
}


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: ``base`` is ``http://127.0.0.1:PORT/``; ``root`` the folder served."""

    base: str
    token: str
    root: Path

    def url(self, path: str = "") -> str:
        """The address of ``lab/tree/<path>`` (a notebook or a folder under ``root``), with the token."""
        return f"{self.base}lab/tree/{quote(path)}?token={self.token}"

    def api(self, endpoint: str) -> dict:
        """GET ``api/<endpoint>`` of the server, as JSON."""
        with urllib.request.urlopen(f"{self.base}api/{endpoint}?token={self.token}", timeout=10) as r:
            return json.loads(r.read())


@contextmanager
def run_lab(folder: Path, *, disable: tuple[str, ...] = (), extra_args: tuple[str, ...] = ()) -> Iterator[Lab]:
    """Start JupyterLab on ``folder`` (127.0.0.1, a free port, a random token); stop it on exit.

    ``disable`` names front-end extensions to turn off (``"jupyterlab-myst"``: JupyterLab as
    a learner without it sees the notebooks); ``extra_args`` go to ``jupyter lab``.
    """
    folder = Path(folder).resolve()
    home = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
    token = secrets.token_hex(16)
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        IPYTHONDIR=str(home / "ipython"),
    )
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--port=0",  # the system picks a free port; the runtime file says which
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={folder}",
        *extra_args,
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    (home / "config" / "labconfig").mkdir(parents=True)
    (home / "config" / "jupyter_server_config.json").write_text(json.dumps(CONFIG))
    page_config = {"disabledExtensions": {name: True for name in disable}}
    (home / "config" / "labconfig" / "page_config.json").write_text(json.dumps(page_config))
    # no "get Jupyter news?" prompt over the notebook
    news = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(json.dumps({"fetchNews": "false"}))
    log_path = home / "lab.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        lab = _wait_until_serving(proc, home / "runtime", token, folder, log_path)
        yield lab
    finally:
        _stop(proc)
        shutil.rmtree(home, ignore_errors=True)


def _wait_until_serving(proc: subprocess.Popen, runtime: Path, token: str, folder: Path, log_path: Path) -> Lab:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        for info in runtime.glob("jpserver-*.json"):
            try:
                base = json.loads(info.read_text())["url"]
            except (ValueError, KeyError):
                continue  # being written
            lab = Lab(base=base if base.endswith("/") else base + "/", token=token, root=folder)
            try:
                lab.api("status")
                return lab
            except OSError:
                pass
        time.sleep(0.3)
    _stop(proc)
    log = log_path.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"JupyterLab did not start within {START_TIMEOUT_S} s; its log ends with:\n{log}")


def _stop(proc: subprocess.Popen) -> None:
    """Stop the server and the kernels it started (they share its process group)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def lab_server(lab_notebooks: Path) -> Iterator[Lab]:
    """JupyterLab serving the folder that the test module's ``lab_notebooks`` fixture gives."""
    with run_lab(lab_notebooks) as lab:
        yield lab


def open_notebook(browser, lab: Lab, path: str, *, dark: bool = False, width: int = 1280, height: int = 900):
    """Open the notebook ``path`` in a new context; returns ``(context, page)`` once its kernel is idle."""
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(lab.url(path))
    page.locator(".jp-Notebook").first.wait_for()
    page.wait_for_function(
        "() => document.querySelector('.jp-Dialog') || "
        "/\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')"
    )
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select", exact=True)
    if select.count():  # "Select Kernel", when the notebook's kernel is not remembered
        select.click()
    page.wait_for_function("() => /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')")
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
