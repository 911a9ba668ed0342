"""The machinery behind every exercise check.

A check runs the learner's function on a list of :class:`Case` objects,
smallest first, and compares each result with a reference solution. The
first case that fails decides the :class:`Verdict`:

* the function still raises ``NotImplementedError`` (or returns ``...``):
  **not attempted yet**;
* every case matches: **correct**;
* otherwise **wrong**, showing that case's input, the expected and the
  received value, and a hint aimed at the mistake.

Hints come from two places. A checker lists known :class:`Mistake` objects:
a wrong implementation plus the hint for it (``1 / (1 + np.exp(-z))``
overflows; softmax without subtracting the max...). If the learner's output
equals a mistake's output on the failing case, that mistake's hint is shown.
Otherwise a generic diagnosis is used: wrong shape, transposed result,
input changed in place, NaN or inf, exception raised.

A check never raises in a normal run, so an unsolved notebook still runs
top to bottom. With the environment variable ``NNLIB_EXERCISE_STRICT=1``
(used by the test suite on the solved notebooks) any verdict other than
*correct* raises :class:`ExerciseNotPassed`.

The module reads top to bottom: first what a check returns and how it is shown
(the :class:`Verdict`, its statuses, strict mode, how inputs and values are
written), then how a check arrives at it (cases, known mistakes, the generic
diagnosis, :func:`check_function`).
"""

from __future__ import annotations

import copy
import html
import os
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# --- the verdict: what a check returns and how it is shown ------------------------------
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
        icon = {CORRECT: "&#10004; correct", WRONG: "&#10008; wrong", NOT_ATTEMPTED: "&#8230; not attempted yet"}[
            self.status
        ]
        rows = "".join(
            f"<tr><th style='text-align:right;padding-right:.6em;vertical-align:top'>{html.escape(k)}</th>"
            f"<td><pre style='margin:0;white-space:pre-wrap'>{_code(v)}</pre></td></tr>"
            for k, v in self._lines()
        )
        return (
            f"<div class='nnlib-verdict nnlib-verdict-{self.status.replace(' ', '-')}' "
            f"style='border-left:6px solid {colour};padding:.4em .8em;margin:.3em 0'>"
            f"<strong>{html.escape(self.exercise)}</strong>: "
            f"<strong style='color:{colour}'>{icon}</strong> {_code(self.message)}"
            f"{'<table>' + rows + '</table>' if rows else ''}</div>"
        )


