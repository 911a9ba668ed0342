"""Optimisers: how gradients turn into weight updates, and schedules of the learning rate.

Plain gradient descent moves every parameter a step ``eta`` against its
gradient g = dC/dw; momentum keeps a running velocity so steps build up along
consistent directions; RMSProp divides each parameter's step by a running size
of its gradient; Adam does both, with a bias correction for the first steps::

    SGD        w <- w - eta * g
    momentum   v <- mu * v - eta * g ;  w <- w + v                       (SGD(momentum=mu))
    RMSProp    s <- rho * s + (1 - rho) * g^2 ;  w <- w - eta * g / (sqrt(s) + eps)
    Adam       m <- beta1 * m + (1 - beta1) * g ;  v <- beta2 * v + (1 - beta2) * g^2
               m^ = m / (1 - beta1^t) ;  v^ = v / (1 - beta2^t)        (t = 1, 2, ... counts steps)
               w <- w - eta * m^ / (sqrt(v^) + eps)  [- eta * lambda * w, AdamW's decoupled decay]

Regularisation adds a penalty on the weights (never the biases) to the
cost, and so a term to each weight gradient::

    L2   C + l2/2 * sum w^2     ->  dC/dw + l2 * w      ("weight decay")
    L1   C + l1 * sum |w|       ->  dC/dw + l1 * sign(w)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np


def _check_rate(name: str, value: float, allow_zero: bool, who: str = "SGD") -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{who}: {name} must be a number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        need = "a non-negative" if allow_zero else "a positive"
        raise ValueError(f"{who}: {name} must be {need} finite number, got {value!r}")
    return value


def _check_below_one(name: str, value: float, who: str) -> float:
    """A decay rate in [0, 1)."""
    value = _check_rate(name, value, allow_zero=True, who=who)
    if value >= 1:
        raise ValueError(f"{who}: {name} must be in [0, 1), got {value!r}")
    return value


def _penalty(layers: Sequence, l1: float, l2: float) -> float:
    """``l1 * sum |w| + l2/2 * sum w^2`` over every layer's weights (never the biases)."""
    if not (l1 or l2):
        return 0.0
    return float(sum(l1 * np.abs(L.W).sum() + 0.5 * l2 * (L.W**2).sum() for L in layers))


def _gradients(layers: Sequence, l1: float, l2: float) -> list[np.ndarray]:
    """``[gW0, gb0, gW1, gb1, ...]``: each layer's ``dW`` plus the regularisation terms, and ``db``.

    New arrays: the layers' ``dW`` and ``db`` are never changed.
    """
    out: list[np.ndarray] = []
    for L in layers:
        gW = L.dW + l2 * L.W if l2 else L.dW.copy()  # dC/dW + l2 w
        if l1:
            gW += l1 * np.sign(L.W)  # + l1 sign(w)
        out += [gW, L.db.copy()]
    return out


def _scaled_gradients(L, c: float) -> tuple[np.ndarray, np.ndarray]:
    """``(c dW, c db)`` of one layer: a Dense layer's ``scaled_gradients``, which skips a pass over ``dW``."""
    scaled = getattr(L, "scaled_gradients", None)
    return scaled(c) if scaled is not None else (L.dW * c, L.db * c)


def _params(layers: Sequence) -> list[np.ndarray]:
    return [p for L in layers for p in (L.W, L.b)]


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
        return _penalty(layers, self.l1, self.l2)

    def updates(self, layers: Sequence) -> list[np.ndarray]:
        """The change of every parameter, ``[uW0, ub0, uW1, ub1, ...]``, from each layer's ``dW``, ``db``.

        ``w <- w + u`` is the step: ``u = -eta dC/dw`` (plus the regularisation
        terms), or with momentum the new velocity ``u = mu v - eta dC/dw``.
        Nothing is changed, not even ``dW``: :meth:`apply` makes the step.
        """
        lr = self.lr
        if not (self.l1 or self.l2 or self.momentum):  # plain SGD: u = -eta dC/dw
            return [u for L in layers for u in _scaled_gradients(L, -lr)]
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
        for L, uW, ub in zip(layers, updates[::2], updates[1::2]):
            L.W += uW
            L.b += ub
        if self.momentum:
            self._velocity = list(updates)

    def step(self, layers: Sequence) -> None:
        """One step: update every layer's ``W`` and ``b`` in place from its ``dW`` and ``db``."""
        self.apply(layers, self.updates(layers))

    def reset(self) -> None:
        """Forget the momentum (after the network was re-initialised)."""
        self._velocity = []


