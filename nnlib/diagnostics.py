"""Diagnostics: the measurements of a debugging checklist for a training run.

Karpathy's recipe for training networks starts with checks, not with training. This
module holds the tools that make each check one call:

* :func:`lr_range_test`: train a *copy* of the network for a few hundred steps while the
  learning rate grows on a log scale, and record the loss at each step (Smith 2017). The
  loss falls where the rate is useful and blows up where it is too large;
* :class:`NormRecorder`: a callback for :func:`~nnlib.training.fit` that records, after
  every step, each layer's gradient norm ``||dC/dW^l||``, update norm ``||Delta W^l||``
  and weight norm ``||W^l||`` (Frobenius norms). The ratio ``||Delta W|| / ||W||`` is a
  quick test of the learning rate: the CS231n notes call about ``1e-3`` healthy; near 1, every
  step rewrites the weights;
* :func:`activation_stats`: per layer, the fraction of *dead* units (ReLUs that output 0
  for every example, sigmoids stuck in a flat tail for every example) and of *saturated*
  values (where the derivative is almost 0, so almost no gradient flows back);
* :func:`buggy_run`: a small training run on the data you give it, with one bug of
  :data:`BUGS` planted, and everything the checks above measure. The chapter's
  "name the bug" exercises are made of these.

Nothing here changes a network you pass in: the range test trains a copy, and the
statistics only run the network forward.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

import numpy as np

from . import checks
from .callbacks import Callback, History, TrainState
from .initializers import as_rng
from .network import Network
from .optimizers import SGD
from .training import fit

# --- the learning-rate range test ---------------------------------------------------------


@dataclass
class LRRangeTest:
    """The result of :func:`lr_range_test`.

    ``lrs[i]`` is the learning rate of step ``i``; ``losses[i]`` the loss on a fresh
    mini-batch right after that step, and ``smoothed`` the same losses averaged
    exponentially (bias-corrected), which is easier to read. ``initial_loss`` is the loss
    on the first batch before any step. When the loss exploded (``stopped_early``), the
    test stopped at that step and the arrays may be shorter than the ``steps`` asked for.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    initial_loss: float
    stopped_early: bool

    @property
    def best_lr(self) -> float:
        """The learning rate at the lowest smoothed loss."""
        finite = np.where(np.isfinite(self.smoothed), self.smoothed, np.inf)  # a NaN is no minimum
        return float(self.lrs[int(np.argmin(finite))])

    @property
    def suggested_lr(self) -> float:
        """A rule of thumb: a tenth of :attr:`best_lr`, safely below where the loss blows up."""
        return self.best_lr / 10


def _check_net(net, who: str) -> None:
    if not all(hasattr(net, a) for a in ("layers", "check_inputs", "check_targets", "output_cost")):
        raise TypeError(f"{who}: net must be an nnlib Network, got {checks.shown(net)}")


