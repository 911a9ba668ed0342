"""Checks for chapter 3, *Loss functions* (``book/losses/losses.ipynb``).

In the chapter::

    from nnlib.exercises import losses as check
    check.quadratic(quadratic)                           # C = (1/n) sum_x 1/2 ||a - y||^2
    check.binary_cross_entropy(binary_cross_entropy)     # clipped, averaged over the batch
    check.categorical_cross_entropy(categorical_cross_entropy)
    check.softmax_cross_entropy_grad(softmax_cross_entropy_grad)   # dC/dZ, by gradient check

``a`` and ``y`` have shape ``(n_samples, n_outputs)`` and every cost is the
mean over the examples of a per-example cost ``C_x``, as in
:mod:`nnlib.losses`, whose functions are the references. A cost is one number
(a float, not an array nor an int). The gradient exercise is checked against a
numerical gradient (:func:`nnlib.gradcheck.numerical_gradient`), so any correct
formula passes; it must return a float array, and stay finite for scores around
1000 (a stable softmax). No function may change its inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import losses as L
from ..activations import sigmoid, softmax
from ..gradcheck import numerical_gradient
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "quadratic": Exercise("ex-loss-quadratic", "The quadratic cost of a batch", "quadratic"),
    "binary_cross_entropy": Exercise("ex-loss-bce", "Binary cross-entropy", "binary_cross_entropy"),
    "categorical_cross_entropy": Exercise("ex-loss-cce", "Categorical cross-entropy", "categorical_cross_entropy"),
    "softmax_cross_entropy_grad": Exercise(
        "ex-loss-softmax-grad", "The gradient of the cross-entropy through softmax", "softmax_cross_entropy_grad"
    ),
}

# --- quadratic (MSE) -------------------------------------------------------------------------------

_QUADRATIC_CASES = [
    Case((np.array([[0.8]]), np.array([[1.0]])), label="one example, one output"),
    Case((np.array([[0.2, 0.7, 0.1]]), np.array([[0.0, 1.0, 0.0]])), label="one example, three outputs"),
    Case(
        (np.array([[0.9, 0.2], [0.4, 0.6], [0.1, 0.1]]), np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])),
        label="a batch of three examples",
    ),
    Case(
        (
            np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3], [0.9, 0.05, 0.05]]),
            np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
        ),
        label="a batch of four examples",
    ),
]

_QUADRATIC_MISTAKES = [
    Mistake(
        "no-half",
        lambda a, y: np.sum((a - y) ** 2) / a.shape[0],
        Hint(
            "Your cost is exactly twice the expected one: the 1/2 is missing.",
            "Look at the per-example cost: C_x = 1/2 ||a - y||^2.",
            "Multiply by 0.5: 0.5 * np.sum((a - y) ** 2) / n (the 1/2 cancels the 2 of the "
            "derivative, so dC_x/da = a - y).",
        ),
    ),
    Mistake(
        "per-example",
        lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=1),
        Hint(
            "You returned one cost per example; the cost of the batch is one number.",
            "Look at the last step: the per-example costs are not yet averaged.",
            "Take the mean of the per-example costs: np.mean(0.5 * np.sum((a - y) ** 2, axis=1)).",
        ),
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: 0.5 * np.mean((a - y) ** 2),
        Hint(
            "Your cost is too small by the number of outputs: you averaged over the outputs too.",
            "Look at np.mean over the whole array: it divides by n * n_outputs.",
            "Sum the squares over the outputs and average over the n examples only: 0.5 * np.sum((a - y) ** 2) / n.",
        ),
    ),
    Mistake(
        "mean-over-outputs-no-half",
        lambda a, y: np.mean((a - y) ** 2),
        Hint(
            "Your cost is np.mean((a - y) ** 2), the 'MSE' of some libraries: it averages over the "
            "outputs too and has no 1/2.",
            "Look at the formula: C = (1/n) sum_x 1/2 ||a - y||^2 sums over the outputs.",
            "0.5 * np.sum((a - y) ** 2) / n: sum over the outputs, average over the examples, times 1/2.",
        ),
    ),
    Mistake(
        "not-averaged",
        lambda a, y: 0.5 * np.sum((a - y) ** 2),
        Hint(
            "Your cost is n times too large: you summed over the batch instead of averaging.",
            "Look at the end of your formula: the 1/n of the mean is missing.",
            "Divide by the number of examples n = a.shape[0], so that the cost does not grow with the batch size.",
        ),
    ),
    Mistake(
        "no-square",
        lambda a, y: 0.5 * np.sum(np.abs(a - y)) / a.shape[0],
        Hint(
            "Your cost adds up |a - y|, the absolute differences, not their squares.",
            "Look at how each difference enters the sum.",
            "Square the differences: ||a - y||^2 = sum_j (a_j - y_j) ** 2.",
        ),
    ),
]


@saves("quadratic")
def quadratic(fn: Callable | None) -> Verdict:
    """Check ``quadratic(a, y)`` = (1/n) sum_x 1/2 ||a - y||^2 (the quadratic cost, or MSE): one float."""
    return core.check_function(
        EXERCISES["quadratic"],
        fn,
        L.quadratic,
        _QUADRATIC_CASES,
        _QUADRATIC_MISTAKES,
        arg_names=["a", "y"],
        returns=core.number,
    )


mse = quadratic

# --- binary cross-entropy -------------------------------------------------------------------------

_BCE_CASES = [
    Case((np.array([[0.9]]), np.array([[1.0]])), label="one example, target 1"),
    Case((np.array([[0.9], [0.2]]), np.array([[1.0], [0.0]])), label="two examples, targets 1 and 0"),
    Case((np.array([[0.7, 0.1, 0.6]]), np.array([[1.0, 0.0, 0.0]])), label="one example, three outputs"),
    Case(
        (np.array([[0.6, 0.3], [0.2, 0.9], [0.5, 0.5]]), np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])),
        label="a batch of three examples",
    ),
    Case(
        (np.array([[1.0], [0.0], [0.3]]), np.array([[1.0], [0.0], [1.0]])),
        label="outputs of exactly 1 and 0 (a saturated sigmoid)",
    ),
]


def _bce_terms(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    a = np.clip(a, L.EPS, 1 - L.EPS)
    return y * np.log(a) + (1 - y) * np.log(1 - a)


_BCE_MISTAKES = [
    Mistake(
        "sign",
        lambda a, y: np.sum(_bce_terms(a, y)) / a.shape[0],
        Hint(
            "Your cost is negative: the expected cost with its sign flipped.",
            "Look at the sign in front: ln a is negative for 0 < a < 1.",
            "C = -(1/n) sum [y ln a + (1 - y) ln(1 - a)]: put a minus in front.",
        ),
    ),
    Mistake(
        "per-example",
        lambda a, y: -np.sum(_bce_terms(a, y), axis=1),
        Hint(
            "You returned one cost per example; the cost of the batch is one number.",
            "Look at the last step: the per-example costs are not yet averaged.",
            "Return their mean: sum over the outputs, then divide by n = a.shape[0].",
        ),
    ),
    Mistake(
        "only-first-term",
        lambda a, y: -np.sum(y * np.log(np.clip(a, L.EPS, 1))) / a.shape[0],
        Hint(
            "Your cost leaves out the examples with target 0: they cost nothing.",
            "Look at the formula: the (1 - y) ln(1 - a) term is missing.",
            "Binary cross-entropy has both terms: y ln a + (1 - y) ln(1 - a).",
        ),
    ),
    Mistake(
        "not-averaged",
        lambda a, y: -np.sum(_bce_terms(a, y)),
        Hint(
            "Your cost is n times too large: you summed over the batch instead of averaging.",
            "Look at the end of your formula: the 1/n is missing.",
            "Divide by the number of examples n = a.shape[0].",
        ),
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: -np.mean(_bce_terms(a, y)),
        Hint(
            "Your cost is too small by the number of outputs: you averaged over the outputs too.",
            "Look at np.mean over the whole array: it divides by a.size = n * n_outputs.",
            "Sum over the outputs of each example and divide by n = a.shape[0] only.",
        ),
    ),
    Mistake(
        "no-clip",
        lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.shape[0],
        Hint(
            "Your cost is NaN for outputs of exactly 0 or 1: one of the logs is ln 0 = -inf, and 0 * (-inf) is NaN.",
            "Look at the arguments of np.log: nothing keeps them away from 0.",
            "Clip the outputs first: a = np.clip(a, EPS, 1 - EPS) with EPS = 1e-12.",
        ),
    ),
]

_LOG_WARNING_HINT = (
    "log-of-zero",
    Hint(
        "The values are right here, but numpy warned about a log of 0 (or 0 * inf) on the way: an "
        "output of exactly 0 or 1 next to the wrong target would give an infinite cost.",
        "Look at the arguments of np.log: a branch you later throw away (np.where computes both) "
        "still takes the log of 0.",
        "Clip first: a = np.clip(a, EPS, 1 - EPS), then take the logs.",
    ),
)


@saves("binary_cross_entropy")
def binary_cross_entropy(fn: Callable | None) -> Verdict:
    """Check ``binary_cross_entropy(a, y)``: clipped, summed over outputs, averaged over examples: one float."""
    return core.check_function(
        EXERCISES["binary_cross_entropy"],
        fn,
        L.binary_cross_entropy,
        _BCE_CASES,
        _BCE_MISTAKES,
        arg_names=["a", "y"],
        warning_hint=_LOG_WARNING_HINT,
        returns=core.number,
    )


# --- categorical cross-entropy ----------------------------------------------------------------------

_CCE_CASES = [
    Case((np.array([[0.7, 0.2, 0.1]]), np.array([[1.0, 0.0, 0.0]])), label="one example, class 0"),
    Case(
        (np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])),
        label="two examples",
    ),
    Case(
        (np.array([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]]), np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])),
        label="probabilities of exactly 0 and 1",
    ),
    Case(
        (np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]), np.array([[0.8, 0.1, 0.1], [0.0, 0.5, 0.5]])),
        label="soft targets (not one-hot)",
    ),
]


def _log(a: np.ndarray) -> np.ndarray:
    return np.log(np.clip(a, L.EPS, 1.0))


_CCE_MISTAKES = [
    Mistake(
        "sign",
        lambda a, y: np.sum(y * _log(a)) / a.shape[0],
        Hint(
            "Your cost is negative: the expected cost with its sign flipped.",
            "Look at the sign in front: ln a_j <= 0.",
            "C = -(1/n) sum_x sum_j y_j ln a_j: put a minus in front.",
        ),
    ),
    Mistake(
        "per-example",
        lambda a, y: -np.sum(y * _log(a), axis=1),
        Hint(
            "You returned one cost per example; the cost of the batch is one number.",
            "Look at the last step: the per-example costs are not yet averaged.",
            "Return their mean: sum over the classes, then divide by n = a.shape[0].",
        ),
    ),
    Mistake(
        "not-averaged",
        lambda a, y: -np.sum(y * _log(a)),
        Hint(
            "Your cost is n times too large: you summed over the batch instead of averaging.",
            "Look at the end of your formula: the 1/n is missing.",
            "Divide by the number of examples n = a.shape[0].",
        ),
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: -np.mean(y * _log(a)),
        Hint(
            "Your cost is too small by the number of classes: you averaged over the classes too.",
            "Look at np.mean over the whole array: it divides by a.size = n * k.",
            "Sum y_j ln a_j over the classes of each example, then divide by n = a.shape[0] only.",
        ),
    ),
    Mistake(
        "binary-formula",
        lambda a, y: L.binary_cross_entropy(a, y),
        Hint(
            "Your cost is the binary cross-entropy, with a (1 - y) ln(1 - a) term.",
            "Look at the formula: the categorical cross-entropy has one term per class.",
            "With softmax outputs keep only -sum_j y_j ln a_j (averaged over the examples).",
        ),
    ),
    Mistake(
        "no-clip",
        lambda a, y: -np.sum(y * np.log(a)) / a.shape[0],
        Hint(
            "Your cost is NaN where a probability is exactly 0: ln 0 = -inf, and 0 * (-inf) is NaN even where y_j = 0.",
            "Look at the argument of np.log: nothing keeps it away from 0.",
            "Clip first: np.log(np.clip(a, EPS, 1.0)) with EPS = 1e-12.",
        ),
    ),
    Mistake(
        "argmax",
        lambda a, y: -np.mean(_log(a[np.arange(a.shape[0]), y.argmax(axis=1)])),
        Hint(
            "Your cost uses only the probability of each example's largest target; with soft "
            "targets (not one-hot) the other classes count too.",
            "Look at how you pick the terms: an argmax or an index keeps one class per example.",
            "Sum over every class: -np.sum(y * np.log(np.clip(a, EPS, 1.0))) / n.",
        ),
    ),
]


@saves("categorical_cross_entropy")
def categorical_cross_entropy(fn: Callable | None) -> Verdict:
    """Check ``categorical_cross_entropy(a, y)`` = -(1/n) sum_x sum_j y_j ln a_j, clipped: one float."""
    return core.check_function(
        EXERCISES["categorical_cross_entropy"],
        fn,
        L.categorical_cross_entropy,
        _CCE_CASES,
        _CCE_MISTAKES,
        arg_names=["a", "y"],
        warning_hint=_LOG_WARNING_HINT,
        returns=core.number,
    )


# --- the gradient of softmax + categorical cross-entropy -------------------------------------------


def numerical_softmax_ce_grad(Z: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """dC/dZ of C = categorical_cross_entropy(softmax(Z), Y), by central differences."""
    Z = np.array(Z, dtype=np.float64)  # a copy: numerical_gradient nudges it in place
    return numerical_gradient(lambda: L.categorical_cross_entropy(softmax(Z), Y), Z)


_GRAD_CASES = [
    Case((np.array([[2.0, 1.0, 0.1]]), np.array([[1.0, 0.0, 0.0]])), label="one example"),
    Case(
        (
            np.array([[2.0, 1.0, 0.1], [0.5, -1.0, 1.5], [0.0, 0.0, 0.0]]),
            np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
        ),
        label="a batch of three",
    ),
    Case(
        (
            np.array([[3.0, -2.0, 0.5, 1.0], [-1.0, 4.0, 0.0, 2.0]]),
            np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]),
        ),
        label="confidently wrong, four classes",
    ),
    Case(
        (
            np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -999.0]]),
            np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
        ),
        label="scores around +-1000 (a stable softmax is needed)",
    ),
]

_GRAD_MISTAKES = [
    Mistake(
        "not-averaged",
        lambda Z, Y: softmax(Z) - Y,
        Hint(
            "Your gradient is n times too large: a - y is the gradient of one example's cost C_x.",
            "Look at the cost: C is the mean over the batch, so each example contributes 1/n of its gradient.",
            "Divide by the number of examples: (a - y) / n, with n = Z.shape[0].",
        ),
    ),
    Mistake(
        "sign",
        lambda Z, Y: (Y - softmax(Z)) / Z.shape[0],
        Hint(
            "Your gradient has the wrong sign: it is (y - a) / n.",
            "Look at the order of the subtraction: raising the score of the right class must lower the cost.",
            "dC/dz = (a - y) / n.",
        ),
    ),
    Mistake(
        "no-softmax",
        lambda Z, Y: (Z - Y) / Z.shape[0],
        Hint(
            "Your gradient uses the scores Z where the formula has the probabilities a.",
            "Look at what you subtract y from.",
            "Use the softmax output a = softmax(Z): dC/dz = (a - y) / n.",
        ),
    ),
    Mistake(
        "grad-wrt-a",
        lambda Z, Y: -Y / softmax(Z) / Z.shape[0],
        Hint(
            "Your gradient is the one with respect to a, -y / a (over n), not with respect to the scores z.",
            "Look at the chain rule through the softmax: it multiplies by the softmax's Jacobian.",
            "Through the softmax, -y / a simplifies to dC/dz = (a - y) / n.",
        ),
    ),
    Mistake(
        "mean-over-classes",
        lambda Z, Y: (softmax(Z) - Y) / Z.size,
        Hint(
            "Your gradient is too small by the number of classes: you divided by n * k.",
            "Look at what you divide by: the cost averages over the examples only.",
            "Divide by n = Z.shape[0]: (a - y) / n.",
        ),
    ),
    Mistake(
        "sigmoid",
        lambda Z, Y: (sigmoid(Z) - Y) / Z.shape[0],
        Hint(
            "Your gradient uses a sigmoid of each score; the output here is a softmax (each row sums to 1).",
            "Look at the activation you apply to Z.",
            "Use a = nnlib.activations.softmax(Z), then (a - y) / n.",
        ),
    ),
    Mistake(
        "naive-softmax",
        lambda Z, Y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - Y) / Z.shape[0],
        Hint(
            "Your gradient is NaN for scores around 1000: exp(1000) overflows to inf, and inf / inf is NaN.",
            "Look at your softmax: it takes exp of the scores without subtracting each row's maximum.",
            "Use the stable nnlib.activations.softmax (or subtract Z.max(axis=1, keepdims=True) before np.exp).",
        ),
    ),
]

_GRAD_WARNING = (
    "overflow",
    Hint(
        "The values are right, but numpy warned on the way (an overflow or an invalid value).",
        "Look at the softmax you use: for scores around 1000 its exponents must not be large.",
        "Use the stable nnlib.activations.softmax.",
    ),
)


@saves("softmax_cross_entropy_grad")
def softmax_cross_entropy_grad(fn: Callable | None) -> Verdict:
    """Check ``softmax_cross_entropy_grad(Z, Y)``: dC/dZ of the mean cross-entropy of softmax(Z).

    The reference is a numerical gradient, so any correct formula passes; the result must be a
    float array of Z's shape, finite for scores around +-1000.
    """
    return core.check_function(
        EXERCISES["softmax_cross_entropy_grad"],
        fn,
        numerical_softmax_ce_grad,
        _GRAD_CASES,
        _GRAD_MISTAKES,
        arg_names=["Z", "Y"],
        rtol=1e-5,
        atol=1e-7,
        warning_hint=_GRAD_WARNING,
        returns=core.float_array,
    )
