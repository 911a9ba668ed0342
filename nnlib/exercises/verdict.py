"""What a check returns and how it is shown: the :class:`Verdict`.

A verdict has one of three statuses (``NOT_ATTEMPTED``, ``CORRECT``, ``WRONG``)
and shows as one block: plain text in a terminal, HTML in a notebook.
:func:`not_attempted`, :func:`correct` and :func:`wrong` make one through
:func:`finish`, which in strict mode (``NNLIB_EXERCISE_STRICT=1``) raises
:class:`ExerciseNotPassed` unless it is correct. :func:`describe_args`,
``_fmt`` and ``_as_shown`` write inputs and values the way a verdict shows them.

How a check arrives at its verdict (cases, known mistakes, generic diagnosis)
is in :mod:`nnlib.exercises.core`, which re-exports every name of this module.
"""
from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

STRICT_ENV = "NNLIB_EXERCISE_STRICT"
NOT_ATTEMPTED, CORRECT, WRONG = "not attempted", "correct", "wrong"


class ExerciseNotPassed(AssertionError):
    """Raised in strict mode when a check is not correct."""


@dataclass
class Verdict:
    """The outcome of a check, shown as one clear block in the notebook."""

    exercise: str
    status: str
    message: str = ""
    hint: str | None = None
    hint_id: str | None = None
    case: str | None = None
    expected: Any = None
    received: Any = None

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __bool__(self) -> bool:
        return self.passed

    def _lines(self) -> list[tuple[str, str]]:
        rows = []
        if self.case is not None:
            rows.append(("input", self.case))
        if self.expected is not None:
            rows.append(("expected", _fmt(self.expected)))
        if self.received is not None:
            rows.append(("received", _fmt(self.received)))
        if self.hint:
            rows.append(("hint", self.hint))
        return rows

    def __str__(self) -> str:
        mark = {CORRECT: "[correct]", WRONG: "[wrong]", NOT_ATTEMPTED: "[not attempted yet]"}[self.status]
        head = f"{self.exercise}: {mark} {self.message}".rstrip()
        return "\n".join([head] + [f"  {k:>8}: {v}" for k, v in self._lines()])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        # Colours with enough contrast on light and dark pages; the word says it too.
        colour = {CORRECT: "#1a7f37", WRONG: "#b35900", NOT_ATTEMPTED: "#57606a"}[self.status]
        icon = {CORRECT: "&#10004; correct", WRONG: "&#10008; wrong",
                NOT_ATTEMPTED: "&#8230; not attempted yet"}[self.status]
        rows = "".join(
            f"<tr><th style='text-align:right;padding-right:.6em;vertical-align:top'>{html.escape(k)}</th>"
            f"<td><pre style='margin:0;white-space:pre-wrap'>{_code(v)}</pre></td></tr>"
            for k, v in self._lines())
        return (f"<div class='nnlib-verdict nnlib-verdict-{self.status.replace(' ', '-')}' "
                f"style='border-left:6px solid {colour};padding:.4em .8em;margin:.3em 0'>"
                f"<strong>{html.escape(self.exercise)}</strong>: "
                f"<strong style='color:{colour}'>{icon}</strong> {_code(self.message)}"
                f"{'<table>' + rows + '</table>' if rows else ''}</div>")


def _code(text: str) -> str:
    """Escape for HTML, showing `backticked` words as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return (f"array of shape {value.shape}, dtype {value.dtype}:\n"
                + np.array2string(value, precision=5, threshold=40, edgeitems=3, suppress_small=False))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    return repr(value)


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def finish(verdict: Verdict) -> Verdict:
    """Return ``verdict``; in strict mode raise unless it is correct."""
    if _strict() and not verdict.passed:
        raise ExerciseNotPassed(str(verdict))
    return verdict


def not_attempted(exercise: str, message: str | None = None) -> Verdict:
    return finish(Verdict(exercise, NOT_ATTEMPTED, message or (
        "Complete the function in the cell above (replace the "
        "`raise NotImplementedError`), run that cell, then run this check again.")))


def correct(exercise: str, message: str = "Well done: every test case matches.") -> Verdict:
    return finish(Verdict(exercise, CORRECT, message))


def wrong(exercise: str, message: str, **details: Any) -> Verdict:
    return finish(Verdict(exercise, WRONG, message, **details))


def describe_args(args: tuple, kwargs: dict, names: Sequence[str] | None = None) -> str:
    """Readable text for a call's arguments, e.g. ``z = array([0., 1.])``."""
    parts = []
    for i, a in enumerate(args):
        name = names[i] if names and i < len(names) else f"arg{i}"
        parts.append(f"{name} = {_fmt(a)}")
    parts += [f"{k} = {_fmt(v)}" for k, v in kwargs.items()]
    return "\n".join(parts)


def _as_shown(value: Any) -> Any:
    if isinstance(value, (np.ndarray, float, int, np.floating, np.integer)) or value is None:
        return value
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return value
