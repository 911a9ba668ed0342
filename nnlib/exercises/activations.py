"""Checks for chapter 2, *Activation functions* (``book/activations/activations.ipynb``).

In the chapter::

    from nnlib.exercises import activations as check
    check.sigmoid(sigmoid)              # stable: no overflow warning at z = -1000
    check.sigmoid_prime(sigmoid_prime)
    check.relu(relu, relu_prime)        # both functions of one exercise
    check.softmax(softmax)              # rows are examples

The references are the functions of :mod:`nnlib.activations`, so a correct
answer follows the library's conventions (ReLU's derivative is 0 at z = 0;
softmax normalizes each row). Every function must return a numpy array of
floats (not a list, nor True/False) and leave its input unchanged. A result
that is right but made numpy warn about overflow counts as wrong: the warning
is the symptom the chapter is about. Softmax is tried on rows with a large
spread (-1000 to 1000), where only subtracting each row's own maximum keeps
every exponent finite.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import activations as act
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "sigmoid": Exercise("ex-act-sigmoid", "A sigmoid that never overflows", "sigmoid"),
    "sigmoid_prime": Exercise("ex-act-sigmoid-prime", "The derivative of the sigmoid", "sigmoid_prime"),
    "relu": Exercise("ex-act-relu", "ReLU and its derivative", "relu", several=True),
    "relu_prime": Exercise("ex-act-relu", "ReLU and its derivative", "relu_prime", several=True),
    "softmax": Exercise("ex-act-softmax", "A stable softmax for a batch", "softmax"),
}

# --- sigmoid ---------------------------------------------------------------------------------------

_Z_CASES = [
    Case((np.array([0.0]),), label="z = 0"),
    Case((np.array([-2.0, -1.0, 0.0, 1.0, 2.0]),), label="small z"),
    Case((np.array([[-3.0, 0.5, 1.5], [4.0, -0.25, 0.0]]),), label="a 2-D batch (work elementwise)"),
    Case((np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]),), label="large |z|"),
]

_OVERFLOW_HINT = (
    "overflow",
    Hint(
        "The values are right, but on the way numpy computed exp(1000) = inf: at z = -1000, "
        "1 / (1 + np.exp(-z)) overflows, and only by luck 1 / inf = 0.0 is the right answer "
        "(in other formulas inf turns into NaN).",
        "Look at every np.exp in your function: which sign does its argument have for z = -1000? "
        "Note that np.where(cond, f(z), g(z)) computes both f and g on every element, so a "
        "masked formula written with np.where still overflows.",
        "Write the sigmoid so that exp never sees a large positive number: sigma(z) = "
        "0.5 * tanh(z / 2) + 0.5, or exp(z) / (1 + exp(z)) computed only on the elements where z < 0 "
        "(with a boolean mask) and 1 / (1 + exp(-z)) on the others.",
    ),
)

_MATH_HINT = Hint(
    "math.exp works on one number only, and z is an array.",
    "Look for math.exp (or another function of the math module) in your code.",
    "Use numpy's version, np.exp, which works elementwise on a whole array.",
)
_IF_HINT = Hint(
    "An `if` on an array, or Python's max()/min() on an array, asks one question about the whole "
    "array at once, and numpy cannot answer it.",
    "Look for `if z > 0:`, `max(z, 0)` or `min(...)` applied to an array.",
    "Use elementwise numpy functions instead: np.maximum(z, 0), np.where(z > 0, a, b) or a boolean mask.",
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
        Hint(
            "Your sigmoid falls from 1 to 0 as z grows; the sigmoid rises from 0 to 1.",
            "Look at the sign inside the exponential.",
            "sigma(z) = 1 / (1 + exp(-z)): exp of minus z.",
        ),
    ),
    Mistake(
        "tanh-without-half",
        lambda z: 0.5 * np.tanh(z) + 0.5,
        Hint(
            "Your function rises from 0 to 1 like the sigmoid, but twice as steeply: it is 0.5 * tanh(z) + 0.5.",
            "Look at the argument of tanh in the identity you used.",
            "The identity is sigma(z) = 0.5 * tanh(z / 2) + 0.5: tanh of z/2, not of z.",
        ),
    ),
    Mistake(
        "tanh",
        np.tanh,
        Hint(
            "Your function runs from -1 to 1: that is tanh. The sigmoid runs from 0 to 1.",
            "Look at the formula: tanh and the sigmoid are related, but not equal.",
            "sigma(z) = 0.5 * tanh(z / 2) + 0.5, or 1 / (1 + exp(-z)) written stably.",
        ),
    ),
    Mistake(
        "minus-in-denominator",
        lambda z: 1.0 / (1.0 - np.exp(-z)),
        Hint(
            "Your values are not between 0 and 1 (and infinite at z = 0): the denominator is 1 - exp(-z).",
            "Look at the sign between 1 and the exponential in the denominator.",
            "The denominator is 1 + exp(-z), with a plus.",
        ),
    ),
]


@saves("sigmoid")
def sigmoid(fn: Callable | None) -> Verdict:
    """Check ``sigmoid(z)``: a float array of z's shape, right everywhere, no overflow warning at large ``|z|``."""
    return core.check_function(
        EXERCISES["sigmoid"],
        fn,
        act.sigmoid,
        _Z_CASES,
        _SIGMOID_MISTAKES,
        arg_names=["z"],
        warning_hint=_OVERFLOW_HINT,
        raised_hints=_RAISED,
        returns=core.float_array,
    )