def lr_range_test(
    net,
    X,
    Y,
    *,
    lr_min: float = 1e-4,
    lr_max: float = 10.0,
    steps: int = 100,
    batch_size: int = 32,
    smoothing: float = 0.8,
    stop_factor: float = 4.0,
    rng: np.random.Generator | int | None = None,
) -> LRRangeTest:
    """Sweep the learning rate from ``lr_min`` to ``lr_max`` on a log scale; return the losses.

    A copy of ``net`` takes ``steps`` steps of plain SGD, each on a mini-batch of
    ``batch_size`` random examples of ``(X, Y)``, with the learning rate of step ``i``

    .. math:: \\eta_i = \\eta_{\\min} \\, (\\eta_{\\max} / \\eta_{\\min})^{i / (\\text{steps} - 1)} ,

    and records the loss on the next mini-batch after each step. ``net`` itself is never
    changed. The test stops early when the loss is no longer finite or exceeds
    ``stop_factor`` times the lowest loss so far: the rate is then far too large.

    Parameters
    ----------
    net : Network
    X : array of shape (n_samples, n_inputs)
    Y : array of shape (n_samples, n_outputs)
    lr_min, lr_max : float
        The first and the last learning rate, ``0 < lr_min < lr_max``.
    steps : int
        Number of steps (>= 2).
    batch_size : int
        Examples per step (> 0); at most the number of examples is used.
    smoothing : float
        The factor ``beta`` in [0, 1) of the exponential average ``smoothed``; 0 keeps the raw losses.
    stop_factor : float
        Stop once a loss exceeds this multiple (> 1) of the lowest one so far.
    rng : Generator or int
        Source of the mini-batches: the same seed gives the same curve.
    """
    who = "lr_range_test"
    _check_net(net, who)
    lr_min = checks.number(lr_min, "lr_min", who, positive=True)
    lr_max = checks.number(lr_max, "lr_max", who, positive=True)
    if lr_max <= lr_min:
        raise ValueError(f"{who}: lr_max must be larger than lr_min, got lr_min={lr_min!r}, lr_max={lr_max!r}")
    steps = checks.positive_int(steps, "steps", who)
    if steps < 2:
        raise ValueError(f"{who}: steps must be at least 2, got {steps}")
    batch_size = checks.positive_int(batch_size, "batch_size", who)
    smoothing = checks.number(smoothing, "smoothing", who)
    if not 0 <= smoothing < 1:
        raise ValueError(f"{who}: smoothing must be in [0, 1), got {smoothing!r}")
    stop_factor = checks.number(stop_factor, "stop_factor", who)
    if stop_factor <= 1:
        raise ValueError(f"{who}: stop_factor must be larger than 1, got {stop_factor!r}")
    X = net.check_inputs(X, "X")
    Y = net.check_targets(Y, X.shape[0], "Y")
    rng = as_rng(rng, who)

    work = copy.deepcopy(net)  # the network passed in is never touched
    n = X.shape[0]
    m = min(batch_size, n)
    lrs = np.geomspace(lr_min, lr_max, steps)
    optimizer = SGD(lr=lr_min)
    losses: list[float] = []
    exploded = False
    with np.errstate(all="ignore"):  # the last steps may overflow on purpose: the loss then stops the test
        batch = rng.choice(n, m, replace=False)
        work.forward(X[batch])
        initial = work.output_cost(Y[batch])
        best = initial
        for lr in lrs:
            work.backward(Y[batch])  # the gradient on the batch just seen
            optimizer.lr = float(lr)
            optimizer.step(work.layers)
            batch = rng.choice(n, m, replace=False)
            work.forward(X[batch])
            loss = work.output_cost(Y[batch])
            losses.append(loss)
            exploded = not math.isfinite(loss) or loss > stop_factor * best
            if exploded:
                break
            best = min(best, loss)
    raw = np.array(losses)
    return LRRangeTest(lrs[: raw.size], raw, _smooth(raw, smoothing), float(initial), bool(exploded))


def _smooth(values: np.ndarray, beta: float) -> np.ndarray:
    """Exponential moving average ``s_i = beta s_{i-1} + (1 - beta) v_i``, divided by ``1 - beta^(i+1)``."""
    out = np.empty_like(values)
    avg = 0.0
    for i, v in enumerate(values):
        avg = beta * avg + (1 - beta) * v
        out[i] = avg / (1 - beta ** (i + 1))
    return out


# --- gradient and update norms per layer --------------------------------------------------


