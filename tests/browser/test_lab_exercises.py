"""A chapter's exercises as a learner meets them in a real JupyterLab (``make lab``'s set-up).

JupyterLab from this environment (with jupyterlab-myst, anywidget and jupyterlab_widgets)
serves a copy of the neuron chapter on 127.0.0.1 (``_lab.running_lab``), and chromium opens it:

* every ``{exercise}`` is a titled, numbered box, its math typeset (KaTeX), not raw MyST;
* every solution is collapsed when the notebook opens, after "Restart Kernel and Run All",
  and after Shift+Enter on its cell, and opens when its summary is clicked;
* after Run All, every check shows its verdict, left-aligned, its text at a contrast of at
  least 4.5:1 in JupyterLab Light and JupyterLab Dark; the chapter's widget renders;
* every predict-then-reveal question (an admonition of class ``predict``) is a box with the
  question as its title and the options as a list, with no raw MyST and no "Unknown Directive"
  box; its answer (the right option and the feedback, or the number and the explanation) is
  not on screen until its ``<details>`` summary is clicked, also after Shift+Enter on its cell,
  and is on screen after the click.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from _browser import CONTRAST_JS, SHOTS
from _lab import Exercises, check_statements, open_notebook, run_all, set_theme, solutions_on_screen, statements

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = ROOT / "book" / "neuron" / "neuron.ipynb"
EXERCISES = Exercises.of(CHAPTER)
LABELS = EXERCISES.labels
SOLUTION_LINES = EXERCISES.solution_lines
_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)
_PREDICT = re.compile(
    r"^:{3,}\{admonition\}(?P<title>[^\n]*)\n(?P<head>(?::\w+:[^\n]*\n)+)(?P<body>.*?)^:{3,}$", re.M | re.S
)


def _plain_words(markdown: str) -> str:
    """The longest stretch of ``markdown`` without math, markup or quotes (which jupyterlab-myst curls):
    text that any renderer shows as it is."""
    chunks = re.split(r"\$[^$]*\$|[*`_'\"]", markdown)
    return max((" ".join(c.split()) for c in chunks), key=len).strip(" .,:;")


def _questions() -> list[dict]:
    """The chapter's predict questions: a piece of the title, the number of options, and what of
    the answer must stay folded (its "Answer: ..." line and a piece of the first feedback or explanation)."""
    found = []
    for cell in json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]:
        for m in _PREDICT.finditer("".join(cell["source"])):
            if not re.search(r"^:class:.*\bpredict\b", m["head"], re.M):
                continue
            shown, folded = m["body"].split("<details>", 1)
            answer, feedback = folded.split("</summary>", 1)[1].strip().split("\n\n", 1)
            first = re.split(r"\n\n|\n\d+\. ", re.sub(r"^\d+\.\s+", "", feedback.strip()))[0]
            found.append(
                {
                    "label": _LABEL.search(m["head"]).group(1),
                    "title": _plain_words(m["title"]),
                    "options": len(re.findall(r"^\d+\. ", shown, re.M)),
                    "answer": answer.strip("* \n"),
                    "feedback": _plain_words(first),
                }
            )
    return found


QUESTIONS = _questions()


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
        check_statements(page, LABELS)

        # the solutions: folded on opening, after Run All, after Shift+Enter
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


# where each question's phrases are, and whether they are on screen (rendered cells, not editors)
# JavaScript: each question's box (found by its title, so that a box drawn anew is found again),
# and what of it is on screen (rendered cells, not editors)
_PREDICT_JS = """
  const squeeze = text => text.replace(/\\s+/g, ' ');
  const header = box => squeeze(box.querySelector('.myst-admonition-header')?.textContent || '');
  const boxOf = q => [...document.querySelectorAll('.jp-MarkdownCell aside.predict')]
                       .find(box => header(box).includes(q.title));
  const onScreen = (box, phrase) => {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (squeeze(n.textContent).includes(phrase) && n.parentElement.checkVisibility()) return true;
    }
    return false;
  };
  const describe = q => {
    const box = boxOf(q);
    if (!box) return {found: false};
    const items = [...box.querySelectorAll(':scope > .myst-admonition-body > ol > li')];
    return {
      found: true,
      options: items.filter(li => li.checkVisibility()).length,
      raw: /:::|\\{admonition\\}|:class:|:label:|\\{correct\\}/.test(box.textContent),
      summary: [...box.querySelectorAll('details > summary')].filter(s => s.checkVisibility())
                 .map(s => s.textContent.trim()),
      answer: onScreen(box, q.answer),
      feedback: onScreen(box, q.feedback),
    };
  };
