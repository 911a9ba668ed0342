"""The widgets live in a real JupyterLab, with a kernel: the playground trained by nnlib in
Python, and the training dashboard drawing during a fit.

``_lab.lab_server`` starts ``jupyter lab`` on 127.0.0.1 (a free port, a token) over a
temporary copy of a folder holding one small notebook, written below; chromium opens it.
"""

from __future__ import annotations

import pytest
from _lab import (
    DASHBOARD_EPOCHS,
    EPOCH,
    PG,
    STATUS,
    WIDGET_CELLS,
    fit_with_dashboard,
    open_notebook,
    play_and_pause,
    write_notebook,
)

# the dashboard's fit (_lab.DASHBOARD_EPOCHS) takes about 1.1 s on an idle machine; the test about 25 s at a load of 7


@pytest.fixture(scope="module")
def lab_notebooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lab-notebooks")
    write_notebook(folder / "widgets.ipynb", WIDGET_CELLS)
    return folder


def test_playground_and_dashboard_live_in_jupyterlab(browser, lab_server):
    context, page = open_notebook(browser, lab_server, "widgets.ipynb")
    try:
        # --- the playground: Python trains while playing, and only then -------------------------
        paused = play_and_pause(page)
        # a nonsensical setting is refused by Python, in the status line, and nothing changes
        rate = page.locator(PG).get_by_label("learning rate", exact=True)
        rate.fill("-1")
        rate.press("Enter")
        page.wait_for_function(f"() => ({STATUS})().includes('learning_rate must be a positive number')")
        assert "training in Python" in page.evaluate(STATUS) and rate.input_value() == "0.03"
        assert page.evaluate(EPOCH) == paused

        # --- the dashboard: draws from the start of fit, at least twice a second --------------
        fit, draws = fit_with_dashboard(page, lab_server)
        first = next(d["t"] for d in draws if d["epoch"] >= 1)
        during = [d["t"] for d in draws if fit["start"] <= d["t"] <= fit["end"]]
        seconds = fit["end"] - fit["start"]
        print(
            f"\ndashboard: first epoch drawn {first - fit['start']:.3f} s after fit began; "
            f"{len(during) / seconds:.1f} redraws/s over a {seconds:.2f} s fit"
        )
        assert first - fit["start"] <= 0.5, "the first epoch was drawn too late"
        assert len(during) / seconds >= 2, f"{len(during)} redraws in {seconds:.2f} s"
        assert draws[-1]["epoch"] == DASHBOARD_EPOCHS and draws[-1]["status"] == "done"
        broken = page.evaluate(
            "() => [...document.querySelectorAll('.jp-OutputArea img')].filter((i) => !i.naturalWidth).length"
        )
        assert broken == 0, "a broken-image placeholder in the outputs"
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
    finally:
        context.close()
