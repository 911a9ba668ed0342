"""Checks for chapter 2, *Activation functions* (``book/activations/activations.ipynb``).

In the chapter::

    from nnlib.exercises import activations as check
    check.sigmoid(sigmoid)              # stable: no overflow warning at z = -1000
    check.sigmoid_prime(sigmoid_prime)
    check.relu(relu, relu_prime)        # both functions of one exercise
    check.softmax(softmax)              # rows are examples

The references are the functions of :mod:`nnlib.activations`, so a correct
answer follows the library's conventions (ReLU's derivative is 0 at z = 0;
softmax normalizes each row). A result that is right but made numpy warn
about overflow counts as wrong: the warning is the symptom the chapter is
about.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import activations as act
from . import core
from .core import Case, Mistake, Verdict

# --- sigmoid ---------------------------------------------------------------------------------------

_Z_CASES = [
    Case((np.array([0.0]),), label="z = 0"),
    Case((np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),), label="small z"),
    Case((np.array([[-3.0, 0.5], [4.0, -0.25]]),), label="a 2-D batch (work elementwise)"),
    Case((np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]),), label="large |z|"),
]

_OVERFLOW_HINT = (
    "overflow",
    "1 / (1 + np.exp(-z)) computes exp(1000) = inf at z = -1000; the result 1 / inf = 0.0 happens "
    "to be right, but numpy had to warn about the overflow (and in other formulas inf turns into "
    "NaN). Write the sigmoid so that exp never sees a large positive number: for example "
    "sigma(z) = 0.5 * tanh(z / 2) + 0.5, or exp(z) / (1 + exp(z)) on the elements where z < 0 only. "
    "Note that np.where(cond, f(z), g(z)) computes both f and g on every element, so it still overflows.",
)

_MATH_HINT = (
    "math.exp works on one number only; np.exp works elementwise on a whole array. Use numpy functions throughout."
)
_IF_HINT = (
    "An `if z > 0:` or Python's max() on an array compares the whole array at once. Use "
    "elementwise numpy functions instead: np.maximum, np.where or a boolean mask."
)
_RAISED = [
    ("0-dimensional arrays", "math-not-numpy", _MATH_HINT),
    ("length-1 arrays", "math-not-numpy", _MATH_HINT),
    ("truth value of an array", "python-if", _IF_HINT),
]

_SIGMOID_MISTAKES = [
    Mistake(
        "sign",
        lambda z: 1.0 / (1.0 + np.exp(z)),
        "Check the sign inside the exponential: sigma(z) = 1 / (1 + exp(-z)). Yours falls "
        "from 1 to 0 instead of rising.",
    ),
    Mistake(
        "tanh-without-half",
        lambda z: 0.5 * np.tanh(z) + 0.5,
        "The identity is sigma(z) = 0.5 * tanh(z / 2) + 0.5: tanh of z/2, not of z.",
    ),
    Mistake(
        "tanh",
        lambda z: np.tanh(z),
        "That is tanh, which runs from -1 to 1. The sigmoid runs from 0 to 1: 1 / (1 + exp(-z)).",
    ),
    Mistake("minus-in-denominator", lambda z: 1.0 / (1.0 - np.exp(-z)), "The denominator is 1 + exp(-z), with a plus."),
]


def sigmoid(fn: Callable | None) -> Verdict:
    """Check ``sigmoid(z)``: right values everywhere, and no overflow warning at large ``|z|``."""
    return core.check_function(
        "sigmoid",
        fn,
        act.sigmoid,
        _Z_CASES,
        _SIGMOID_MISTAKES,
        arg_names=["z"],
        warning_hint=_OVERFLOW_HINT,
        raised_hints=_RAISED,
    )


# --- sigmoid_prime -----------------------------------------------------------------------------

# z = 0 would not tell sigma (1 - sigma) from 1 - sigma^2 or sigma (1 + sigma): start at z = 2
_Z_PRIME_CASES = [Case((np.array([2.0]),), label="z = 2")] + _Z_CASES[1:]

_SIGMOID_PRIME_MISTAKES = [
    Mistake(
        "returned-sigma",
        act.sigmoid,
        "That is sigma(z) itself. The derivative is sigma'(z) = sigma(z) * (1 - sigma(z)).",
    ),
    Mistake(
        "z-not-sigma",
        lambda z: z * (1.0 - z),
        "You computed z * (1 - z). The formula is s * (1 - s) with s = sigma(z): apply the sigmoid first.",
    ),
    Mistake(
        "tanh-prime",
        lambda z: 1.0 - act.sigmoid(z) ** 2,
        "1 - sigma(z)^2 is the pattern of tanh's derivative. For the sigmoid it is sigma(z) * (1 - sigma(z)).",
    ),
    Mistake(
        "one-plus",
        lambda z: act.sigmoid(z) * (1.0 + act.sigmoid(z)),
        "Check the sign: sigma'(z) = sigma(z) * (1 - sigma(z)), with a minus.",
    ),
]


def sigmoid_prime(fn: Callable | None) -> Verdict:
    """Check ``sigmoid_prime(z)`` = sigma(z) (1 - sigma(z)), stable at large ``|z|``."""
    hint = (
        _OVERFLOW_HINT[0],
        "The values are right but numpy warned about overflow, most likely in "
        "the sigmoid you call. Use a stable sigmoid (your solution above, or "
        "nnlib.activations.sigmoid).",
    )
    return core.check_function(
        "sigmoid_prime",
        fn,
        act.sigmoid_prime,
        _Z_PRIME_CASES,
        _SIGMOID_PRIME_MISTAKES,
        arg_names=["z"],
        warning_hint=hint,
        raised_hints=_RAISED,
    )


# --- relu and relu_prime -------------------------------------------------------------------------

_RELU_CASES = [
    Case((np.array([3.0]),), label="one positive z"),
    Case((np.array([-2.0, -0.5, 0.0, 0.5, 2.0]),), label="negative, zero and positive z"),
    Case((np.array([[-1.0, 3.0], [2.0, -4.0], [0.5, 0.0]]),), label="a 2-D batch (work elementwise)"),
]

_RELU_MISTAKES = [
    Mistake(
        "np-max",
        lambda z: np.max(z, 0),
        "np.max(z, 0) is the largest entry *along axis 0* (a reduction that returns fewer numbers). "
        "The elementwise maximum of z and 0 is np.maximum(z, 0).",
    ),
    Mistake("abs", np.abs, "ReLU sets negative z to 0; it does not flip their sign like abs(z)."),
    Mistake(
        "min", lambda z: np.minimum(z, 0.0), "That keeps the negative part. ReLU keeps the positive part: max(0, z)."
    ),
    Mistake(
        "derivative",
        act.relu_prime,
        "That is ReLU's derivative (0 or 1). ReLU itself returns z where z > 0 and 0 elsewhere.",
    ),
]

_RELU_PRIME_MISTAKES = [
    Mistake(
        "at-zero",
        lambda z: (np.asarray(z) >= 0).astype(float),
        "At z = 0 ReLU has a corner and no derivative; nnlib (like most libraries) uses 0 there. "
        "Use z > 0, not z >= 0.",
    ),
    Mistake("returned-relu", act.relu, "That is ReLU itself. Its derivative is 1 where z > 0 and 0 elsewhere."),
    Mistake(
        "sign",
        np.sign,
        "np.sign gives -1 for negative z, but ReLU is flat (slope 0) there: the derivative "
        "is 1 where z > 0 and 0 elsewhere.",
    ),
    Mistake(
        "leaky",
        act.leaky_relu_prime,
        "That is the leaky ReLU's derivative (slope 0.01 for z < 0). Plain ReLU has slope 0 there.",
    ),
]


def relu(relu_fn: Callable | None, relu_prime_fn: Callable | None = None) -> Verdict:
    """Check ``relu(z)`` and then, if given, ``relu_prime(z)``: the first one not correct decides."""
    first = core.check_function(
        "relu", relu_fn, act.relu, _RELU_CASES, _RELU_MISTAKES, arg_names=["z"], raised_hints=_RAISED
    )
    if not first.passed or relu_prime_fn is None:
        return first
    second = relu_prime(relu_prime_fn)
    if not second.passed:
        return second
    return core.correct("relu and relu_prime", "Well done: both functions match on every test case.")


def relu_prime(fn: Callable | None) -> Verdict:
    """Check ``relu_prime(z)``: 1 where z > 0, else 0 (0 at z = 0, as nnlib)."""
    return core.check_function(
        "relu_prime", fn, act.relu_prime, _RELU_CASES, _RELU_PRIME_MISTAKES, arg_names=["z"], raised_hints=_RAISED
    )


# --- softmax ---------------------------------------------------------------------------------------

_SOFTMAX_CASES = [
    Case((np.array([[1.0, 2.0, 3.0]]),), label="one example, three classes"),
    Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),), label="two examples (rows)"),
    Case((np.array([[0.0, 1.0, 2.0], [2.0, 0.0, 1.0], [-1.0, 0.5, 3.0]]),), label="a square batch"),
    Case((np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -999.0]]),), label="large |z|"),
]


def _naive_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _global_max_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum(axis=1, keepdims=True)


def _axis0_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _no_keepdims_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


_KEEPDIMS_HINT = (
    "e.sum(axis=1) has shape (n,), which numpy lines up with the *columns* of the "
    "(n, k) array: it cannot broadcast, or divides the wrong entries. Keep the summed "
    "axis: e.sum(axis=1, keepdims=True) has shape (n, 1) and divides each row by its own sum."
)

_SOFTMAX_MISTAKES = [
    Mistake(
        "no-max",
        _naive_softmax,
        "exp(1000) overflows to inf and inf / inf is NaN (and exp(-1000) underflows to 0, giving "
        "0 / 0). Subtract each row's maximum first: z - z.max(axis=1, keepdims=True). It changes "
        "nothing mathematically, since the factor exp(-max) cancels between numerator and denominator.",
    ),
    Mistake(
        "global-max",
        _global_max_softmax,
        "You subtracted the maximum of the whole batch. A row whose values are all far below "
        "that maximum then underflows to 0 / 0. Subtract each row's own maximum: "
        "z.max(axis=1, keepdims=True).",
    ),
    Mistake(
        "axis-0",
        _axis0_softmax,
        "You normalized each column (axis=0), across the examples. Rows are examples: each row "
        "must sum to 1, so use axis=1 (or axis=-1) with keepdims=True.",
    ),
    Mistake("no-keepdims", _no_keepdims_softmax, _KEEPDIMS_HINT),
    Mistake(
        "sum-everything",
        lambda z: np.exp(z) / np.exp(z).sum(),
        "You divided by the sum over the whole batch. Each example (row) gets its own "
        "probabilities that sum to 1: sum over axis=1 with keepdims=True.",
    ),
]


def softmax(fn: Callable | None) -> Verdict:
    """Check ``softmax(Z)`` for a batch ``Z`` of shape ``(n_samples, n_classes)``: rows sum to 1, stable."""
    return core.check_function(
        "softmax",
        fn,
        act.softmax,
        _SOFTMAX_CASES,
        _SOFTMAX_MISTAKES,
        arg_names=["Z"],
        warning_hint=(
            "overflow",
            "The values are right, but numpy warned about overflow or an invalid "
            "value on the way. Subtract each row's maximum before np.exp, so that every "
            "exponent is <= 0.",
        ),
        raised_hints=[("could not be broadcast", "no-keepdims", _KEEPDIMS_HINT)] + _RAISED,
    )
