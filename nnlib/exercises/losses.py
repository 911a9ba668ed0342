"""Checks for chapter 3, *Loss functions* (``book/losses/losses.ipynb``).

In the chapter::

    from nnlib.exercises import losses as check
    check.quadratic(quadratic)                           # C = (1/n) sum_x 1/2 ||a - y||^2
    check.binary_cross_entropy(binary_cross_entropy)     # clipped, averaged over the batch
    check.categorical_cross_entropy(categorical_cross_entropy)
    check.softmax_cross_entropy_grad(softmax_cross_entropy_grad)   # dC/dZ, by gradient check

``a`` and ``y`` have shape ``(n_samples, n_outputs)`` and every cost is the
mean over the examples of a per-example cost ``C_x``, as in
:mod:`nnlib.losses`, whose functions are the references. The gradient
exercise is checked against a numerical gradient
(:func:`nnlib.gradcheck.numerical_gradient`), so any correct formula passes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import losses as L
from ..activations import sigmoid, softmax
from ..gradcheck import numerical_gradient
from . import core
from .core import Case, Mistake, Verdict

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
        "Did you forget the 1/2? nnlib's quadratic cost is C_x = 1/2 ||a - y||^2 (the 1/2 cancels "
        "the 2 of the derivative, so dC_x/da = a - y).",
    ),
    Mistake(
        "per-example",
        lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=1),
        "You returned one cost per example. The cost of the batch is one number: the mean of those per-example costs.",
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: 0.5 * np.mean((a - y) ** 2),
        "You averaged over the outputs too (np.mean over the whole array divides by n * n_outputs). "
        "Sum the squares over the outputs of each example, then average over the n examples only: "
        "0.5 * np.sum((a - y)**2) / n.",
    ),
    Mistake(
        "mean-over-outputs-no-half",
        lambda a, y: np.mean((a - y) ** 2),
        "np.mean((a - y)**2) is the 'MSE' of some libraries: it averages over the outputs too and "
        "has no 1/2. nnlib's quadratic cost is (1/n) sum_x 1/2 ||a - y||^2: sum over the outputs, "
        "average over the examples, times 1/2.",
    ),
    Mistake(
        "not-averaged",
        lambda a, y: 0.5 * np.sum((a - y) ** 2),
        "You summed over the batch instead of averaging: divide by the number of examples "
        "n = a.shape[0], so that the cost does not grow with the batch size.",
    ),
    Mistake(
        "no-square",
        lambda a, y: 0.5 * np.sum(np.abs(a - y)) / a.shape[0],
        "Square the differences: ||a - y||^2 = sum_j (a_j - y_j)^2.",
    ),
]


def quadratic(fn: Callable | None) -> Verdict:
    """Check ``quadratic(a, y)`` = (1/n) sum_x 1/2 ||a - y||^2 (the quadratic cost, or MSE)."""
    return core.check_function(
        "quadratic", fn, L.quadratic, _QUADRATIC_CASES, _QUADRATIC_MISTAKES, arg_names=["a", "y"]
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
        "Check the sign: ln a is negative for 0 < a < 1, so the cost needs a minus in front, "
        "C = -(1/n) sum [y ln a + (1 - y) ln(1 - a)], to be positive.",
    ),
    Mistake(
        "per-example",
        lambda a, y: -np.sum(_bce_terms(a, y), axis=1),
        "You returned one cost per example. Return their mean: one number for the batch.",
    ),
    Mistake(
        "only-first-term",
        lambda a, y: -np.sum(y * np.log(np.clip(a, L.EPS, 1))) / a.shape[0],
        "You left out the (1 - y) ln(1 - a) term, so examples with target 0 cost nothing. "
        "Binary cross-entropy has both terms.",
    ),
    Mistake(
        "not-averaged",
        lambda a, y: -np.sum(_bce_terms(a, y)),
        "You summed over the batch: divide by the number of examples n = a.shape[0].",
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: -np.mean(_bce_terms(a, y)),
        "You averaged over the outputs too. nnlib sums the cost over the outputs of an example "
        "and averages over the n examples only: divide by a.shape[0], not by a.size.",
    ),
    Mistake(
        "no-clip",
        lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.shape[0],
        "At a = 0 or a = 1 one of the logs is ln 0 = -inf, and 0 * (-inf) is NaN. Clip the "
        "predictions first: a = np.clip(a, EPS, 1 - EPS) with EPS = 1e-12.",
    ),
]

_LOG_WARNING_HINT = (
    "log-of-zero",
    "The values are right here, but numpy warned about a log of 0 (or "
    "0 * inf) on the way: a prediction of exactly 0 or 1 next to the wrong target "
    "would give an infinite cost. Clip first: a = np.clip(a, EPS, 1 - EPS).",
)


def binary_cross_entropy(fn: Callable | None) -> Verdict:
    """Check ``binary_cross_entropy(a, y)``: clipped, summed over outputs, averaged over examples."""
    return core.check_function(
        "binary_cross_entropy",
        fn,
        L.binary_cross_entropy,
        _BCE_CASES,
        _BCE_MISTAKES,
        arg_names=["a", "y"],
        warning_hint=_LOG_WARNING_HINT,
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
        "Check the sign: ln a_j <= 0, so C = -(1/n) sum_x sum_j y_j ln a_j needs the minus to be positive.",
    ),
    Mistake(
        "per-example",
        lambda a, y: -np.sum(y * _log(a), axis=1),
        "You returned one cost per example. Return their mean: one number for the batch.",
    ),
    Mistake(
        "not-averaged",
        lambda a, y: -np.sum(y * _log(a)),
        "You summed over the batch: divide by the number of examples n = a.shape[0].",
    ),
    Mistake(
        "mean-over-outputs",
        lambda a, y: -np.mean(y * _log(a)),
        "You averaged over the classes too: sum y_j ln a_j over the classes of each example, "
        "then average over the n examples only (divide by a.shape[0], not a.size).",
    ),
    Mistake(
        "binary-formula",
        lambda a, y: L.binary_cross_entropy(a, y),
        "That is the binary cross-entropy, with a (1 - y) ln(1 - a) term. With softmax outputs "
        "the categorical cross-entropy keeps only -sum_j y_j ln a_j.",
    ),
    Mistake(
        "no-clip",
        lambda a, y: -np.sum(y * np.log(a)) / a.shape[0],
        "A probability of exactly 0 gives ln 0 = -inf, and 0 * (-inf) = NaN even where y_j = 0. "
        "Clip first: np.log(np.clip(a, EPS, 1.0)) with EPS = 1e-12.",
    ),
    Mistake(
        "argmax",
        lambda a, y: -np.mean(_log(a[np.arange(a.shape[0]), y.argmax(axis=1)])),
        "You picked the probability of the largest target only. That equals the formula for "
        "one-hot targets, but the definition sums over every class: -sum_j y_j ln a_j.",
    ),
]


def categorical_cross_entropy(fn: Callable | None) -> Verdict:
    """Check ``categorical_cross_entropy(a, y)`` = -(1/n) sum_x sum_j y_j ln a_j, clipped."""
    return core.check_function(
        "categorical_cross_entropy",
        fn,
        L.categorical_cross_entropy,
        _CCE_CASES,
        _CCE_MISTAKES,
        arg_names=["a", "y"],
        warning_hint=_LOG_WARNING_HINT,
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
]

_GRAD_MISTAKES = [
    Mistake(
        "not-averaged",
        lambda Z, Y: softmax(Z) - Y,
        "a - y is the gradient of one example's cost C_x. The cost C is the mean over the batch, "
        "so each example's share is (a - y) / n, with n = Z.shape[0].",
    ),
    Mistake(
        "sign",
        lambda Z, Y: (Y - softmax(Z)) / Z.shape[0],
        "Check the sign: dC/dz = (a - y) / n. Raising the logit of the right class must lower the cost.",
    ),
    Mistake(
        "no-softmax",
        lambda Z, Y: (Z - Y) / Z.shape[0],
        "Use the softmax output a = softmax(Z), not the logits Z: dC/dz = (a - y) / n.",
    ),
    Mistake(
        "grad-wrt-a",
        lambda Z, Y: -Y / softmax(Z) / Z.shape[0],
        "That is the gradient with respect to a, -y / a. Through the softmax it simplifies to dC/dz = (a - y) / n.",
    ),
    Mistake(
        "mean-over-classes",
        lambda Z, Y: (softmax(Z) - Y) / Z.size,
        "You divided by n * n_classes. The cost averages over the n examples only: (a - y) / n.",
    ),
    Mistake(
        "sigmoid",
        lambda Z, Y: (sigmoid(Z) - Y) / Z.shape[0],
        "The output here is a softmax (each row sums to 1), not a sigmoid of each logit.",
    ),
]


def softmax_cross_entropy_grad(fn: Callable | None) -> Verdict:
    """Check ``softmax_cross_entropy_grad(Z, Y)``: dC/dZ of the mean cross-entropy of softmax(Z).

    The reference is a numerical gradient, so any correct formula passes.
    """
    return core.check_function(
        "softmax_cross_entropy_grad",
        fn,
        numerical_softmax_ce_grad,
        _GRAD_CASES,
        _GRAD_MISTAKES,
        arg_names=["Z", "Y"],
        rtol=1e-5,
        atol=1e-7,
        warning_hint=(
            "overflow",
            "The values are right, but numpy warned on the way: use a stable softmax (nnlib.activations.softmax).",
        ),
    )
