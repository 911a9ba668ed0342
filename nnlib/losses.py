"""Loss (cost) functions: how far the network's output ``a`` is from the target ``y``.

Both ``a`` and ``y`` have shape ``(n_samples, n_outputs)``: one row per
example. Every loss here is the *average over the batch* of a per-example
cost ``C_x``::

    C = (1/n) sum_x C_x

``loss.value(a, y)`` returns that average (a float). ``loss.grad(a, y)``
returns the per-example gradient ``dC_x/da`` with the same shape as ``a``;
the 1/n of the average is applied once, where the gradients for the
weights are summed over the batch (see :mod:`nnlib.layers`).

Cross-entropies clip predictions into ``[EPS, 1 - EPS]`` before taking a
log, so a prediction of exactly 0 or 1 gives a large but finite loss,
never ``inf`` or NaN.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import Activation
from .lookup import lookup

EPS = 1e-12


def quadratic(a: np.ndarray, y: np.ndarray) -> float:
    """Quadratic cost (MSE) ``C = (1/n) sum_x 1/2 ||a - y||^2``."""
    return float(0.5 * np.sum((a - y) ** 2) / a.shape[0])


def quadratic_grad(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dC_x/da = a - y."""
    return a - y


def _clip_probabilities(a: np.ndarray) -> np.ndarray:
    """Clip into [eps, 1 - eps], with an eps the array's dtype can tell apart from 1.

    In float32, 1 - 1e-12 rounds to exactly 1, so the clip would not keep ln(1 - a) finite.
    """
    eps = max(EPS, float(np.finfo(a.dtype).eps)) if a.dtype.kind == "f" else EPS
    return np.clip(a, eps, 1.0 - eps)


def binary_cross_entropy(a: np.ndarray, y: np.ndarray) -> float:
    """``C = -(1/n) sum_x sum_j [y ln a + (1 - y) ln(1 - a)]`` for outputs in (0, 1)."""
    a = _clip_probabilities(a)
    return float(-np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a)) / a.shape[0])


def binary_cross_entropy_grad(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dC_x/da = (a - y) / (a (1 - a))."""
    a = _clip_probabilities(a)
    return (a - y) / (a * (1.0 - a))


def categorical_cross_entropy(a: np.ndarray, y: np.ndarray) -> float:
    """``C = -(1/n) sum_x sum_j y_j ln a_j`` for a probability vector ``a`` (softmax output)."""
    a = np.clip(a, EPS, 1.0)
    return float(-np.sum(y * np.log(a)) / a.shape[0])


def categorical_cross_entropy_grad(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """dC_x/da_j = -y_j / a_j."""
    return -y / np.clip(a, EPS, 1.0)


@dataclass(frozen=True)
class Loss:
    """A cost function with its gradient.

    ``paired_activation`` names the output activation whose derivative
    cancels against this loss's gradient, so that the output error is simply
    ``delta^L = a - y`` (sigmoid with binary cross-entropy, softmax with
    categorical cross-entropy). :meth:`output_delta` uses that shortcut: it
    is the same number, computed without dividing by a tiny ``a (1 - a)``.
    """

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    paired_activation: str | None = None

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        return self.value(a, y)

    def output_delta(self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """BP1, the error of the output layer: delta^L = dC_x/da (.) sigma'(z^L)."""
        if activation.name == self.paired_activation:
            return a - y
        return activation.backward(z, a, self.grad(a, y))

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


LOSSES: dict[str, Loss] = {
    "quadratic": Loss("quadratic", quadratic, quadratic_grad),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_grad, paired_activation="sigmoid"
    ),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy",
        categorical_cross_entropy,
        categorical_cross_entropy_grad,
        paired_activation="softmax",
    ),
}
_ALIASES = {
    "mse": "quadratic",
    "bce": "binary_cross_entropy",
    "cross_entropy": "categorical_cross_entropy",
    "cce": "categorical_cross_entropy",
    "crossentropy": "categorical_cross_entropy",
}


def get_loss(name: str | Loss) -> Loss:
    """Return the :class:`Loss` called ``name``; an unknown name lists the valid ones."""
    if isinstance(name, Loss):
        return name
    return lookup("loss", name, LOSSES, _ALIASES, example="quadratic")
