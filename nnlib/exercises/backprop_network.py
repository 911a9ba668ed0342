"""Checks for chapter 5, *Backpropagation*: the whole network, BP1-BP4 together.

In the chapter (re-exported by :mod:`nnlib.exercises.backprop`)::

    from nnlib.exercises import backprop as check
    check.backprop(backprop)

As for the per-layer checks in :mod:`nnlib.exercises.backprop`, every expected
value is a numerical gradient of the mean quadratic cost, compared part by part
by :func:`nnlib.exercises.gradient_check._check_gradients`; the known wrong
versions of the four equations are used only to pick the hint.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..gradcheck import numerical_gradient
from .core import Case, Mistake, Verdict
from .gradient_check import _check_gradients, _kind


# --- ex-backprop-network: the four equations together ------------------------------------


def _forward(X, weights, biases):
    activations, zs = [X], []
    for W, b in zip(weights, biases):
        zs.append(activations[-1] @ W + b)           # (n, n_out)
        activations.append(sigmoid(zs[-1]))          # (n, n_out)
    return activations, zs


def _backprop_numerical(X, Y, weights, biases) -> list[np.ndarray]:
    """[dC/dW^L, dC/db^L, dC/dW^{L-1}, ...] of the mean quadratic cost, numerically."""
    weights = [np.array(W, dtype=float) for W in weights]
    biases = [np.array(b, dtype=float) for b in biases]

    def cost() -> float:
        return float(0.5 * np.sum((_forward(X, weights, biases)[0][-1] - Y) ** 2) / X.shape[0])

    out = []
    for W, b in reversed(list(zip(weights, biases))):
        out += [numerical_gradient(cost, W), numerical_gradient(cost, b)]
    return out


def _backprop_variant(bp1_prime: bool = True, bp2_prime: bool = True, average: bool = True,
                      prime_at_a: bool = False):
    """The four equations, with one piece optionally left out (to recognise mistakes)."""
    def fn(X, Y, weights, biases):
        activations, zs = _forward(X, weights, biases)
        n, L = X.shape[0], len(weights)
        prime = (lambda l: sigmoid_prime(activations[l + 1])) if prime_at_a else \
            (lambda l: sigmoid_prime(zs[l]))
        delta = (activations[-1] - Y) * (prime(L - 1) if bp1_prime else 1.0)            # BP1
        grads_W, grads_b = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            grads_b[l] = delta.mean(axis=0) * (1 if average else n)                     # BP3
            grads_W[l] = activations[l].T @ delta / (n if average else 1)               # BP4
            if l > 0:
                delta = (delta @ weights[l].T) * (prime(l - 1) if bp2_prime else 1.0)   # BP2
        return grads_W, grads_b
    return fn


def _network_case(seed: int, n: int, sizes: list[int], label: str) -> Case:
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, sizes[0])), 2)
    Y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    weights = [np.round(rng.normal(size=(a, b)), 2) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.round(rng.normal(size=b), 2) for b in sizes[1:]]
    return Case((X, Y, weights, biases), label=label)


NETWORK_CASES = [
    _network_case(50, 1, [2, 2, 1], "one example, sizes [2, 2, 1]"),
    _network_case(51, 3, [2, 3, 2], "3 examples, sizes [2, 3, 2]"),
    _network_case(52, 4, [3, 4, 3, 2], "4 examples, sizes [3, 4, 3, 2]"),
]

NETWORK_MISTAKES = [
    Mistake("bp1-forgot-prime", _backprop_variant(bp1_prime=False),
            "The output layer's gradients are off: BP1 is delta^L = (a^L - y) * sigma'(z^L); "
            "did you leave out sigma'(z^L)?"),
    Mistake("not-averaged", _backprop_variant(average=False),
            "The gradients are exactly n times too large: the cost is the batch mean, so "
            "dC/dW^l = A^{l-1 T} delta^l / n and dC/db^l = mean of delta^l over the examples."),
    Mistake("bp2-forgot-prime", _backprop_variant(bp2_prime=False),
            "The output layer is right but the layers below are not: BP2 multiplies by the "
            "derivative of the layer below, delta^l = (delta^{l+1} W^{l+1 T}) * sigma'(z^l)."),
    Mistake("prime-of-a", _backprop_variant(prime_at_a=True),
            "You evaluated sigma' at the activations a instead of the weighted inputs z: use "
            "sigmoid_prime(zs[l]), or a * (1 - a) written with the activations directly."),
]


def _unpack_network(got: Any, expected: Sequence[np.ndarray]) -> list:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise ValueError(f"Return a pair of lists (grads_W, grads_b), got {_kind(got)}.")
    grads_W, grads_b = got
    L = len(expected) // 2
    for name, grads in (("grads_W", grads_W), ("grads_b", grads_b)):
        if not isinstance(grads, (tuple, list)) or len(grads) != L:
            raise ValueError(f"{name} must be a list with one array per layer ({L} here), "
                             f"got {_kind(grads)}.")
        for l, g in enumerate(grads):
            if g is None:
                raise ValueError(f"{name}[{l}] is still None: the loop must fill in every layer, "
                                 f"from l = {L - 1} down to 0.")
    out = []
    for l in range(L - 1, -1, -1):
        out += [grads_W[l], grads_b[l]]
    return out


def _network_names(case: Case) -> list[str]:
    L = len(case.args[2])
    names = []
    for l in range(L - 1, -1, -1):
        names += [f"grads_W[{l}] (dC/dW^{l + 1})", f"grads_b[{l}] (dC/db^{l + 1})"]
    return names


def backprop(fn: Callable | None) -> Verdict:
    """Check ``backprop(X, Y, weights, biases) -> (grads_W, grads_b)`` against numerical gradients.

    The network: sigmoid in every layer, quadratic cost averaged over the batch.
    The output layer is compared first, then each layer below.
    """
    return _check_gradients("ex-backprop-network", fn, _backprop_numerical, NETWORK_CASES,
                            _unpack_network, _network_names, NETWORK_MISTAKES,
                            ["X", "Y", "weights", "biases"])