@dataclass
class RMSProp:
    """RMSProp: each parameter's step divided by a running root-mean-square of its gradient.

    ::

        s <- rho * s + (1 - rho) * g^2           # running mean of the squared gradient
        w <- w - eta * g / (sqrt(s) + eps)

    A parameter whose gradient is large takes smaller steps, one whose gradient is
    small takes larger ones: every direction moves at roughly the speed ``eta``.

    Parameters
    ----------
    lr : float
        Learning rate eta (> 0).
    rho : float
        Decay rate of the running mean, in [0, 1).
    eps : float
        Added to the denominator (> 0), so that a zero gradient gives a zero step.
    l1, l2 : float
        Regularisation strengths (>= 0), added to the gradient as in :class:`SGD`.

    Notes
    -----
    :meth:`updates` computes the steps and the new ``s`` without keeping it;
    :meth:`apply` makes the step and keeps ``s``, as :class:`SGD` does.
    """

    lr: float = 0.001
    rho: float = 0.9
    eps: float = 1e-8
    l1: float = 0.0
    l2: float = 0.0
    _square: list = field(default_factory=list, init=False, repr=False)
    _pending: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        who = "RMSProp"
        self.lr = _check_rate("learning rate lr", self.lr, allow_zero=False, who=who)
        self.rho = _check_below_one("rho", self.rho, who)
        self.eps = _check_rate("eps", self.eps, allow_zero=False, who=who)
        self.l1 = _check_rate("l1", self.l1, allow_zero=True, who=who)
        self.l2 = _check_rate("l2", self.l2, allow_zero=True, who=who)

    def penalty(self, layers: Sequence) -> float:
        """The regularisation term added to the cost."""
        return _penalty(layers, self.l1, self.l2)

    def updates(self, layers: Sequence) -> list[np.ndarray]:
        """The change of every parameter, ``[uW0, ub0, ...]``; changes nothing (see :meth:`apply`)."""
        grads = _gradients(layers, self.l1, self.l2)
        square = self._square if len(self._square) == len(grads) else [np.zeros_like(g) for g in grads]
        new_square = [self.rho * s + (1 - self.rho) * g * g for s, g in zip(square, grads)]
        self._pending = new_square
        return [-self.lr * g / (np.sqrt(s) + self.eps) for g, s in zip(grads, new_square)]

    def apply(self, layers: Sequence, updates: Sequence[np.ndarray]) -> None:
        """Add :meth:`updates` to every ``W`` and ``b`` in place, and keep the running mean of g^2."""
        for p, u in zip(_params(layers), updates):
            p += u
        self._square = self._pending

    def step(self, layers: Sequence) -> None:
        """One step: update every layer's ``W`` and ``b`` in place from its ``dW`` and ``db``."""
        self.apply(layers, self.updates(layers))

    def reset(self) -> None:
        """Forget the running mean (after the network was re-initialised)."""
        self._square, self._pending = [], []