class NormRecorder(Callback):
    """Record each layer's gradient, update and weight norms during :func:`~nnlib.training.fit`.

    After every ``every``-th optimiser step it appends, for each layer ``l``,

    * ``||dC/dW^l||``: the gradient of the step's mini-batch (``layer.dW``, which the
      step does not change);
    * ``||Delta W^l||``: how far the step moved the weights, ``W_after - W_before``
      (with momentum or regularisation, that is not just ``eta dC/dW``);
    * ``||W^l||``: the weights after the step.

    All are Frobenius norms of the weight matrices (biases are left out). The arrays
    have one row per recorded step and one column per layer.
    """

    def __init__(self, every: int = 1) -> None:
        self.every = checks.positive_int(every, "every", "NormRecorder")
        self.steps: list[int] = []
        self._grad: list[list[float]] = []
        self._update: list[list[float]] = []
        self._weight: list[list[float]] = []
        self._before: list[np.ndarray] = []

    def on_train_begin(self, state: TrainState) -> None:
        self._before = [layer.W.copy() for layer in state.net.layers]

    def on_batch_end(self, state: TrainState) -> None:
        layers = state.net.layers
        if state.step % self.every == 0:
            self.steps.append(state.step)
            self._grad.append([float(np.linalg.norm(layer.dW)) for layer in layers])
            self._update.append([float(np.linalg.norm(layer.W - w)) for layer, w in zip(layers, self._before)])
            self._weight.append([float(np.linalg.norm(layer.W)) for layer in layers])
        for layer, w in zip(layers, self._before):
            w[...] = layer.W  # the weights before the next step

    grad_norms = property(lambda self: np.array(self._grad), doc="``||dC/dW^l||``, shape (records, layers)")
    update_norms = property(lambda self: np.array(self._update), doc="``||Delta W^l||``, shape (records, layers)")
    weight_norms = property(lambda self: np.array(self._weight), doc="``||W^l||``, shape (records, layers)")

    @property
    def update_ratios(self) -> np.ndarray:
        """``||Delta W^l|| / ||W^l||`` per recorded step and layer: about 1e-3 is healthy."""
        w = self.weight_norms
        return self.update_norms / np.where(w > 0, w, np.inf)


# --- activation statistics ------------------------------------------------------------------

#: For each activation that can get stuck, where its derivative is (almost) zero, from ``(Z, A)``:
#: a ReLU below 0; a sigmoid outside (tail, 1 - tail), where sigma' < 4 % of its largest value 1/4;
#: a tanh outside (-1 + 2 tail, 1 - 2 tail), where tanh' < 4 % of its largest value 1.
_FLAT = {
    "relu": lambda Z, A, tail: Z <= 0,
    "sigmoid": lambda Z, A, tail: (A < tail) | (A > 1 - tail),
    "tanh": lambda Z, A, tail: np.abs(A) > 1 - 2 * tail,
    "step": lambda Z, A, tail: np.ones(Z.shape, dtype=bool),
}


@dataclass
class LayerStats:
    """Activation statistics of one layer (numbered from 1) on a batch.

    ``dead`` is the fraction of the layer's units that are flat on *every* example (a dead
    ReLU, a sigmoid stuck at 0 or 1): they pass no gradient back, so they never learn
    again. ``saturated`` is the fraction of all the values ``a`` that are flat. Both are
    NaN for activations that cannot get stuck (identity, leaky ReLU, softmax).
    """

    layer: int
    activation: str
    dead: float
    saturated: float
    values: np.ndarray = field(repr=False)  # A^l, (n, n_out)

    def __str__(self) -> str:
        if math.isnan(self.dead):
            return f"layer {self.layer} ({self.activation}): cannot saturate"
        return (
            f"layer {self.layer} ({self.activation}): {self.dead:.0%} of the units dead, "
            f"{self.saturated:.0%} of the values saturated"
        )


def activation_stats(net, X, *, tail: float = 0.01) -> list[LayerStats]:
    """Run ``X`` forward through ``net`` and return one :class:`LayerStats` per layer.

    The weights are not changed. ``tail`` sets how close to its flat parts a value counts
    as saturated: a sigmoid output below ``tail`` or above ``1 - tail``, a tanh output
    beyond ``+-(1 - 2 tail)`` (where the derivative is below 4 % of its largest value),
    a ReLU's weighted input at or below 0.
    """
    who = "activation_stats"
    _check_net(net, who)
    tail = checks.number(tail, "tail", who)
    if not 0 < tail < 0.5:
        raise ValueError(f"{who}: tail must be between 0 and 0.5, got {tail!r}")
    X = net.check_inputs(X, "X")
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(X)
    out = []
    for l, layer in enumerate(net.layers, start=1):
        flat = _FLAT.get(layer.activation.name)
        if flat is None:
            dead = saturated = math.nan
        else:
            mask = flat(layer.Z, layer.A, tail)  # (n, n_out)
            dead, saturated = float(mask.all(axis=0).mean()), float(mask.mean())
        out.append(LayerStats(l, layer.activation.name, dead, saturated, layer.A.copy()))
    return out


# --- runs with a planted bug ----------------------------------------------------------------

