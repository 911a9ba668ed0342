"""How many playground updates per second: one training epoch, shown.

Three ways, for TensorFlow Playground's default set-up (its example URL), each printed
with the median over several runs and its ratio to the reference measured in the same run:

* ``reference``: the old Python-only picture, no browser. One epoch with nnlib, then the
  static matplotlib figure of :mod:`nnlib.widgets.playground.figure` updated and encoded
  as a PNG: what the old ipywidgets playground did for every update before sending the
  image to the page (it had a blitting cache and sent JPEGs while playing, so it was
  somewhat faster than this; the README's earlier figure for it was 89 updates/s).
* ``lab``: the widget live in JupyterLab with a Python kernel. Starts ``jupyter lab`` on
  127.0.0.1 (``tests/browser/_lab.py``: no browser, a random port and token, a temporary root
  folder holding a one-cell notebook that shows a ``Playground``), opens it in Debian's chromium with Playwright,
  runs the cell, presses Play and counts the epochs Python trained and the page received
  over a few seconds (the widget's ``data-epoch``), and the frames drawn (``data-frames``).
* ``page``: the same front end with no kernel (``tests/browser/_browser.widget_page``):
  engine.js trains in the page.

    python benchmarks/playground_fps.py [--runs 5] [--seconds 3] [--only reference,lab,page]

The target for both browser modes is >= 60 updates (epochs) per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from nnlib.widgets.esm import bundle
from nnlib.widgets.playground import Playground, Settings, Trainer
from nnlib.widgets.playground.figure import PlaygroundFigure

EXAMPLE_URL = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
    "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2"
    "&seed=0.72031&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)
EPOCH = "() => Number(document.querySelector('.nnlib-pg-widget').dataset.epoch)"
FRAMES = "() => Number(document.querySelector('.nnlib-pg-widget').dataset.frames || 0)"


# --- the reference: Python only -------------------------------------------------------------
def reference(updates: int) -> list[float]:
    """Updates per second of (epoch + matplotlib figure + PNG), in batches of ``updates``."""
    core = Trainer(Settings.from_tf_url(EXAMPLE_URL))
    figure = PlaygroundFigure(core)
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(updates):
            core.step(1)
            figure.update(core)
            figure.render()
        rates.append(updates / (time.perf_counter() - start))
    return rates


# --- the browser: count epochs while playing -----------------------------------------------
def play_and_count(page, runs: int, seconds: float) -> tuple[list[float], list[float]]:
    """Press Play, count epochs and frames per second over ``seconds``, Pause; ``runs`` times."""
    play = page.locator(".nnlib-pg-widget button.nnlib-primary")
    epochs, frames = [], []
    for _ in range(runs):
        play.click()  # Play
        page.wait_for_function(f"e => ({EPOCH})() > e + 5", arg=page.evaluate(EPOCH))
        e0, f0, t0 = page.evaluate(EPOCH), page.evaluate(FRAMES), time.perf_counter()
        page.wait_for_timeout(seconds * 1000)
        e1, f1, t1 = page.evaluate(EPOCH), page.evaluate(FRAMES), time.perf_counter()
        play.click()  # Pause
        page.wait_for_timeout(300)
        epochs.append((e1 - e0) / (t1 - t0))
        frames.append((f1 - f0) / (t1 - t0))
    return epochs, frames


def page_mode(browser, state: dict, runs: int, seconds: float) -> tuple[list[float], list[float]]:
    from _browser import widget_page

    context, page, log = widget_page(browser, bundle("playground.js"), state)
    try:
        page.wait_for_selector(".nnlib-pg-widget[data-engine=browser]")
        result = play_and_count(page, runs, seconds)
        if log.problems():
            print("  page problems:", log.problems())
        return result
    finally:
        context.close()


def lab_mode(browser, runs: int, seconds: float) -> tuple[list[float], list[float]]:
    from _lab import open_notebook, run_cell, running_lab, write_notebook

    cell = f"from nnlib.widgets.playground import Playground\npg = Playground({EXAMPLE_URL!r})\npg"
    with tempfile.TemporaryDirectory() as tmp:
        write_notebook(Path(tmp) / "bench.ipynb", [cell])
        with running_lab(Path(tmp)) as lab:
            context, page = open_notebook(browser, lab, "bench.ipynb")
            try:
                run_cell(page, 0)
                page.wait_for_selector(".nnlib-pg-widget[data-engine=python]")
                return play_and_count(page, runs, seconds)
            finally:
                context.close()


# --- the report ------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--updates", type=int, default=100, help="updates per reference batch")
    parser.add_argument("--only", default="reference,lab,page")
    args = parser.parse_args()
    modes = args.only.split(",")
    print(f"set-up: {Settings.from_tf_url(EXAMPLE_URL).to_string()}")
    results: dict[str, tuple[list[float], list[float] | None]] = {}
    if "reference" in modes:
        results["reference"] = (reference(args.updates), None)
    if {"lab", "page"} & set(modes):
        state = Playground(EXAMPLE_URL).get_state()  # before Playwright's event loop runs in this thread
        from _browser import CHROMIUM, CHROMIUM_ARGS
        from playwright.sync_api import sync_playwright

        if CHROMIUM is None:
            sys.exit("the browser modes need Debian's chromium on PATH")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                if "lab" in modes:
                    results["lab"] = lab_mode(browser, args.runs, args.seconds)
                if "page" in modes:
                    results["page"] = page_mode(browser, state, args.runs, args.seconds)
            finally:
                browser.close()
    names = {
        "reference": "reference: Python only, epoch + matplotlib figure + PNG (no browser)",
        "lab": "live in JupyterLab, training in Python (kernel), drawn in chromium",
        "page": "no kernel: engine.js trains in the page (chromium)",
    }
    ref = statistics.median(results["reference"][0]) if "reference" in results else None
    print(f"{'updates/s':>10} {'frames/s':>9} {'vs ref':>7}  mode (median of runs; every run)")
    for mode, (rates, frames) in results.items():
        median = statistics.median(rates)
        drawn = f"{statistics.median(frames):9.1f}" if frames else " " * 9
        ratio = f"{median / ref:6.2f}x" if ref else " " * 7
        every = " ".join(f"{r:.0f}" for r in rates)
        print(f"{median:10.1f} {drawn} {ratio}  {names[mode]}  [{every}]")
    print("updates/s: epochs trained and received per second while playing; frames/s: pictures drawn per second")
    print("target: >= 60 updates/s in both browser modes")


if __name__ == "__main__":
    main()
