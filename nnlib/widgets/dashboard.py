"""A live training dashboard for :func:`~nnlib.training.fit`: loss and accuracy curves, a
progress bar and, for 2-D inputs, the decision map, redrawn while training runs.

>>> net.fit(X, Y, epochs=200, callbacks=[TrainingDashboard(X, Y)])   # doctest: +SKIP

Drawing is slow compared with a training epoch, so the dashboard draws only
now and then: never more often than every ``min_interval`` seconds, and only
while the time spent drawing stays below ``budget`` (5 %) of the training time
so far. The final state is always drawn. The decisions live in :class:`Throttle`
and :class:`DashboardView`, plain classes that tests drive with a fake clock.
"""

from __future__ import annotations

import io
import math
import time
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image as PILImage

from ..callbacks import Callback, History, TrainState
from ..plot.decision import plot_decision_boundary, update_decision_map
from ..plot.style import BLUE, ORANGE, style

__all__ = ["DashboardView", "Throttle", "TrainingDashboard"]


class Throttle:
    """Decide when a redraw may happen.

    A redraw is allowed when at least ``min_interval`` seconds passed since the
    last one *and* drawing once more keeps the total drawing time within
    ``budget`` times the elapsed time: ``spent + last_cost <= budget * elapsed``.
    (``last_cost`` starts at ``first_cost``, a guess of one draw's duration.)

    Parameters
    ----------
    min_interval : float
        Seconds between two draws, at least.
    budget : float
        Largest share of the elapsed time spent drawing (0.05 is 5 %).
    clock : callable
        Returns the time in seconds; tests pass a fake clock.
    """

    def __init__(
        self,
        min_interval: float = 0.25,
        budget: float = 0.05,
        first_cost: float = 0.25,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        if min_interval < 0 or not 0 < budget <= 1:
            raise ValueError(
                f"Throttle needs min_interval >= 0 and 0 < budget <= 1, "
                f"got min_interval={min_interval!r}, budget={budget!r}"
            )
        self.min_interval, self.budget, self.clock = min_interval, budget, clock
        self.first_cost = first_cost
        self.start()

    def start(self) -> None:
        """Start the clock (at the beginning of training)."""
        self.t0 = self.clock()
        self.last = -math.inf
        self.spent = 0.0
        self.cost = self.first_cost

    def ready(self) -> bool:
        """May we draw now?"""
        now = self.clock()
        return now - self.last >= self.min_interval and self.spent + self.cost <= self.budget * (now - self.t0)

    def record(self, started: float) -> None:
        """A draw that began at clock time ``started`` has just finished."""
        now = self.clock()
        self.cost = now - started
        self.spent += self.cost
        self.last = now


class DashboardView:
    """The dashboard's figure: which panels, and how to bring them up to date.

    Panels: ``loss`` always; ``accuracy`` when the history has class accuracies
    (not NaN, as for regression); ``decision map`` when 2-D inputs ``X`` are
    given for a network with 2 inputs.
    """

    def __init__(self, X=None, y=None, resolution: int = 40, dpi: int = 72, max_points: int = 300) -> None:
        self.X = None if X is None else np.asarray(X, dtype=float)[:max_points]  # enough to see the data
        self.y = None if y is None else np.asarray(y)[:max_points]
        self.resolution, self.dpi = resolution, dpi
        self.fig: Figure | None = None
        self.panels: list[str] = []

    def choose_panels(self, history: History, net) -> list[str]:
        """The panels to show for this history and network."""
        panels = ["loss"]
        if any(not math.isnan(a) for a in history.accuracy + history.val_accuracy):
            panels.append("accuracy")
        if self.X is not None and self.X.ndim == 2 and self.X.shape[1] == 2 and net.sizes[0] == 2:
            panels.append("decision map")
        return panels

    def _build(self, panels: list[str], net, epochs: int, top_loss: float) -> None:
        self.panels, self.epochs, self.top_loss = panels, epochs, top_loss
        with style():
            self.fig = Figure(figsize=(3.4 * len(panels), 3.0), dpi=self.dpi, layout="none")
            FigureCanvasAgg(self.fig)
            axes = self.fig.subplots(1, len(panels), squeeze=False)[0]
            width = 3.4 * len(panels)  # margins in inches, as fractions
            self.fig.subplots_adjust(
                left=0.6 / width, right=1 - 0.15 / width, bottom=0.16, top=0.88, wspace=0.35
            )  # fixed: no layout engine per draw
            self.lines, self.axes = {}, dict(zip(panels, axes))
            for name, top in (("loss", top_loss), ("accuracy", 1.0)):
                if name in self.axes:
                    ax = self.axes[name]
                    for key, label, color, ls in (
                        (name, "training", BLUE, "-"),
                        (f"val_{name}", "validation", ORANGE, "--"),
                    ):
                        (self.lines[key],) = ax.plot([], [], ls, color=color, label=label)
                    # Fixed limits, so the axes never change and are drawn once (see to_png).
                    ax.set(title=name, xlabel="epoch", xlim=(0, max(epochs, 1)), ylim=(0, top))
                    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
                    ax.yaxis.set_major_locator(MaxNLocator(4))
                    if name == "loss":
                        ax.legend(loc="upper right", fontsize=8)
            dynamic = list(self.lines.values())
            if "decision map" in self.axes:
                ax = self.axes["decision map"]
                self.map = plot_decision_boundary(
                    net, self.X, self.y, ax=ax, resolution=self.resolution, colorbar=False, title="decision map"
                )
                if ax.get_legend() is not None:
                    ax.get_legend().remove()
                ax.xaxis.set_major_locator(MaxNLocator(4))
                ax.yaxis.set_major_locator(MaxNLocator(4))
                dynamic += [self.map, *ax.collections]  # the points sit on top of the map
            for ax in axes:  # a fixed title height skips a costly layout step per draw
                ax.set_title(ax.get_title(), y=1.02)
        for artist in dynamic:
            artist.set_animated(True)
        self._dynamic, self._background = dynamic, None

    def update(self, history: History, net, epochs: int | None = None) -> None:
        """Bring every panel up to date; ``epochs`` is the planned number (the x range).

        The figure is built the first time, and again only if the panels change
        or the loss climbs above the top of its axis.
        """
        panels = self.choose_panels(history, net)
        epochs = max(epochs or 0, len(history))
        top = max(max(history.loss, default=0.0), max(history.val_loss, default=0.0))
        if self.fig is None or panels != self.panels or epochs > self.epochs or not top <= self.top_loss:
            self._build(panels, net, epochs, 1.15 * top if math.isfinite(top) and top > 0 else 1.0)
        x = np.asarray(history.epoch)
        for key, line in self.lines.items():
            values = np.asarray(history[key], dtype=float)
            line.set_data(x[: len(values)], values)
        if "decision map" in self.axes:
            update_decision_map(self.map, net)

    def to_png(self) -> bytes:
        """Render with Agg and encode the pixels as PNG.

        The axes, ticks and labels are drawn once into a cached background;
        each later call restores it and draws only the curves and the map.
        """
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.fig.draw_artist(artist)
        image = PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=3)
        return buf.getvalue()


