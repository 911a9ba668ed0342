"""Numerical gradients by central differences, to check backpropagation.

For any scalar function f and parameter array p::

    df/dp[i] ~ (f(p + h e_i) - f(p - h e_i)) / (2 h)

The error of this estimate shrinks like h^2, so with float64 and h = 1e-5 it
agrees with a correct analytic gradient to about 1e-8 (relative). A bug
in backprop shows up as a relative error of order 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], p: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of ``f()`` with respect to array ``p``.

    ``f`` takes no arguments and reads ``p``, which is changed in place
    during the computation and restored exactly afterwards.
    """
    grad = np.zeros_like(p, dtype=np.float64)
    it = np.nditer(p, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = p[i]
        p[i] = old + h
        f_plus = f()
        p[i] = old - h
        f_minus = f()
        p[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray, floor: float = 1e-12) -> float:
    """||a - b|| / (||a|| + ||b||): 0 when equal, about 1 when unrelated (0 when both are 0).

    Norms over the whole array make the measure robust to single entries
    that are zero up to rounding, where an elementwise ratio would be noise.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(a) + np.linalg.norm(b)), floor))


def check_gradients(net, X, Y, h: float = 1e-5) -> float:
    """Largest relative error between backprop's and numerical gradients of the mean loss.

    Compares every weight and bias of ``net`` (a :class:`~nnlib.network.Network`)
    on the batch ``(X, Y)``. Use float64; below 1e-6 means backprop is right.
    """
    X = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0])
    analytic = net.gradients(X, Y)
    params = [p for layer in net.layers for p in (layer.W, layer.b)]

    def loss() -> float:
        return net.loss(net.forward(X), Y)

    return max(relative_error(g, numerical_gradient(loss, p, h)) for g, p in zip(analytic, params))
