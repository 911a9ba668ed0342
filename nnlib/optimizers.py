"""Optimisers: how gradients turn into weight updates.

Plain gradient descent moves every parameter a step ``eta`` against its
gradient; momentum keeps a running velocity so steps build up along
consistent directions::

    SGD        w <- w - eta * dC/dw
    momentum   v <- mu * v - eta * dC/dw ;  w <- w + v

Regularisation adds a penalty on the weights (never the biases) to the
cost, and so a term to each weight gradient::

    L2   C + l2/2 * sum w^2     ->  dC/dw + l2 * w      ("weight decay")
    L1   C + l1 * sum |w|       ->  dC/dw + l1 * sign(w)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


def _check_rate(name: str, value: float, allow_zero: bool) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"SGD: {name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        need = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"SGD: {name} must be {need} finite number, got {value!r}")
    return value


@dataclass
class SGD:
    """Stochastic gradient descent with optional momentum and L1/L2 regularisation.

    Parameters
    ----------
    lr : float
        Learning rate eta (> 0).
    momentum : float
        Momentum coefficient mu in [0, 1); 0 is plain SGD.
    l1, l2 : float
        Regularisation strengths (>= 0).

    Notes
    -----
    A step has two halves: :meth:`updates` computes how far each parameter moves
    and changes nothing; :meth:`apply` adds those moves to the weights (and keeps
    the new velocity), which cannot fail half-way. :meth:`step` does both;
    :func:`~nnlib.training.fit` checks the updates in between, so that weights never turn
    NaN or infinite.
    """

    lr: float = 0.1
    momentum: float = 0.0
    l1: float = 0.0
    l2: float = 0.0
    _velocity: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.lr = _check_rate("learning rate lr", self.lr, allow_zero=False)
        self.l1 = _check_rate("l1", self.l1, allow_zero=True)
        self.l2 = _check_rate("l2", self.l2, allow_zero=True)
        self.momentum = _check_rate("momentum", self.momentum, allow_zero=True)
        if self.momentum >= 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {self.momentum!r}")

    def penalty(self, layers: Sequence) -> float:
        """The regularisation term added to the cost."""
        if not (self.l1 or self.l2):
            return 0.0
        return float(sum(self.l1 * np.abs(L.W).sum() + 0.5 * self.l2 * (L.W**2).sum() for L in layers))

    def updates(self, layers: Sequence) -> list[np.ndarray]:
        """The change of every parameter, ``[uW0, ub0, uW1, ub1, ...]``, from each layer's ``dW``, ``db``.

        ``w <- w + u`` is the step: ``u = -eta dC/dw`` (plus the regularisation
        terms), or with momentum the new velocity ``u = mu v - eta dC/dw``.
        Nothing is changed, not even ``dW``: :meth:`apply` makes the step.
        """
        lr = self.lr
        out: list[np.ndarray] = []
        append = out.append
        for L in layers:
            if self.l1 or self.l2:
                grad = L.dW + self.l2 * L.W if self.l2 else L.dW.copy()  # dC/dW + l2 w
                if self.l1:
                    grad += self.l1 * np.sign(L.W)  # + l1 sign(w)
                grad *= -lr
                uW = grad
            else:
                uW = L.dW * -lr  # (n_in, n_out)
            append(uW)
            append(L.db * -lr)
        if self.momentum:
            velocity = self._velocity if len(self._velocity) == len(out) else [np.zeros_like(u) for u in out]
            for u, v in zip(out, velocity):
                u += self.momentum * v  # mu v - eta dC/dw
        return out

    def apply(self, layers: Sequence, updates: Sequence[np.ndarray]) -> None:
        """Add :meth:`updates` to every ``W`` and ``b`` in place; with momentum, keep them as the velocity."""
        for i, L in enumerate(layers):
            L.W += updates[2 * i]
            L.b += updates[2 * i + 1]
        if self.momentum:
            self._velocity = list(updates)

    def step(self, layers: Sequence) -> None:
        """One step: update every layer's ``W`` and ``b`` in place from its ``dW`` and ``db``."""
        self.apply(layers, self.updates(layers))

    def reset(self) -> None:
        """Forget the momentum (after the network was re-initialised)."""
        self._velocity = []