@dataclass
class Adam:
    """Adam: momentum (a running mean of g) divided by RMSProp's running size of g, bias-corrected.

    ::

        t <- t + 1
        m <- beta1 * m + (1 - beta1) * g          # first moment: a smoothed gradient
        v <- beta2 * v + (1 - beta2) * g^2        # second moment: its running size
        m^ = m / (1 - beta1^t) ;  v^ = v / (1 - beta2^t)     # bias correction: m, v start at 0
        w <- w - eta * m^ / (sqrt(v^) + eps)  - eta * weight_decay * w

    Parameters
    ----------
    lr : float
        Learning rate eta (> 0).
    beta1, beta2 : float
        Decay rates of the two running means, in [0, 1).
    eps : float
        Added to the denominator (> 0).
    l1, l2 : float
        Regularisation *in the loss* (>= 0): ``l2 * w`` is added to the gradient, so it
        goes through the division by ``sqrt(v^)`` like the rest of the gradient.
    weight_decay : float
        *Decoupled* weight decay (AdamW, Loshchilov and Hutter 2019), >= 0: every
        weight (not the biases) shrinks by ``eta * weight_decay * w`` each step, outside
        the adaptive scaling. Unlike ``l2``, it decays every weight at the same rate.
    """

    lr: float = 0.001
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    l1: float = 0.0
    l2: float = 0.0
    weight_decay: float = 0.0
    t: int = field(default=0, init=False)
    _m: list = field(default_factory=list, init=False, repr=False)
    _v: list = field(default_factory=list, init=False, repr=False)
    _pending: tuple = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        who = "Adam"
        self.lr = _check_rate("learning rate lr", self.lr, allow_zero=False, who=who)
        self.beta1 = _check_below_one("beta1", self.beta1, who)
        self.beta2 = _check_below_one("beta2", self.beta2, who)
        self.eps = _check_rate("eps", self.eps, allow_zero=False, who=who)
        self.l1 = _check_rate("l1", self.l1, allow_zero=True, who=who)
        self.l2 = _check_rate("l2", self.l2, allow_zero=True, who=who)
        self.weight_decay = _check_rate("weight_decay", self.weight_decay, allow_zero=True, who=who)

    def penalty(self, layers: Sequence) -> float:
        """The regularisation term added to the cost (``l1``, ``l2``; the decoupled decay is not in the cost)."""
        return _penalty(layers, self.l1, self.l2)

    def updates(self, layers: Sequence) -> list[np.ndarray]:
        """The change of every parameter, ``[uW0, ub0, ...]``; changes nothing (see :meth:`apply`)."""
        grads = _gradients(layers, self.l1, self.l2)
        fresh = len(self._m) != len(grads)
        m_old = [np.zeros_like(g) for g in grads] if fresh else self._m
        v_old = [np.zeros_like(g) for g in grads] if fresh else self._v
        t = 1 if fresh else self.t + 1
        b1, b2 = self.beta1, self.beta2
        m = [b1 * mo + (1 - b1) * g for mo, g in zip(m_old, grads)]
        v = [b2 * vo + (1 - b2) * g * g for vo, g in zip(v_old, grads)]
        c1, c2 = 1 - b1**t, 1 - b2**t  # bias correction
        self._pending = (t, m, v)
        out = [-self.lr * (mi / c1) / (np.sqrt(vi / c2) + self.eps) for mi, vi in zip(m, v)]
        if self.weight_decay:
            for i, L in enumerate(layers):
                out[2 * i] -= self.lr * self.weight_decay * L.W  # decoupled: weights only, not biases
        return out

    def apply(self, layers: Sequence, updates: Sequence[np.ndarray]) -> None:
        """Add :meth:`updates` to every ``W`` and ``b`` in place, and keep ``t``, ``m`` and ``v``."""
        for p, u in zip(_params(layers), updates):
            p += u
        if self._pending:
            self.t, self._m, self._v = self._pending
            self._pending = ()

    def step(self, layers: Sequence) -> None:
        """One step: update every layer's ``W`` and ``b`` in place from its ``dW`` and ``db``."""
        self.apply(layers, self.updates(layers))

    def reset(self) -> None:
        """Forget the moments and the step count (after the network was re-initialised)."""
        self.t, self._m, self._v, self._pending = 0, [], [], ()


