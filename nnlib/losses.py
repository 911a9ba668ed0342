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
never ``inf`` or NaN. A network does not need the clip: with its paired
output activation (sigmoid for binary, softmax for categorical cross-entropy)
:meth:`Loss.output_value` computes the same cost from the weighted input ``z``,
exactly even where ``a`` has rounded to 0 or 1 (a saturated output).

Each loss also says which targets make sense (:meth:`Loss.check_targets`):
any finite numbers for the quadratic cost, probabilities in ``[0, 1]`` for
binary cross-entropy, and rows that are probability distributions (entries
``>= 0`` that sum to 1, such as one-hot rows) for categorical cross-entropy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import Activation, sigmoid
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


# --- the same costs from z, for an output layer with the paired activation --------------


def _softplus(z: np.ndarray) -> np.ndarray:
    """ln(1 + e^z), exact for every z (numpy's logaddexp(0, z) never overflows)."""
    return np.logaddexp(0.0, z)


def binary_cross_entropy_from_z(z: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy of sigmoid outputs a = sigma(z), from z.

    With ``-ln sigma(z) = softplus(-z)`` and ``-ln(1 - sigma(z)) = softplus(z)``::

        C_x = sum_j [y softplus(-z) + (1 - y) softplus(z)]

    exact even where sigma(z) rounds to 0 or 1, where the clipped formula flattens out.
    """
    return float(np.sum(y * _softplus(-z) + (1.0 - y) * _softplus(z)) / z.shape[0])


def categorical_cross_entropy_from_z(z: np.ndarray, y: np.ndarray) -> float:
    """Categorical cross-entropy of softmax outputs, from z.

    ``-ln a_j = ln sum_k e^(z_k) - z_j``, with the row maximum m subtracted as in
    softmax (``u = z - m <= 0``)::

        C_x = sum_j y_j (ln sum_k e^(u_k) - u_j)

    exact even for a probability a_j too small to store.
    """
    u = z - z.max(axis=-1, keepdims=True)  # (n, n_out), <= 0
    log_sum = np.log(np.exp(u).sum(axis=-1, keepdims=True))  # (n, 1), >= 0
    return float(np.sum(y * (log_sum - u)) / z.shape[0])


# --- targets each loss accepts -----------------------------------------------------------

# How far a row of categorical targets may sum from 1: float32 rounding of label-smoothed rows.
SUM_TOLERANCE = 1e-5


def _first(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _any_targets(y: np.ndarray) -> str | None:
    return None


def _probability_targets(y: np.ndarray) -> str | None:
    bad = (y < 0) | (y > 1)
    if bad.any():
        i, j = _first(bad)
        return (
            f"must hold probabilities in [0, 1] for the binary_cross_entropy loss, got {y[i, j].item()!r} "
            f"at row {i}, column {j} (for -1/+1 labels use (Y + 1) / 2, or the quadratic loss)"
        )
    return None


_DISTRIBUTIONS = (
    "must have rows that are probability distributions for the categorical_cross_entropy loss "
    "(entries >= 0 that sum to 1, such as the one-hot rows of nnlib.data.one_hot)"
)


def _distribution_targets(y: np.ndarray) -> str | None:
    if (y < 0).any():
        i, j = _first(y < 0)
        return f"{_DISTRIBUTIONS}, got {y[i, j].item()!r} at row {i}, column {j}"
    sums = y.sum(axis=1)
    off = np.abs(sums - 1.0) > SUM_TOLERANCE
    if off.any():
        i = int(np.argmax(off))
        return f"{_DISTRIBUTIONS}, but row {i} sums to {sums[i].item()!r}"
    return None


# Below this, the rounding error of a ~ 1 (1e-16) is no longer negligible against the output delta.
_TINY_DELTA = 1e-6


def _exact_paired_delta(name: str, z: np.ndarray, a: np.ndarray, y: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """``delta = sigma(z) - y`` (or ``softmax(z) sum(y) - y``) with the digits that ``a ~ 1`` lost.

    Binary: where z > 0 and y >= 1/2, sigma(z) - y = (1 - y) - sigma(-z), with sigma(-z) small
    and exact. Softmax: in each row the largest output is a_j = 1 - r with r the sum of the
    others, so a_j s - y_j = (s - y_j) - r s, with s - y_j the sum of the other targets.
    """
    delta = delta.copy()
    if name == "binary_cross_entropy":
        fix = (z > 0) & (y >= 0.5)
        delta[fix] = (1.0 - y[fix]) - sigmoid(-z[fix])
        return delta
    rows, j = np.arange(a.shape[0]), a.argmax(axis=-1)
    others_a, others_y = a.copy(), y.copy()
    others_a[rows, j] = 0.0
    others_y[rows, j] = 0.0
    delta[rows, j] = others_y.sum(axis=-1) - others_a.sum(axis=-1) * y.sum(axis=-1)
    return delta


@dataclass(frozen=True)
class Loss:
    """A cost function with its gradient.

    ``paired_activation`` names the output activation whose derivative
    cancels against this loss's gradient, so that the output error is simply
    ``delta^L = a - y`` (sigmoid with binary cross-entropy, softmax with
    categorical cross-entropy). :meth:`output_delta` uses that shortcut: it
    is the same number, computed without dividing by a tiny ``a (1 - a)``.
    With that activation, ``value_from_z`` computes the cost from ``z`` (see
    :meth:`output_value`). ``targets`` returns what is wrong with a target
    array for this loss, or None (see :meth:`check_targets`).
    """

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]
    paired_activation: str | None = None
    value_from_z: Callable[[np.ndarray, np.ndarray], float] | None = None
    targets: Callable[[np.ndarray], str | None] = _any_targets

    def __call__(self, a: np.ndarray, y: np.ndarray) -> float:
        """The mean cost over the batch, ``value(a, y)``, after checking the two shapes."""
        a, y = np.asarray(a), np.asarray(y)
        if a.ndim != 2 or a.shape != y.shape or a.shape[0] == 0:
            raise ValueError(
                f"{self!r} expected outputs a and targets y of the same shape (n_samples, n_outputs) "
                f"with n_samples >= 1, got a of shape {a.shape} and y of shape {y.shape}"
            )
        return self.value(a, y)

    def output_value(self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """The mean cost of an output layer with weighted input ``z`` and output ``a``.

        With the paired activation the cost is computed from ``z``, which stays exact
        where ``a`` rounds to 0 or 1; otherwise it is ``value(a, y)``.
        """
        if self.value_from_z is not None and activation.name == self.paired_activation:
            return self.value_from_z(z, y)
        return self.value(a, y)

    def output_delta(self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """BP1, the error of the output layer: delta^L = dC_x/da (.) sigma'(z^L).

        With the paired activation this is ``a - y`` for binary cross-entropy and
        ``a * sum_j y_j - y`` for softmax with categorical cross-entropy, which is
        ``a - y`` for the usual targets whose rows sum to 1 (one-hot rows: bit for bit).

        Where an output is right and sure of it, ``a`` has rounded to (nearly) 1 and
        ``a - y`` keeps only the rounding error of ``a`` (about 1e-16) of a much smaller
        true delta. That matters only when every delta of the batch is tiny (a
        gradient check at a saturated point); then the digits are recovered from ``z``
        (``_exact_paired_delta``).
        """
        if activation.name == self.paired_activation:
            if self.name == "categorical_cross_entropy":
                delta = a * y.sum(axis=-1, keepdims=True) - y
            else:
                delta = a - y
            if not np.abs(delta).max(initial=0.0) > _TINY_DELTA:
                delta = _exact_paired_delta(self.name, z, a, y, delta)
            return delta
        return activation.backward(z, a, self.grad(a, y))

    def check_targets(self, y: np.ndarray, who: str = "Y") -> None:
        """Raise ``ValueError`` if ``y`` (finite, of shape ``(n, n_outputs)``) is no target for this loss."""
        problem = self.targets(y)
        if problem:
            raise ValueError(f"{who} {problem}")

    def __repr__(self) -> str:
        return f"Loss({self.name!r})"


LOSSES: dict[str, Loss] = {
    "quadratic": Loss("quadratic", quadratic, quadratic_grad),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy",
        binary_cross_entropy,
        binary_cross_entropy_grad,
        paired_activation="sigmoid",
        value_from_z=binary_cross_entropy_from_z,
        targets=_probability_targets,
    ),
    "categorical_cross_entropy": Loss(
        "categorical_cross_entropy",
        categorical_cross_entropy,
        categorical_cross_entropy_grad,
        paired_activation="softmax",
        value_from_z=categorical_cross_entropy_from_z,
        targets=_distribution_targets,
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
