"""Callbacks: code that :func:`nnlib.fit` runs at fixed points of training.

A callback overrides any of four hooks, each called with the
:class:`~nnlib.training.TrainState` (the network, the ``History`` so far, the
epoch and batch, and a ``stop`` flag)::

    on_train_begin   before the first batch
    on_batch_end     after every optimiser step
    on_epoch_end     after every epoch, once History has that epoch's numbers
    on_train_end     after the last epoch (or a stop)

:class:`EarlyStopping` is the one the course uses; the live dashboard
(:mod:`nnlib.dashboard`) and the animation recorder (:mod:`nnlib.animation`)
are callbacks too. A plain function ``f(state)`` passed to ``fit`` becomes a
:class:`LambdaCallback`. :mod:`nnlib.training` re-exports all three classes.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .training import TrainState


class Callback:
    """Hooks called by :func:`fit`. Override what you need; ``state`` is the :class:`TrainState`.

    Set ``state.stop = True`` in any hook to end training after the current batch.
    """

    def on_train_begin(self, state: "TrainState") -> None: ...
    def on_batch_end(self, state: "TrainState") -> None: ...
    def on_epoch_end(self, state: "TrainState") -> None: ...
    def on_train_end(self, state: "TrainState") -> None: ...


class LambdaCallback(Callback):
    """Wrap a plain function ``f(state)`` as an end-of-epoch callback."""

    def __init__(self, on_epoch_end: Callable[["TrainState"], None]) -> None:
        self._f = on_epoch_end

    def on_epoch_end(self, state: "TrainState") -> None:
        self._f(state)


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved for ``patience`` epochs,
    and put back the weights of the best epoch."""

    def __init__(self, patience: int = 5, monitor: str = "val_loss") -> None:
        self.patience, self.monitor = patience, monitor
        self.best = math.inf
        self.best_epoch = -1
        self._best_params = None

    def on_epoch_end(self, state: "TrainState") -> None:
        value = state.history[self.monitor][-1]
        if value < self.best:
            self.best, self.best_epoch = value, state.epoch
            self._best_params = state.net.get_params()
        elif state.epoch - self.best_epoch >= self.patience:
            state.stop = True

    def on_train_end(self, state: "TrainState") -> None:
        if self._best_params is not None:
            state.net.set_params(self._best_params)