#: Any of nnlib's optimisers (what :func:`~nnlib.training.fit` accepts).
Optimizer = SGD | RMSProp | Adam


# --- learning-rate schedules ----------------------------------------------------------------


def _warmup_check(warmup: int, who: str) -> int:
    if isinstance(warmup, (bool, np.bool_)) or not isinstance(warmup, (int, np.integer)) or warmup < 0:
        raise ValueError(f"{who}: warmup must be a non-negative integer (steps), got {warmup!r}")
    return int(warmup)


def _step_check(step: int, who: str) -> int:
    if isinstance(step, (bool, np.bool_)) or not isinstance(step, (int, np.integer)) or step < 0:
        raise ValueError(f"{who}: step must be a non-negative integer (steps taken so far), got {step!r}")
    return int(step)


@dataclass
class StepDecay:
    """The learning rate for step ``t`` (0, 1, 2, ...): ``lr * gamma ** ((t - warmup) // every)``.

    With ``warmup`` > 0 the first ``warmup`` steps rise linearly,
    ``lr * (t + 1) / warmup``, so that the very first step is small but not zero.
    Call it: ``StepDecay(0.1, every=1000)(2500)`` is 0.001.
    """

    lr: float
    every: int
    gamma: float = 0.1
    warmup: int = 0

    def __post_init__(self) -> None:
        who = "StepDecay"
        self.lr = _check_rate("lr", self.lr, allow_zero=False, who=who)
        if isinstance(self.every, (bool, np.bool_)) or not isinstance(self.every, (int, np.integer)) or self.every < 1:
            raise ValueError(f"{who}: every must be a positive integer (steps between decays), got {self.every!r}")
        self.every = int(self.every)
        self.gamma = _check_rate("gamma", self.gamma, allow_zero=False, who=who)
        self.warmup = _warmup_check(self.warmup, who)

    def __call__(self, step: int) -> float:
        t = _step_check(step, "StepDecay")
        if t < self.warmup:
            return self.lr * (t + 1) / self.warmup
        return self.lr * self.gamma ** ((t - self.warmup) // self.every)


@dataclass
class CosineDecay:
    """The learning rate for step ``t`` (0, 1, 2, ...): a linear warm-up, then half a cosine down to ``min_lr``.

    ::

        t < warmup:   lr * (t + 1) / warmup
        otherwise:    min_lr + (lr - min_lr) * (1 + cos(pi * p)) / 2,   p = (t - warmup) / (total - warmup)

    ``p`` goes from 0 to 1 over the steps after the warm-up; from step ``total`` on the
    rate stays at ``min_lr``.
    """

    lr: float
    total: int
    warmup: int = 0
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        who = "CosineDecay"
        self.lr = _check_rate("lr", self.lr, allow_zero=False, who=who)
        if isinstance(self.total, (bool, np.bool_)) or not isinstance(self.total, (int, np.integer)) or self.total < 1:
            raise ValueError(f"{who}: total must be a positive integer (steps), got {self.total!r}")
        self.total = int(self.total)
        self.warmup = _warmup_check(self.warmup, who)
        if self.warmup >= self.total:
            raise ValueError(f"{who}: warmup ({self.warmup}) must be less than total ({self.total})")
        self.min_lr = _check_rate("min_lr", self.min_lr, allow_zero=True, who=who)
        if self.min_lr > self.lr:
            raise ValueError(f"{who}: min_lr ({self.min_lr}) must not exceed lr ({self.lr})")

    def __call__(self, step: int) -> float:
        t = _step_check(step, "CosineDecay")
        if t < self.warmup:
            return self.lr * (t + 1) / self.warmup
        p = min(1.0, (t - self.warmup) / (self.total - self.warmup))
        return self.min_lr + (self.lr - self.min_lr) * 0.5 * (1 + math.cos(math.pi * p))
