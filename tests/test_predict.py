"""The ``{predict}`` directive (book/_ext/predict.py) and the questions of the chapters.

* The parser, on good and malformed questions written as in the chapters (MyST, parsed by
  myst-parser's docutils parser with the directive registered): the options, which ones are
  right, the feedback of each, the numbers of a number question; and a clear error for each
  kind of malformed question.
* A small Sphinx build with the extension: the HTML form (radio group with a legend, labelled
  number field, Check button, aria-live region, feedback hidden), numbering, and a malformed
  question failing the build.
* Every chapter asks at least two questions, every question parses, labels are unique.

The questions at work in a browser are tested in ``tests/browser/test_predict_site.py``.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from myst_parser.parsers.docutils_ import Parser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import predict  # noqa: E402  (book/_ext is not a package)

CHAPTERS = ["neuron", "activations", "losses", "forward", "backprop", "autograd", "training", "playground", "capstone"]
_PREDICT_BLOCK = re.compile(r"^(`{3,}|:{3,})\{predict\}", re.MULTILINE)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)

CHOICE = """
```{predict} What happens to the line when you increase $b$?
:label: predict-test-bias

1. It rotates.

   Not quite: the direction depends only on $w$.
2. It moves parallel to itself, along $w$ {correct}

   Yes: $b$ slides it.

   A second paragraph of feedback.
3. Nothing.

   It must move.
```
"""

NUMBER = """
```{predict} What does the neuron output for $x = (1, 1)$?
:label: predict-test-number
:answer: 0.73
:tolerance: 0.01

Because $\\sigma(1) \\approx 0.731$.
```
"""


def parse(source: str) -> nodes.document:
    """``source`` (MyST) parsed by docutils with the directive, which is registered only meanwhile
    (Sphinx, in the build tests below, registers it itself)."""
    directives.register_directive("predict", predict.PredictDirective)
    try:
        return publish_doctree(
            source,
            parser=Parser(),
            settings_overrides={
                "myst_enable_extensions": ["dollarmath"],
                "report_level": 5,  # keep the expected errors off stderr
                "halt_level": 5,
            },
        )
    finally:
        directives._directives.pop("predict", None)


def errors(doc: nodes.document) -> list[str]:
    """The messages of the errors in ``doc`` (without the source excerpt docutils appends)."""
    return [m.children[0].astext() for m in doc.findall(nodes.system_message) if m["level"] >= 3]


def test_a_choice_question_is_split_into_options_and_their_feedback() -> None:
    doc = parse(CHOICE)
    assert errors(doc) == []
    (question,) = doc.findall(predict.predict_node)
    assert question["kind"] == "choice"
    assert question["ids"] == ["predict-test-bias"]
    title = question.next_node(predict.predict_question)
    assert title.astext() == "What happens to the line when you increase b?"
    assert len(list(title.findall(nodes.math))) == 1
    options = list(question.findall(predict.predict_option))
    assert [o["index"] for o in options] == [1, 2, 3]
    assert [o["correct"] for o in options] == [False, True, False]
    texts = [o.next_node(predict.predict_option_text).astext() for o in options]
    assert texts == ["It rotates.", "It moves parallel to itself, along w", "Nothing."]
    feedback = [o.next_node(predict.predict_feedback) for o in options]
    assert [len(f.children) for f in feedback] == [1, 2, 1]
    assert feedback[1].astext() == "Yes: b slides it.\n\nA second paragraph of feedback."


def test_several_options_may_be_right() -> None:
    source = CHOICE.replace("1. It rotates.", "1. It rotates. {correct}")
    options = list(parse(source).findall(predict.predict_option))
    assert [o["correct"] for o in options] == [True, True, False]


def test_correct_after_math_leaves_the_math() -> None:
    source = CHOICE.replace("along $w$ {correct}", "along $w${correct}")
    doc = parse(source)
    assert errors(doc) == []
    option = list(doc.findall(predict.predict_option))[1]
    text = option.next_node(predict.predict_option_text)
    assert isinstance(text.children[-1], nodes.math)
    assert "{correct}" not in text.astext()


def test_a_number_question_keeps_its_answer_tolerance_and_explanation() -> None:
    doc = parse(NUMBER)
    assert errors(doc) == []
    (question,) = doc.findall(predict.predict_node)
    assert question["kind"] == "number"
    assert question["answer"] == 0.73
    assert question["tolerance"] == 0.01
    assert question.next_node(predict.predict_feedback).astext() == "Because \\sigma(1) \\approx 0.731."
    assert not list(question.findall(predict.predict_option))


def test_the_tolerance_defaults_to_zero() -> None:
    (question,) = parse(NUMBER.replace(":tolerance: 0.01\n", "")).findall(predict.predict_node)
    assert question["tolerance"] == 0.0


MALFORMED = {
    "no correct option": (CHOICE.replace(" {correct}", ""), "no option is marked as correct"),
    "no list": (
        "```{predict} Why?\n:label: predict-x\n\nJust a paragraph.\n```\n",
        "the body must be a numbered list of options",
    ),
    "a bullet list": (
        "```{predict} Why?\n\n- a {correct}\n\n  yes\n- b\n\n  no\n```\n",
        "the body must be a numbered list of options",
    ),
    "text outside the list": (CHOICE.replace(":label: predict-test-bias\n", ":label: p\n\nIntro.\n"), "nothing else"),
    "an option without feedback": (CHOICE.replace("\n   It must move.\n", ""), "option 3 ('Nothing.') has no feedback"),
    "one option only": (
        "```{predict} Why?\n\n1. a {correct}\n\n   yes\n```\n",
        "at least 2 options",
    ),
    "correct in the middle": (
        CHOICE.replace("2. It moves parallel", "2. It {correct} moves parallel").replace(" {correct}\n", "\n"),
        "option 2: {correct} must end the option's first paragraph",
    ),
    "a bad answer": (NUMBER.replace(":answer: 0.73", ":answer: about 0.7"), ":answer: must be a number"),
    "an empty answer": (NUMBER.replace(":answer: 0.73", ":answer:"), ":answer: needs a number"),
    "an infinite answer": (NUMBER.replace(":answer: 0.73", ":answer: inf"), "finite"),
    "a negative tolerance": (NUMBER.replace(":tolerance: 0.01", ":tolerance: -0.1"), "at least 0"),
    "a tolerance without an answer": (
        CHOICE.replace(":label: predict-test-bias", ":label: x\n:tolerance: 0.1"),
        ":tolerance: without :answer:",
    ),
    "a number question without explanation": (
        "```{predict} How many?\n:answer: 3\n```\n",
        "needs an explanation",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_question_is_refused_with_a_clear_error(case: str) -> None:
    source, expected = MALFORMED[case]
    doc = parse(source)
    found = errors(doc)
    assert len(found) == 1, found
    assert expected in found[0], found[0]
    assert found[0].startswith("predict"), found[0]
    assert not list(doc.findall(predict.predict_node))


def test_parse_number_reads_numbers_only() -> None:
    assert predict.parse_number(" 23860 ", "answer") == 23860
    assert predict.parse_number("-1e-3", "answer") == -0.001
    for bad in ["", "0,73", "nan", "1/2"]:
        with pytest.raises(predict.PredictError):
            predict.parse_number(bad, "answer")


# --- a Sphinx build with the extension ------------------------------------------------


def sphinx_build(tmp_path: Path, text: str, builder: str = "html") -> tuple[str, str]:
    from sphinx.application import Sphinx

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['myst_parser', 'predict']\n"
        "myst_enable_extensions = ['dollarmath']\n"
        "numfig = True\n"
        f"import sys; sys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n",
        encoding="utf-8",
    )
    (src / "index.md").write_text("# Chapter\n\n```{toctree}\n:numbered:\n\npage\n```\n", encoding="utf-8")
    (src / "page.md").write_text(text, encoding="utf-8")
    warnings = io.StringIO()
    app = Sphinx(
        str(src), str(src), str(tmp_path / "out"), str(tmp_path / "doctrees"), builder, status=None, warning=warnings
    )
    app.build()
    page = "page.html" if builder == "html" else "index.html"
    # a second Sphinx application in the same process re-registers Sphinx's own nodes: not ours to judge
    ours = [line for line in warnings.getvalue().splitlines() if "is already registered" not in line]
    return (tmp_path / "out" / page).read_text(encoding="utf-8"), "\n".join(ours)


def test_the_website_gets_an_accessible_form_with_hidden_feedback(tmp_path: Path) -> None:
    page, warnings = sphinx_build(
        tmp_path, "# Page\n\n" + CHOICE + "\n" + NUMBER + "\nSee {numref}`predict-test-number`.\n"
    )
    assert warnings == ""
    box = page[page.index('id="predict-test-bias"') : page.index('id="predict-test-number"')]
    assert '<fieldset class="predict-fieldset"><legend class="predict-legend">' in box
    assert '<span class="predict-number">Predict 1.1</span>' in box
    radios = re.findall(r'<input type="radio" name="predict-test-bias" id="(predict-test-bias-\d)"', box)
    assert radios == ["predict-test-bias-1", "predict-test-bias-2", "predict-test-bias-3"]
    for radio in radios:
        assert f'<label for="{radio}">' in box
    assert "{correct}" not in page
    assert '<button type="submit" class="predict-check">Check</button>' in box
    assert 'role="status" aria-live="polite"' in box
    # the feedback is in the page, but only inside the hidden box, after the controls
    hidden = box.index('<div class="predict-answers" hidden>')
    for feedback in ["Not quite: the direction", "A second paragraph of feedback.", "It must move."]:
        assert box.index(feedback) > hidden
    assert 'data-option="2" data-correct="true"' in box
    number = page[page.index('id="predict-test-number"') :]
    assert 'data-kind="number"' in page and 'data-answer="0.73"' in page and 'data-tolerance="0.01"' in page
    assert '<span class="predict-number">Predict 1.2</span>' in number
    assert re.search(r'<label class="predict-input-label" for="predict-test-number-input">', number)
    assert 'id="predict-test-number-input" type="text" inputmode="decimal"' in number
    assert number.index("Because") > number.index('<div class="predict-answers" hidden>')
    assert ">Predict 1.2</span>" in page[page.index("See ") :]  # {numref} resolves


def test_the_single_page_build_numbers_the_questions_too(tmp_path: Path) -> None:
    """The book's PDF prints the single-page build (singlehtml), whose figure numbers are per document."""
    page, warnings = sphinx_build(tmp_path, "# Page\n\n" + CHOICE + "\n" + NUMBER, builder="singlehtml")
    assert warnings == ""
    assert re.findall(r'<span class="predict-number">([^<]*)</span>', page) == ["Predict 1.1", "Predict 1.2"]
    assert 'data-option="explanation" data-answer="0.73"' in page