# --- sigmoid_prime -----------------------------------------------------------------------------

# z = 0 would not tell sigma (1 - sigma) from 1 - sigma^2 or sigma (1 + sigma): start at z = 2
_Z_PRIME_CASES = [Case((np.array([2.0]),), label="z = 2")] + _Z_CASES[1:]

_SIGMOID_PRIME_MISTAKES = [
    Mistake(
        "returned-sigma",
        act.sigmoid,
        Hint(
            "Your values are sigma(z) itself, not its derivative.",
            "Look at what you return: the sigmoid is only the first ingredient.",
            "sigma'(z) = s * (1 - s) with s = sigma(z).",
        ),
    ),
    Mistake(
        "z-not-sigma",
        lambda z: z * (1.0 - z),
        Hint(
            "Your values are z * (1 - z): the formula was applied to z instead of to sigma(z).",
            "Look at what you plug into s * (1 - s).",
            "Compute s = sigmoid(z) first, then return s * (1 - s).",
        ),
    ),
    Mistake(
        "tanh-prime",
        lambda z: 1.0 - act.sigmoid(z) ** 2,
        Hint(
            "Your values are 1 - sigma(z)^2, the pattern of tanh's derivative.",
            "Look at the product: sigma' multiplies sigma by (1 - sigma).",
            "sigma'(z) = sigma(z) * (1 - sigma(z)).",
        ),
    ),
    Mistake(
        "one-plus",
        lambda z: act.sigmoid(z) * (1.0 + act.sigmoid(z)),
        Hint(
            "Your values are sigma(z) * (1 + sigma(z)): a plus where the formula has a minus.",
            "Look at the sign in the second factor.",
            "sigma'(z) = sigma(z) * (1 - sigma(z)), with a minus.",
        ),
    ),
]

_PRIME_OVERFLOW_HINT = (
    "overflow",
    Hint(
        "The values are right, but numpy warned about an overflow on the way (at z = -1000).",
        "Look at the sigmoid your function calls, and at any np.exp or np.cosh in it: "
        "exp(1000) or cosh(500)**2 is inf.",
        "Use a stable sigmoid (your solution above, or nnlib.activations.sigmoid) and compute s * (1 - s) from it.",
    ),
)


@saves("sigmoid_prime")
def sigmoid_prime(fn: Callable | None) -> Verdict:
    """Check ``sigmoid_prime(z)`` = sigma(z) (1 - sigma(z)): a float array, stable at large ``|z|``."""
    return core.check_function(
        EXERCISES["sigmoid_prime"],
        fn,
        act.sigmoid_prime,
        _Z_PRIME_CASES,
        _SIGMOID_PRIME_MISTAKES,
        arg_names=["z"],
        warning_hint=_PRIME_OVERFLOW_HINT,
        raised_hints=_RAISED,
        returns=core.float_array,
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
        Hint(
            "Your result is the largest entry along axis 0: np.max(z, 0) is a reduction, which "
            "returns fewer numbers than z has.",
            "Look at np.max(z, 0): its second argument is an axis, not a number to compare with.",
            "The elementwise maximum of z and 0 is np.maximum(z, 0).",
        ),
    ),
    Mistake(
        "abs",
        np.abs,
        Hint(
            "Your function turns negative z into positive numbers (that is abs(z)); ReLU turns them into 0.",
            "Look at what happens to the negative entries.",
            "relu(z) = max(0, z) elementwise: np.maximum(z, 0).",
        ),
    ),
    Mistake(
        "min",
        lambda z: np.minimum(z, 0.0),
        Hint(
            "Your function keeps the negative part of z and zeroes the positive part: the opposite of ReLU.",
            "Look at which of min and max you used.",
            "ReLU keeps the positive part: np.maximum(z, 0).",
        ),
    ),
    Mistake(
        "derivative",
        act.relu_prime,
        Hint(
            "Your relu returns 0 or 1: that is ReLU's derivative, not ReLU.",
            "Look at the values where z > 0: ReLU returns z itself there.",
            "relu(z) = np.maximum(z, 0): z where z > 0, and 0 elsewhere.",
        ),
    ),
]

