"""Training: epochs of shuffled mini-batches.

One *epoch* is one pass over the training set. Each epoch shuffles the
examples, cuts them into mini-batches of ``batch_size`` rows and, for each
batch, runs forward, backward and one optimiser step::

    for epoch in range(epochs):
        order = rng.permutation(n)
        for batch in split(order, batch_size):
            net.forward(X[batch]); net.backward(Y[batch]); optimizer.step(net.layers)

:func:`~nnlib.training.fit` does exactly that, records a per-epoch :class:`History`, calls
your callbacks after every batch and every epoch, and stops with
:class:`TrainingDiverged` if the loss stops being a finite number, keeping
the last finite weights.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from .callbacks import Callback, History, LambdaCallback, TrainState
from .initializers import as_rng
from .metrics import accuracy
from .optimizers import SGD


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the learning rate is (almost always) too large."""


def _as_callbacks(callbacks) -> list[Callback]:
    out = []
    for cb in callbacks or ():
        if isinstance(cb, Callback):
            out.append(cb)
        elif callable(cb):
            out.append(LambdaCallback(cb))
        else:
            raise TypeError(f"callbacks must be Callback objects or functions f(state), got {cb!r}")
    return out


def _check_positive_int(name: str, value) -> int:
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def fit(
    net,
    X,
    Y,
    *,
    epochs: int = 10,
    batch_size: int = 10,
    lr: float | None = None,
    optimizer: SGD | None = None,
    validation_data: tuple | None = None,
    callbacks: Sequence[Callback | Callable] = (),
    progress: bool = True,
    shuffle: bool = True,
    train_metrics: bool = True,
    rng: np.random.Generator | int | None = None,
) -> History:
    """Train ``net`` on ``(X, Y)`` with mini-batch SGD; return the :class:`History`.

    Parameters
    ----------
    net : Network
    X : array of shape (n_samples, n_inputs)
    Y : array of shape (n_samples, n_outputs)
    epochs, batch_size : int
        Passes over the data, and examples per gradient step (> 0). The last
        batch of an epoch may be smaller.
    lr : float
        Learning rate for a plain :class:`~nnlib.optimizers.SGD` (ignored if
        ``optimizer`` is given; default 0.1).
    optimizer : SGD, optional
        E.g. ``SGD(lr=0.5, momentum=0.9, l2=1e-4)``.
    validation_data : (X_val, Y_val), optional
        Evaluated after every epoch into ``val_loss`` and ``val_accuracy``.
    callbacks : list
        :class:`Callback` objects, or functions ``f(state)`` called after each epoch.
    progress : bool
        Show a tqdm progress bar over epochs.
    shuffle : bool
        Draw a new order of the examples every epoch (default); ``False`` keeps
        the order of ``X``.
    train_metrics : bool
        After every epoch, run the network once over the whole training set and
        record the loss and accuracy in ``loss`` and ``accuracy`` (default). That
        pass is extra work: on MNIST with batches of 10 it adds about a sixth to
        an epoch. ``False`` skips it; ``loss`` and ``accuracy`` then stay empty
        (validation metrics are still recorded). Nielsen's ``network2.SGD`` makes
        the same choice with ``monitor_training_cost``.
    rng : Generator or int
        Source of the shuffling order; the same seed gives the same run.
    """
    epochs = _check_positive_int("epochs", epochs)
    batch_size = _check_positive_int("batch_size", batch_size)
    if optimizer is None:
        optimizer = SGD(lr=0.1 if lr is None else lr)
    elif lr is not None:
        raise ValueError("give either lr or optimizer, not both")
    X = net.check_inputs(X, "X")
    Y = net.check_targets(Y, X.shape[0], "Y")
    if validation_data is not None:
        if len(validation_data) != 2:
            raise ValueError("validation_data must be a pair (X_val, Y_val)")
        Xv = net.check_inputs(validation_data[0], "X_val")
        Yv = net.check_targets(validation_data[1], Xv.shape[0], "Y_val")
    rng = as_rng(rng)
    callbacks = _as_callbacks(callbacks)
    n = X.shape[0]
    history = History()
    state = TrainState(net, optimizer, history, epochs, math.ceil(n / batch_size))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="training", unit="epoch", leave=False)
    layers = net.layers
    for cb in callbacks:
        cb.on_train_begin(state)
    try:
        # Overflow on the way to divergence is expected and caught below (TrainingDiverged):
        # no pages of RuntimeWarnings before the one clear message.
        with np.errstate(over="ignore", invalid="ignore"):
            for epoch in range(epochs):
                state.epoch = epoch
                last_good = net.get_params()
                order = rng.permutation(n) if shuffle else None
                for state.batch, (xb, yb) in enumerate(_batches(X, Y, order, batch_size)):
                    net.forward(xb)
                    net.backward(yb)
                    # A NaN or inf anywhere in db makes its sum NaN or inf.
                    if not math.isfinite(layers[-1].db.sum()):
                        _diverged(net, optimizer, last_good, epoch, state.batch)
                    optimizer.step(layers)
                    state.step += 1
                    for cb in callbacks:
                        cb.on_batch_end(state)
                    if state.stop:
                        break
                if train_metrics:
                    ev = _evaluate_checked(net, X, Y)
                    loss = ev["loss"] + optimizer.penalty(layers)
                    if not math.isfinite(loss):
                        _diverged(net, optimizer, last_good, epoch, state.batch)
                    history.loss.append(loss)
                    history.accuracy.append(ev["accuracy"])
                history.epoch.append(epoch + 1)
                if validation_data is not None:
                    ev = _evaluate_checked(net, Xv, Yv)
                    history.val_loss.append(ev["loss"])
                    history.val_accuracy.append(ev["accuracy"])
                if bar is not None:
                    shown = {k: f"{history[k][-1]:.4g}" for k in ("loss", "val_loss") if history[k]}
                    if shown:  # drawn by the next refresh: update() refreshes at most every 0.1 s (tqdm's mininterval)
                        bar.set_postfix(shown, refresh=False)
                    bar.update(1)
                for cb in callbacks:
                    cb.on_epoch_end(state)
                if state.stop:
                    break
    finally:
        if bar is not None:
            bar.close()
    for cb in callbacks:
        cb.on_train_end(state)
    return history


