"""Rewrite notebooks' predict-then-reveal questions into the format that keeps their answers folded.

    python tools/convert_predict.py book/            # rewrite every notebook under book/
    python tools/convert_predict.py --check book/    # list what would change; exit 1 if anything would

The earlier format, a ``{predict}`` directive (book/_ext/predict.py), showed everything in
Colab, plain Jupyter and JupyterLab: each option followed by its feedback, the ``{correct}``
marker, ``:answer:`` and the explanation. The new format (CONTRIBUTING.md, "Predict-then-reveal
questions") is a colon-fenced admonition of class ``predict`` that shows the question and the
options, and folds the answer in ``<details>``; ``book/_ext/predict.py`` shows and describes it.

Each option keeps its first paragraph (without ``{correct}``) in sight; its feedback becomes
item k of the feedback list, word for word; ``{correct}`` becomes the ``Answer:`` line. A number
question's ``:answer:`` and ``:tolerance:`` become ``**Answer: 0.119 ± 0.002**``, followed by
the explanation. Everything else in a cell, and every other cell, is left as it is; the notebook
is written back as the repository stores notebooks (JSON, one-space indent), so that the diff is
the converted questions only. Running it on converted notebooks changes nothing. A question it
cannot read (an option it does not know, no list) stops it with a message that names the question.
"""

from __future__ import annotations

import re
import sys

from _notebook_rewrite import cell_text, colons, main, set_cell_text

SUMMARY = "Check your prediction (click to show)"
CORRECT = "{correct}"
_PREDICT = re.compile(r"^(`{3,}|:{3,})\{predict\}([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
_OPTION = re.compile(r"^:(\w+):[ \t]*(.*)$")
_ITEM = re.compile(r"^(\d+)\.( +)(.*)$")


class ConvertError(ValueError):
    """A question the script cannot read: the message names it."""


def _strip_blank(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines


def _items(lines: list[str], title: str) -> list[tuple[int, list[str]]]:
    """A top-level numbered list, ``(number, lines)`` per item; its lines keep their indentation
    (the first line without the marker)."""
    items: list[tuple[int, list[str]]] = []
    for line in lines:
        m = _ITEM.match(line)
        if m:
            items.append((int(m.group(1)), [m.group(3)]))
        elif items and (not line.strip() or line.startswith(" ")):
            items[-1][1].append(line)
        else:
            raise ConvertError(f"{title!r}: the body must be one numbered list of options, got the line {line!r}")
    if not items:
        raise ConvertError(f"{title!r}: no numbered list of options and no :answer:")
    return items


def _option_and_feedback(number: int, lines: list[str], title: str) -> tuple[str, bool, list[str]]:
    """One old item: its option (first paragraph, without ``{correct}``), whether it was marked right,
    and its feedback's lines (the first without its indentation, the others as they were)."""
    blank = next((i for i, line in enumerate(lines) if not line.strip()), len(lines))
    first, feedback = lines[:blank], _strip_blank(lines[blank:])
    text = "\n".join(first).rstrip()
    correct = text.endswith(CORRECT)
    if correct:
        text = text[: -len(CORRECT)].rstrip()
    if CORRECT in text:
        raise ConvertError(f"{title!r}: option {number}: {CORRECT} must end the option's first paragraph")
    if not feedback:
        raise ConvertError(f"{title!r}: option {number} has no feedback")
    return text, correct, [feedback[0].lstrip(), *feedback[1:]]


def _numbers(right: list[int]) -> str:
    return str(right[0]) if len(right) == 1 else ", ".join(map(str, right[:-1])) + f" and {right[-1]}"


def _question(m: re.Match) -> str:
    title, body = m.group(2).strip(), m.group(3)
    head, _, rest = body.partition("\n\n")  # the option lines end at the first blank line
    options: dict[str, str] = {}
    if all(_OPTION.match(line) for line in head.splitlines()):
        for line in head.splitlines():
            key, value = _OPTION.match(line).groups()
            options[key] = value.strip()
    else:
        rest = body
    unknown = set(options) - {"label", "answer", "tolerance", "class"}
    if unknown:
        raise ConvertError(f"{title!r}: unknown option(s) {sorted(unknown)}")
    classes = " ".join(["predict", *options.get("class", "").split()])
    lines = [f":class: {classes}"] + ([f":label: {options['label']}"] if "label" in options else [])
    rest_lines = _strip_blank(rest.splitlines())
    if "answer" in options:
        answer = options["answer"]
        if options.get("tolerance"):
            answer += f" ± {options['tolerance']}"
        if not rest_lines:
            raise ConvertError(f"{title!r}: a number question without an explanation")
        folded = [f"**Answer: {answer}**", "", *rest_lines]
        shown: list[str] = []
    else:
        parsed = [_option_and_feedback(n, item, title) for n, item in _items(rest_lines, title)]
        right = [n for n, (_, correct, _) in enumerate(parsed, start=1) if correct]
        if not right:
            raise ConvertError(f"{title!r}: no option is marked {CORRECT}")
        shown = [f"{n}. {text}" for n, (text, _, _) in enumerate(parsed, start=1)] + [""]
        label = "Answers" if len(right) > 1 else "Answer"
        folded = [f"**{label}: {_numbers(right)}**", ""]
        for n, (_, _, feedback) in enumerate(parsed, start=1):
            folded += [f"{n}. {feedback[0]}", *feedback[1:]]
    inner = "\n".join([*lines, "", *shown, "<details>", f"<summary>{SUMMARY}</summary>", "", *folded, "", "</details>"])
    fence = colons(inner)
    return f"{fence}{{admonition}} {title}\n{inner}\n{fence}"


def convert_source(text: str) -> str:
    """One markdown cell's source in the new format (unchanged if it has no ``{predict}`` block)."""
    return _PREDICT.sub(_question, text)


def convert_notebook(nb: dict) -> int:
    """Convert ``nb`` in place; returns how many cells changed."""
    changed = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell_text(cell)
        new = convert_source(text)
        if new == text:
            continue
        set_cell_text(cell, new)
        changed += 1
    return changed


if __name__ == "__main__":
    sys.exit(main(None, __doc__, convert_notebook, (ConvertError,)))
