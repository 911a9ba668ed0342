"""A chapter's exercises as a learner meets them in a real JupyterLab (``make lab``'s set-up).

JupyterLab from this environment (with jupyterlab-myst, anywidget and jupyterlab_widgets)
serves a copy of the neuron chapter on 127.0.0.1 (``_lab.run_lab``), and chromium opens it:

* every ``{exercise}`` is a titled, numbered box, its math typeset (KaTeX), not raw MyST;
* every solution is collapsed when the notebook opens, after "Restart Kernel and Run All",
  and after Shift+Enter on its cell, and opens when its summary is clicked;
* after Run All, every check shows its verdict, left-aligned, its text at a contrast of at
  least 4.5:1 in JupyterLab Light and JupyterLab Dark; the chapter's widget renders.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from _browser import CONTRAST_JS, SHOTS
from _lab import open_notebook, set_theme

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "neuron" / "neuron.ipynb"
RUN_ALL_TIMEOUT_MS = 120_000

_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)
_CODE = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _cells(kind: str) -> list[dict]:
    """The chapter's exercise cells: ``task`` (the statements) or ``solution``."""
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    if kind == "solution":
        return [c for c in cells if c["metadata"].get("nnlib", {}).get("solves")]
    return [c for c in cells if c["cell_type"] == "markdown" and "{exercise}" in "".join(c["source"])]


LABELS = [_LABEL.search("".join(c["source"])).group(1) for c in _cells("task")]
# a line of each solution's code, which must not be on screen until its solution is opened
SOLUTION_LINES = [
    _CODE.search("".join(c["source"])).group(1).strip().splitlines()[-1].strip() for c in _cells("solution")
]


@pytest.fixture(scope="module")
def lab_notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lab")
    shutil.copy(CHAPTER, folder / CHAPTER.name)
    return folder


def statements(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-MarkdownCell aside.myst-exercise')].map(a => ({
             id: a.id, title: a.querySelector('.myst-exercise-title')?.textContent.trim() || '',
             math: a.querySelectorAll('.katex').length,
             raw: /:label:|\\{exercise\\}|\\$/.test(a.textContent.replace(/\\$\\$/g, '')) &&
                  !a.querySelector('.katex') }))"""
    )


def solutions_on_screen(page) -> list[str]:
    """The solution lines that a learner can see right now (in rendered cells, not editors)."""
    return page.evaluate(
        """lines => lines.filter(line => [...document.querySelectorAll('.jp-MarkdownCell code')].some(
             e => !e.closest('.cm-editor') && e.textContent.includes(line) && e.checkVisibility()))""",
        SOLUTION_LINES,
    )


def run_all(page) -> None:
    """Kernel > Restart Kernel and Run All Cells..., confirmed, until every cell has run."""
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:restart-run-all'); }")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.wait_for_function(
        """n => document.querySelectorAll('.nnlib-verdict').length >= n &&
               /\\| Idle/.test(document.querySelector('#jp-main-statusbar')?.textContent || '') &&
               ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))""",
        arg=len(LABELS),
        timeout=RUN_ALL_TIMEOUT_MS,
    )


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
        assert not solutions_on_screen(page)
        run_all(page)
        assert page.locator(".jp-MarkdownCell details[open]").count() == 0
        assert not solutions_on_screen(page), "a solution is on screen after Run All"
        assert len(statements(page)) == len(LABELS), "the exercise boxes are gone after Run All"

        first = page.locator(".jp-MarkdownCell", has=page.locator("details")).first
        first.click(position={"x": 5, "y": 5})  # select the cell (in command mode)
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(500)  # jupyterlab-myst renders after 100 ms
        assert not solutions_on_screen(page), "Shift+Enter opened a solution"
        first.locator("summary").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-MarkdownCell details[open] code')].some(e => e.checkVisibility())"
        )
        assert solutions_on_screen(page) == SOLUTION_LINES[:1], "a click on its summary opens one solution"

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
