"""Predict-then-reveal questions (book/_ext/predict.py) and the questions of the chapters.

* The parser, on good and malformed questions written as in the chapters (MyST, parsed by
  myst-parser's docutils parser with the extension's directives registered): the options in
  sight, and from the ``<details>`` that folds the answer which ones are right, the feedback
  of each, the numbers of a number question; a clear error, naming the question, for each kind
  of malformed question (the earlier ``{predict}`` format included); other admonitions as before.
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

CHAPTERS = [
    "neuron",
    "activations",
    "losses",
    "forward",
    "backprop",
    "autograd",
    "training",
    "optimizers",
    "debugging",
    "playground",
    "capstone",
]
# a question: an admonition whose :class: line (among the option lines after its title) says predict
_PREDICT_BLOCK = re.compile(r"^(:{3,})\{admonition\}[^\n]*\n(?::\w+:[^\n]*\n)*?:class:[^\n]*\bpredict\b", re.MULTILINE)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.MULTILINE)

CHOICE = """
:::{admonition} What happens to the line when you increase $b$?
:class: predict
:label: predict-test-bias

1. It rotates.
2. It moves parallel to itself, along $w$
3. Nothing.

<details>
<summary>Check your prediction (click to show)</summary>

**Answer: 2**

1. Not quite: the direction depends only on $w$.
2. Yes: $b$ slides it.

   A second paragraph of feedback.
3. It must move.

</details>
:::
"""

NUMBER = """
:::{admonition} What does the neuron output for $x = (1, 1)$?
:class: predict
:label: predict-test-number

<details>
<summary>Check your prediction (click to show)</summary>

**Answer: 0.73 ± 0.01**

Because $\\sigma(1) \\approx 0.731$.

</details>
:::
"""

OLD = """
```{predict} What happens to the line when you increase $b$?
:label: predict-test-old

1. It rotates.

   Not quite.
2. It moves parallel to itself. {correct}

   Yes.
```
"""


def parse(source: str) -> nodes.document:
    """``source`` (MyST) parsed by docutils with the extension's directives, which are registered
    only meanwhile (Sphinx, in the build tests below, registers them itself)."""
    saved = directives._directives.copy()
    directives.register_directive("admonition", predict.PredictAdmonition)
    directives.register_directive("predict", predict.OldPredictDirective)
    try:
        return publish_doctree(
            source,
            parser=Parser(),
            settings_overrides={
                "myst_enable_extensions": ["dollarmath", "colon_fence"],
                "report_level": 5,  # keep the expected errors off stderr
                "halt_level": 5,
            },
        )
    finally:
        directives._directives.clear()
        directives._directives.update(saved)


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
    source = CHOICE.replace("**Answer: 2**", "**Answers: 1 and 2**")
    options = list(parse(source).findall(predict.predict_option))
    assert [o["correct"] for o in options] == [True, True, False]


def test_the_answer_line_may_end_with_a_full_stop_and_list_with_commas() -> None:
    for line in ["**Answer: 2.**", "Answer: 2", "**Answers: 1, 2**", "**Answers: 1, 2 and 3.**"]:
        doc = parse(CHOICE.replace("**Answer: 2**", line))
        assert errors(doc) == [], (line, errors(doc))
        right = [o["index"] for o in doc.findall(predict.predict_option) if o["correct"]]
        assert right == [int(n) for n in re.findall(r"\d", line)], line


def test_the_options_in_sight_are_only_the_options() -> None:
    """What the reader sees before opening <details>: the question and the options, nothing of the answer."""
    (question,) = parse(CHOICE).findall(predict.predict_node)
    shown = [question.next_node(predict.predict_question).astext()] + [
        o.next_node(predict.predict_option_text).astext() for o in question.findall(predict.predict_option)
    ]
    assert not any("Yes" in s or "Not quite" in s or "Answer" in s for s in shown), shown


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
    (question,) = parse(NUMBER.replace(" ± 0.01", "")).findall(predict.predict_node)
    assert question["tolerance"] == 0.0
    (question,) = parse(NUMBER.replace("0.73 ± 0.01", "\u22122.5")).findall(predict.predict_node)
    assert question["answer"] == -2.5  # a typographic minus, as a reader might copy it


def test_a_question_may_come_after_text_and_keep_its_other_classes() -> None:
    doc = parse("Some text before.\n" + CHOICE.replace(":class: predict", ":class: predict wide"))
    assert errors(doc) == []
    (question,) = doc.findall(predict.predict_node)
    assert question["classes"] == ["predict", "wide"]


def test_other_admonitions_are_left_as_they_were() -> None:
    doc = parse(":::{admonition} A note\n:class: tip\n\nSome text.\n:::\n")
    assert errors(doc) == []
    (admonition,) = doc.findall(nodes.admonition)
    assert admonition["classes"] == ["tip"] and admonition[0].astext() == "A note"
    assert not list(doc.findall(predict.predict_node))
    doc = parse(":::{admonition} A note\n:label: note-1\n\nSome text.\n:::\n")
    assert any('unknown option "label"' in e for e in errors(doc)), errors(doc)


def _feedback_outside(source: str) -> str:
    """The choice question with option 3's feedback put under the option, in sight."""
    return source.replace("3. Nothing.\n", "3. Nothing.\n\n   It must move.\n")


