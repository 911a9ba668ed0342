"""A live training dashboard for :func:`~nnlib.training.fit`: loss and accuracy curves, the epoch
and the latest numbers and, for 2-D inputs, the decision map, drawn while training runs.

>>> net.fit(X, Y, epochs=200, callbacks=[TrainingDashboard(X, Y)])   # doctest: +SKIP

The dashboard is a :class:`~nnlib.callbacks.Callback`. It owns an anywidget
(:class:`~nnlib.widgets.dashboard_widget.DashboardWidget`) whose front end,
``static/dashboard.js``, draws everything on canvas in the browser. Python only sends
numbers, and only what changed since the last update:

* the new entries of the :class:`~nnlib.callbacks.History` (``epoch``, ``loss``, ...);
* for a network with 2 inputs, its output on a small grid over the data
  (``resolution`` x ``resolution`` points, 40 x 40 by default), one byte per point;
* during a long epoch, how far into it training is.

When to send is the :class:`Throttle`'s decision: the first epoch at once, then one
update every ``min_interval`` seconds (0.25 s), stretched while an update would cost more
than ``budget`` (5 %) of the time between two, but never beyond ``max_interval`` (0.4 s):
so at least 2 updates a second whatever the network. The end of training is always sent.

For a page without a kernel, the dashboard also keeps a replay: the decision grid and
the length of the history at up to ``max_frames`` epochs (the first, every few, the
last). They are part of the widget's state, so a saved notebook (and the book's
website) carries them, and the front end offers a slider and a Play button after
training. :class:`Throttle` and the callback are plain Python: the tests drive them
with a fake clock.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from ..callbacks import Callback, History, TrainState

__all__ = ["Throttle", "TrainingDashboard"]

_KEYS = ("epoch", "loss", "accuracy", "val_loss", "val_accuracy")


class Throttle:
    """Decide when the next update may be sent.

    The first update may go at once. After that, one every ``interval`` seconds:
    ``min_interval``, or longer when updates are costly, so that the time spent on them
    stays within ``budget`` of the time between two (``interval >= cost / budget``),
    but never longer than ``max_interval``. ``cost`` is the duration of the last update.

    Parameters
    ----------
    min_interval, max_interval : float
        Seconds between two updates: at least ``min_interval``, at most ``max_interval``
        (unless the training itself gives no chance: an update can only happen between
        two batches).
    budget : float
        Largest share of the time spent on updates (0.05 is 5 %), within those limits.
    clock : callable
        Returns the time in seconds; tests pass a fake clock.
    """

    def __init__(
        self,
        min_interval: float = 0.25,
        max_interval: float = 0.4,
        budget: float = 0.05,
        clock: Callable[[], float] = time.perf_counter,
        who: str = "Throttle",
    ) -> None:
        for name, value in (("min_interval", min_interval), ("max_interval", max_interval), ("budget", budget)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise TypeError(f"{who}: {name} must be a finite number, got {value!r}")
        if not 0 <= min_interval <= max_interval:
            raise ValueError(
                f"{who} needs 0 <= min_interval <= max_interval, "
                f"got min_interval={min_interval!r}, max_interval={max_interval!r}"
            )
        if not 0 < budget <= 1:
            raise ValueError(f"{who} needs 0 < budget <= 1 (a share of the time), got budget={budget!r}")
        if not callable(clock):
            raise TypeError(f"{who}: clock must be a function returning seconds, got {clock!r}")
        self.min_interval, self.max_interval, self.budget = float(min_interval), float(max_interval), float(budget)
        self.clock = clock
        self.start()

    def start(self) -> None:
        """Start again (at the beginning of training): the next update may go at once."""
        self.last = -math.inf
        self.cost = 0.0

    @property
    def interval(self) -> float:
        """Seconds to wait after an update before the next one."""
        return min(self.max_interval, max(self.min_interval, self.cost / self.budget))

    def ready(self, now: float | None = None) -> bool:
        """May an update be sent now?"""
        return (self.clock() if now is None else now) - self.last >= self.interval

    def record(self, started: float) -> None:
        """An update that began at clock time ``started`` has just been sent."""
        now = self.clock()
        self.cost = max(0.0, now - started)
        self.last = now


def _class_labels(y: np.ndarray) -> np.ndarray | None:
    """Integer class labels from 0/1, -1/+1, integer or one-hot targets; None for regression targets."""
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    y = y.reshape(-1)
    values = set(np.unique(y).tolist())
    if values <= {-1.0, 1.0}:
        return (y > 0).astype(int)
    if np.all(y == np.round(y)) and y.min() >= 0 and y.max() < 64:
        return y.astype(int)
    return None


def _number(value: float) -> float | None:
    """A float for JSON: 6 significant digits, and None for NaN or infinity (JSON has neither)."""
    value = float(value)
    return float(f"{value:.6g}") if math.isfinite(value) else None


class _DecisionGrid:
    """The network's output on a ``resolution`` x ``resolution`` grid over the data, as bytes.

    One output: ``kind = "scalar"``. The output is scaled from its ``range`` (0..1 for
    sigmoid and step, -1..1 for tanh, else the range of the targets) to -1..1 and stored
    as one byte per point, ``round(127 t) + 127`` (so 0 is exactly 127, the colour of the
    threshold). ``k`` outputs: ``kind = "classes"``, the winning class of each point, then
    its lead over the runner-up (0..1 as 0..255). Point ``(x[j], y[i])`` is at ``i * r + j``,
    row 0 at the bottom, as ``drawMap`` in ``static/ui.js`` reads it.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray | None, net, resolution: int, max_points: int) -> None:
        self.resolution, self.n_outputs = resolution, net.sizes[-1]
        lo, hi = X.min(axis=0), X.max(axis=0)
        pad = 0.1 * (hi - lo) + 1e-6  # as plot_decision_boundary
        self.xs = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
        self.ys = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
        xx, yy = np.meshgrid(self.xs, self.ys)
        self.points = np.column_stack([xx.ravel(), yy.ravel()])  # (r * r, 2)
        activation = net.layers[-1].activation.name
        labels = None if y is None else _class_labels(y)
        shown = X[:max_points]
        self.info: dict[str, Any] = {
            "resolution": resolution,
            "xlim": [_number(self.xs[0]), _number(self.xs[-1])],
            "ylim": [_number(self.ys[0]), _number(self.ys[-1])],
            "x": np.round(shown[:, 0], 4).tolist(),
            "y": np.round(shown[:, 1], 4).tolist(),
        }
        if self.n_outputs > 1:
            self.info.update(kind="classes", classes=self.n_outputs)
        else:
            if activation in ("sigmoid", "step"):
                self.lo, self.hi = 0.0, 1.0
            elif activation == "tanh" or y is None:
                self.lo, self.hi = -1.0, 1.0
            else:  # identity, ReLU, ...: the targets' range
                lo_y, hi_y = float(np.min(y)), float(np.max(y))
                self.lo, self.hi = lo_y, max(hi_y, lo_y + 1e-9)
            self.info.update(kind="scalar", range=[_number(self.lo), _number(self.hi)])
        if labels is not None:
            self.info["labels"] = labels[:max_points].tolist()
        elif y is not None and self.n_outputs == 1:  # regression: points coloured by target, on the map's scale
            self.info["values"] = np.round(self._scale(y.reshape(-1)[:max_points]), 3).tolist()

    def _scale(self, v: np.ndarray) -> np.ndarray:
        t = 2.0 * (v - self.lo) / (self.hi - self.lo) - 1.0
        return np.clip(np.nan_to_num(t, nan=0.0), -1.0, 1.0)

    def encode(self, net) -> bytes:
        """The network's outputs on the grid, as bytes (see the class docstring)."""
        out = net.predict(self.points)  # (r * r, n_outputs)
        if self.n_outputs == 1:
            return (np.rint(127.0 * self._scale(out[:, 0])) + 127).astype(np.uint8).tobytes()
        top_two = np.sort(out, axis=1)[:, -2:]
        lead = np.clip(np.nan_to_num(top_two[:, 1] - top_two[:, 0]), 0.0, 1.0)
        winner = np.minimum(out.argmax(axis=1), 255)
        return winner.astype(np.uint8).tobytes() + np.rint(255 * lead).astype(np.uint8).tobytes()


