"""Checking an exercise that returns several gradients, part by part, against numerical ones.

:func:`_check_gradients` is :func:`nnlib.exercises.core.check_function` for
functions that return several arrays, such as ``(dW, db, dX)`` or
``(grads_W, grads_b)``: it unpacks what the learner returned, compares each
part with the reference (a numerical gradient from :mod:`nnlib.gradcheck`),
and gives the hint for the first part that differs. The backprop checkers use
it: :mod:`nnlib.exercises.backprop` (one layer, ``dense_backward``) and
:mod:`nnlib.exercises.backprop_network` (the whole network, ``backprop``).
"""
from __future__ import annotations

import copy
import warnings
from typing import Any, Callable, Sequence

import numpy as np

from . import core
from .core import Case, Mistake, Verdict

RTOL, ATOL = 1e-5, 1e-7          # central differences in float64 are good to ~1e-9


def _kind(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _check_gradients(exercise: str, fn: Callable | None, reference: Callable[..., Sequence[np.ndarray]],
                     cases: Sequence[Case], unpack: Callable[[Any, Sequence[np.ndarray]], list],
                     names: Callable[[Case], list[str]], mistakes: Sequence[Mistake],
                     arg_names: Sequence[str]) -> Verdict:
    """Compare several returned gradients with numerical ones, case by case, part by part.

    The first part that differs decides the verdict. Its hint comes from the
    first mistake whose same part matches what the learner returned, else
    from the generic diagnosis (shape, transposed, NaN).
    """
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.",
                          hint_id="not-callable")
    for case in cases:
        described = f"{case.label}\n{core.describe_args(case.args, case.kwargs, arg_names)}"
        outcome, got, caught = core.call(fn, case.args, case.kwargs)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            matmul = "matmul" in str(got)
            return core.wrong(
                exercise, f"Your function raised {type(got).__name__}: {got}", case=described,
                hint_id="matmul-shapes" if matmul else "raised",
                hint=("A matrix product got incompatible shapes: print the shape of each array and "
                      "compare with the shapes in the equations (rows are examples, W is (n_in, n_out))."
                      if matmul else "Run it on the input shown to reproduce the error."))
        if outcome == "modified":
            return core.wrong(exercise, "Your function changed its input arrays in place.",
                              case=described, hint_id="in-place",
                              hint="Compute new arrays instead of writing into the arguments.")
        expected = reference(*copy.deepcopy(case.args))
        try:
            parts = unpack(got, expected)
        except ValueError as e:
            return core.wrong(exercise, str(e), case=described, hint_id="structure")
        for i, (name, r, e) in enumerate(zip(names(case), parts, expected)):
            if core.close(r, e, RTOL, ATOL):
                continue
            hint_id, hint = _diagnose_part(i, r, expected, case, unpack, mistakes, caught)
            return core.wrong(exercise, f"{name} is not right yet (compared with a numerical gradient).",
                              case=described, expected=e, received=core._as_shown(r),
                              hint_id=hint_id, hint=hint)
    return core.correct(exercise, f"Well done: every gradient matches the numerical gradient on all "
                                  f"{len(cases)} test cases.")


def _diagnose_part(i: int, received: Any, expected: Sequence[np.ndarray], case: Case, unpack,
                   mistakes: Sequence[Mistake], caught: list) -> tuple[str | None, str | None]:
    """Hint for part ``i``: a mistake whose part ``i`` equals ``received``, else a generic one."""
    for m in mistakes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                theirs = unpack(m.fn(*copy.deepcopy(case.args)), expected)
            except Exception:
                continue
        if i < len(theirs) and core.close(received, theirs[i], RTOL, ATOL):
            return m.id, m.hint
    return core.diagnose(received, expected[i], case, (), caught, RTOL, ATOL)
