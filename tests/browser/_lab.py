"""A real JupyterLab (or Notebook 7) for browser tests: a server on 127.0.0.1 over a temporary
copy of some notebooks, and helpers to open a notebook and run its cells in chromium (Playwright).

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

or, outside pytest (the benchmarks), ``with running_lab(folder) as lab: ...``. A test module whose
own ``lab_app`` fixture returns ``"notebook"`` gets Notebook 7 instead (``jupyter notebook``, the
classic notebook's successor, built on JupyterLab's components): the same helpers work in both.

The kernels find the learner's package ``mynn`` where a learner's would be
(``nnlib.exercises.library.folder``): ``NNLIB_MYNN`` is not passed on to them, so a notebook
in the server's folder saves into ``<folder>/mynn``.
"""

from __future__ import annotations

import json
import os
import re
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
APPS = {"lab": "LabApp", "notebook": "JupyterNotebookApp"}  # `jupyter <app>`: its application class
# the open notebook's kernel is idle (JupyterLab's status bar shows this; Notebook 7 has none)
IDLE_JS = "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.kernelDisplayStatus === 'idle'"


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab (``app`` "lab") or Notebook 7 (``app`` "notebook"): ``base``
    (``http://127.0.0.1:port``), its ``token``, its root ``folder`` and the server's process id ``pid``."""

    base: str
    token: str
    folder: Path
    pid: int
    app: str = "lab"

    @property
    def url(self) -> str:
        """The base URL with the token: opens JupyterLab (Notebook 7's file browser) logged in."""
        return f"{self.base}/{'lab' if self.app == 'lab' else 'tree'}?token={self.token}"

    def notebook_url(self, name: str) -> str:
        if self.app == "notebook":
            return f"{self.base}/notebooks/{name}?token={self.token}"
        return f"{self.base}/lab/tree/{name}?token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_lab(notebooks: Path, app: str = "lab") -> Iterator[Lab]:
    """JupyterLab (``app="notebook"``: Notebook 7) over a temporary copy of the folder ``notebooks``;
    stopped (and the copy removed) on exit."""
    if app not in APPS:
        raise ValueError(f"app must be one of {sorted(APPS)}, not {app!r}")
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
        env.pop("NNLIB_MYNN", None)  # mynn/ where a learner's goes: next to the notebooks
        # no "get Jupyter news?" prompt over the notebook
        news = Path(tmp, "settings", "@jupyterlab", "apputils-extension", "notification.jupyterlab-settings")
        news.parent.mkdir(parents=True)
        news.write_text('{"fetchNews": "false"}')
        command = [
            sys.executable,
            "-m",
            "jupyter",
            app,
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            # no news or update checks: JupyterLab's server extension answers them in Notebook 7 too
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            # window.jupyterapp: open_notebook, set_theme, and tests that run commands
            f"--{APPS[app]}.expose_app_in_browser=True",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ]
        log_path = Path(tmp) / f"{app}.log"
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
                                f"jupyter {app} did not start in {START_TIMEOUT_S} s: {log_path.read_text()[-2000:]}"
                            ) from None
                        time.sleep(0.2)
                yield Lab(base, token, folder, server.pid, app)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


@pytest.fixture(scope="module")
def lab_app() -> str:
    """Which server ``lab_server`` starts: "lab" (JupyterLab); a test module's own fixture may say "notebook"."""
    return "lab"


@pytest.fixture(scope="module")
def lab_server(lab_app: str, lab_notebooks: Path) -> Iterator[Lab]:
    """JupyterLab (or Notebook 7, see ``lab_app``) over a copy of the folder that the module's
    ``lab_notebooks`` fixture gives."""
    folder = Path(lab_notebooks)
    if not folder.is_dir():
        pytest.fail(f"lab_server needs lab_notebooks to be a folder of notebooks, got {folder!r}")
    with running_lab(folder, app=lab_app) as lab:
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
    page.wait_for_function(f"() => document.querySelector('.jp-Dialog') || ({IDLE_JS})()")
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
    """Wait until the open notebook's kernel is idle (what JupyterLab's status bar shows)."""
    page.wait_for_function(IDLE_JS)


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


# --- what the JupyterLab and Notebook 7 tests check in both -------------------------------------

# A chapter's exercises: the statements ({exercise} boxes), their solutions (folded in <details>)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)
_CODE = re.compile(r"```python\n(.*?)```", re.DOTALL)
RUN_ALL_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Exercises:
    """A chapter's exercises: their ``labels`` in order, and the code of each ``solution`` (same order)."""

    labels: list[str]
    solutions: list[str]

    @classmethod
    def of(cls, chapter: Path) -> Exercises:
        cells = json.loads(chapter.read_text(encoding="utf-8"))["cells"]
        tasks = [c for c in cells if c["cell_type"] == "markdown" and "{exercise}" in "".join(c["source"])]
        solved = [c for c in cells if c["metadata"].get("nnlib", {}).get("solves")]
        return cls(
            [_LABEL.search("".join(c["source"])).group(1) for c in tasks],
            [_CODE.search("".join(c["source"])).group(1) for c in solved],
        )

    @property
    def solution_lines(self) -> list[str]:
        """A line of each solution's code (its last), which must not be on screen until its solution is opened."""
        return [code.strip().splitlines()[-1].strip() for code in self.solutions]