class TrainingDashboard(Callback):
    """Live loss and accuracy curves, the epoch and, for 2-D inputs, the decision map during a fit.

    Parameters
    ----------
    X, y : arrays, optional
        Training inputs of shape ``(n_samples, n_features)`` and their targets (labels,
        one-hot rows or regression targets). With 2 input features and a network with
        2 inputs, the decision map is shown with the first ``max_points`` points on it.
    min_interval, max_interval : float
        Seconds between two updates, at least and at most (see :class:`Throttle`).
    budget : float
        Largest share of the time between two updates spent on one (default 5 %).
    resolution : int
        Grid points per axis of the decision map (2 to 200; default 40).
    max_frames : int
        Epochs kept for the replay after training (2 to 200; default 40).
    max_points : int
        Data points drawn on the map, the first ones of ``X`` (default 300: enough to see the data).
    display : bool
        Show the dashboard in the notebook when training begins (only inside IPython or Jupyter).
    clock : callable
        Time source, for tests.

    Notes
    -----
    After training, ``n_updates`` counts the updates sent (the last one included),
    ``seconds`` is the time the dashboard took in all, ``frames`` holds the replay
    (``(history length, grid bytes)`` pairs) and ``widget`` is the anywidget (None when
    anywidget is not installed).
    """

    def __init__(
        self,
        X=None,
        y=None,
        *,
        min_interval: float = 0.25,
        max_interval: float = 0.4,
        budget: float = 0.05,
        resolution: int = 40,
        max_frames: int = 40,
        max_points: int = 300,
        display: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        for name, value, lo, hi in (
            ("resolution", resolution, 2, 200),
            ("max_frames", max_frames, 2, 200),
            ("max_points", max_points, 1, 100_000),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
                raise ValueError(f"TrainingDashboard: {name} must be an integer from {lo} to {hi}, got {value!r}")
        if not isinstance(display, bool):
            raise TypeError(f"TrainingDashboard: display must be True or False, got {display!r}")
        self.X, self.y = self._check_data(X, y)
        self.throttle = Throttle(min_interval, max_interval, budget, clock=clock, who="TrainingDashboard")
        self.resolution, self.max_frames, self.max_points = int(resolution), int(max_frames), int(max_points)
        self.display, self.clock = display, clock
        self.widget = _make_widget()
        self.n_updates, self.seconds, self.run = 0, 0.0, 0
        self.frames: list[tuple[int, bytes]] = []
        self.grid: bytes = b""
        self._map: _DecisionGrid | None = None

    @staticmethod
    def _check_data(X, y) -> tuple[np.ndarray | None, np.ndarray | None]:
        if X is None:
            if y is not None:
                raise ValueError("TrainingDashboard: got targets y but no inputs X; give both or neither")
            return None, None
        try:
            X = np.asarray(X, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"TrainingDashboard: X must be an array of numbers, got {type(X).__name__}") from None
        if X.ndim != 2 or X.shape[0] == 0 or not np.isfinite(X).all():
            raise ValueError(
                f"TrainingDashboard expected X of shape (n_samples, n_features) with finite numbers, "
                f"got array of shape {X.shape}"
            )
        if y is None:
            return X, None
        try:
            y = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"TrainingDashboard: y must be an array of numbers, got {type(y).__name__}") from None
        if y.ndim == 0 or y.ndim > 2 or y.shape[0] != X.shape[0] or not np.isfinite(y).all():
            raise ValueError(
                f"TrainingDashboard expected y with one finite row per example of X ({X.shape[0]}), "
                f"got array of shape {y.shape}"
            )
        return X, y

    # --- what the widget shows ---------------------------------------------------------
    def _ipython_display_(self) -> None:
        """``dashboard`` alone at the end of a cell shows it (again)."""
        if self.widget is not None:
            from IPython.display import display

            display(self.widget)

    def on_train_begin(self, state: TrainState) -> None:
        started = self.clock()
        self.throttle.start()
        self.run += 1
        self.n_updates, self.frames, self.grid, self._sent = 0, [], b"", 0
        self._epoch_started = self._looked = started
        self._looked_step, self._look_at = 0, 1
        net, X = state.net, self.X
        self._map = None
        if X is not None and X.shape[1] == 2 and net.sizes[0] == 2:
            self._map = _DecisionGrid(X, self.y, net, self.resolution, self.max_points)
        # frames at epoch 1, every `every` epochs and the last: at most max_frames in all
        self._every = max(1, math.ceil(state.epochs / (self.max_frames - 2))) if self.max_frames > 2 else state.epochs
        if self.widget is not None:
            with self.widget.hold_sync():
                self.widget.run, self.widget.status, self.widget.epochs = self.run, "training", state.epochs
                self.widget.reason = ""
                self.widget.history = {k: [] for k in _KEYS}
                self.widget.grid, self.widget.frame_ends, self.widget.frame_grids = b"", [], b""
                self.widget.map = {} if self._map is None else self._map.info
            if self.display and _in_ipython():
                self._ipython_display_()
        self.seconds = self.clock() - started

    def on_batch_end(self, state: TrainState) -> None:
        """During a long epoch, say how far into it training is (the cheap test comes first)."""
        if state.step < self._look_at:
            return
        now = self.clock()
        # look at the clock again after about 20 ms of training
        per_step = (now - self._looked) / max(1, state.step - self._looked_step)
        self._looked, self._looked_step = now, state.step
        self._look_at = state.step + (max(1, min(10_000, int(0.02 / per_step))) if per_step > 0 else 1)
        if now - self._epoch_started >= self.throttle.interval and self.throttle.ready(now):
            progress = {"epoch": state.epoch + 1, "batch": state.batch + 1, "batches": state.batches_per_epoch}
            self._send({"type": "progress", **progress}, now)
        self.seconds += self.clock() - now

    def on_epoch_end(self, state: TrainState) -> None:
        started = self.clock()
        n, grid = len(state.history), None
        if (n == 1 or n % self._every == 0) and len(self.frames) < self.max_frames - 1:
            grid = b"" if self._map is None else self._map.encode(state.net)
            self.frames.append((n, grid))
        if self.throttle.ready(started):
            if self._map is not None and grid is None:
                grid = self._map.encode(state.net)
            self._update(state.history, grid or None, started)
        self._epoch_started = self.clock()
        self.seconds += self._epoch_started - started

    def on_train_end(self, state: TrainState) -> None:
        """Always send the final state, in full, into the widget's state (what a saved notebook keeps)."""
        self._finish(state, "done" if len(state.history) >= state.epochs else "stopped", "")

    def on_train_error(self, state: TrainState, error: BaseException) -> None:
        """fit raised: the final state all the same, marked stopped, with the reason."""
        reason = "interrupted" if isinstance(error, KeyboardInterrupt) else f"{type(error).__name__}: {error}"
        self._finish(state, "stopped", reason)

    def _finish(self, state: TrainState, status: str, reason: str) -> None:
        started = self.clock()
        h, n = state.history, len(state.history)
        if self._map is not None:
            self.grid = self._map.encode(state.net)
        if n and (not self.frames or self.frames[-1][0] != n):
            self.frames.append((n, self.grid))
        if self.widget is not None:
            with self.widget.hold_sync():
                self.widget.history = self._history_payload(h, 0)
                self.widget.grid = self.grid
                self.widget.frame_ends = [f[0] for f in self.frames]
                self.widget.frame_grids = b"".join(f[1] for f in self.frames)
                self.widget.status, self.widget.reason = status, reason
        self._sent = n
        self.n_updates += 1
        self.throttle.record(started)
        self.seconds += self.clock() - started

    # --- sending -------------------------------------------------------------------------
    @staticmethod
    def _history_payload(h: History, start: int) -> dict[str, list]:
        return {k: [v if k == "epoch" else _number(v) for v in h[k][start:]] for k in _KEYS}

    def _update(self, h: History, grid: bytes | None, started: float) -> None:
        """Send the history entries not sent yet and the new grid."""
        if grid is not None:
            self.grid = grid
        message = {"type": "update", "start": self._sent, "history": self._history_payload(h, self._sent)}
        self._sent = len(h)
        self._send(message, started, [grid] if grid is not None else [])

    def _send(self, message: dict, started: float, buffers: list[bytes] | None = None) -> None:
        if self.widget is not None:
            self.widget.send(message, buffers or None)
        self.n_updates += 1
        self.throttle.record(started)


def _in_ipython() -> bool:
    """Is there a notebook (or IPython) to show the widget in? A plain script gets no printed repr."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def _make_widget():
    """The anywidget, or None (and a note how to get it) when anywidget is not installed."""
    try:
        from .dashboard_widget import DashboardWidget
    except ImportError as error:  # e.g. on Colab without nnlib[widgets]
        print(f"TrainingDashboard: no live view ({error}); `pip install anywidget` to see one. Training is unaffected.")
        return None
    return DashboardWidget()