_RELU_PRIME_MISTAKES = [
    Mistake(
        "at-zero",
        lambda z: (np.asarray(z) >= 0).astype(float),
        Hint(
            "Your derivative is 1 at z = 0; nnlib (like most libraries) uses 0 there.",
            "Look at the comparison: `>=` includes z = 0.",
            "Use a strict comparison: (z > 0).astype(float).",
        ),
    ),
    Mistake(
        "returned-relu",
        act.relu,
        Hint(
            "Your relu_prime returns z where z > 0: that is ReLU itself, not its slope.",
            "Look at the values where z > 0: the slope of ReLU there is 1, whatever z is.",
            "relu_prime(z) = 1 where z > 0 and 0 elsewhere: (z > 0).astype(float).",
        ),
    ),
    Mistake(
        "sign",
        np.sign,
        Hint(
            "Your derivative is -1 for negative z (that is np.sign); ReLU is flat there, slope 0.",
            "Look at the values for negative z.",
            "relu_prime(z) = 1 where z > 0 and 0 elsewhere: (z > 0).astype(float).",
        ),
    ),
    Mistake(
        "leaky",
        act.leaky_relu_prime,
        Hint(
            "Your derivative is 0.01 for negative z: that is the leaky ReLU's slope.",
            "Look at the value you give negative z.",
            "Plain ReLU has slope 0 for z <= 0: (z > 0).astype(float).",
        ),
    ),
]


@saves("relu", "relu_prime")
def relu(relu_fn: Callable | None, relu_prime_fn: Callable | None = None) -> Verdict:
    """Check ``relu(z)`` and then, if given, ``relu_prime(z)``: the first one not correct decides.

    Both must return float arrays (``z > 0`` alone is a bool array) and leave ``z`` unchanged.
    """
    first = core.check_function(
        EXERCISES["relu"],
        relu_fn,
        act.relu,
        _RELU_CASES,
        _RELU_MISTAKES,
        arg_names=["z"],
        raised_hints=_RAISED,
        returns=core.float_array,
    )
    if not first.passed or relu_prime_fn is None:
        return first
    second = relu_prime(relu_prime_fn)
    if not second.passed:
        return second
    return core.correct(
        EXERCISES["relu"],
        f"Well done: `relu` and `relu_prime` both match on {core.plural(len(_RELU_CASES), 'test case')}.",
    )


@saves("relu_prime")
def relu_prime(fn: Callable | None) -> Verdict:
    """Check ``relu_prime(z)``: 1.0 where z > 0, else 0.0 (0 at z = 0, as nnlib), as a float array."""
    return core.check_function(
        EXERCISES["relu_prime"],
        fn,
        act.relu_prime,
        _RELU_CASES,
        _RELU_PRIME_MISTAKES,
        arg_names=["z"],
        raised_hints=_RAISED,
        returns=core.float_array,
    )


# --- softmax ---------------------------------------------------------------------------------------

_SOFTMAX_CASES = [
    Case((np.array([[1.0, 2.0, 3.0]]),), label="one example, three classes"),
    Case((np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]),), label="two examples (rows)"),
    Case((np.array([[0.0, 1.0, 2.0], [2.0, 0.0, 1.0], [-1.0, 0.5, 3.0]]),), label="a square batch"),
    Case((np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1000.0, -999.0]]),), label="large |z|"),
    Case(
        (np.array([[-1000.0, 0.0, 1000.0], [3.0, -2000.0, 1.0], [0.5, 0.25, 0.0], [-3.0, 700.0, -700.0]]),),
        label="rows with a large spread (from -2000 to 1000)",
    ),
]


def _shifted_softmax(shift: Callable[[np.ndarray], np.ndarray | float]) -> Callable[[np.ndarray], np.ndarray]:
    def softmax(z: np.ndarray) -> np.ndarray:
        e = np.exp(z - shift(z))
        return e / e.sum(axis=1, keepdims=True)

    return softmax