def statements(page) -> list[dict]:
    """The exercise boxes that jupyterlab-myst rendered: id, title, typeset formulas, raw MyST or TeX left."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-MarkdownCell aside.myst-exercise')].map(a => ({
             id: a.id, title: a.querySelector('.myst-exercise-title')?.textContent.trim() || '',
             math: a.querySelectorAll('.katex').length,
             raw: /:label:|\\{exercise\\}|\\$/.test(a.textContent.replace(/\\$\\$/g, '')) &&
                  !a.querySelector('.katex') }))"""
    )


def check_statements(page, labels: list[str]) -> None:
    """The exercise statements are titled, numbered boxes in ``labels``' order, their math typeset,
    and every solution's ``<summary>`` is drawn (one per label)."""
    page.wait_for_function("n => document.querySelectorAll('aside.myst-exercise').length >= n", arg=len(labels))
    boxes = statements(page)
    assert [b["id"] for b in boxes] == labels
    for n, box in enumerate(boxes, start=1):
        assert box["title"].startswith(f"Exercise {n} ("), box
        assert not box["raw"], f"raw MyST or TeX in {box}"
    assert sum(b["math"] for b in boxes) >= 2, boxes
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-MarkdownCell details > summary').length >= n", arg=len(labels)
    )


def solutions_on_screen(page, lines: list[str]) -> list[str]:
    """The solution ``lines`` that a learner can see right now (in rendered cells, not editors)."""
    return page.evaluate(
        """lines => lines.filter(line => [...document.querySelectorAll('.jp-MarkdownCell code')].some(
             e => !e.closest('.cm-editor') && e.textContent.includes(line) && e.checkVisibility()))""",
        lines,
    )


def run_all(page, verdicts: int) -> None:
    """Kernel > Restart Kernel and Run All Cells..., confirmed, until every cell has run and
    ``verdicts`` checks have shown theirs."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(
        f"""n => document.querySelectorAll('.nnlib-verdict').length >= n && ({IDLE_JS})() &&
               ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))""",
        arg=verdicts,
        timeout=RUN_ALL_TIMEOUT_MS,
    )


# The widgets: the playground (trained by nnlib in Python) and the training dashboard during a fit
PLAYGROUND_URL = "dataset=circle;features=x1,x2;hidden=4,2;activation=tanh;learning_rate=0.03;batch_size=10"
PG = ".nnlib-pg-widget"
EPOCH = f"() => Number(document.querySelector('{PG}').dataset.epoch)"
STATUS = f"() => document.querySelector('{PG} .nnlib-status').textContent"
DASHBOARD_EPOCHS = 300  # the dashboard's fit: about 1.1 s on an idle machine
# a notebook of two cells: the playground; a fit with the dashboard, which writes its start and end
# (the machine's clock) to fit.json in the notebook's folder
WIDGET_CELLS = [
    f"from nnlib.widgets.playground import Playground\npg = Playground({PLAYGROUND_URL!r})\npg",
    f"""import json, time
from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.dashboard import TrainingDashboard

X, y = playground("spiral", n=1000, noise=0.1, rng=0)
X_train, y_train, X_val, y_val = train_test_split(X, 2 * y - 1, test_fraction=0.2, rng=0)
net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", init="xavier", rng=0)
start = time.time()
fit(net, X_train, y_train, epochs={DASHBOARD_EPOCHS}, batch_size=10, lr=0.03, validation_data=(X_val, y_val),
    callbacks=[TrainingDashboard(X_train, y_train)], progress=False, rng=1)
with open("fit.json", "w") as f:
    json.dump({{"start": start, "end": time.time()}}, f)""",
]
# every redraw of a dashboard (its root's data-draws changes), with the page's clock (the machine's, as time.time())
RECORDER = """() => {
  window.__draws = [];
  new MutationObserver((records) => {
    for (const { target } of records)
      window.__draws.push({ t: Date.now() / 1000, epoch: Number(target.dataset.epoch), status: target.dataset.status });
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-draws"] });
}"""


def play_and_pause(page) -> int:
    """Run the playground's cell (WIDGET_CELLS[0], cell 0), which must render with nnlib training in
    Python; Play must add 20 epochs within 10 s, and Pause stop them. Returns the epoch it paused at."""
    run_cell(page, 0)
    page.wait_for_selector(f"{PG}[data-engine=python]", timeout=30_000)
    assert page.evaluate(STATUS).startswith("training in Python")
    play = page.locator(f"{PG} button.nnlib-primary")
    start = page.evaluate(EPOCH)
    play.click()
    page.wait_for_function(f"e => ({EPOCH})() >= e + 20", arg=start, timeout=10_000)
    play.click()  # Pause
    page.wait_for_function(f"() => document.querySelector('{PG} button.nnlib-primary').textContent === 'Play'")
    page.wait_for_timeout(500)  # epochs already on their way arrive
    paused = page.evaluate(EPOCH)
    page.wait_for_timeout(700)
    assert page.evaluate(EPOCH) == paused, "training went on after Pause"
    return paused


def fit_with_dashboard(page, lab: Lab) -> tuple[dict, list[dict]]:
    """Run the dashboard's cell (WIDGET_CELLS[1], cell 1) until the dashboard has drawn the end:
    ``(fit, draws)``, the fit's start and end and every redraw (time, epoch, status)."""
    page.evaluate(RECORDER)
    run_cell(page, 1)
    fit_file = lab.folder / "fit.json"
    deadline = time.monotonic() + 40
    while not fit_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    page.wait_for_function("() => window.__draws.some((d) => d.status === 'done')", timeout=10_000)
    return json.loads(fit_file.read_text()), page.evaluate("() => window.__draws")