def test_a_malformed_question_fails_the_build(tmp_path: Path) -> None:
    _, warnings = sphinx_build(tmp_path, "# Page\n\n" + CHOICE.replace(" {correct}", ""))
    assert "ERROR" in warnings
    assert "predict predict-test-bias" in warnings and "no option is marked as correct" in warnings


# --- the questions of the chapters ---------------------------------------------------


def questions(chapter: str) -> list[str]:
    """The markdown of every ``{predict}`` block of a chapter notebook."""
    nb = json.loads((ROOT / "book" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found += [source] * len(_PREDICT_BLOCK.findall(source))
        else:
            assert "{predict}" not in source, f"{chapter}: a question in a code cell"
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_asks_at_least_two_questions_and_each_parses(chapter: str) -> None:
    cells = list(dict.fromkeys(questions(chapter)))
    assert len(questions(chapter)) >= 2, f"{chapter} has {len(questions(chapter))} predict question(s), expected >= 2"
    for cell in cells:
        doc = parse(cell)
        assert errors(doc) == [], f"{chapter}: {errors(doc)}"
        parsed = list(doc.findall(predict.predict_node))
        # a title with `code` ends a ``` fence's info string (CommonMark): the block is then no directive
        assert len(parsed) == len(_PREDICT_BLOCK.findall(cell)), f"{chapter}: a question did not parse: {cell[:120]!r}"
        for question in parsed:
            assert question["ids"][0].startswith("predict-"), f"{chapter}: give every question a :label: predict-..."


def test_question_labels_are_unique_across_the_book() -> None:
    labels = [label for chapter in CHAPTERS for cell in set(questions(chapter)) for label in _LABEL.findall(cell)]
    predict_labels = [label for label in labels if label.startswith("predict-")]
    assert len(predict_labels) == len(set(predict_labels)), sorted(predict_labels)


def test_the_playground_experiments_ask_before_they_answer() -> None:
    """In "Experiments to try", every experiment (### subsection) asks before its first run."""
    nb = json.loads((ROOT / "book" / "playground" / "playground.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    start = next(i for i, c in enumerate(cells) if "## Experiments to try" in "".join(c["source"]))
    end = next(i for i, c in enumerate(cells) if "## Loading a TensorFlow Playground URL" in "".join(c["source"]))
    runs = 0
    asked = False
    for cell in cells[start:end]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if re.search(r"^### ", source, re.MULTILINE):
                asked = False  # a new experiment
            asked = asked or bool(_PREDICT_BLOCK.search(source))
        elif "run_experiment(" in source or "Trainer(" in source:
            runs += 1
            assert asked, f"an experiment runs before its question: {source[:80]!r}"
    assert runs >= 4
