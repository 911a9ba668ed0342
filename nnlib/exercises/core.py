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

The :class:`Verdict` itself, its statuses, strict mode and the way inputs and
values are shown live in :mod:`nnlib.exercises.verdict`; every name there is
importable from this module too.
"""
from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from .verdict import CORRECT, NOT_ATTEMPTED, STRICT_ENV, WRONG, ExerciseNotPassed  # noqa: F401 (re-exported)
from .verdict import Verdict, _as_shown, correct, describe_args, not_attempted, wrong
from .verdict import _code, _fmt, _strict, finish  # noqa: F401 (re-exported)


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
    changed = any(not _same(x, y) for x, y in zip(a, args)) or any(
        not _same(k[key], kwargs[key]) for key in kwargs)
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


def diagnose(received: Any, expected: Any, case: Case, mistakes: Sequence[Mistake],
             caught: list, rtol: float, atol: float) -> tuple[str | None, str | None]:
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
            return "transposed", ("The result is transposed: shape " + str(r.shape) + " instead of "
                                  + str(e.shape) + ". Check the order of the matrix product and "
                                  "whether W or X needs a .T (rows are examples).")
        return "shape", (f"The result has shape {r.shape} but should have shape {e.shape}. "
                         "Check which axis you sum or average over (axis=0 runs down the examples, "
                         "axis=1 across features), and keepdims.")
    if not np.isfinite(r).all() and np.isfinite(e).all():
        overflow = any(issubclass(w.category, RuntimeWarning) for w in caught)
        return "overflow", ("The result contains NaN or inf" + (" and numpy warned about overflow"
                            if overflow else "") + ": some intermediate value became too large "
                            "(exp of a large number?). Rewrite it so that it stays finite.")
    return None, "The values differ: compare your formula with the equation above, term by term."


def check_function(exercise: str, fn: Callable | None, reference: Callable, cases: Sequence[Case],
                   mistakes: Sequence[Mistake] = (), arg_names: Sequence[str] | None = None,
                   rtol: float = 1e-6, atol: float = 1e-8,
                   warning_hint: tuple[str, str] | None = None,
                   raised_hints: Sequence[tuple[str, str, str]] = ()) -> Verdict:
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
        return wrong(exercise, f"Pass the function itself (e.g. `check({exercise.split()[0]})`), "
                               f"not a {type(fn).__name__}.", hint_id="not-callable")
    for case in cases:
        described = describe_args(case.args, case.kwargs, arg_names)
        if case.label:
            described = f"{case.label}\n{described}"
        outcome, got, caught = call(fn, case.args, case.kwargs)
        if outcome == "stub":
            return not_attempted(exercise)
        if outcome == "raised":
            hint_id, hint = next(((i, h) for text, i, h in raised_hints if text.lower() in str(got).lower()),
                                 ("raised", "Run it on the input shown to reproduce the error."))
            return wrong(exercise, f"Your function raised {type(got).__name__}: {got}", case=described,
                         hint_id=hint_id, hint=hint)
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        if outcome == "modified":
            return wrong(exercise, "Your function changed its input array in place.", case=described,
                         hint_id="in-place", hint="Do not write into the arguments (e.g. `z -= z.max()` "
                         "or `x[...] = ...`); compute a new array instead (`z = z - z.max()`).")
        if not close(got, expected, rtol, atol):
            hint_id, hint = diagnose(got, expected, case, mistakes, caught, rtol, atol)
            return wrong(exercise, "Not yet: the first input where your result differs is shown below.",
                         case=described, expected=_as_shown(expected), received=_as_shown(got),
                         hint=hint, hint_id=hint_id)
        warned = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if warning_hint is not None and warned:
            return wrong(exercise, f"The values are right, but numpy warned: \"{warned[0].message}\".",
                         case=described, expected=_as_shown(expected), received=_as_shown(got),
                         hint_id=warning_hint[0], hint=warning_hint[1])
    return correct(exercise, f"Well done: all {len(cases)} test cases match.")


def stub(fn: Callable) -> Callable:
    """Mark a function as an untouched exercise stub (for checker tests)."""
    fn.__nnlib_stub__ = True
    return fn
