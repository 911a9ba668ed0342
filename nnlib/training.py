"""Training: epochs of shuffled mini-batches.

One *epoch* is one pass over the training set. Each epoch shuffles the
examples, cuts them into mini-batches of ``batch_size`` rows and, for each
batch, runs forward, backward and one optimiser step::

    for epoch in range(epochs):
        order = rng.permutation(n)
        for batch in split(order, batch_size):
            net.forward(X[batch]); net.backward(Y[batch]); optimizer.step(net.layers)

:func:`~nnlib.training.fit` does exactly that, records a per-epoch :class:`History` and calls
your callbacks after every batch and every epoch. It also guards the weights:

* every argument is checked before any work, so a refused call changes nothing;
* before each step is applied, fit checks that it keeps every weight finite.
  If not, it stops with :class:`TrainingDiverged` and the network keeps the
  weights of its last completed step (all finite). A loss that is no longer a
  finite number stops training the same way;
* an interrupted fit (an exception, or Ctrl-C, which waits until the weight
  update under way is complete) leaves the weights of the last completed step,
  never half of one.
"""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from . import checks
from .callbacks import Callback, History, LambdaCallback, TrainState
from .initializers import as_rng
from .layers import Dense
from .metrics import accuracy
from .optimizers import SGD, Optimizer


class TrainingDiverged(FloatingPointError):
    """The loss became NaN or infinite: the learning rate is (almost always) too large."""


def _as_callbacks(callbacks) -> list[Callback]:
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        one = isinstance(callbacks, Callback) or callable(callbacks)
        raise TypeError(
            f"fit: callbacks must be a list of Callback objects or functions f(state), got "
            f"{checks.shown(callbacks)}" + (" (for one callback write callbacks=[...])" if one else "")
        )
    out = []
    for i, cb in enumerate(callbacks):
        if isinstance(cb, Callback):
            out.append(cb)
        elif callable(cb):
            out.append(LambdaCallback(cb))
        else:
            raise TypeError(
                f"fit: callbacks[{i}] must be a Callback object or a function f(state), got {checks.shown(cb)}"
            )
    return out


def _check_positive_int(name: str, value) -> int:
    return checks.positive_int(value, name, "fit")


def _check_optimizer(optimizer, lr) -> Optimizer:
    if optimizer is None:
        return SGD(lr=0.1 if lr is None else lr)
    if lr is not None:
        raise ValueError("fit: give either lr or optimizer, not both")
    if isinstance(optimizer, type) or not all(
        callable(getattr(optimizer, m, None)) for m in ("updates", "apply", "penalty")
    ):
        raise TypeError(f"fit: optimizer must be an optimiser such as nnlib.SGD(lr=0.5), got {checks.shown(optimizer)}")
    return optimizer


def _check_weights(net) -> None:
    for i, layer in enumerate(net.layers):
        for name in ("W", "b"):
            bad = checks.first_non_finite(getattr(layer, name))
            if bad is not None:
                raise ValueError(
                    f"fit: {net!r} has NaN or inf in {name}{i} at {bad} before training; give it finite weights "
                    f"(set_params) or build a new network"
                )


