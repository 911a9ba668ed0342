"""The widgets live in a real JupyterLab, with a kernel: the playground trained by nnlib in
Python, and the training dashboard drawing during a fit.

``_lab.lab_server`` starts ``jupyter lab`` on 127.0.0.1 (a free port, a token) over a
temporary copy of a folder holding one small notebook, written below; chromium opens it.
"""

from __future__ import annotations

import json
import time

import pytest
from _lab import open_notebook, run_cell, write_notebook

EXAMPLE_URL = "dataset=circle;features=x1,x2;hidden=4,2;activation=tanh;learning_rate=0.03;batch_size=10"
PG = ".nnlib-pg-widget"
EPOCH = f"() => Number(document.querySelector('{PG}').dataset.epoch)"
STATUS = f"() => document.querySelector('{PG} .nnlib-status').textContent"
EPOCHS = 300  # the dashboard's fit: about 1.1 s on an idle machine (the test takes about 25 s at a load of 7)
CELLS = [
    f"from nnlib.widgets.playground import Playground\npg = Playground({EXAMPLE_URL!r})\npg",
    f"""import json, time
from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.dashboard import TrainingDashboard

X, y = playground("spiral", n=1000, noise=0.1, rng=0)
X_train, y_train, X_val, y_val = train_test_split(X, 2 * y - 1, test_fraction=0.2, rng=0)
net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", init="xavier", rng=0)
start = time.time()
fit(net, X_train, y_train, epochs={EPOCHS}, batch_size=10, lr=0.03, validation_data=(X_val, y_val),
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


@pytest.fixture(scope="module")
def lab_notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab-notebooks")
    write_notebook(folder / "widgets.ipynb", CELLS)
    return folder


def test_playground_and_dashboard_live_in_jupyterlab(browser, lab_server):
    context, page = open_notebook(browser, lab_server, "widgets.ipynb")
    try:
        # --- the playground: Python trains while playing, and only then -------------------------
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
        # a nonsensical setting is refused by Python, in the status line, and nothing changes
        rate = page.locator(PG).get_by_label("learning rate", exact=True)
        rate.fill("-1")
        rate.press("Enter")
        page.wait_for_function(f"() => ({STATUS})().includes('learning_rate must be a positive number')")
        assert "training in Python" in page.evaluate(STATUS) and rate.input_value() == "0.03"
        assert page.evaluate(EPOCH) == paused

        # --- the dashboard: draws from the start of fit, at least twice a second --------------
        page.evaluate(RECORDER)
        run_cell(page, 1)
        fit_file = lab_server.folder / "fit.json"
        deadline = time.monotonic() + 40
        while not fit_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        page.wait_for_function("() => window.__draws.some((d) => d.status === 'done')", timeout=10_000)
        fit = json.loads(fit_file.read_text())
        draws = page.evaluate("() => window.__draws")
        first = next(d["t"] for d in draws if d["epoch"] >= 1)
        during = [d["t"] for d in draws if fit["start"] <= d["t"] <= fit["end"]]
        seconds = fit["end"] - fit["start"]
        print(
            f"\ndashboard: first epoch drawn {first - fit['start']:.3f} s after fit began; "
            f"{len(during) / seconds:.1f} redraws/s over a {seconds:.2f} s fit"
        )
        assert first - fit["start"] <= 0.5, "the first epoch was drawn too late"
        assert len(during) / seconds >= 2, f"{len(during)} redraws in {seconds:.2f} s"
        assert draws[-1]["epoch"] == EPOCHS and draws[-1]["status"] == "done"
        broken = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea img')].filter((i) => !i.naturalWidth).length"
        )
        assert broken == 0, "a broken-image placeholder in the outputs"
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
    finally:
        context.close()
