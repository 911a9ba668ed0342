"""Checks for chapter 1, *The neuron* (``book/neuron/neuron.ipynb``).

In the chapter::

    from nnlib.exercises import neuron as check
    check.neuron_output(neuron_output)          # one sigmoid neuron: one number
    check.batch_weighted_input(batch_weighted_input)   # z for a whole batch: a float array
    check.and_gate(w_and, b_and)                # weights and bias of a step-neuron AND gate
    check.nand_gate(w_nand, b_nand)             # ... and of a NAND gate

The references are nnlib's own :class:`~nnlib.neuron.Neuron`, so the
exercises follow the library's conventions exactly. A gate's hint states what
the failing input needs (``z = w1 + b`` must be ``> 0``...), given the bias
the learner chose when that bias can work, so it never suggests a change that
cannot lead to the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import sigmoid
from ..neuron import Neuron
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "neuron_output": Exercise("ex-neuron-output", "The output of one sigmoid neuron", "neuron_output"),
    "batch_weighted_input": Exercise("ex-neuron-batch", "Weighted inputs for a batch", "batch_weighted_input"),
    "and_gate": Exercise("ex-neuron-and", "An AND gate", "w_and, b_and"),
    "or_gate": Exercise("ex-neuron-or", "An OR gate", "w_or, b_or"),
    "nand_gate": Exercise("ex-neuron-nand", "A NAND gate", "w_nand, b_nand"),
}

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
        Hint(
            "Your result is the weighted input z = w . x + b, not the neuron's output.",
            "Look at the last step: the activation is missing.",
            "Return a = sigma(z) = 1 / (1 + exp(-z)).",
        ),
    ),
    Mistake(
        "no-bias",
        lambda x, w, b: float(sigmoid(np.dot(w, x))),
        Hint(
            "Your result is sigma(w . x): the bias is missing.",
            "Look at the weighted input: z = w . x + b.",
            "Add b after the weighted sum: z = np.dot(w, x) + b.",
        ),
    ),
    Mistake(
        "unweighted-sum",
        lambda x, w, b: float(sigmoid(np.sum(x) + b)),
        Hint(
            "Your result uses the sum of the inputs without their weights.",
            "Look at the weighted sum: each input x_j is multiplied by its own weight w_j.",
            "z = sum_j w_j x_j + b = np.dot(w, x) + b.",
        ),
    ),
    Mistake(
        "sigmoid-twice",
        lambda x, w, b: float(sigmoid(sigmoid(np.dot(w, x) + b))),
        Hint(
            "Your result is sigma(sigma(z)): the sigmoid was applied twice.",
            "Look for a second sigmoid applied to a value that already is one.",
            "Apply the sigmoid once, to z = np.dot(w, x) + b.",
        ),
    ),
    Mistake(
        "elementwise",
        lambda x, w, b: sigmoid(w * x + b),
        Hint(
            "You returned one number per input, sigma(w_j x_j + b): the weighted inputs were never added up.",
            "Look at w * x: it multiplies elementwise and keeps one entry per input.",
            "Add the weighted inputs first, np.dot(w, x) (or w @ x), then add b and apply the sigmoid.",
        ),
    ),
    Mistake(
        "sign",
        lambda x, w, b: float(1.0 / (1.0 + np.exp(np.dot(w, x) + b))),
        Hint(
            "Your result is 1 - sigma(z): it falls as z grows, where the sigmoid rises.",
            "Look at the sign inside the exponential.",
            "sigma(z) = 1 / (1 + exp(-z)), with a minus.",
        ),
    ),
]


@saves("neuron_output")
def neuron_output(fn: Callable | None) -> Verdict:
    """Check ``neuron_output(x, w, b)``: the output sigma(w . x + b) of one sigmoid neuron, one float."""
    return core.check_function(
        EXERCISES["neuron_output"],
        fn,
        _neuron_output,
        _NEURON_CASES,
        _NEURON_MISTAKES,
        arg_names=["x", "w", "b"],
        returns=core.number,
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
    Mistake(
        "no-bias",
        lambda X, w, b: X @ w,
        Hint(
            "Your results are X @ w: the bias is missing.",
            "Look at the end of your formula: every example gets the same b.",
            "z = X @ w + b (numpy adds the number b to every entry).",
        ),
    ),
    Mistake(
        "elementwise",
        lambda X, w, b: X * w + b,
        Hint(
            "Your result keeps one column per feature: X * w multiplies elementwise and never adds up.",
            "Look at the product: each example's z is the *sum* of its weighted features.",
            "X @ w + b gives one number per row.",
        ),
    ),
    Mistake(
        "sum-over-examples",
        lambda X, w, b: (X * w).sum(axis=0) + b,
        Hint(
            "Your result has one number per feature, not per example: you summed down the examples (axis=0).",
            "Look at the axis of the sum: rows are examples, columns are features.",
            "Sum across the features of each row (axis=1), or simply use X @ w + b.",
        ),
    ),
    Mistake(
        "sum-everything",
        lambda X, w, b: np.sum(X * w) + b,
        Hint(
            "Your result is one number for the whole batch: you added up every example's weighted features together.",
            "Look at the sum: it has no axis.",
            "Keep one z per example (per row of X): X @ w + b has shape (n_samples,).",
        ),
    ),
    Mistake(
        "bias-per-feature",
        lambda X, w, b: (X + b) @ w,
        Hint(
            "Your result adds the bias to every feature before weighting them: (X + b) @ w.",
            "Look at where b is added.",
            "The bias is added once, after the weighted sum: X @ w + b.",
        ),
    ),
    Mistake(
        "column",
        lambda X, w, b: (X @ w + b)[:, None],
        Hint(
            "Your values are right, but in a column of shape (n_samples, 1).",
            "Look for a step that adds an axis: [:, None], reshape(-1, 1) or a w of shape (n_in, 1).",
            "Return a 1-D array of shape (n_samples,), like nnlib's Neuron.weighted_input: "
            "X @ w + b with w of shape (n_in,).",
        ),
    ),
]

_MATMUL_HINT = Hint(
    "A matrix product got shapes that do not fit: the number of columns of the left factor must "
    "equal the length of the right one.",
    "Look at the order of the product and at any .T: X has shape (n, n_in), w shape (n_in,).",
    "The product is X @ w: shapes (n, n_in) @ (n_in,) -> (n,).",
)


@saves("batch_weighted_input")
def batch_weighted_input(fn: Callable | None) -> Verdict:
    """Check ``batch_weighted_input(X, w, b)``: z = X @ w + b, a float array with one z per example."""
    return core.check_function(
        EXERCISES["batch_weighted_input"],
        fn,
        _batch_weighted_input,
        _BATCH_CASES,
        _BATCH_MISTAKES,
        arg_names=["X", "w", "b"],
        raised_hints=[("core dimension", "matmul-order", _MATMUL_HINT), ("not aligned", "matmul-order", _MATMUL_HINT)],
        returns=core.float_array,
    )


# --- logic gates with one step neuron ----------------------------------------------------------

GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
TRUTH_TABLES = {
    "AND": np.array([0.0, 0.0, 0.0, 1.0]),
    "OR": np.array([0.0, 1.0, 1.0, 1.0]),
    "NAND": np.array([1.0, 1.0, 1.0, 0.0]),
    "NOR": np.array([1.0, 0.0, 0.0, 0.0]),
}
# The biases for which some weights compute the gate (z = b at (0, 0), and the step is 1 where z > 0).
_BIAS_NEEDED = {
    "AND": ("b < 0", lambda b: b < 0),
    "OR": ("b <= 0", lambda b: b <= 0),
    "NAND": ("b > 0", lambda b: b > 0),
    "NOR": ("b > 0", lambda b: b > 0),
}
_GATE_EXERCISE = {"AND": "and_gate", "OR": "or_gate", "NAND": "nand_gate"}


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

    ``name`` is one of ``AND``, ``OR``, ``NAND`` (the exercises of the chapter; NOR is
    known only to recognise it). The neuron is ``nnlib.Neuron(w, b, activation="step")``,
    which outputs 1 where z > 0.
    """
    if name not in _GATE_EXERCISE:
        raise ValueError(f"gate() knows {', '.join(_GATE_EXERCISE)}, got {name!r}")
    ex = EXERCISES[_GATE_EXERCISE[name]]
    if _contains_ellipsis(w) or _contains_ellipsis(b) or w is None or b is None:
        return core.not_attempted(
            ex, "Replace each `...` in the cell above with numbers, run that cell, then run this check again."
        )
    try:
        w_arr = np.asarray(w, dtype=float)
        b_arr = np.asarray(b, dtype=float)
    except (TypeError, ValueError):
        return core.wrong(
            ex,
            f"w must be two numbers and b one number; got w = {w!r}, b = {b!r}.",
            Hint(
                "Your w or b is not made of numbers.",
                "Look at the cell above: each `...` must become a number.",
                "For example w = np.array([1.0, 1.0]) and b = -0.5 (these make an OR gate).",
            ),
            "not-numeric",
        )
    if b_arr.shape != ():
        return core.wrong(
            ex,
            f"The bias is one number; got an array of shape {b_arr.shape}.",
            Hint(
                f"Your b has shape {b_arr.shape}: a neuron has one bias, a single number.",
                "Look at the line that sets b: it should not be a list or an array.",
                "Write b as a plain number, e.g. b = -0.5.",
            ),
            "bias-shape",
        )
    if w_arr.shape != (2,):
        return core.wrong(
            ex,
            f"The gate has two inputs, so w needs two weights; got shape {w_arr.shape}.",
            Hint(
                f"Your w has shape {w_arr.shape}: the neuron has two inputs, so it needs two weights.",
                "Look at the line that sets w.",
                "Write w = np.array([w1, w2]), one weight per input.",
            ),
            "shape",
        )
    b_val = float(b_arr)
    target = TRUTH_TABLES[name]
    z = GATE_INPUTS @ w_arr + b_val
    out = Neuron(w_arr, b_val, "step")(GATE_INPUTS)
    if np.array_equal(out, target):
        return core.correct(ex, f"Your neuron computes {name} on all four inputs.")
    table = "\n".join(
        f"x = ({int(x1)}, {int(x2)}):  z = {zi:+.3g}  ->  output {int(o)}  (want {int(t)})"
        for (x1, x2), zi, o, t in zip(GATE_INPUTS, z, out, target)
    )
    hint_id, hint = _gate_hint(name, w_arr, b_val, z, out, target)
    return core.wrong(
        ex,
        f"Not yet: your neuron does not compute {name}.",
        hint,
        hint_id,
        case=table,
        expected=target,
        received=out,
    )