def fit(
    net,
    X,
    Y,
    *,
    epochs: int = 10,
    batch_size: int = 10,
    lr: float | None = None,
    optimizer: Optimizer | None = None,
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
    optimizer : SGD, RMSProp or Adam, optional
        E.g. ``SGD(lr=0.5, momentum=0.9, l2=1e-4)`` or ``Adam(lr=1e-3)``
        (:mod:`nnlib.optimizers`); a schedule of its learning rate is a callback,
        :class:`~nnlib.callbacks.LearningRateSchedule`.
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
    # Every argument is checked before any work: a refused call changes nothing.
    if not all(hasattr(net, a) for a in ("layers", "_check_inputs", "check_targets", "output_cost")):
        raise TypeError(f"fit: net must be an nnlib Network, got {checks.shown(net)}")
    epochs = _check_positive_int("epochs", epochs)
    batch_size = _check_positive_int("batch_size", batch_size)
    optimizer = _check_optimizer(optimizer, lr)
    progress = checks.boolean(progress, "progress", "fit")
    shuffle = checks.boolean(shuffle, "shuffle", "fit")
    train_metrics = checks.boolean(train_metrics, "train_metrics", "fit")
    X, x_squares = net._check_inputs(X, "X", False)  # and sum(X**2), which bounds every step below
    Y = net.check_targets(Y, X.shape[0], "Y")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)):
            raise TypeError(f"fit: validation_data must be a pair (X_val, Y_val), got {checks.shown(validation_data)}")
        if len(validation_data) != 2:
            raise ValueError(f"fit: validation_data must be a pair (X_val, Y_val), got {len(validation_data)} items")
        Xv = net.check_inputs(validation_data[0], "X_val")
        Yv = net.check_targets(validation_data[1], Xv.shape[0], "Y_val")
    rng = as_rng(rng, "fit")
    callbacks = _as_callbacks(callbacks)
    _check_weights(net)
    n = X.shape[0]
    history = History()
    state = TrainState(net, optimizer, history, epochs, math.ceil(n / batch_size))
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="training", unit="epoch", leave=False)
    layers = net.layers
    state.has_validation, state.train_metrics = validation_data is not None, train_metrics
    # Plain SGD on Dense layers: each step's check reads only small arrays (_bounded_step).
    # (Not with dropout: its masks scale activations up by 1 / (1 - rate), past the bound |a| <= 1.)
    plain = type(optimizer) is SGD and all(type(layer) is Dense for layer in layers) and not net.dropouts
    plan = _step_bounds(layers, batch_size, x_squares)
    limit = (1e-4 * math.sqrt(float(np.finfo(net.dtype).max))) ** 2
    try:
        for cb in callbacks:
            cb.on_train_begin(state)
        # Overflow on the way to divergence is expected and caught below (TrainingDiverged):
        # no pages of RuntimeWarnings before the one clear message.
        with np.errstate(over="ignore", invalid="ignore"), _HoldInterrupts() as interrupts:
            for epoch in range(epochs):
                state.epoch = epoch
                order = rng.permutation(n) if shuffle else None
                for state.batch, (xb, yb) in enumerate(_batches(X, Y, order, batch_size)):
                    net.forward(xb, training=True)  # dropout, if the network has any
                    net.backward(yb)
                    updates = optimizer.updates(layers)  # changes nothing yet
                    if not (plain and _bounded_step(plan, optimizer, limit)):
                        problem = _step_problem(layers, updates)
                        if problem:
                            _diverged(net, optimizer, f"at epoch {epoch + 1}, batch {state.batch + 1}", problem)
                    interrupts.hold = True  # Ctrl-C now waits until every weight is updated
                    optimizer.apply(layers, updates)
                    interrupts.hold = False
                    state.step += 1
                    if interrupts.pending:
                        raise KeyboardInterrupt
                    for cb in callbacks:
                        cb.on_batch_end(state)
                    if state.stop:
                        break
                if not all(np.isfinite(p).all() for layer in layers for p in (layer.W, layer.b)):
                    problem = "the weights are NaN or infinite, changed outside fit's optimiser step (by a callback?),"
                    _diverged(net, optimizer, f"in epoch {epoch + 1}", problem)
                if train_metrics:
                    ev = _evaluate_checked(net, X, Y)
                    loss = ev["loss"] + optimizer.penalty(layers)
                    if not math.isfinite(loss):
                        _diverged(net, optimizer, f"after epoch {epoch + 1}", "the loss became NaN or infinite")
                    history.loss.append(loss)
                    history.accuracy.append(ev["accuracy"])
                history.epoch.append(epoch + 1)
                if validation_data is not None:
                    ev = _evaluate_checked(net, Xv, Yv)
                    if not math.isfinite(ev["loss"]):
                        _diverged(net, optimizer, f"after epoch {epoch + 1}", "the validation loss is NaN or infinite")
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
    except BaseException as error:  # Ctrl-C included: every callback hears why training stopped
        for cb in callbacks:
            try:
                cb.on_train_error(state, error)
            except Exception as problem:  # never hide the error that stopped training
                error.add_note(f"and {type(cb).__name__}.on_train_error failed: {type(problem).__name__}: {problem}")
        raise
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
    A = net.forward(X, training=False)
    return {"loss": net.output_cost(Y), "accuracy": accuracy(A, Y)}


_BOUNDED = ("sigmoid", "tanh", "softmax", "step")  # activations with |a| <= 1


def _step_bounds(layers, batch_size: int, x_squares: float) -> list[tuple]:
    """For each layer, what bounds ||X||^2 in :func:`_bounded_step`: a number, or None (measure it).

    The first layer sees a batch of the training set: at most ``x_squares``, sum(X**2) over
    all of it. Below a bounded activation (|a| <= 1) it is at most the number of entries.
    """
    plan: list[tuple] = []
    below = None
    for layer in layers:
        if below is None:
            plan.append((layer, x_squares))
        elif below in _BOUNDED:
            plan.append((layer, float(batch_size * layer.n_in)))
        else:
            plan.append((layer, None))
        below = layer.activation.name
    return plan


