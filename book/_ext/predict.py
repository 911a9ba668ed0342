"""Sphinx extension: predict-then-reveal questions that work in the page, without a kernel.

A question asks the reader to commit to an answer before the chapter shows it. It is written
in a notebook's markdown cell as an admonition of class ``predict`` whose title is the
question. The body is the options (a numbered list; none for a question whose answer is a
number), then the answer inside ``<details>``::

    :::{admonition} What happens to the decision line when you increase $b$?
    :class: predict
    :label: predict-neuron-bias

    1. It rotates.
    2. It moves parallel to itself.

    <details>
    <summary>Check your prediction (click to show)</summary>

    **Answer: 2**

    1. Not quite: the direction of the line depends only on $w$.
    2. Yes: ...

    </details>
    :::

Inside ``<details>``, first a paragraph that names the right option(s), ``Answer: 2`` (or
``Answers: 1 and 3``, ``Answers: 1, 3``), then one numbered list with the feedback for each
option, item *k* for option *k*, in as many paragraphs as it needs. A question whose answer is
a number has no options, and ``<details>`` holds the number, with how far from it an answer
still counts as right (0 when left out), and then the explanation::

    :::{admonition} What does the neuron output for $x = (1, 3)$? Give three decimals.
    :class: predict
    :label: predict-neuron-batch

    <details>
    <summary>Check your prediction (click to show)</summary>

    **Answer: 0.119 ± 0.002**

    $z = -2$, so $a = 1 / (1 + e^2) \approx 0.119$ ...

    </details>
    :::

Why this shape: the same cell is read in four places, and only the website knows this
extension. Plain Markdown (Colab, Jupyter without jupyterlab-myst, GitHub) shows a colon fence
as text (a backtick fence would be a code block, showing everything) and keeps ``<details>``
folded until it is clicked, so the reader sees the question and the options but not the answer,
the feedback or the explanation. JupyterLab with jupyterlab-myst draws an unknown directive
(``{predict}``) as a red "Unknown Directive" box with the question left out and the source
inside, but knows the admonition: a titled box with the question (math typeset), the options,
and ``<details>`` folded. (jupyterlab-myst does not typeset math inside ``<details>``: it shows
the TeX without dollars, as in the exercises' solutions.) Keep the blank lines after
``</summary>`` and before ``</details>``: without the first, plain Markdown reads the answer as
HTML, unrendered (and this extension refuses it). The admonition's title may contain code
(a colon fence's title may hold backticks).
(``tests/test_predict.py`` checks that every question of the chapters parses, and
``tests/test_book_hygiene.py`` what plain Markdown shows of each.)

This extension replaces docutils' ``admonition`` directive with one that reads an admonition of
class ``predict`` as a question and leaves every other admonition as it was. A malformed question
(no ``<details>``, an option with feedback outside it, no ``Answer:`` line, a right option that
does not exist, feedback for too few options, a number that is not one) stops the build with an
error that names the question. The ``{predict}`` directive of the earlier format (options with
their feedback in sight, ``{correct}``, ``:answer:``) is an error that says how to write it now.

On the website the question is a form: a radio group with the question as its legend (or
a labelled number field), a Check button and an ``aria-live`` region where
``_static/course.js`` puts the feedback for the reader's answer. The feedback is in the
page, hidden, until then. Questions are numbered per chapter like the exercises
("Predict 1.2"; they are an enumerable node, so ``{numref}`` works on their labels).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.parsers.rst.directives.admonitions import Admonition
from sphinx.application import Sphinx
from sphinx.config import Config

CLASS = "predict"
FIGTYPE = "predict"
SUMMARY = "Check your prediction (click to show)"

HOW_TO = (
    "write a question as an admonition of class predict, its answer folded in <details>:\n\n"
    ":::{admonition} The question?\n:class: predict\n:label: predict-...\n\n1. An option.\n2. Another option.\n\n"
    f"<details>\n<summary>{SUMMARY}</summary>\n\n**Answer: 2**\n\n1. Feedback for option 1.\n"
    "2. Feedback for option 2.\n\n</details>\n:::\n\n"
    "(a number question has no options, and **Answer: 0.73 ± 0.01** then its explanation; see book/_ext/predict.py; "
    "tools/convert_predict.py rewrites questions of the earlier format)"
)

_OPEN = re.compile(r"\A\s*<details>\s*<summary>(?P<summary>.*?)</summary>\s*\Z", re.S)
_CLOSE = re.compile(r"\A\s*</details>\s*\Z")
_ANSWER = re.compile(r"\A\s*Answers?\s*:\s*(?P<value>.*?)\s*\Z", re.S)
_OPTION_NUMBERS = re.compile(r"\A\d+(?:\s*(?:,|and)\s*\d+)*\Z")


class PredictError(ValueError):
    """A malformed predict question; the message says what is wrong."""


# --- nodes -------------------------------------------------------------------------


class predict_node(nodes.General, nodes.Element):
    """One question: ``kind`` is "choice" or "number"; numbers have ``answer`` and ``tolerance``."""


class predict_question(nodes.TextElement):
    """The question (the admonition's title), inline markup."""


class predict_option(nodes.General, nodes.Element):
    """One option: ``index`` (1, 2, ...) and ``correct``; children: the text, then the feedback."""


class predict_option_text(nodes.TextElement):
    """The option as the reader sees it next to its radio button (inline markup)."""


class predict_feedback(nodes.General, nodes.Element):
    """Feedback for one option, or the explanation of a number question (body elements)."""


# --- parsing (pure functions on docutils nodes, unit-tested in tests/test_predict.py) ---


@dataclass
class Choice:
    """One parsed option: its inline nodes, whether it is right, and its feedback's nodes."""

    text: list[nodes.Node]
    correct: bool
    feedback: list[nodes.Node]


@dataclass
class Answer:
    """What ``<details>`` holds: the value after "Answer:" and the blocks after that paragraph."""

    value: str
    rest: list[nodes.Node]


def parse_number(value: str | None, what: str, *, minimum: float | None = None) -> float:
    """Read the number of an answer or a tolerance: a finite number (at least ``minimum``)."""
    if value is None or not value.strip():
        raise PredictError(f"the {what} needs a number, got nothing")
    text = value.strip().replace("\u2212", "-")
    try:
        number = float(text)
    except ValueError:
        raise PredictError(f"the {what} must be a number such as 0.73, got {value.strip()!r}") from None
    if not math.isfinite(number):
        raise PredictError(f"the {what} must be a finite number, got {value.strip()!r}")
    if minimum is not None and number < minimum:
        raise PredictError(f"the {what} must be at least {minimum:g}, got {value.strip()!r}")
    return number


def _is_raw_html(node: nodes.Node) -> bool:
    return isinstance(node, nodes.raw) and "html" in node.get("format", "").split()


def split_body(body: list[nodes.Node]) -> tuple[list[nodes.Node], Answer]:
    """Split a question's parsed body into what is in sight (the options, if any) and the answer
    folded in ``<details><summary>...</summary> ... </details>``, which must end the body."""
    content = [n for n in body if not isinstance(n, (nodes.comment, nodes.system_message))]
    opening = [i for i, n in enumerate(content) if _is_raw_html(n) and "<details" in n.astext()]
    if not opening:
        raise PredictError(
            "the answer must be folded in <details> after the options, so that Colab and JupyterLab "
            f"do not show it: <details>, <summary>{SUMMARY}</summary>, a blank line, the answer, "
            "a blank line, </details>"
        )
    if len(opening) > 1:
        raise PredictError(f"found {len(opening)} <details>: fold the whole answer in one")
    start = opening[0]
    match = _OPEN.match(content[start].astext())
    if not match:
        raise PredictError(
            "the answer must start with <details> and <summary>...</summary> (not <details open>), "
            f"alone in their lines and followed by a blank line, got {content[start].astext().strip()[:80]!r}"
        )
    if not match["summary"].strip():
        raise PredictError(f"the <summary> is empty: write <summary>{SUMMARY}</summary>")
    closing = [i for i, n in enumerate(content) if _is_raw_html(n) and _CLOSE.match(n.astext())]
    if not closing or closing[0] < start:
        raise PredictError("<details> is not closed: end the answer with a blank line and </details>")
    end = closing[0]
    if end != len(content) - 1:
        raise PredictError("nothing may follow </details> in a question: the answer ends it")
    before, inside = content[:start], content[start + 1 : end]
    stray = [n for n in before + inside if _is_raw_html(n)]
    if stray:
        raise PredictError(f"unexpected HTML in the question: {stray[0].astext().strip()[:80]!r}")
    if not inside or not isinstance(inside[0], nodes.paragraph) or not _ANSWER.match(inside[0].astext()):
        found = inside[0].astext().strip()[:80] if inside else "nothing"
        raise PredictError(
            "<details> must start with the answer, a paragraph such as **Answer: 2** (the right option) "
            f"or **Answer: 0.73 ± 0.01** (a number), got {found!r}"
        )
    return before, Answer(value=_ANSWER.match(inside[0].astext())["value"], rest=inside[1:])


def _enumerated(node: nodes.Node) -> bool:
    return isinstance(node, nodes.enumerated_list) and node.get("start", 1) == 1


def parse_choices(before: list[nodes.Node], answer: Answer) -> list[Choice]:
    """The options (one numbered list of one paragraph each, in sight) with which are right and
    their feedback (one numbered list in ``<details>``, item k for option k)."""
    if len(before) != 1 or not _enumerated(before[0]):
        raise PredictError(
            "before <details> there must be one numbered list of options (1. ..., 2. ...) and nothing else "
            "(or nothing at all, for a question whose answer is a number)"
        )
    options = []
    for number, item in enumerate(before[0].children, start=1):
        children = list(item.children)
        if len(children) != 1 or not isinstance(children[0], nodes.paragraph):
            raise PredictError(
                f"option {number} must be one paragraph: its feedback goes in <details>, as item {number} "
                "of the feedback list"
            )
        if "{correct}" in children[0].astext():
            raise PredictError(f"option {number} ends with {{correct}}: name the right option in <details> instead")
        options.append(children[0])
    if len(options) < 2:
        raise PredictError(f"a choice question needs at least 2 options, got {len(options)}")
    value = answer.value.rstrip(".").strip()
    if not _OPTION_NUMBERS.match(value):
        raise PredictError(
            f"the answer must name the right option(s) by number, such as Answer: 2 or Answers: 1 and 3, got {value!r}"
        )
    right = [int(n) for n in re.findall(r"\d+", value)]
    wrong = [n for n in right if not 1 <= n <= len(options)]
    if wrong:
        raise PredictError(f"the answer names option {wrong[0]}, but there are options 1 to {len(options)}")
    if len(set(right)) != len(right):
        raise PredictError(f"the answer names an option twice: {value!r}")
    if len(answer.rest) != 1 or not _enumerated(answer.rest[0]):
        raise PredictError(
            "after the answer, <details> must hold one numbered list of feedback, item k for option k, and nothing else"
        )
    feedback = [list(item.children) for item in answer.rest[0].children]
    if len(feedback) != len(options):
        raise PredictError(
            f"the feedback list has {len(feedback)} items for {len(options)} options: give one per option"
        )
    for number, blocks in enumerate(feedback, start=1):
        if not blocks:
            raise PredictError(f"the feedback for option {number} is empty")
    return [
        Choice(text=list(option.children), correct=number in right, feedback=blocks)
        for number, (option, blocks) in enumerate(zip(options, feedback, strict=True), start=1)
    ]


def parse_number_answer(answer: Answer) -> tuple[float, float]:
    """``Answer: 0.73 ± 0.01`` (or ``Answer: 0.73``, a tolerance of 0): the number and its tolerance."""
    value, plus_minus, tolerance = answer.value.rstrip(".").partition("±")
    number = parse_number(value, "answer")
    tolerance = parse_number(tolerance, "tolerance (after ±)", minimum=0) if plus_minus else 0.0
    if not answer.rest:
        raise PredictError("a number question needs an explanation in <details>, after the answer")
    return number, tolerance


# --- the directives ------------------------------------------------------------------


class PredictAdmonition(Admonition):
    """``{admonition}`` as docutils has it, except that one of class ``predict`` is a
    predict-then-reveal question (see the module's docstring)."""

    option_spec = {
        **Admonition.option_spec,
        "label": directives.unchanged_required,
        # the earlier format's options, only to say where their content goes now
        "answer": directives.unchanged,
        "tolerance": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        classes = self.options.get("class", [])
        if CLASS not in classes:
            extra = [key for key in ("label", "answer", "tolerance") if key in self.options]
            if extra:
                raise self.error(
                    f'admonition: unknown option "{extra[0]}" (only a question, :class: predict, has them)'
                )
            return super().run()
        label = self.options.get("label", "").strip()
        name = f"predict {label}" if label else "predict"
        try:
            return self._question(label, classes)
        except PredictError as error:
            raise self.error(f"{name} ({self.arguments[0]!r}): {error}") from None

    def _question(self, label: str, classes: list[str]) -> list[nodes.Node]:
        for old in ("answer", "tolerance"):
            if old in self.options:
                raise PredictError(
                    f":{old}: is not an option: write the number inside <details>, as **Answer: 0.73 ± 0.01**"
                )
        node = predict_node(classes=list(dict.fromkeys([CLASS, *classes])))
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        if label:
            node["names"].append(nodes.fully_normalize_name(label))
            self.state.document.note_explicit_target(node, node)
        else:
            self.state.document.set_id(node)

        question_nodes, messages = self.state.inline_text(self.arguments[0], self.lineno)
        node += predict_question(self.arguments[0], "", *question_nodes)

        body = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, body)
        before, answer = split_body(list(body.children))
        if not before:
            node["kind"] = "number"
            node["answer"], node["tolerance"] = parse_number_answer(answer)
            node += predict_feedback("", *answer.rest)
        else:
            node["kind"] = "choice"
            for index, choice in enumerate(parse_choices(before, answer), start=1):
                option = predict_option(index=index, correct=choice.correct)
                option += predict_option_text("", "", *choice.text)
                option += predict_feedback("", *choice.feedback)
                node += option
        return [node, *messages]


class OldPredictDirective(Directive):
    """``{predict}``, the earlier format, which showed the answers in Colab and JupyterLab: an error."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {key: directives.unchanged for key in ("label", "answer", "tolerance", "class")}

    def run(self) -> list[nodes.Node]:
        label = self.options.get("label", "").strip()
        title = self.arguments[0] if self.arguments else ""
        raise self.error(
            f"predict {label} ({title!r}): the {{predict}} directive is gone, because Colab and JupyterLab showed "
            f"its answers; {HOW_TO}"
        )


# --- HTML ----------------------------------------------------------------------------


def _number(self, node: predict_node) -> str:
    """ "Predict 1.2" on numbered chapters, "Predict" elsewhere."""
    key = f"{self.docnames[-1]}/{FIGTYPE}" if self.builder.name == "singlehtml" else FIGTYPE  # as Sphinx does
    numbers = getattr(self.builder, "fignumbers", {}).get(key, {})
    number = numbers.get(node["ids"][0]) if node["ids"] else None
    return "Predict " + ".".join(map(str, number)) if number else "Predict"


def _fmt(x: float) -> str:
    return repr(float(x)).removesuffix(".0") if float(x).is_integer() else repr(float(x))


def _render(self, children) -> str:
    """HTML of ``children``, written by this translator into a separate buffer."""
    saved, self.body = self.body, []
    try:
        for child in children:
            child.walkabout(self)
        return "".join(self.body)
    finally:
        self.body = saved


def _controls(ident: str, *, reveal: bool) -> str:
    buttons = '<div class="predict-buttons"><button type="submit" class="predict-check">Check</button>'
    if reveal:
        buttons += ' <button type="button" class="predict-reveal" hidden>Show the answer</button>'
    return (
        buttons + "</div>"
        f'<div class="predict-feedback" id="{ident}-feedback" role="status" aria-live="polite" tabindex="-1"></div>'
    )


def visit_predict_node(self, node: predict_node) -> None:
    """Write the whole question as a form; ``_static/course.js`` makes it work."""
    ident = node["ids"][0]
    kind = node["kind"]
    attrs = {"data-kind": kind}
    if kind == "number":
        attrs["data-answer"] = _fmt(node["answer"])
        attrs["data-tolerance"] = _fmt(node["tolerance"])
    question = node.next_node(predict_question)
    out = [
        self.starttag(node, "div", "", CLASS="predict-box", **attrs),
        '<form class="predict-form" novalidate>',
        '<fieldset class="predict-fieldset"><legend class="predict-legend">',
        f'<span class="predict-number">{html.escape(_number(self, node))}</span> ',
        f'<span class="predict-question">{_render(self, question.children)}</span></legend>',
    ]
    answers = []
    if kind == "number":
        out.append(
            f'<label class="predict-input-label" for="{ident}-input">Your answer (a number)</label> '
            f'<input class="predict-input" id="{ident}-input" type="text" inputmode="decimal" '
            'autocomplete="off" spellcheck="false">'
        )
        explanation = node.next_node(predict_feedback)
        answers.append(
            f'<div class="predict-answer" data-option="explanation" data-answer="{_fmt(node["answer"])}">'
            f"{_render(self, explanation.children)}</div>"
        )
    else:
        out.append('<div class="predict-options">')
        for option in node.findall(predict_option):
            index = option["index"]
            text = option.next_node(predict_option_text)
            feedback = option.next_node(predict_feedback)
            out.append(
                f'<div class="predict-option"><input type="radio" name="{ident}" id="{ident}-{index}" '
                f'value="{index}"> <label for="{ident}-{index}">{_render(self, text.children)}</label></div>'
            )
            answers.append(
                f'<div class="predict-answer" data-option="{index}" '
                f'data-correct="{"true" if option["correct"] else "false"}">{_render(self, feedback.children)}</div>'
            )
        out.append("</div>")
    out.append("</fieldset>")
    out.append(_controls(ident, reveal=kind == "number"))
    out.append(f'<div class="predict-answers" hidden>{"".join(answers)}</div>')
    out.append("</form></div>\n")
    self.body.extend(out)
    raise nodes.SkipNode


def _skip(self, node) -> None:
    raise nodes.SkipNode


def _predict_title(node: predict_node) -> str:
    return "Predict"


def init_numfig(app: Sphinx, config: Config) -> None:
    config.numfig_format = {FIGTYPE: "Predict %s", **config.numfig_format}


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", init_numfig)
    visitors = (visit_predict_node, None)
    app.add_enumerable_node(predict_node, FIGTYPE, _predict_title, html=visitors, singlehtml=visitors)
    for node in (predict_question, predict_option, predict_option_text, predict_feedback):
        app.add_node(node, html=(_skip, None), singlehtml=(_skip, None))
    app.add_directive("admonition", PredictAdmonition, override=True)
    app.add_directive("predict", OldPredictDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