MALFORMED = {
    # where the answer is
    "no details": (
        ":::{admonition} Why?\n:class: predict\n:label: predict-x\n\n1. a\n2. b\n\n**Answer: 2**\n:::\n",
        "the answer must be folded in <details>",
    ),
    "an open details": (CHOICE.replace("<details>", "<details open>"), "not <details open>"),
    "no blank line after the summary": (
        CHOICE.replace("</summary>\n\n", "</summary>\n"),
        "followed by a blank line",
    ),
    "an empty summary": (CHOICE.replace(">Check your prediction (click to show)<", "><"), "the <summary> is empty"),
    "details not closed": (CHOICE.replace("</details>\n", ""), "<details> is not closed"),
    "text after details": (CHOICE.replace("</details>\n", "</details>\n\nMore.\n"), "nothing may follow </details>"),
    "two details": (
        CHOICE.replace("</details>\n", "</details>\n\n<details>\n<summary>More</summary>\n\nx\n\n</details>\n"),
        "found 2 <details>",
    ),
    # the options in sight
    "feedback next to an option": (_feedback_outside(CHOICE), "option 3 must be one paragraph"),
    "a bullet list": (
        CHOICE.replace("1. It rotates.\n2. It moves parallel to itself, along $w$\n3. Nothing.", "- a\n- b\n- c"),
        "one numbered list of options",
    ),
    "text before the options": (
        CHOICE.replace(":label: predict-test-bias\n", ":label: predict-test-bias\n\nIntro.\n"),
        "nothing else",
    ),
    "one option only": (
        CHOICE.replace("2. It moves parallel to itself, along $w$\n3. Nothing.\n", ""),
        "at least 2 options",
    ),
    "the old {correct} marker": (CHOICE.replace("along $w$\n", "along $w$ {correct}\n"), "ends with {correct}"),
    # the answer line
    "no answer line": (CHOICE.replace("**Answer: 2**\n\n", ""), "<details> must start with the answer"),
    "an answer that is no option": (CHOICE.replace("Answer: 2", "Answer: the second"), "by number"),
    "an option that does not exist": (
        CHOICE.replace("Answer: 2", "Answer: 4"),
        "names option 4, but there are options 1 to 3",
    ),
    "an option named twice": (CHOICE.replace("Answer: 2", "Answers: 2 and 2"), "names an option twice"),
    # the feedback
    "feedback for too few options": (
        CHOICE.replace("3. It must move.\n", ""),
        "the feedback list has 2 items for 3 options",
    ),
    "feedback that is no list": (
        CHOICE.replace("1. Not quite: the direction", "Not quite: the direction"),
        "one numbered list of feedback",
    ),
    # number questions
    "a bad answer": (NUMBER.replace("0.73 ± 0.01", "about 0.7"), "the answer must be a number"),
    "an empty answer": (NUMBER.replace("Answer: 0.73 ± 0.01", "Answer:"), "the answer needs a number"),
    "an infinite answer": (NUMBER.replace("0.73", "inf"), "finite"),
    "a bad tolerance": (NUMBER.replace("± 0.01", "± a bit"), "the tolerance (after ±) must be a number"),
    "a negative tolerance": (NUMBER.replace("± 0.01", "± -0.1"), "at least 0"),
    "a number question without explanation": (
        NUMBER.replace("Because $\\sigma(1) \\approx 0.731$.\n\n", ""),
        "needs an explanation",
    ),
    # the earlier format
    "an :answer: option": (
        NUMBER.replace(":label: predict-test-number", ":label: predict-test-number\n:answer: 0.73"),
        ":answer: is not an option",
    ),
    "the {predict} directive": (OLD, "the {predict} directive is gone"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_question_is_refused_with_a_clear_error(case: str) -> None:
    source, expected = MALFORMED[case]
    doc = parse(source)
    found = errors(doc)
    assert len(found) == 1, found
    assert expected in found[0], found[0]
    assert found[0].startswith("predict predict-"), found[0]  # it names the question (its label) ...
    assert "?" in found[0].split(":")[0], found[0]  # ... and quotes it
    assert not list(doc.findall(predict.predict_node))


def test_the_old_format_error_says_how_to_write_it() -> None:
    (message,) = errors(parse(OLD))
    assert "predict predict-test-old" in message
    assert ":::{admonition}" in message and ":class: predict" in message and "<details>" in message


def test_parse_number_reads_numbers_only() -> None:
    assert predict.parse_number(" 23860 ", "answer") == 23860
    assert predict.parse_number("-1e-3", "answer") == -0.001
    assert predict.parse_number("\u22121e-3", "answer") == -0.001
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
        "myst_enable_extensions = ['dollarmath', 'colon_fence']\n"
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
    _, warnings = sphinx_build(tmp_path, "# Page\n\n" + CHOICE.replace("Answer: 2", "Answer: 4"))
    assert "ERROR" in warnings
    assert "predict predict-test-bias" in warnings and "names option 4" in warnings


def test_the_old_format_fails_the_build(tmp_path: Path) -> None:
    _, warnings = sphinx_build(tmp_path, "# Page\n\n" + OLD)
    assert "ERROR" in warnings and "the {predict} directive is gone" in warnings


def test_other_admonitions_build_as_before(tmp_path: Path) -> None:
    page, warnings = sphinx_build(tmp_path, "# Page\n\n:::{admonition} A note\n:class: tip\n\nSome text.\n:::\n")
    assert warnings == ""
    assert '<div class="tip admonition">' in page and '<p class="admonition-title">A note</p>' in page


# --- the questions of the chapters ---------------------------------------------------


def questions(chapter: str) -> list[str]:
    """The markdown of every predict question of a chapter notebook (one entry per question)."""
    nb = json.loads((ROOT / "book" / chapter / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            found += [source] * len(_PREDICT_BLOCK.findall(source))
        else:
            assert not _PREDICT_BLOCK.search(source), f"{chapter}: a question in a code cell"
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_asks_at_least_two_questions_and_each_parses(chapter: str) -> None:
    cells = list(dict.fromkeys(questions(chapter)))
    assert len(questions(chapter)) >= 2, f"{chapter} has {len(questions(chapter))} predict question(s), expected >= 2"
    for cell in cells:
        doc = parse(cell)
        assert errors(doc) == [], f"{chapter}: {errors(doc)}"
        parsed = list(doc.findall(predict.predict_node))
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