#: The bugs :func:`buggy_run` can plant, and what each one does.
BUGS: dict[str, str] = {
    "none": "no bug: the baseline run",
    "learning rate too high": "SGD with a learning rate 40 times the baseline's",
    "unshuffled data": "training examples sorted by label and never shuffled",
    "labels off by one": "every training label y replaced by y + 1 (and 9 by 0)",
    "unnormalised inputs": "pixels from 0 to 255 instead of 0 to 1",
    "dead relus": "ReLU hidden units whose biases start at -10",
    "mislabelled data": "half of the training labels replaced by random ones",
    "train and test mixed": "the validation set is made of training examples",
}


@dataclass
class Run:
    """A training run with everything a debugging checklist looks at.

    ``initial_loss`` is the training loss before any step; ``history`` the per-epoch
    :class:`~nnlib.callbacks.History` (with validation); ``norms`` the
    :class:`NormRecorder`; ``stats_before`` and ``stats_after`` the
    :func:`activation_stats` on validation images before and after training;
    ``predicted`` how many validation images the trained network puts in each class;
    ``setup`` the network and the training settings, as the person who ran it knows them;
    ``input_range`` the smallest and the largest training input.
    """

    setup: str
    n_classes: int
    input_range: tuple[float, float]
    initial_loss: float
    history: History
    norms: NormRecorder
    stats_before: list[LayerStats]
    stats_after: list[LayerStats]
    predicted: np.ndarray

    def summary(self) -> str:
        """The numbers of the run, as text."""
        h = self.history
        lines = [
            self.setup,
            f"training inputs from {self.input_range[0]:g} to {self.input_range[1]:g}",
            f"loss before training: {self.initial_loss:.3f}   (ln {self.n_classes} = {math.log(self.n_classes):.3f})",
            "training loss per epoch:       " + " ".join(f"{v:.3f}" for v in h.loss),
            "validation loss per epoch:     " + " ".join(f"{v:.3f}" for v in h.val_loss),
            "training accuracy per epoch:   " + " ".join(f"{v:.2f}" for v in h.accuracy),
            "validation accuracy per epoch: " + " ".join(f"{v:.2f}" for v in h.val_accuracy),
            "validation images per predicted class: " + " ".join(str(int(c)) for c in self.predicted),
            "largest ||update|| / ||W|| per layer: "
            + " ".join(f"{r:.1e}" for r in self.norms.update_ratios.max(axis=0)),
            "after training: " + "; ".join(str(s) for s in self.stats_after[:-1]),
        ]
        return "\n".join(lines)


_MAX_CLASSES = 1000  # one-hot targets of more classes than that are surely a mistake here


def _labels(y, n: int, name: str, who: str, n_classes: int) -> np.ndarray:
    y = checks.array(y, name, who)
    if y.ndim != 1 or y.shape[0] != n:
        raise ValueError(f"{who}: {name} must be a 1-D array of {n} integer labels, got array of shape {y.shape}")
    if y.dtype.kind not in "iu" or (y.size and (y.min() < 0 or y.max() >= n_classes)):
        raise ValueError(f"{who}: {name} must hold integer labels 0 to {n_classes - 1}, got dtype {y.dtype}")
    return y.astype(np.int64)


