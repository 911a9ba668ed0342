"""Does the training dashboard draw *during* a fit in JupyterLab, and how often?

Starts JupyterLab on 127.0.0.1 (a random port and token, a temporary root folder and
temporary settings), opens a notebook in headless Chromium (Debian's ``chromium``, driven
by Playwright; no browser is downloaded) and runs, in one kernel, the same seeded 2-second
fit (spiral data, a [2, 16, 16, 1] tanh network, as ``dashboard_overhead.py``) with and
without :class:`~nnlib.widgets.dashboard.TrainingDashboard`, alternating. A
MutationObserver in the page notes the time of every redraw of every dashboard
(``data-draws`` on its root); the kernel notes when each fit starts and ends. Both use
the machine's clock (``time.time()`` and ``Date.now()``). Prints, as medians over the runs:

* the time from the start of ``fit`` to the first picture (the "waiting" view) and to the
  first picture with an epoch in it (target: within 0.5 s);
* redraws per second during the fit (target: at least 2) and the longest gap between two;
* how long after the end of ``fit`` the final state was drawn;
* the fit's duration with and without the dashboard, browser included (target: at most 5 %
  more; the browser draws on the same 2 cores as the kernel).

The first dashboard of a session also loads the front end's module; its run is printed
apart and left out of the medians.

    python benchmarks/dashboard_live_lab.py [--runs 3] [--epochs 600]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium")

SETUP = """\
import json, time
from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.dashboard import TrainingDashboard

X, y = playground("spiral", n=1000, noise=0.1, rng=0)
X_train, y_train, X_val, y_val = train_test_split(X, 2 * y - 1, test_fraction=0.2, rng=0)

def run(dashboard):
    net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", init="xavier", rng=0)
    callbacks = [TrainingDashboard(X_train, y_train)] if dashboard else []
    start = time.time()
    fit(net, X_train, y_train, epochs={epochs}, batch_size=10, lr=0.03, validation_data=(X_val, y_val),
        callbacks=callbacks, progress=False, rng=1)
    end = time.time()
    with open("times.jsonl", "a") as f:
        f.write(json.dumps({{"dashboard": dashboard, "start": start, "end": end}}) + "\\n")
"""

RECORDER = """() => {
  window.__draws = [];
  const ids = new WeakMap();
  let next = 0;
  new MutationObserver((records) => {
    const t = Date.now();
    for (const r of records) {
      const el = r.target;
      if (!ids.has(el)) ids.set(el, next++);
      window.__draws.push({ t, widget: ids.get(el), draws: Number(el.dataset.draws),
                            epoch: Number(el.dataset.epoch), status: el.dataset.status });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-draws"] });
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook(epochs: int, runs: int) -> dict:
    cells = [SETUP.format(epochs=epochs)] + [f"run({dash})" for _ in range(runs + 1) for dash in (True, False)]
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
            for i, s in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def start_lab(folder: Path, port: int, token: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        JUPYTER_CONFIG_DIR=str(folder / ".config"),
        JUPYTER_RUNTIME_DIR=str(folder / ".runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(folder / ".settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(folder / ".workspaces"),
    )
    args = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={folder}",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    log = open(folder / "lab.log", "w")  # noqa: SIM115 (closed with the process)
    proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit(f"JupyterLab did not start within 60 s; see {folder / 'lab.log'}")


def measure(page, folder: Path, n_fits: int, timeout: float) -> tuple[list[dict], list[dict]]:
    page.evaluate(RECORDER)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    times_file = folder / "times.jsonl"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if times_file.exists() and len(times_file.read_text().splitlines()) >= n_fits:
            break
        time.sleep(0.5)
    else:
        raise SystemExit(f"the fits did not finish within {timeout:.0f} s")
    time.sleep(1.5)  # the last final state reaches the page
    fits = [json.loads(line) for line in times_file.read_text().splitlines()]
    return fits, page.evaluate("() => window.__draws")


def summarise(fits: list[dict], draws: list[dict], epochs: int) -> None:
    dashboards = [f for f in fits if f["dashboard"]]
    rows = []
    for widget, fit in enumerate(dashboards):
        mine = [(d["t"] / 1000, d["epoch"], d["status"]) for d in draws if d["widget"] == widget]
        during = [t for t, _, _ in mine if fit["start"] <= t <= fit["end"]]
        first_data = next((t for t, e, _ in mine if e >= 1), float("nan"))
        final = next((t for t, e, s in mine if s == "done" and e == epochs), float("nan"))
        gaps = [b - a for a, b in zip([fit["start"], *during], [*during, fit["end"]])]
        rows.append(
            {
                "first picture": mine[0][0] - fit["start"] if mine else float("nan"),
                "first epoch drawn": first_data - fit["start"],
                "redraws per second": len(during) / (fit["end"] - fit["start"]),
                "longest gap": max(gaps),
                "final state after the end": final - fit["end"],
                "fit": fit["end"] - fit["start"],
            }
        )
    plain = [f["end"] - f["start"] for f in fits if not f["dashboard"]]
    print(f"JupyterLab, a fit of {epochs} epochs, {len(rows) - 1} runs with the dashboard (after a first one):")
    first = ", ".join(f"{k} {v:.3f} s" for k, v in rows[0].items() if k != "redraws per second")
    print(f"  first run (loads the front end): {first}, {rows[0]['redraws per second']:.1f} redraws per second")
    for key, unit, target in (
        ("first picture", "s", ""),
        ("first epoch drawn", "s", "(target <= 0.5 s)"),
        ("redraws per second", "/s", "(target >= 2)"),
        ("longest gap", "s", "(between redraws, or from the start or to the end of fit)"),
        ("final state after the end", "s", ""),
    ):
        values = [r[key] for r in rows[1:]]
        print(f"  {key}: median {statistics.median(values):.3f} {unit}, all {[round(v, 3) for v in values]} {target}")
    with_dash = statistics.median(r["fit"] for r in rows[1:])
    without = statistics.median(plain[1:])
    print(
        f"  fit: with the dashboard {with_dash:.3f} s, without {without:.3f} s (medians): "
        f"overhead {100 * (with_dash - without) / without:+.1f} % (target <= 5 %)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=600)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (lab.log, screenshot)")
    args = parser.parse_args()
    if CHROMIUM is None:  # as the browser tests: skipped, so that `make bench` runs the others
        print("skipped: this benchmark needs Debian's chromium on PATH (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="nnlib-lab-"))
    (folder / "live.ipynb").write_text(json.dumps(notebook(args.epochs, args.runs)))
    port, token = free_port(), secrets.token_hex(16)
    lab = start_lab(folder, port, token)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"http://127.0.0.1:{port}/lab/tree/live.ipynb?token={token}")
            page.locator(".jp-Notebook").wait_for()
            select = page.get_by_role("button", name="Select", exact=True)  # "Select Kernel", if asked
            page.wait_for_function(
                """() => document.querySelector('.jp-Dialog') ||
                         /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '')"""
            )
            if select.count():
                select.click()
            page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # the kernel is ready
            n_fits = 2 * (args.runs + 1)
            fits, draws = measure(page, folder, n_fits, timeout=60 + 10 * n_fits * args.epochs / 300)
            page.screenshot(path=str(folder / "lab.png"))
            browser.close()
    finally:
        lab.terminate()
        lab.wait(timeout=30)
    summarise(fits, draws, args.epochs)
    if args.keep:
        print(f"  files kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
