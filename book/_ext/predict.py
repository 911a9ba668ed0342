"""Sphinx extension: predict-then-reveal questions that work in the page, without a kernel.

A question asks the reader to commit to an answer before the chapter shows it. It is
written in a notebook's markdown cell (MyST) as a ``{predict}`` directive whose title is
the question. Either the body is a numbered list of options, where each item's first
paragraph is the option, the following paragraphs are the feedback for it, and the right
option(s) end their first paragraph with ``{correct}``::

    ```{predict} What happens to the decision line when you increase $b$?
    :label: predict-neuron-bias

    1. It rotates.

       Not quite: the direction of the line depends only on $w$.
    2. It moves parallel to itself. {correct}

       Yes: ...
    ```

or the question asks for a number, given with ``:answer:`` (and ``:tolerance:``, how far
from it an answer still counts as right, 0 when omitted), and the body is the explanation
shown once the reader has the number, or asks to see it::

    ```{predict} What does the neuron output for x = (1, 1)?
    :label: predict-neuron-output
    :answer: 0.73
    :tolerance: 0.01

    Explanation shown after answering.
    ```

The question is a ``` fence's info string, which CommonMark ends at a backtick: write code in
a question as math or words, or use a colon fence (``:::{predict}``), which MyST also accepts.
(``tests/test_predict.py`` checks that every question of the chapters parses.) An option's
first paragraph must not start with a number and a full stop ("3."): that is a nested list.

A malformed question (no list, an option without feedback, no ``{correct}`` option, a
number that is not one) stops the build with an error that names the question.

On the website the question is a form: a radio group with the question as its legend (or
a labelled number field), a Check button and an ``aria-live`` region where
``_static/course.js`` puts the feedback for the reader's answer. The feedback is in the
page, hidden, until then. Questions are numbered per chapter like the exercises
("Predict 1.2"; they are an enumerable node, so ``{numref}`` works on their labels).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.config import Config

CORRECT = "{correct}"
FIGTYPE = "predict"


class PredictError(ValueError):
    """A malformed ``{predict}`` question; the message says what is wrong."""


# --- nodes -------------------------------------------------------------------------


class predict_node(nodes.General, nodes.Element):
    """One question: ``kind`` is "choice" or "number"; numbers have ``answer`` and ``tolerance``."""


class predict_question(nodes.TextElement):
    """The question (the directive's title), inline markup."""


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


def parse_number(value: str | None, what: str, *, minimum: float | None = None) -> float:
    """Read ``:answer:`` or ``:tolerance:``: a finite number (at least ``minimum``)."""
    if value is None or not value.strip():
        raise PredictError(f":{what}: needs a number, got nothing")
    try:
        number = float(value.strip())
    except ValueError:
        raise PredictError(f":{what}: must be a number such as 0.73, got {value.strip()!r}") from None
    if not math.isfinite(number):
        raise PredictError(f":{what}: must be a finite number, got {value.strip()!r}")
    if minimum is not None and number < minimum:
        raise PredictError(f":{what}: must be at least {minimum:g}, got {value.strip()!r}")
    return number


def _strip_correct(paragraph: nodes.paragraph) -> bool:
    """Remove a trailing ``{correct}`` from ``paragraph``; say whether there was one."""
    if not paragraph.children or not isinstance(paragraph.children[-1], nodes.Text):
        return False
    last = paragraph.children[-1]
    text = str(last).rstrip()
    if not text.endswith(CORRECT):
        return False
    rest = text[: -len(CORRECT)].rstrip()
    if rest:
        paragraph.replace(last, nodes.Text(rest))
    else:
        paragraph.remove(last)
        # the text before the marker may end with a space ("$b$ {correct}"): drop it
        if paragraph.children and isinstance(paragraph.children[-1], nodes.Text):
            before = paragraph.children[-1]
            paragraph.replace(before, nodes.Text(str(before).rstrip()))
    return True


def parse_choices(body: list[nodes.Node]) -> list[Choice]:
    """Split a choice question's parsed body (one numbered list) into its options."""
    content = [n for n in body if not isinstance(n, (nodes.comment, nodes.system_message))]
    lists = [n for n in content if isinstance(n, nodes.enumerated_list)]
    if not lists:
        raise PredictError(
            "the body must be a numbered list of options (1. ..., 2. ...), each followed by its "
            "feedback; or give :answer: for a question whose answer is a number"
        )
    if len(content) != 1:
        raise PredictError(
            "the body must be one numbered list of options and nothing else "
            f"(found {len(lists)} list(s) and {len(content) - len(lists)} other block(s)); "
            "put text after an option's first paragraph to make it that option's feedback"
        )
    choices = []
    for number, item in enumerate(lists[0].children, start=1):
        children = list(item.children)
        if not children or not isinstance(children[0], nodes.paragraph):
            raise PredictError(f"option {number} must start with a paragraph (the option itself)")
        first = children[0]
        correct = _strip_correct(first)
        if not first.children:
            raise PredictError(f"option {number} has no text before {CORRECT}")
        if CORRECT in first.astext():
            raise PredictError(f"option {number}: {CORRECT} must end the option's first paragraph")
        feedback = children[1:]
        if not feedback:
            raise PredictError(
                f"option {number} ({first.astext()!r}) has no feedback: write, after a blank line and "
                "indented under the option, what the reader should learn from choosing it"
            )
        choices.append(Choice(text=list(first.children), correct=correct, feedback=feedback))
    if len(choices) < 2:
        raise PredictError(f"a choice question needs at least 2 options, got {len(choices)}")
    if not any(c.correct for c in choices):
        raise PredictError(f"no option is marked as correct: end the right option's first paragraph with {CORRECT}")
    return choices


# --- the directive ------------------------------------------------------------------


class PredictDirective(Directive):
    """``{predict} question``: a predict-then-reveal question (see the module's docstring)."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {
        "label": directives.unchanged_required,
        "answer": directives.unchanged,
        "tolerance": directives.unchanged,
        "class": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        label = self.options.get("label", "").strip()
        name = f"predict {label}" if label else "predict"
        try:
            return self._build(label)
        except PredictError as error:
            raise self.error(f"{name} ({self.arguments[0]!r}): {error}") from None

    def _build(self, label: str) -> list[nodes.Node]:
        node = predict_node(classes=["predict", *self.options.get("class", [])])
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

        if "answer" in self.options:
            node["kind"] = "number"
            node["answer"] = parse_number(self.options["answer"], "answer")
            tolerance = self.options.get("tolerance")
            node["tolerance"] = 0.0 if tolerance is None else parse_number(tolerance, "tolerance", minimum=0)
            explanation = [n for n in body.children if not isinstance(n, nodes.comment)]
            if not explanation:
                raise PredictError("a number question needs an explanation in its body, shown after answering")
            node += predict_feedback("", *explanation)
        else:
            if "tolerance" in self.options:
                raise PredictError(":tolerance: without :answer: (a choice question has no tolerance)")
            node["kind"] = "choice"
            for index, choice in enumerate(parse_choices(list(body.children)), start=1):
                option = predict_option(index=index, correct=choice.correct)
                option += predict_option_text("", "", *choice.text)
                option += predict_feedback("", *choice.feedback)
                node += option
        return [node, *messages]


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
    app.add_directive("predict", PredictDirective)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