"""


def predict_report(page) -> list[dict]:
    """For each question (in QUESTIONS' order): is its box there, how many options are on screen,
    is there raw MyST, its summaries on screen, and are its answer and feedback on screen."""
    return page.evaluate(f"questions => {{ {_PREDICT_JS} return questions.map(describe); }}", QUESTIONS)


def wait_until_drawn(page, quiet_ms: int = 1000, timeout_ms: int = 20_000) -> None:
    """Wait until jupyterlab-myst has stopped drawing the questions anew (after Shift+Enter it draws
    the notebook's cells again, a little later; a new drawing closes an open ``<details>``)."""
    same = """() => { const now = [...document.querySelectorAll('.jp-MarkdownCell aside.predict')];
                    const was = window.__predictBoxes || [];
                    window.__predictBoxes = now;
                    return now.length === was.length && now.every((box, i) => box === was[i]); }"""
    page.evaluate(same)
    for _ in range(timeout_ms // quiet_ms):
        page.wait_for_timeout(quiet_ms)
        if page.evaluate(same):
            return
    raise AssertionError(f"jupyterlab-myst kept drawing the questions anew for {timeout_ms} ms")


def question_cell(page, n: int):
    """The markdown cell of question ``n``."""
    return page.locator(".jp-MarkdownCell", has=page.locator("aside.predict", has_text=QUESTIONS[n]["title"]))


def scroll_to_question(page, n: int) -> None:
    """Scroll question ``n`` into the middle of the window."""
    page.evaluate(
        f"q => {{ {_PREDICT_JS} boxOf(q).scrollIntoView({{block: 'center'}}); }}",
        QUESTIONS[n],
    )


def shoot_questions(page) -> None:
    """A screenshot of each question's cell, folded: lab-predict-<label>-folded.png in SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for n, question in enumerate(QUESTIONS):
        scroll_to_question(page, n)
        question_cell(page, n).screenshot(path=str(SHOTS / f"lab-predict-{question['label']}-folded.png"))


def open_answer(page, n: int, tries: int = 3) -> list[dict]:
    """Click question ``n``'s summary; once its ``<details>`` is open, the report of every question at
    that moment (``predict_report``). Fails if a click leaves it closed; clicks again only if
    jupyterlab-myst drew the question anew meanwhile (which closes it: on a busy machine that can
    come later than ``wait_until_drawn`` waits)."""
    for _ in range(tries):
        wait_until_drawn(page)
        scroll_to_question(page, n)
        # select the cell first (by its prompt area), as a reader would have it when opening its answer
        question_cell(page, n).locator(".jp-InputPrompt").click()
        page.wait_for_timeout(300)
        page.evaluate(f"q => {{ {_PREDICT_JS} boxOf(q).__clicked = true; }}", QUESTIONS[n])
        question_cell(page, n).locator("details > summary").click()
        state = page.wait_for_function(
            f"""([q, questions]) => {{ {_PREDICT_JS}
                  const box = boxOf(q);
                  if (!box || !box.__clicked) return 'drawn anew';
                  return box.querySelector('details[open]') ? questions.map(describe) : false; }}""",
            arg=[QUESTIONS[n], QUESTIONS],
            timeout=10_000,
        ).json_value()
        if state != "drawn anew":
            return state
    raise AssertionError(f"question {n} was drawn anew after each of {tries} clicks on its summary")


def test_predict_questions_in_jupyterlab(browser, lab_server):
    assert len(QUESTIONS) >= 2 and all(q["title"] and q["answer"] and q["feedback"] for q in QUESTIONS), QUESTIONS
    context, page = open_notebook(browser, lab_server, CHAPTER.name)
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-MarkdownCell aside.predict details > summary').length >= n",
            arg=len(QUESTIONS),
        )
        unknown = page.evaluate(
            "() => [...document.querySelectorAll('.jp-MarkdownCell')].filter(c => "
            "/Unknown Directive/.test(c.textContent)).length"
        )
        assert unknown == 0, "jupyterlab-myst shows an Unknown Directive box"

        # on opening: the question and the options, the answer folded
        assert page.locator(".jp-MarkdownCell aside.predict").count() == len(QUESTIONS)
        for question, box in zip(QUESTIONS, predict_report(page), strict=True):
            assert box["found"], f"{question['label']}: no box with the question as its title"
            assert box["options"] == question["options"], (question, box)
            assert not box["raw"], f"{question['label']}: raw MyST in the box"
            assert box["summary"] == ["Check your prediction (click to show)"], box
            assert not box["answer"] and not box["feedback"], f"{question['label']}: the answer is on screen: {box}"
        shoot_questions(page)

        # Shift+Enter renders the cell again: still folded
        # select the cell (command mode) by its prompt area: the bar at its left edge folds its input
        question_cell(page, len(QUESTIONS) - 1).locator(".jp-InputPrompt").click()
        page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(500)  # jupyterlab-myst renders after 100 ms
        wait_until_drawn(page)
        assert not any(b["answer"] or b["feedback"] for b in predict_report(page)), "Shift+Enter opened an answer"

        # a click on its summary shows its answer, and no other
        # (an answer opened before may have been closed since, if jupyterlab-myst drew the cells anew)
        for n in range(len(QUESTIONS)):
            report = open_answer(page, n)
            assert report[n]["answer"] and report[n]["feedback"], f"the click did not show the answer: {report[n]}"
            for later, box in zip(QUESTIONS[n + 1 :], report[n + 1 :], strict=True):
                assert not box["answer"] and not box["feedback"], f"{later['label']} opened too: {box}"
            shot = SHOTS / f"lab-predict-{QUESTIONS[n]['label']}-open.png"
            question_cell(page, n).screenshot(path=str(shot))
    finally:
        context.close()