def _code(text: str) -> str:
    """Escape for HTML, showing `backticked` words as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def _fmt(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}:\n" + np.array2string(
            value, precision=5, threshold=40, edgeitems=3, suppress_small=False
        )
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
    return finish(
        Verdict(
            exercise,
            NOT_ATTEMPTED,
            message
            or (
                "Complete the function in the cell above (replace the "
                "`raise NotImplementedError`), run that cell, then run this check again."
            ),
        )
    )


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


# --- how a check decides: cases, known mistakes, diagnosis ------------------------------
@dataclass
class Case:
    """One input to try: positional ``args`` (and ``kwargs``) and a short ``label``."""

    args: tuple
    kwargs: dict = field(default_factory=dict)
    label: str = ""


@dataclass
class Mistake:
    """A realistic wrong answer and the hint for it.

    ``fn`` takes the same arguments as the exercise function. If the
    learner's output on the failing case equals ``fn``'s output there, the
    learner most likely made this mistake.
    """

    id: str
    fn: Callable[..., Any]
    hint: str


def is_stub(fn: Callable | None) -> bool:
    """True when ``fn`` is missing or still the untouched stub."""
    return fn is None or getattr(fn, "__nnlib_stub__", False)


def call(fn: Callable, args: tuple, kwargs: dict) -> tuple[str, Any, list]:
    """Run ``fn`` on copies of the inputs.

    Returns ``(outcome, value, warnings)`` where outcome is ``"stub"``
    (NotImplementedError or ``...``), ``"raised"`` (value is the exception),
    ``"modified"`` (the function changed its input in place; value is the
    result) or ``"ok"``.
    """
    a, k = copy.deepcopy(args), copy.deepcopy(kwargs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*a, **k)
        except NotImplementedError:
            return "stub", None, list(caught)
        except Exception as e:  # the learner's code may raise anything
            return "raised", e, list(caught)
    if value is Ellipsis:
        return "stub", None, list(caught)
    changed = any(not _same(x, y) for x, y in zip(a, args)) or any(not _same(k[key], kwargs[key]) for key in kwargs)
    return ("modified" if changed else "ok"), value, list(caught)


def _same(x: Any, y: Any) -> bool:
    if isinstance(y, np.ndarray):
        return isinstance(x, np.ndarray) and x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
    return True


def close(received: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """Same shape and values within tolerance (NaN equals NaN only where expected)."""
    try:
        r = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return False
    e = np.asarray(expected, dtype=float)
    return r.shape == e.shape and bool(np.allclose(r, e, rtol=rtol, atol=atol, equal_nan=True))


def diagnose(
    received: Any, expected: Any, case: Case, mistakes: Sequence[Mistake], caught: list, rtol: float, atol: float
) -> tuple[str | None, str | None]:
    """Find the hint for a wrong result: a known mistake first, then generic ones."""
    for m in mistakes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                theirs = m.fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
            except Exception:
                continue
        if close(received, theirs, rtol, atol):
            return m.id, m.hint
    if received is None:
        return "returned-none", "Your function returned None: did you forget the `return` statement?"
    try:
        r = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return "not-numeric", f"Return a number or a numpy array, not a {type(received).__name__}."
    e = np.asarray(expected, dtype=float)
    if r.shape != e.shape:
        if r.ndim == 2 and r.shape == e.shape[::-1]:
            return "transposed", (
                "The result is transposed: shape "
                + str(r.shape)
                + " instead of "
                + str(e.shape)
                + ". Check the order of the matrix product and "
                "whether W or X needs a .T (rows are examples)."
            )
        return "shape", (
            f"The result has shape {r.shape} but should have shape {e.shape}. "
            "Check which axis you sum or average over (axis=0 runs down the examples, "
            "axis=1 across features), and keepdims."
        )
    if not np.isfinite(r).all() and np.isfinite(e).all():
        overflow = any(issubclass(w.category, RuntimeWarning) for w in caught)
        return "overflow", (
            "The result contains NaN or inf"
            + (" and numpy warned about overflow" if overflow else "")
            + ": some intermediate value became too large "
            "(exp of a large number?). Rewrite it so that it stays finite."
        )
    return None, "The values differ: compare your formula with the equation above, term by term."


def check_function(
    exercise: str,
    fn: Callable | None,
    reference: Callable,
    cases: Sequence[Case],
    mistakes: Sequence[Mistake] = (),
    arg_names: Sequence[str] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    warning_hint: tuple[str, str] | None = None,
    raised_hints: Sequence[tuple[str, str, str]] = (),
) -> Verdict:
    """Compare ``fn`` with ``reference`` on ``cases`` (smallest first) and return the :class:`Verdict`.

    Parameters
    ----------
    warning_hint : (hint_id, hint), optional
        If given, a result that is right but came with a numpy ``RuntimeWarning``
        (overflow, divide by zero, invalid value) counts as wrong, with this hint:
        ``1 / (1 + np.exp(-z))`` returns the right 0.0 at ``z = -1000``, but only
        after ``exp(1000)`` overflowed to inf.
    raised_hints : list of (text, hint_id, hint)
        If the learner's function raises an exception whose message contains
        ``text`` (case-insensitive), show this hint instead of the generic one.
    """
    if is_stub(fn):
        return not_attempted(exercise)
    if not callable(fn):
        return wrong(
            exercise,
            f"Pass the function itself (e.g. `check({exercise.split()[0]})`), not a {type(fn).__name__}.",
            hint_id="not-callable",
        )
    for case in cases:
        described = describe_args(case.args, case.kwargs, arg_names)
        if case.label:
            described = f"{case.label}\n{described}"
        outcome, got, caught = call(fn, case.args, case.kwargs)
        if outcome == "stub":
            return not_attempted(exercise)
        if outcome == "raised":
            hint_id: str | None
            hint: str | None
            hint_id, hint = next(
                ((i, h) for text, i, h in raised_hints if text.lower() in str(got).lower()),
                ("raised", "Run it on the input shown to reproduce the error."),
            )
            return wrong(
                exercise,
                f"Your function raised {type(got).__name__}: {got}",
                case=described,
                hint_id=hint_id,
                hint=hint,
            )
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        if outcome == "modified":
            return wrong(
                exercise,
                "Your function changed its input array in place.",
                case=described,
                hint_id="in-place",
                hint="Do not write into the arguments (e.g. `z -= z.max()` "
                "or `x[...] = ...`); compute a new array instead (`z = z - z.max()`).",
            )
        if not close(got, expected, rtol, atol):
            hint_id, hint = diagnose(got, expected, case, mistakes, caught, rtol, atol)
            return wrong(
                exercise,
                "Not yet: the first input where your result differs is shown below.",
                case=described,
                expected=_as_shown(expected),
                received=_as_shown(got),
                hint=hint,
                hint_id=hint_id,
            )
        warned = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if warning_hint is not None and warned:
            return wrong(
                exercise,
                f'The values are right, but numpy warned: "{warned[0].message}".',
                case=described,
                expected=_as_shown(expected),
                received=_as_shown(got),
                hint_id=warning_hint[0],
                hint=warning_hint[1],
            )
    return correct(exercise, f"Well done: all {len(cases)} test cases match.")


def stub(fn: Callable) -> Callable:
    """Mark a function as an untouched exercise stub (for checker tests)."""
    fn.__nnlib_stub__ = True
    return fn
