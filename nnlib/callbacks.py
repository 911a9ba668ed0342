"""Callbacks: code that :func:`~nnlib.training.fit` runs at fixed points of training, and what it sees.

:class:`History` is the per-epoch record of a run (``fit`` returns it);
:class:`TrainState` is what every callback is handed: the network, the optimiser,
the ``History`` so far, the epoch and batch, and a ``stop`` flag. A callback
overrides any of five hooks::

    on_train_begin   before the first batch
    on_batch_end     after every optimiser step
    on_epoch_end     after every epoch, once History has that epoch's numbers
    on_train_end     after the last epoch (or a stop)
    on_train_error   instead of on_train_end when fit raises (TrainingDiverged, Ctrl-C, an
                     error in a hook), with the exception, before fit re-raises it

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

import numpy as np

from .optimizers import Optimizer


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
    optimizer: Optimizer
    history: History
    epochs: int
    batches_per_epoch: int
    epoch: int = 0
    batch: int = 0
    step: int = 0
    stop: bool = False
    has_validation: bool = False  # fit got validation_data: History will have val_loss, val_accuracy
    train_metrics: bool = True  # History will have loss and accuracy


class Callback:
    """Hooks called by :func:`~nnlib.training.fit`. Override what you need; ``state`` is the :class:`TrainState`.

    Set ``state.stop = True`` in any hook to end training after the current batch.
    """

    def on_train_begin(self, state: TrainState) -> None: ...
    def on_batch_end(self, state: TrainState) -> None: ...
    def on_epoch_end(self, state: TrainState) -> None: ...
    def on_train_end(self, state: TrainState) -> None: ...
    def on_train_error(self, state: TrainState, error: BaseException) -> None: ...


class LambdaCallback(Callback):
    """Wrap a plain function ``f(state)`` as an end-of-epoch callback."""

    def __init__(self, on_epoch_end: Callable[[TrainState], None]) -> None:
        if not callable(on_epoch_end):
            raise TypeError(f"LambdaCallback: on_epoch_end must be a function f(state), got {on_epoch_end!r}")
        self._f = on_epoch_end

    def on_epoch_end(self, state: TrainState) -> None:
        self._f(state)


class EarlyStopping(Callback):
    """Stop when the validation loss has not improved for ``patience`` epochs,
    and put back the weights of the best epoch."""

    MONITORS = ("loss", "val_loss")

    def __init__(self, patience: int = 5, monitor: str = "val_loss") -> None:
        if isinstance(patience, bool) or not isinstance(patience, (int, np.integer)) or patience < 1:
            raise ValueError(f"EarlyStopping: patience must be a positive integer (epochs), got {patience!r}")
        if not isinstance(monitor, str) or monitor not in self.MONITORS:
            raise ValueError(f"EarlyStopping: monitor must be one of {', '.join(self.MONITORS)}, got {monitor!r}")
        self.patience, self.monitor = int(patience), monitor
        self.best = math.inf
        self.best_epoch = -1
        self._best_params = None

    def on_train_begin(self, state: TrainState) -> None:
        """Refuse to start when History will not have the monitored number."""
        if self.monitor == "val_loss" and not state.has_validation:
            raise ValueError("EarlyStopping(monitor='val_loss') needs fit(..., validation_data=(X_val, Y_val))")
        if self.monitor == "loss" and not state.train_metrics:
            raise ValueError("EarlyStopping(monitor='loss') needs fit(..., train_metrics=True)")

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


class LearningRateSchedule(Callback):
    """Set the optimiser's learning rate before every step from a schedule ``f(step) -> lr``.

    ``step`` counts the optimiser steps taken so far (0 before the first), over all
    epochs: ``fit(..., callbacks=[LearningRateSchedule(CosineDecay(0.01, total=1000, warmup=50))])``.
    Works with every optimiser that has an ``lr`` (:mod:`nnlib.optimizers`). ``lrs`` records the
    rate used by each step.
    """

    def __init__(self, schedule: Callable[[int], float]) -> None:
        if not callable(schedule):
            raise TypeError(f"LearningRateSchedule: schedule must be a function f(step) -> lr, got {schedule!r}")
        self.schedule = schedule
        self.lrs: list[float] = []

    def _set(self, state: TrainState) -> None:
        lr = self.schedule(state.step)
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)) or not lr >= 0:
            raise ValueError(f"LearningRateSchedule: schedule({state.step}) must be a number >= 0, got {lr!r}")
        if not math.isfinite(lr):
            raise ValueError(f"LearningRateSchedule: schedule({state.step}) must be finite, got {lr!r}")
        state.optimizer.lr = float(lr)
        self.lrs.append(float(lr))

    def on_train_begin(self, state: TrainState) -> None:
        self.lrs = []
        self._set(state)

    def on_batch_end(self, state: TrainState) -> None:
        if state.step < state.epochs * state.batches_per_epoch:  # not after the last step
            self._set(state)
