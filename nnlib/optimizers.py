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
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        need = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{name} must be {need} finite number, got {value!r}")
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
            raise ValueError(f"momentum must be in [0, 1), got {self.momentum}")

    def penalty(self, layers: Sequence) -> float:
        """The regularisation term added to the cost."""
        if not (self.l1 or self.l2):
            return 0.0
        return float(sum(self.l1 * np.abs(L.W).sum() + 0.5 * self.l2 * (L.W**2).sum() for L in layers))

    def step(self, layers: Sequence) -> None:
        """Update every layer's ``W`` and ``b`` in place from its ``dW`` and ``db``."""
        lr = self.lr
        if self.l1 or self.l2:
            for L in layers:
                if self.l2:
                    L.dW += self.l2 * L.W
                if self.l1:
                    L.dW += self.l1 * np.sign(L.W)
        if not self.momentum:
            for L in layers:
                L.W -= lr * L.dW
                L.b -= lr * L.db
            return
        if len(self._velocity) != 2 * len(layers):
            self._velocity = [np.zeros_like(p) for L in layers for p in (L.W, L.b)]
        for i, L in enumerate(layers):
            vW, vb = self._velocity[2 * i], self._velocity[2 * i + 1]
            vW *= self.momentum
            vW -= lr * L.dW
            vb *= self.momentum
            vb -= lr * L.db
            L.W += vW
            L.b += vb

    def reset(self) -> None:
        """Forget the momentum (after the network was re-initialised)."""
        self._velocity = []