def _bounded_step(plan: list[tuple], optimizer: Optimizer, limit: float) -> bool:
    """True when a plain SGD step (u = -eta dW, -eta db) surely keeps every weight finite.

    The bound reads only small arrays. A Dense layer's gradients are dW = X^T delta / n and
    db = mean(delta), so (Cauchy-Schwarz) ||dW|| <= ||X|| ||delta|| and ||db|| <= ||delta||:

        ||u||^2 <= eta^2 (||X||^2 + 1) ||delta||^2

    with ||X||^2 from ``plan`` (:func:`_step_bounds`). Below ``limit`` (1e-8 of the largest
    float) every |u| and |dW| is far below the spacing of the floats near the largest one,
    so w + u is finite for every finite w. False (NaN or inf included) leaves the decision
    to the exact :func:`_step_problem`.
    """
    if type(optimizer) is not SGD or optimizer.momentum or optimizer.l1 or optimizer.l2:  # a callback may change them
        return False
    vdot = np.vdot
    total = 0.0
    for layer, x2 in plan:
        delta = layer.delta
        total += ((vdot(layer.X, layer.X) if x2 is None else x2) + 1.0) * vdot(delta, delta)
    lr = optimizer.lr
    return bool((lr * lr if lr > 1.0 else 1.0) * total < limit)


def _step_problem(layers, updates: list[np.ndarray]) -> str | None:
    """What is wrong with adding ``updates`` to the weights, or None when every weight stays finite.

    Fast test: ``u . u`` (:func:`nnlib.checks.sum_of_squares`, no temporary array) is finite
    only when every ``|u| < sqrt(largest float)`` (1.3e154 in float64, 1.8e19 in
    float32), and so far below the spacing of the floats near the largest one that
    ``w + u`` is finite for every finite ``w``. A NaN or inf makes it NaN or inf.
    Only when it is not finite (the weights are already huge, or broken) does the
    exact elementwise test run.
    """
    total = sum(checks.sum_of_squares(u) for u in updates)
    if math.isfinite(total):
        return None
    params = [p for layer in layers for p in (layer.W, layer.b)]
    if not all(np.isfinite(p).all() for p in params):
        return "the weights are NaN or infinite, changed outside fit's optimiser step (by a callback?),"
    if all(np.isfinite(u).all() and np.isfinite(p + u).all() for p, u in zip(params, updates)):
        return None
    return "the gradient became NaN or infinite, or the step would have made a weight infinite,"


def _diverged(net, optimizer: Optimizer, when: str, what: str) -> NoReturn:
    """Raise a message that says what to do; the weights are those of the last completed step."""
    kept = (
        "The network keeps its last finite weights, those of its last completed step."
        if all(np.isfinite(p).all() for layer in net.layers for p in (layer.W, layer.b))
        else "Its weights are not finite numbers any more: set new ones (set_params) or build a new network."
    )
    raise TrainingDiverged(
        f"training diverged {when}: {what} with learning rate {optimizer.lr:g}. Try a smaller learning rate "
        f"(e.g. {optimizer.lr / 10:g}). {kept}"
    )


class _HoldInterrupts:
    """While ``hold`` is True, Ctrl-C (SIGINT) waits: ``pending`` records it, and fit raises
    ``KeyboardInterrupt`` once the weight update is complete. At any other moment Ctrl-C
    interrupts at once, as usual (a slow callback can always be stopped).

    Python delivers signals to the main thread only; in any other thread this does nothing.
    """

    def __init__(self) -> None:
        self.hold = False
        self.pending = False
        self._previous: Any = None  # the SIGINT handler to restore

    def __enter__(self) -> _HoldInterrupts:
        if threading.current_thread() is threading.main_thread():
            previous = signal.getsignal(signal.SIGINT)
            if previous is not None:  # None: a handler not installed from Python, which we cannot restore
                signal.signal(signal.SIGINT, self._handle)
                self._previous = previous
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def _handle(self, signum, frame) -> None:
        if self.hold:
            self.pending = True
        elif callable(self._previous):
            self._previous(signum, frame)
        elif self._previous != signal.SIG_IGN:
            raise KeyboardInterrupt