_Z_TEXT = ["z = b", "z = w2 + b", "z = w1 + b", "z = w1 + w2 + b"]


def _needs(name: str, i: int, b: float) -> str:
    """What the weights must satisfy for row ``i`` to be right, with the bias ``b`` (which can work)."""
    t = TRUTH_TABLES[name][i]
    rel = ">" if t == 1 else "<="
    if i == 0:
        return f"b must be {'> 0' if t == 1 else '<= 0'}."
    if i in (1, 2):
        j = 2 if i == 1 else 1
        return f"With your bias b = {b:g}, the weight w{j} must be {rel} {-b:g} (so that w{j} + b {rel} 0)."
    return f"With your bias b = {b:g}, the weights must add up to w1 + w2 {rel} {-b:g} (so that w1 + w2 + b {rel} 0)."


def _requirements(name: str) -> str:
    t = TRUTH_TABLES[name]
    parts = [f"{_Z_TEXT[i][4:]} {'> 0' if t[i] == 1 else '<= 0'}" for i in range(4)]
    return f"{name} needs {', '.join(parts)}."


def _gate_hint(
    name: str, w: np.ndarray, b: float, z: np.ndarray, out: np.ndarray, target: np.ndarray
) -> tuple[str, Hint]:
    for other, table in TRUTH_TABLES.items():
        if other == name or not np.array_equal(out, table):
            continue
        if (name, other) == ("AND", "OR"):
            return "or-not-and", Hint(
                "Your neuron computes OR, not AND: one input alone already makes it fire.",
                f"Look at z for the inputs with a single 1: w1 + b = {w[0] + b:g} and w2 + b = {w[1] + b:g}; "
                "for AND both must be <= 0.",
                f"Lower the bias to between -(w1 + w2) = {-(w[0] + w[1]):g} and -max(w1, w2) = {-max(w):g}: "
                "then one input is not enough, and both together still are.",
            )
        if (name, other) == ("OR", "AND"):
            return "and-not-or", Hint(
                "Your neuron computes AND, not OR: it fires only when both inputs are on.",
                f"Look at z for the inputs with a single 1: w1 + b = {w[0] + b:g} and w2 + b = {w[1] + b:g}; "
                "for OR both must be > 0.",
                f"Raise the bias to above -min(w1, w2) = {-min(w):g}, but keep it <= 0 (for the input (0, 0)).",
            )
        if {name, other} in ({"AND", "NAND"}, {"OR", "NOR"}):
            return "negated", Hint(
                f"Your neuron computes {other}, the opposite of {name}: every output is flipped.",
                "Look at the signs of your weights and of your bias.",
                "Flip the signs of both weights and of the bias; if some z is then exactly 0 where "
                f"{name} needs a 1, move the bias a little (the step outputs 1 only where z > 0).",
            )
        return "other-gate", Hint(
            f"Your neuron computes {other}, not {name}.",
            f"Look at the four weighted inputs in the table: {_requirements(name)}",
            _fix_for_row(name, w, b, z, out, target)[1].fix,
        )
    return _fix_for_row(name, w, b, z, out, target)


