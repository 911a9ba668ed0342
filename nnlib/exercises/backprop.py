"""Checks for chapter 5, *Backpropagation*.

In the chapter::

    from nnlib.exercises import backprop as check
    check.dense_backward(dense_backward)

Every expected value here is a **numerical gradient** (central differences,
:func:`nnlib.gradcheck.numerical_gradient`) of the cost the exercise talks
about, never a copy of our formula: any correct way of writing the gradient
passes. Known wrong formulas are used only to pick the hint.

Conventions (``book/notation.md``): rows are examples; ``W`` has shape
``(n_in, n_out)``; the cost ``C`` is the batch mean of the per-example costs
``C_x``; ``delta = dC_x/dZ`` holds one row per example, so
``dC/dW = X^T delta / n`` and ``dC/db = mean(delta, axis=0)``.

This module holds the per-layer exercises (``sigmoid_backward``,
``output_delta`` for BP1, ``dense_backward``). The whole-network exercise,
``backprop``, is in :mod:`nnlib.exercises.backprop_network`, and the part-by-part
gradient comparison that ``dense_backward`` and ``backprop`` share is in
:mod:`nnlib.exercises.gradient_check`. ``backprop`` (with the cases and
wrong variants the tests use) is re-exported here, so the chapter needs only
``check.backprop``.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..gradcheck import numerical_gradient
from . import core
from .backprop_network import NETWORK_CASES, _backprop_variant, backprop  # noqa: F401 (re-exported)
from .core import Case, Mistake, Verdict
from .gradient_check import ATOL, RTOL, _check_gradients, _kind


def _data(seed: int, *shapes: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(np.round(rng.normal(size=s), 2) for s in shapes)


# --- ex-backprop-sigmoid: through an activation -------------------------------------


def _sigmoid_backward(Z: np.ndarray, grad_A: np.ndarray) -> np.ndarray:
    """dC_x/dZ from dC_x/dA, numerically: the gradient of sum(grad_A * sigmoid(Z)) in Z."""
    Z = np.array(Z, dtype=float)
    return numerical_gradient(lambda: float(np.sum(grad_A * sigmoid(Z))), Z)


SIGMOID_CASES = [
    Case(_data(20, (1, 1), (1, 1)), label="one example, one neuron"),
    Case(_data(21, (2, 3), (2, 3)), label="2 examples, 3 neurons"),
    Case((np.array([[-30.0, 0.0, 30.0]]), np.array([[1.0, 1.0, 1.0]])), label="large |z|"),
]

SIGMOID_MISTAKES = [
    Mistake("forgot-derivative", lambda Z, grad_A: grad_A,
            "You passed dC/dA through unchanged. The chain rule multiplies by the activation's "
            "derivative: dC/dZ = dC/dA * sigma'(Z)."),
    Mistake("used-sigma", lambda Z, grad_A: grad_A * sigmoid(Z),
            "You multiplied by sigma(Z). The chain rule needs the *derivative* "
            "sigma'(Z) = sigma(Z) * (1 - sigma(Z))."),
    Mistake("prime-of-z", lambda Z, grad_A: grad_A * Z * (1 - Z),
            "You computed Z * (1 - Z). The formula sigma(z)(1 - sigma(z)) is in terms of "
            "sigma(z): apply sigmoid first, s = sigmoid(Z), then s * (1 - s)."),
    Mistake("divided", lambda Z, grad_A: grad_A / sigmoid_prime(Z),
            "You divided by sigma'(Z); the chain rule multiplies: dC/dZ = dC/dA * sigma'(Z)."),
]


def sigmoid_backward(fn: Callable | None) -> Verdict:
    """Check ``sigmoid_backward(Z, grad_A) -> grad_A * sigma'(Z)`` (elementwise)."""
    return core.check_function("ex-backprop-sigmoid", fn, _sigmoid_backward, SIGMOID_CASES,
                               SIGMOID_MISTAKES, arg_names=["Z", "grad_A"], rtol=RTOL, atol=ATOL)


# --- ex-backprop-bp1: the output error -------------------------------------------------


