"""Callbacks: code that :func:`~nnlib.training.fit` runs at fixed points of training, and what it sees.

:class:`History` is the per-epoch record of a run (``fit`` returns it);
:class:`TrainState` is what every callback is handed: the network, the optimiser,
the ``History`` so far, the epoch and batch, and a ``stop`` flag. A callback
overrides any of four hooks::

    on_train_begin   before the first batch
    on_batch_end     after every optimiser step
    on_epoch_end     after every epoch, once History has that epoch's numbers
    on_train_end     after the last epoch (or a stop)

:class:`EarlyStopping` is the one the course uses; the live dashboard
(``nnlib.widgets.dashboard``) and the animation recorder
(:mod:`nnlib.plot.animation`) are callbacks too. A plain function ``f(state)``
passed to ``fit`` becomes a :class:`LambdaCallback`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .optimizers import SGD


@dataclass
class History:
    """Per-epoch record of a training run; ``history["loss"]`` works like a dict."""

    epoch: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)

    _KEYS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")  # not a field: no annotation

    def __getitem__(self, key: str) -> list:
        return getattr(self, key)

    def __len__(self) -> int:
        return len(self.epoch)

    def as_dict(self) -> dict[str, list]:
        return {k: list(getattr(self, k)) for k in self._KEYS}

    def last(self) -> dict[str, float]:
        """The most recent epoch's numbers (without copying the lists)."""
        return {k: getattr(self, k)[-1] for k in self._KEYS if getattr(self, k)}


@dataclass
class TrainState:
    """What callbacks see: the network, the history, where we are, and a ``stop`` flag."""

    net: Any  # a Network (network.py imports this module, so no import back)
    optimizer: SGD
    history: History
    epochs: int
    batches_per_epoch: int
    epoch: int = 0
    batch: int = 0
    step: int = 0
    stop: bool = False


class Callback:
    """Hooks called by :func:`~nnlib.training.fit`. Override what you need; ``state`` is the :class:`TrainState`.

    Set ``state.stop = True`` in any hook to end training after the current batch.
    """

    def on_train_begin(self, state: TrainState) -> None: ...
    def on_batch_end(self, state: TrainState) -> None: ...
    def on_epoch_end(self, state: TrainState) -> None: ...
    def on_train_end(self, state: TrainState) -> None: ...


class LambdaCallback(Callback):
    """Wrap a plain function ``f(state)`` as an end-of-epoch callback."""

    def __init__(self, on_epoch_end: Callable[[TrainState], None]) -> None:
        self._f = on_epoch_end

    def on_epoch_end(self, state: TrainState) -> None:
        self._f(state)


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved for ``patience`` epochs,
    and put back the weights of the best epoch."""

    def __init__(self, patience: int = 5, monitor: str = "val_loss") -> None:
        self.patience, self.monitor = patience, monitor
        self.best = math.inf
        self.best_epoch = -1
        self._best_params = None

    def on_epoch_end(self, state: TrainState) -> None:
        value = state.history[self.monitor][-1]
        if value < self.best:
            self.best, self.best_epoch = value, state.epoch
            self._best_params = state.net.get_params()
        elif state.epoch - self.best_epoch >= self.patience:
            state.stop = True

    def on_train_end(self, state: TrainState) -> None:
        if self._best_params is not None:
            state.net.set_params(self._best_params)