def _fix_for_row(
    name: str, w: np.ndarray, b: float, z: np.ndarray, out: np.ndarray, target: np.ndarray
) -> tuple[str, Hint]:
    i = int(np.argmax(out != target))
    x1, x2 = (int(v) for v in GATE_INPUTS[i])
    what = f"For x = ({x1}, {x2}) your neuron outputs {int(out[i])}; {name} needs {int(target[i])}."
    where = f"There {_Z_TEXT[i]} = {z[i]:g}, and the step outputs 1 only where z > 0 (strictly)."
    bias_text, bias_ok = _BIAS_NEEDED[name]
    if z[i] == 0 and target[i] == 1:
        return "boundary", Hint(
            f"For x = ({x1}, {x2}) the weighted input is exactly z = 0, so the step outputs 0; {name} needs 1.",
            where,
            f"Make z a little larger there ({_Z_TEXT[i][4:]} > 0), while the other three inputs keep their outputs.",
        )
    if not bias_ok(b):
        fix = (
            f"{name} needs {bias_text}: with b = {b:g} no weights can work. Choose such a bias "
            f"first, then the weights. {_requirements(name)}"
        )
        return ("bias" if i == 0 else "bias-cannot-work"), Hint(what, where, fix)
    return ("one-input" if i in (1, 2) else "both-inputs"), Hint(what, where, _needs(name, i, b))


def and_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing AND."""
    return gate("AND", w, b)


def or_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing OR."""
    return gate("OR", w, b)


def nand_gate(w: Any, b: Any) -> Verdict:
    """Check the weights ``w`` and bias ``b`` of a step neuron computing NAND (not AND)."""
    return gate("NAND", w, b)