def buggy_run(
    bug: str,
    X,
    y,
    X_val,
    y_val,
    *,
    hidden: int = 32,
    epochs: int = 6,
    rng: np.random.Generator | int | None = None,
) -> Run:
    """Train a small classifier on ``(X, y)`` with ``bug`` planted, and measure everything.

    The baseline (``bug="none"``) is a network ``[n_inputs, hidden, n_classes]`` with a
    sigmoid hidden layer, softmax and cross-entropy, ``scaled_gaussian`` weights, plain
    SGD at ``eta = 0.5`` on shuffled mini-batches of 20. ``X`` holds inputs between 0 and 1
    (such as :func:`nnlib.data.digits.load_digits`'s pixels), ``y`` integer labels; the number of
    classes is ``max(y, y_val) + 1``. The other bugs of :data:`BUGS` change one thing each.

    Parameters
    ----------
    bug : str
        One of :data:`BUGS`.
    X, y, X_val, y_val : arrays
        Training and validation inputs ``(n, n_inputs)`` and integer labels ``(n,)``.
    hidden : int
        Units of the hidden layer.
    epochs : int
        Passes over the training data.
    rng : Generator or int
        Source of the initial weights, the shuffling and any planted noise.
    """
    who = "buggy_run"
    if not isinstance(bug, str) or bug not in BUGS:
        raise ValueError(f"{who}: bug must be one of {', '.join(repr(b) for b in BUGS)}, got {checks.shown(bug)}")
    X = checks.array(X, "X", who)
    X_val = checks.array(X_val, "X_val", who)
    if X.ndim != 2 or X_val.ndim != 2 or X.shape[1] != X_val.shape[1] or X.shape[0] < 2:
        raise ValueError(
            f"{who}: X and X_val must be 2-D with the same number of columns (and X at least 2 rows), "
            f"got arrays of shape {X.shape} and {X_val.shape}"
        )
    if not (np.isfinite(X).all() and np.isfinite(X_val).all()):
        raise ValueError(f"{who}: X and X_val must hold finite numbers")
    y_arr, y_val_arr = checks.array(y, "y", who), checks.array(y_val, "y_val", who)
    n_classes = max([2] + [int(a.max()) + 1 for a in (y_arr, y_val_arr) if a.dtype.kind in "iu" and a.size])
    if n_classes > _MAX_CLASSES:
        raise ValueError(f"{who}: y and y_val must hold labels 0 to at most {_MAX_CLASSES - 1}, got {n_classes - 1}")
    y = _labels(y_arr, X.shape[0], "y", who, n_classes)
    y_val = _labels(y_val_arr, X_val.shape[0], "y_val", who, n_classes)
    hidden = checks.positive_int(hidden, "hidden", who)
    epochs = checks.positive_int(epochs, "epochs", who)
    rng = as_rng(rng, who)

    X, X_val = X.astype(np.float64), X_val.astype(np.float64)
    y_train = y.copy()
    activation, lr, shuffle = "sigmoid", 0.5, True
    if bug == "learning rate too high":
        lr = 20.0
    elif bug == "unshuffled data":
        order = np.argsort(y_train, kind="stable")
        X, y_train, shuffle = X[order], y_train[order], False
    elif bug == "labels off by one":
        y_train = (y_train + 1) % n_classes
    elif bug == "unnormalised inputs":
        X, X_val = X * 255, X_val * 255
    elif bug == "dead relus":
        activation = "relu"
    elif bug == "mislabelled data":
        flip = rng.random(y_train.size) < 0.5
        y_train[flip] = rng.integers(0, n_classes, int(flip.sum()))
    elif bug == "train and test mixed":
        X_val, y_val = X[: X_val.shape[0]], y_train[: X_val.shape[0]]

    net = Network(
        [X.shape[1], hidden, n_classes],
        activation=activation,
        loss="categorical_cross_entropy",
        init="he" if activation == "relu" else "scaled_gaussian",
        rng=rng,
    )
    if bug == "dead relus":
        net.layers[0].b[...] = -10.0
    Y, Y_val = np.eye(n_classes)[y_train], np.eye(n_classes)[y_val]
    probe = X_val[:200]
    stats_before = activation_stats(net, probe)
    initial_loss = net.loss_value(X, Y)
    norms = NormRecorder()
    history = fit(
        net,
        X,
        Y,
        epochs=epochs,
        batch_size=20,
        lr=lr,
        validation_data=(X_val, Y_val),
        callbacks=[norms],
        progress=False,
        shuffle=shuffle,
        rng=rng,
    )
    stats_after = activation_stats(net, probe)
    predicted = np.bincount(net.classify(X_val), minlength=n_classes)
    setup = (
        f"Network([{X.shape[1]}, {hidden}, {n_classes}], {activation}, softmax + cross-entropy); "
        f"SGD, eta = {lr:g}, batches of 20, {epochs} epochs"
    )
    input_range = (float(X.min()), float(X.max()))
    return Run(setup, n_classes, input_range, initial_loss, history, norms, stats_before, stats_after, predicted)


__all__ = ["BUGS", "LRRangeTest", "LayerStats", "NormRecorder", "Run", "activation_stats", "buggy_run", "lr_range_test"]