def _batches(X: np.ndarray, Y: np.ndarray, order: np.ndarray | None, batch_size: int, chunk_bytes: int = 2 << 20):
    """Yield the mini-batches ``(X[batch], Y[batch])`` of one epoch, in ``order``.

    Without an order, the batches are views of consecutive rows. With one, the rows
    are gathered a chunk of batches at a time (about ``chunk_bytes`` of ``X``, which
    stays in cache) and each batch is a view of its chunk: one gather per chunk
    instead of two per batch, and no shuffled copy of the whole training set every
    epoch (313 MB for MNIST in float64).
    """
    n = X.shape[0]
    if order is None:
        for start in range(0, n, batch_size):
            yield X[start : start + batch_size], Y[start : start + batch_size]
        return
    per_chunk = max(1, chunk_bytes // max(1, X[:batch_size].nbytes)) * batch_size
    for first in range(0, n, per_chunk):
        idx = order[first : first + per_chunk]
        X_chunk, Y_chunk = X[idx], Y[idx]
        for start in range(0, idx.shape[0], batch_size):
            yield X_chunk[start : start + batch_size], Y_chunk[start : start + batch_size]


def _evaluate_checked(net, X: np.ndarray, Y: np.ndarray) -> dict[str, float]:
    """``net.evaluate(X, Y)`` for arrays that :func:`~nnlib.training.fit` has already checked.

    Skips evaluate's input checks, which would scan the whole training set for
    NaN again after every epoch (tens of ms for MNIST).
    """
    A = net.forward(X)
    return {"loss": net.loss(A, Y), "accuracy": accuracy(A, Y)}


def _diverged(net, optimizer: SGD, last_good: list[np.ndarray], epoch: int, batch: int) -> None:
    """Keep the last finite weights and raise a message that says what to do."""
    if not all(np.isfinite(p).all() for layer in net.layers for p in (layer.W, layer.b)):
        net.set_params(last_good)
    raise TrainingDiverged(
        f"training diverged at epoch {epoch + 1}, batch {batch + 1}: the loss became NaN or infinite "
        f"with learning rate {optimizer.lr:g}. Try a smaller learning rate (e.g. {optimizer.lr / 10:g}). "
        f"The network keeps its last finite weights."
    )
