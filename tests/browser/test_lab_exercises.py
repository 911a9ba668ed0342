"""A chapter's exercises as a learner meets them in a real JupyterLab (``make lab``'s set-up).

JupyterLab from this environment (with jupyterlab-myst, anywidget and jupyterlab_widgets)
serves a copy of the neuron chapter on 127.0.0.1 (``_lab.running_lab``), and chromium opens it:

* every ``{exercise}`` is a titled, numbered box, its math typeset (KaTeX), not raw MyST;
* every solution is collapsed when the notebook opens, after "Restart Kernel and Run All",
  and after Shift+Enter on its cell, and opens when its summary is clicked;
* after Run All, every check shows its verdict, left-aligned, its text at a contrast of at
  least 4.5:1 in JupyterLab Light and JupyterLab Dark; the chapter's widget renders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from _browser import CONTRAST_JS, SHOTS
from _lab import Exercises, open_notebook, run_all, set_theme, solutions_on_screen, statements

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "neuron" / "neuron.ipynb"
EXERCISES = Exercises.of(CHAPTER)
LABELS = EXERCISES.labels
SOLUTION_LINES = EXERCISES.solution_lines


@pytest.fixture(scope="module")
def lab_notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(CHAPTER, folder / CHAPTER.name)
    return folder


def verdict_report(page) -> list[dict]:
    return page.evaluate(
        "() => {"
        + CONTRAST_JS
        + """
        return [...document.querySelectorAll('.nnlib-verdict')].map(v => {
          const texts = [v, ...v.querySelectorAll('strong, th, td, pre, code')];
          return {
            text: v.textContent.trim().slice(0, 120),
            aligned: [v, ...v.querySelectorAll('th, td')].map(e => getComputedStyle(e).textAlign),
            low: texts.filter(e => e.textContent.trim() && contrast(e) < 4.5)
                      .map(e => [e.textContent.trim().slice(0, 30), +contrast(e).toFixed(2)]),
          };
        }); }"""
    )


def test_a_chapter_in_jupyterlab(browser, lab_server):
    assert len(LABELS) >= 2 and len(SOLUTION_LINES) == len(LABELS)
    context, page = open_notebook(browser, lab_server, CHAPTER.name)
    try:
        # the statements: titled, numbered boxes with typeset math
        page.locator("aside.myst-exercise").first.wait_for()
        page.wait_for_function("n => document.querySelectorAll('aside.myst-exercise').length >= n", arg=len(LABELS))
        boxes = statements(page)
        assert [b["id"] for b in boxes] == LABELS
        for n, box in enumerate(boxes, start=1):
            assert box["title"].startswith(f"Exercise {n} ("), box
            assert not box["raw"], f"raw MyST or TeX in {box}"
        assert sum(b["math"] for b in boxes) >= 2, boxes

        # the solutions: folded on opening, after Run All, after Shift+Enter
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-MarkdownCell details > summary').length >= n", arg=len(LABELS)
        )
        assert not solutions_on_screen(page, SOLUTION_LINES)
        run_all(page, len(LABELS))
        assert page.locator(".jp-MarkdownCell details[open]").count() == 0
        assert not solutions_on_screen(page, SOLUTION_LINES), "a solution is on screen after Run All"
        assert len(statements(page)) == len(LABELS), "the exercise boxes are gone after Run All"

        first = page.locator(".jp-MarkdownCell", has=page.locator("details")).first
        first.click(position={"x": 5, "y": 5})  # select the cell (in command mode)
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(500)  # jupyterlab-myst renders after 100 ms
        assert not solutions_on_screen(page, SOLUTION_LINES), "Shift+Enter opened a solution"
        first.locator("summary").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-MarkdownCell details[open] code')].some(e => e.checkVisibility())"
        )
        assert solutions_on_screen(page, SOLUTION_LINES) == SOLUTION_LINES[:1], (
            "a click on its summary opens one solution"
        )

        # the verdicts: one per check, left-aligned, readable in light and dark
        for dark in (False, True):
            set_theme(page, dark)
            page.wait_for_timeout(300)
            report = verdict_report(page)
            assert len(report) == len(LABELS), report
            for v in report:
                assert v["text"].split(":")[0] and "not attempted yet" in v["text"], v
                assert set(v["aligned"]) <= {"left", "start"}, v
                assert not v["low"], f"{'dark' if dark else 'light'}: {v}"
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.locator(".nnlib-verdict").first.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / f"lab-exercises-{'dark' if dark else 'light'}.png"))

        # the chapter's widget (anywidget, jupyterlab_widgets) renders beside jupyterlab-myst
        widget = page.locator(".jp-OutputArea-output canvas").first
        widget.scroll_into_view_if_needed()
        widget.wait_for(state="visible")
    finally:
        context.close()
