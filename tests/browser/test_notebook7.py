"""The course in Notebook 7 (``make notebook``), the classic notebook's successor, as it is
tested in JupyterLab (test_lab_exercises.py, test_lab.py).

``jupyter notebook`` from this environment (Notebook 7, with jupyterlab-myst, anywidget and
jupyterlab_widgets) serves a copy of the neuron chapter and two small notebooks on 127.0.0.1
(``_lab.running_lab(folder, app="notebook")``), and chromium opens them:

* the chapter: every ``{exercise}`` is a titled, numbered box with typeset math (KaTeX); every
  solution is folded when the notebook opens and after "Restart Kernel and Run All", and opens
  when its summary is clicked; every check shows its verdict; the chapter's widget renders;
* the learner's library: the unsolved chapter saves nothing; a correct answer to its first
  exercise, checked, is saved into ``mynn/neuron.py`` next to the notebook, as the verdict says;
* the widgets: the playground trains in Python while playing, and only then; the training
  dashboard draws during a fit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _browser import SHOTS
from _lab import (
    DASHBOARD_EPOCHS,
    PG,
    WIDGET_CELLS,
    Exercises,
    check_statements,
    fit_with_dashboard,
    open_notebook,
    play_and_pause,
    run_all,
    run_cell,
    solutions_on_screen,
    statements,
    write_notebook,
)

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "neuron" / "neuron.ipynb"
EXERCISES = Exercises.of(CHAPTER)
LABELS = EXERCISES.labels
SOLUTION_LINES = EXERCISES.solution_lines
# the chapter's first exercise, solved with the chapter's own solution, then checked as the chapter does
SOLVED = "import numpy as np\nfrom nnlib.exercises import neuron as check\n\n" + EXERCISES.solutions[0]
CHECK = "check.neuron_output(neuron_output)"


@pytest.fixture(scope="module")
def lab_app() -> str:
    return "notebook"


@pytest.fixture(scope="module")
def lab_notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebook7")
    shutil.copy(CHAPTER, folder / CHAPTER.name)
    write_notebook(folder / "library.ipynb", [SOLVED, CHECK])
    write_notebook(folder / "widgets.ipynb", WIDGET_CELLS)
    return folder


def test_a_chapter_and_the_learners_library_in_notebook7(browser, lab_server):
    assert len(LABELS) >= 2 and len(SOLUTION_LINES) == len(LABELS)
    assert LABELS[0] == "ex-neuron-output" and "def neuron_output(" in EXERCISES.solutions[0]
    mynn = lab_server.folder / "mynn"
    context, page = open_notebook(browser, lab_server, CHAPTER.name)
    try:
        # Notebook 7's own shell, not JupyterLab's
        assert page.evaluate("() => window.jupyterapp.name") == "Jupyter Notebook"
        assert page.locator("#main-panel").count() == 1 and page.locator("#jp-main-statusbar").count() == 0

        # the statements: titled, numbered boxes with typeset math
        check_statements(page, LABELS)

        # the solutions: folded on opening and after Run All; a click on a summary opens one
        assert page.locator(".jp-MarkdownCell details[open]").count() == 0
        assert not solutions_on_screen(page, SOLUTION_LINES)
        run_all(page, len(LABELS))
        assert page.locator(".jp-MarkdownCell details[open]").count() == 0
        assert not solutions_on_screen(page, SOLUTION_LINES), "a solution is on screen after Run All"
        assert len(statements(page)) == len(LABELS), "the exercise boxes are gone after Run All"
        verdicts = page.locator(".nnlib-verdict").all_text_contents()  # (off-screen cells have no inner text)
        assert len(verdicts) == len(LABELS) and all("not attempted yet" in v for v in verdicts), verdicts
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("aside.myst-exercise").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "notebook7-exercises.png"))
        page.locator(".jp-MarkdownCell details summary").first.click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-MarkdownCell details[open] code')].some(e => e.checkVisibility())"
        )
        assert solutions_on_screen(page, SOLUTION_LINES) == SOLUTION_LINES[:1], (
            "a click on its summary opens one solution"
        )

        # the chapter's widget (anywidget, jupyterlab_widgets) renders beside jupyterlab-myst
        widget = page.locator(".jp-OutputArea-output canvas").first
        widget.scroll_into_view_if_needed()
        widget.wait_for(state="visible")
        page.screenshot(path=str(SHOTS / "notebook7-neuron-widget.png"))
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
    finally:
        context.close()
    assert not mynn.exists(), f"the unsolved chapter saved into {mynn}: {sorted(mynn.rglob('*'))}"

    # the learner's library: a correct answer, checked, is saved next to the notebook
    context, page = open_notebook(browser, lab_server, "library.ipynb")
    try:
        run_cell(page, 0)
        run_cell(page, 1)
        verdict = page.locator(".nnlib-verdict")
        verdict.wait_for()
        text = " ".join(verdict.inner_text().split())
        assert page.locator(".nnlib-verdict-correct").count() == 1 and "✔ correct" in text, text
        assert "neuron_output is saved in mynn/neuron.py" in text, text
    finally:
        context.close()
    saved = mynn / "neuron.py"
    assert saved.is_file(), f"the verdict says saved, but {saved} is missing"
    assert "def neuron_output(x, w, b):" in saved.read_text()


def test_playground_and_dashboard_live_in_notebook7(browser, lab_server):
    context, page = open_notebook(browser, lab_server, "widgets.ipynb")
    try:
        play_and_pause(page)  # rendered with nnlib training in Python; Play adds 20 epochs in 10 s; Pause stops
        fit, draws = fit_with_dashboard(page, lab_server)
        during = [d for d in draws if fit["start"] <= d["t"] <= fit["end"]]
        print(f"\nNotebook 7 dashboard: {len(during)} redraws during a {fit['end'] - fit['start']:.2f} s fit")
        assert len(during) >= 2, f"the dashboard drew {len(during)} times during the fit: {draws}"
        assert draws[-1]["epoch"] == DASHBOARD_EPOCHS and draws[-1]["status"] == "done"
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        assert errors.count() == 0, errors.all_inner_texts()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator(PG).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "notebook7-playground.png"))
        page.locator("[data-draws]").last.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "notebook7-dashboard.png"))
    finally:
        context.close()
