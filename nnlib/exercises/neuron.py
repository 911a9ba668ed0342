"""Checks for chapter 1, *The neuron* (``book/neuron/neuron.ipynb``).

In the chapter::

    from nnlib.exercises import neuron as check
    check.neuron_output(neuron_output)          # one sigmoid neuron, one input
    check.batch_weighted_input(batch_weighted_input)   # z for a whole batch
    check.and_gate(w_and, b_and)                # weights and bias of a step-neuron AND gate
    check.nand_gate(w_nand, b_nand)             # ... and of a NAND gate

The references are nnlib's own :class:`~nnlib.neuron.Neuron`, so the
exercises follow the library's conventions exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import sigmoid
from ..neuron import Neuron
from . import core
from .core import Case, Mistake, Verdict

# --- neuron_output(x, w, b) ------------------------------------------------------------------------


def _neuron_output(x: np.ndarray, w: np.ndarray, b: float) -> float:
    return Neuron(w, b, "sigmoid")(x)


_NEURON_CASES = [
    Case((np.array([2.0]), np.array([0.5]), 0.0), label="one input, no bias"),
    Case((np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.3), label="two inputs"),
    Case((np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.2, -0.7]), -0.4), label="three inputs"),
    Case((np.array([3.0, 1.0]), np.array([-2.0, 1.0]), 4.0), label="two inputs, large bias"),
]

_NEURON_MISTAKES = [
    Mistake(
        "returned-z",
        lambda x, w, b: float(np.dot(w, x) + b),
        "That is the weighted input z = w . x + b. The neuron's output is the activation "
        "a = sigma(z) = 1 / (1 + exp(-z)): apply the sigmoid to z before returning.",
    ),
    Mistake(
        "no-bias",
        lambda x, w, b: float(sigmoid(np.dot(w, x))),
        "Did you forget the bias? z = w . x + b: add b after the weighted sum.",
    ),
    Mistake(
        "unweighted-sum",
        lambda x, w, b: float(sigmoid(np.sum(x) + b)),
        "It looks like you summed the inputs without their weights: each input x_j is "
        "multiplied by its own weight w_j before summing, z = sum_j w_j x_j + b = np.dot(w, x) + b.",
    ),
    Mistake(
        "sigmoid-twice",
        lambda x, w, b: float(sigmoid(sigmoid(np.dot(w, x) + b))),
        "It looks like you applied the sigmoid twice, a = sigma(sigma(z)). Apply it once, to z.",
    ),
    Mistake(
        "elementwise",
        lambda x, w, b: sigmoid(w * x + b),
        "You returned one number per input. The neuron adds up the weighted inputs first "
        "(np.dot(w, x) or w @ x), then adds b and applies the sigmoid: its output is one number.",
    ),
    Mistake(
        "sign",
        lambda x, w, b: float(1.0 / (1.0 + np.exp(np.dot(w, x) + b))),
        "Check the sign inside the exponential: sigma(z) = 1 / (1 + exp(-z)), with a minus.",
    ),
]


def neuron_output(fn: Callable | None) -> Verdict:
    """Check ``neuron_output(x, w, b)``: the output sigma(w . x + b) of one sigmoid neuron."""
    return core.check_function(
        "neuron_output", fn, _neuron_output, _NEURON_CASES, _NEURON_MISTAKES, arg_names=["x", "w", "b"]
    )


# --- batch_weighted_input(X, w, b) -------------------------------------------------------------


def _batch_weighted_input(X: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return Neuron(w, b, "identity").weighted_input(X)


_BATCH_CASES = [
    Case((np.array([[1.0, 2.0]]), np.array([0.5, -1.0]), 0.5), label="a batch of one example"),
    Case(
        (np.array([[1.0, 2.0], [0.0, 1.0], [-1.0, 3.0]]), np.array([0.5, -1.0]), -1.0),
        label="three examples, two features",
    ),
    Case(
        (
            np.array([[0.2, -1.0, 3.0], [1.0, 0.5, 0.0], [2.0, 2.0, -1.0], [0.0, 0.0, 0.0]]),
            np.array([1.0, -0.5, 0.25]),
            0.25,
        ),
        label="four examples, three features",
    ),
]

_BATCH_MISTAKES = [
    Mistake("no-bias", lambda X, w, b: X @ w, "Did you forget the bias? Every example gets the same b: z = X @ w + b."),
    Mistake(
        "elementwise",
        lambda X, w, b: X * w + b,
        "X * w multiplies elementwise and keeps one column per feature. Each example's z "
        "is the *sum* of its weighted features: X @ w + b gives one number per row.",
    ),
    Mistake(
        "sum-over-examples",
        lambda X, w, b: (X * w).sum(axis=0) + b,
        "You summed down the examples (axis=0). Rows are examples, so sum across the "
        "features of each row (axis=1), or simply use X @ w + b.",
    ),
    Mistake(
        "sum-everything",
        lambda X, w, b: np.sum(X * w) + b,
        "You added up the whole batch into one number. The result needs one z per "
        "example (per row of X): X @ w + b has shape (n_samples,).",
    ),
    Mistake(
        "bias-per-feature",
        lambda X, w, b: (X + b) @ w,
        "The bias is added once, after the weighted sum: X @ w + b, not (X + b) @ w.",
    ),
    Mistake(
        "column",
        lambda X, w, b: (X @ w + b)[:, None],
        "Return a 1-D array of shape (n_samples,), one z per example, like nnlib's "
        "Neuron.weighted_input, not a column of shape (n_samples, 1).",
    ),
]

_MATMUL_HINT = (
    "X has one row per example and one column per feature, and w one weight per "
    "feature, so the product is X @ w (shapes (n, n_in) @ (n_in,) -> (n,))."
)


def batch_weighted_input(fn: Callable | None) -> Verdict:
    """Check ``batch_weighted_input(X, w, b)``: z = X @ w + b, one weighted input per example."""
    return core.check_function(
        "batch_weighted_input",
        fn,
        _batch_weighted_input,
        _BATCH_CASES,
        _BATCH_MISTAKES,
        arg_names=["X", "w", "b"],
        raised_hints=[("core dimension", "matmul-order", _MATMUL_HINT), ("not aligned", "matmul-order", _MATMUL_HINT)],
    )


# --- logic gates with one step neuron ----------------------------------------------------------

GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES = {
    "AND": np.array([0.0, 0.0, 0.0, 1.0]),
    "OR": np.array([0.0, 1.0, 1.0, 1.0]),
    "NAND": np.array([1.0, 1.0, 1.0, 0.0]),
    "NOR": np.array([1.0, 0.0, 0.0, 0.0]),
}


def _contains_ellipsis(value: Any) -> bool:
    if value is Ellipsis:
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_ellipsis(v) for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return any(v is Ellipsis for v in value.ravel())
    return False


def gate(name: str, w: Any, b: Any) -> Verdict:
    """Check that a step neuron with weights ``w`` and bias ``b`` computes the gate ``name``.

    ``name`` is one of ``AND``, ``OR``, ``NAND``, ``NOR``. The neuron is
    ``nnlib.Neuron(w, b, activation="step")``, which outputs 1 where z > 0.
    """
    exercise = f"{name.lower()}_gate"
    if name not in TRUTH_TABLES:
        raise ValueError(f"gate() knows {', '.join(TRUTH_TABLES)}, got {name!r}")
    if _contains_ellipsis(w) or _contains_ellipsis(b) or w is None or b is None:
        return core.not_attempted(
            exercise, "Replace each `...` in the cell above with numbers, run that cell, then run this check again."
        )
    try:
        w_arr = np.asarray(w, dtype=float)
        b_val = float(b)
    except (TypeError, ValueError):
        return core.wrong(
            exercise,
            f"w must be two numbers and b one number; got w = {w!r}, b = {b!r}.",
            hint_id="not-numeric",
            hint="For example w = np.array([1.0, 1.0]) and b = -0.5.",
        )
    if w_arr.shape != (2,):
        return core.wrong(
            exercise,
            f"The gate has two inputs, so w needs two weights; got shape {w_arr.shape}.",
            hint_id="shape",
            hint="Write w = np.array([w1, w2]) with one weight per input.",
        )
    target = TRUTH_TABLES[name]
    z = GATE_INPUTS @ w_arr + b_val
    out = Neuron(w_arr, b_val, "step")(GATE_INPUTS)
    if np.array_equal(out, target):
        return core.correct(exercise, f"Your neuron computes {name} on all four inputs.")
    table = "\n".join(
        f"x = ({int(x1)}, {int(x2)}):  z = {zi:+.3g}  ->  output {int(o)}  (want {int(t)})"
        for (x1, x2), zi, o, t in zip(GATE_INPUTS, z, out, target)
    )
    hint_id, hint = _gate_hint(name, w_arr, b_val, z, out, target)
    return core.wrong(
        exercise,
        f"Not yet: your neuron does not compute {name}.",
        case=table,
        expected=target,
        received=out,
        hint_id=hint_id,
        hint=hint,
    )


def _gate_hint(
    name: str, w: np.ndarray, b: float, z: np.ndarray, out: np.ndarray, target: np.ndarray
) -> tuple[str, str]:
    for other, table in TRUTH_TABLES.items():
        if other != name and np.array_equal(out, table):
            if {name, other} == {"AND", "OR"}:
                return (
                    "or-not-and" if name == "AND" else "and-not-or",
                    f"Your neuron computes {other}, not {name}. For AND one input alone must not be "
                    "enough: choose the bias so that w1 + b <= 0 and w2 + b <= 0 but w1 + w2 + b > 0."
                    if name == "AND"
                    else f"Your neuron computes {other}, not {name}. For OR one input alone must be "
                    "enough: w1 + b > 0 and w2 + b > 0, while b <= 0.",
                )
            if {name, other} in ({"AND", "NAND"}, {"OR", "NOR"}):
                return (
                    "negated",
                    f"Your neuron computes {other}, the opposite of {name}. Flip the signs "
                    "of the weights and of the bias (and mind z = 0, where the step outputs 0).",
                )
            return ("other-gate", f"Your neuron computes {other}, not {name}.")
    boundary = (z == 0) & (target == 1)
    if boundary.any():
        x1, x2 = (int(v) for v in GATE_INPUTS[int(np.argmax(boundary))])
        return (
            "boundary",
            f"For x = ({x1}, {x2}) the weighted input is exactly z = 0, and the step "
            "outputs 1 only where z > 0 (strictly). Move the bias a little so that z > 0 there.",
        )
    if np.all(out == 0):
        return (
            "never-fires",
            "Your neuron never fires: z <= 0 for every input. The step outputs 1 only "
            "where z > 0, so raise the bias or the weights.",
        )
    if np.all(out == 1):
        return ("always-fires", "Your neuron always fires: z > 0 for every input. Lower the bias.")
    i = int(np.argmax(out != target))
    x1, x2 = (int(v) for v in GATE_INPUTS[i])
    if i == 0:
        need = "positive" if target[0] == 1 else "negative (or zero)"
        return (
            "bias-sign",
            f"With both inputs 0 the weighted input is just the bias, z = b = {b:g}. "
            f"To output {int(target[0])} there, b must be {need}.",
        )
    need = "> 0" if target[i] == 1 else "<= 0"
    return (
        "row",
        f"For x = ({x1}, {x2}): z = {w[0]:g}*{x1} + {w[1]:g}*{x2} + {b:g} = {z[i]:g}, so the step "
        f"outputs {int(out[i])}; you need {int(target[i])}, so z must be {need}.",
    )


def and_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing AND."""
    return gate("AND", w, b)


def or_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing OR."""
    return gate("OR", w, b)


def nand_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing NAND (not AND)."""
    return gate("NAND", w, b)