def _output_delta(Z: np.ndarray, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """delta^L = dC_x/dZ^L for the quadratic cost, numerically: d(sum_x C_x)/dZ.

    ``A`` is ignored on purpose: the cost is recomputed from ``Z`` as
    ``sum_x 1/2 ||sigmoid(z_x) - y_x||^2``.
    """
    Z = np.array(Z, dtype=float)
    return numerical_gradient(lambda: float(0.5 * np.sum((sigmoid(Z) - Y) ** 2)), Z)


def _bp1_case(seed: int, n: int, n_out: int, label: str) -> Case:
    rng = np.random.default_rng(seed)
    Z = np.round(rng.normal(size=(n, n_out)), 2)
    Y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    return Case((Z, sigmoid(Z), Y), label=label)


BP1_CASES = [
    _bp1_case(30, 1, 1, "one example, one output"),
    _bp1_case(31, 3, 1, "3 examples, one output"),
    _bp1_case(32, 4, 3, "4 examples, 3 outputs"),
]

BP1_MISTAKES = [
    Mistake("forgot-prime", lambda Z, A, Y: A - Y,
            "You returned dC_x/da = a - y. BP1 multiplies it by the output layer's sigma'(z^L): "
            "delta^L = (a - y) * sigma'(z). (Only with cross-entropy does sigma' cancel out.)"),
    Mistake("used-sigma", lambda Z, A, Y: (A - Y) * A,
            "You multiplied by sigma(z) = a. BP1 needs the derivative sigma'(z) = a (1 - a)."),
    Mistake("wrong-sign", lambda Z, A, Y: (Y - A) * sigmoid_prime(Z),
            "The sign is flipped: the cost 1/2 (a - y)^2 has derivative (a - y), not (y - a)."),
    Mistake("averaged", lambda Z, A, Y: (A - Y) * sigmoid_prime(Z) / Z.shape[0],
            "delta is per example (dC_x/dz), so do not divide by the batch size here. The 1/n "
            "of the mean cost is applied once, in BP3 and BP4."),
    Mistake("prime-of-a", lambda Z, A, Y: (A - Y) * sigmoid_prime(A),
            "You evaluated sigma' at a instead of at z: sigma'(z) = sigma(z)(1 - sigma(z)) = a (1 - a)."),
]


def output_delta(fn: Callable | None) -> Verdict:
    """Check ``output_delta(Z, A, Y) -> (A - Y) * sigma'(Z)`` (BP1, quadratic cost, sigmoid)."""
    return core.check_function("ex-backprop-bp1", fn, _output_delta, BP1_CASES, BP1_MISTAKES,
                               arg_names=["Z", "A", "Y"], rtol=RTOL, atol=ATOL)


# --- ex-backprop-dense: one layer backward --------------------------------------------


def _dense_backward(X: np.ndarray, W: np.ndarray, delta: np.ndarray):
    """(dW, db, dX) numerically, from a cost whose dC_x/dZ is ``delta``.

    With ``Z = X W + b`` and the cost ``C = (1/n) sum_x delta_x . z_x`` (``delta``
    held fixed), ``dC_x/dZ = delta`` exactly, so the gradients of ``C`` in ``W`` and
    ``b`` are the layer's gradients of the mean cost, and the gradient of ``n C`` in
    ``X`` is the per-example ``dC_x/dX``.
    """
    X, W = np.array(X, dtype=float), np.array(W, dtype=float)
    b = np.zeros(W.shape[1])
    n = X.shape[0]

    def cost() -> float:
        return float(np.sum(delta * (X @ W + b)) / n)

    dX = numerical_gradient(lambda: n * cost(), X)
    return numerical_gradient(cost, W), numerical_gradient(cost, b), dX


DENSE_CASES = [
    Case(_data(40, (1, 2), (2, 2), (1, 2)), label="one example, 2 inputs, 2 neurons"),
    Case(_data(41, (3, 2), (2, 2), (3, 2)), label="3 examples, 2 inputs, 2 neurons"),
    Case(_data(42, (4, 3), (3, 2), (4, 2)), label="4 examples, 3 inputs, 2 neurons"),
]


def _dense_ref(X, W, d):
    """The analytic answer, used only to build the wrong answers below."""
    return X.T @ d / X.shape[0], d.mean(axis=0), d @ W.T


def _dense_mistake(part: int, wrong: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]):
    """(dW, db, dX) with component ``part`` replaced by a wrong formula."""
    def fn(X, W, d):
        out = list(_dense_ref(X, W, d))
        out[part] = wrong(X, W, d)
        return tuple(out)
    return fn


DENSE_MISTAKES = [
    Mistake("dW-not-averaged", _dense_mistake(0, lambda X, W, d: X.T @ d),
            "dW is exactly n times too large: the cost is the *mean* over the batch, so "
            "dC/dW = X^T delta / n (BP4)."),
    Mistake("dW-transposed", _dense_mistake(0, lambda X, W, d: d.T @ X / X.shape[0]),
            "dW is transposed: it must have the shape of W, (n_in, n_out). Compute X.T @ delta, "
            "not delta.T @ X."),
    Mistake("db-summed", _dense_mistake(1, lambda X, W, d: d.sum(axis=0)),
            "db is exactly n times too large: BP3 averages delta over the batch, "
            "db = delta.mean(axis=0)."),
    Mistake("db-wrong-axis", _dense_mistake(1, lambda X, W, d: d.mean(axis=1)),
            "db was averaged over the wrong axis: axis=1 runs across neurons. Average down the "
            "examples, delta.mean(axis=0), to get one number per neuron, shape (n_out,)."),
    Mistake("db-keepdims", _dense_mistake(1, lambda X, W, d: d.mean(axis=0, keepdims=True)),
            "db must have the shape of b, (n_out,): drop keepdims=True."),
    Mistake("db-all", _dense_mistake(1, lambda X, W, d: np.mean(d)),
            "db came out as a single number: average over the examples only (axis=0), "
            "one value per neuron."),
    Mistake("dX-missing-transpose", _dense_mistake(2, lambda X, W, d: d @ W),
            "dX needs W transposed: dC_x/dX = delta W^T, shape (n, n_in). This is the W^T of BP2 "
            "that carries the error one layer down."),
    Mistake("dX-averaged", _dense_mistake(2, lambda X, W, d: d @ W.T / X.shape[0]),
            "dX is per example, like delta (it becomes the next delta down): do not divide it by n. "
            "Only the parameter gradients dW and db are averaged."),
]


def _unpack_dense(got: Any, expected: Sequence[np.ndarray]) -> list:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise ValueError(f"Return a tuple of three arrays (dW, db, dX), got {_kind(got)}.")
    return list(got)


def dense_backward(fn: Callable | None) -> Verdict:
    """Check ``dense_backward(X, W, delta) -> (dW, db, dX)`` against numerical gradients.

    ``dW = dC/dW`` and ``db = dC/db`` of the batch-mean cost, ``dX = dC_x/dX``
    per example (what the layer below receives).
    """
    return _check_gradients("ex-backprop-dense", fn, _dense_backward, DENSE_CASES, _unpack_dense,
                            lambda case: ["dW", "db", "dX"], DENSE_MISTAKES, ["X", "W", "delta"])