class TrainingDashboard(Callback):
    """Live loss / accuracy curves, a progress bar and a decision map while :func:`~nnlib.training.fit` runs.

    Parameters
    ----------
    X, y : arrays, optional
        Training inputs and targets; with 2 input features the decision map is shown.
    min_interval : float
        Seconds between two redraws, at least (so at most a few per second).
    budget : float
        Largest share of the training time spent drawing (default 5 %).
    display : bool
        Show the widgets in the notebook when training begins (False in tests).
    clock : callable
        Time source, for tests.

    After training, :attr:`png` holds the last picture, :attr:`n_draws` counts redraws
    and :attr:`seconds` is the time the dashboard took in all.
    """

    def __init__(
        self,
        X=None,
        y=None,
        *,
        min_interval: float = 0.25,
        budget: float = 0.05,
        resolution: int = 40,
        display: bool = True,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.view = DashboardView(X, y, resolution=resolution)
        self.throttle = Throttle(min_interval, budget, clock=clock)
        self.progress_throttle = Throttle(0.1, 1.0, first_cost=0.0, clock=clock)  # the bar is cheap
        self.display, self.clock = display, clock
        self.png, self.n_draws, self.widget, self.seconds = b"", 0, None, 0.0

    def _make_widgets(self, epochs: int) -> None:
        try:
            import ipywidgets as w
        except ImportError:  # plain Python: no widgets, still draws
            return
        self.progress = w.IntProgress(value=0, min=0, max=epochs, description="epoch", layout=w.Layout(width="420px"))
        self.label = w.HTML()
        self.image = w.Image(format="png")
        self.widget = w.VBox([w.HBox([self.progress, self.label]), self.image])
        if self.display:
            try:
                from IPython.display import display

                display(self.widget)
            except ImportError:
                pass

    def on_train_begin(self, state: TrainState) -> None:
        started = self.clock()
        self.throttle.start()
        self.progress_throttle.start()
        self._make_widgets(state.epochs)
        self.seconds = self.clock() - started

    def on_epoch_end(self, state: TrainState) -> None:
        started = self.clock()
        if self.throttle.ready():
            self.draw(state)
        elif self.widget is not None and self.progress_throttle.ready():
            self._update_progress(state)
            self.progress_throttle.record(started)
        self.seconds += self.clock() - started

    def on_train_end(self, state: TrainState) -> None:
        started = self.clock()
        self.draw(state, final=True)  # always show where training ended
        self.seconds += self.clock() - started

    def draw(self, state: TrainState, final: bool = False) -> None:
        """Redraw every panel and the progress bar for ``state`` (what the throttle allows)."""
        started = self.clock()
        h = state.history
        if len(h):
            self.view.update(h, state.net, state.epochs)
            self.png = self.view.to_png()
        if self.widget is not None:
            self._update_progress(state, final)
            if self.png:
                self.image.value = self.png
        self.n_draws += 1
        self.throttle.record(started)

    def _update_progress(self, state: TrainState, final: bool = False) -> None:
        h = state.history
        self.progress.value = len(h)
        if final:
            self.progress.bar_style = "success" if len(h) == state.epochs else "info"
        last = h.last()
        text = f"{len(h)} / {state.epochs}"
        if last.get("loss") is not None:  # absent with fit(train_metrics=False)
            text += f" &nbsp; loss {last['loss']:.4g}"
        if last.get("val_loss") is not None:
            text += f" &nbsp; validation loss {last['val_loss']:.4g}"
        self.label.value = text