def _axis0_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def _no_keepdims_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1)


_KEEPDIMS_HINT = Hint(
    "Dividing by e.sum(axis=1) fails or divides the wrong entries: that sum has shape (n,), "
    "which numpy lines up with the *columns* of the (n, k) array, not with its rows.",
    "Look at the division (and the subtraction of the maximum): which shape does each reduced array have?",
    "Keep the reduced axis: e.sum(axis=1, keepdims=True) has shape (n, 1) and divides each row by its own sum.",
)

_SOFTMAX_MISTAKES = [
    Mistake(
        "no-max",
        _shifted_softmax(lambda z: 0.0),
        Hint(
            "Your softmax gives NaN for scores around 1000: exp(1000) overflows to inf, and inf / inf is NaN "
            "(and exp(-1000) underflows to 0, giving 0 / 0).",
            "Look at the argument of np.exp: nothing keeps it small.",
            "Subtract each row's maximum first, Z - Z.max(axis=1, keepdims=True); it changes nothing "
            "mathematically, since the factor exp(-max) cancels between numerator and denominator.",
        ),
    ),
    Mistake(
        "global-max",
        _shifted_softmax(lambda z: z.max()),
        Hint(
            "Your softmax gives NaN on a row whose scores are all far below the batch's largest "
            "score: every exponent of that row underflows to 0, and 0 / 0 is NaN.",
            "Look at the maximum you subtract: Z.max() is the maximum of the whole batch, not of each row.",
            "Subtract each row's own maximum: Z - Z.max(axis=1, keepdims=True).",
        ),
    ),
    Mistake(
        "mean-shift",
        _shifted_softmax(lambda z: z.mean(axis=1, keepdims=True)),
        Hint(
            "Your softmax overflows on a row whose scores are far apart (-1000 to 1000): "
            "after subtracting the row's mean, exponents as large as 1000 are left.",
            "Look at what you subtract before np.exp: a row's mean is not its largest value, so "
            "Z - mean can still be large and positive.",
            "Subtract each row's maximum, Z - Z.max(axis=1, keepdims=True): then every exponent is <= 0.",
        ),
    ),
    Mistake(
        "min-shift",
        _shifted_softmax(lambda z: z.min(axis=1, keepdims=True)),
        Hint(
            "Your softmax overflows on a row whose scores are far apart: after subtracting the "
            "row's minimum, exponents as large as 2000 are left.",
            "Look at what you subtract before np.exp: subtracting the minimum makes every exponent >= 0.",
            "Subtract each row's maximum, Z - Z.max(axis=1, keepdims=True): then every exponent is <= 0.",
        ),
    ),
    Mistake(
        "axis-0",
        _axis0_softmax,
        Hint(
            "Your columns sum to 1, not your rows: you normalized across the examples (axis=0).",
            "Look at the axis of the maximum and of the sum.",
            "Rows are examples: reduce along axis=1 (or axis=-1), with keepdims=True.",
        ),
    ),
    Mistake("no-keepdims", _no_keepdims_softmax, _KEEPDIMS_HINT),
    Mistake(
        "sum-everything",
        lambda z: np.exp(z) / np.exp(z).sum(),
        Hint(
            "All your probabilities together sum to 1, instead of each row's: you divided by "
            "the sum over the whole batch.",
            "Look at the sum in the denominator: it has no axis.",
            "Divide each row by its own sum: e / e.sum(axis=1, keepdims=True).",
        ),
    ),
]

_SOFTMAX_WARNING = (
    "overflow",
    Hint(
        "The values are right, but numpy warned about an overflow or an invalid value on the way.",
        "Look at the argument of np.exp: for scores around 1000 it must not be large and positive.",
        "Subtract each row's maximum before np.exp, so that every exponent is <= 0.",
    ),
)


@saves("softmax")
def softmax(fn: Callable | None) -> Verdict:
    """Check ``softmax(Z)`` for a batch ``Z`` of shape ``(n_samples, n_classes)``.

    Rows sum to 1; a float array of Z's shape; no warning on scores of +-1000 nor on rows
    with a large spread; ``Z`` unchanged.
    """
    return core.check_function(
        EXERCISES["softmax"],
        fn,
        act.softmax,
        _SOFTMAX_CASES,
        _SOFTMAX_MISTAKES,
        arg_names=["Z"],
        warning_hint=_SOFTMAX_WARNING,
        raised_hints=[("could not be broadcast", "no-keepdims", _KEEPDIMS_HINT)] + _RAISED,
        returns=core.float_array,
    )
