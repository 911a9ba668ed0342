"""A neural-network playground in the notebook, in the spirit of TensorFlow Playground.

>>> pg = Playground("https://playground.tensorflow.org/#dataset=xor&networkShape=4")  # doctest: +SKIP
>>> pg                                                                                   # doctest: +SKIP

Press play and watch the network learn: the big map is the network's output
over the plane, the small maps what every neuron computes, the lines between
them the weights (width ~ |w|, blue positive, vermillion negative).

Everything the controls do goes through :class:`~nnlib.playground_core.PlaygroundCore`
(plain Python, tested without a browser); :class:`PlaygroundFigure` draws all
views in one matplotlib figure, updated in place and sent to the page as a PNG
in an ``ipywidgets.Image``, so the saved notebook still shows a picture.
"""
from __future__ import annotations

import asyncio
import html
import io
import time
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from PIL import Image as PILImage

from .playground_core import (ACTIVATION_NAMES, FEATURES, MAX_LAYERS, MAX_NEURONS, REGULARIZATIONS,
                              PlaygroundCore, Settings, SettingsWarning, load_settings)
from .plotting import CLASS_COLORS, CLASS_MARKERS, DECISION_CMAP, DIVERGING, style
from .datasets import CLASSIFICATION_SETS, REGRESSION_SETS

__all__ = ["Experiment", "Playground", "PlaygroundFigure", "Settings", "run_experiment"]

_LABELS = {"x1": "$x_1$", "x2": "$x_2$", "x1^2": "$x_1^2$", "x2^2": "$x_2^2$", "x1*x2": "$x_1 x_2$",
           "sin(x1)": r"$\sin x_1$", "sin(x2)": r"$\sin x_2$", "cos(x1)": r"$\cos x_1$", "cos(x2)": r"$\cos x_2$"}


def _marker(name: str):
    """A circle as a 16-gon: looks the same at this size, and skips Bezier extents on every draw."""
    return (16, 0, 0) if name == "o" else name


class PlaygroundFigure:
    """Every view of a playground in one figure: network diagram with neuron maps,
    the output's decision map with the data, and the loss curves.

    :meth:`build` lays the figure out for a network shape (when it changes);
    :meth:`update` only replaces image data, line widths and colours, and texts;
    :meth:`render` encodes the picture as PNG or JPEG.

    Speed: what never changes during training (labels, ticks, frames, the
    input-feature maps) is drawn once into a cached background; each frame
    restores it and draws only the changing artists on top.
    """

    def __init__(self, core: PlaygroundCore, figsize=(10.0, 5.0), dpi: int = 80) -> None:
        with style():
            self.fig = Figure(figsize=figsize, dpi=dpi, layout="none")
        FigureCanvasAgg(self.fig)
        self.build(core)

    def build(self, core: PlaygroundCore) -> None:
        """Lay out the figure for the core's data, features and network shape."""
        fig, s = self.fig, core.settings
        fig.clear()
        self._background = None
        W, H = fig.get_size_inches()
        columns = [len(s.features), *s.hidden]
        pitch = min(0.088, 0.72 / max(columns))
        th = 0.8 * pitch                                       # thumbnail height, fraction of H
        tw = th * H / W                                        # the same in pixels wide
        xs = np.linspace(0.10, 0.64, len(columns) + 1)[:-1]    # the output map is the last column
        self.nodes = [[(x, 0.84 - k * pitch) for k in range(n)] for x, n in zip(xs, columns)]
        with style():
            # One axes over the whole figure, in figure fractions, holds the weights, every
            # neuron's map (an image with its own extent) and their frames: far cheaper to
            # build and draw than an Axes per neuron.
            bg = self.bg = fig.add_axes((0, 0, 1, 1), zorder=-1)
            bg.set(xlim=(0, 1), ylim=(0, 1))
            bg.set_autoscale_on(False)
            bg.set_axis_off()
            map_box = (0.675, 0.09, 0.62 * H / W, 0.62)
            out_in = (map_box[0], map_box[1] + map_box[3] / 2)  # where the lines meet the output map
            segments = [((x + tw / 2, y), (x2 - tw / 2, y2))
                        for c in range(len(columns) - 1) for (x, y) in self.nodes[c]
                        for (x2, y2) in self.nodes[c + 1]]
            segments += [((x + tw / 2, y), out_in) for (x, y) in self.nodes[-1]]
            self.lines = LineCollection(segments, capstyle="round", zorder=1)
            bg.add_collection(self.lines)
            self.thumbs = []                                   # one AxesImage per node, per column
            for c, col in enumerate(self.nodes):
                self.thumbs.append([bg.imshow(np.zeros((2, 2)), extent=(x - tw / 2, x + tw / 2, y - th / 2,
                                                                         y + th / 2),
                                              origin="lower", cmap=DECISION_CMAP, vmin=-1, vmax=1,
                                              interpolation="nearest", aspect="auto", zorder=2)
                                    for x, y in col])
                head = "features" if c == 0 else f"{columns[c]} neuron{'s' * (columns[c] > 1)}"
                fig.text(xs[c], 0.84 + pitch / 2 + 0.02, head, ha="center", va="bottom", fontsize=9)
            boxes = [[(x - tw / 2, y - th / 2), (x + tw / 2, y - th / 2), (x + tw / 2, y + th / 2),
                      (x - tw / 2, y + th / 2), (x - tw / 2, y - th / 2)] for col in self.nodes for x, y in col]
            self.frames = LineCollection(boxes, colors="#999999", linewidths=0.6, zorder=3)
            bg.add_collection(self.frames)
            for (x, y), name in zip(self.nodes[0], s.features):
                fig.text(x - tw / 2 - 0.006, y, _LABELS[name], ha="right", va="center", fontsize=10)
            maps = core.feature_maps()
            for j, image in enumerate(self.thumbs[0]):
                image.set_data(maps[:, :, j])
            self.epoch_text = fig.text(0.01, 0.965, "", fontsize=12, va="top", weight="bold")
            fig.text(map_box[0] + map_box[2] / 2, 0.955, "output", ha="center", va="top", fontsize=9)
            self.loss_text = fig.text(map_box[0], 0.905, "", fontsize=9, va="top", color="#222222")
            self.train_text = fig.text(map_box[0] + map_box[2], 0.905, "", fontsize=9, va="top", ha="right",
                                       color="#777777")
            ax = fig.add_axes((map_box[0], 0.77, map_box[2], 0.085))
            ax.xaxis.set_visible(False)
            ax.yaxis.set_visible(False)
            ax.grid(False)
            self.loss_ax = ax
            (self.test_line,) = ax.plot([], [], color="#222222", lw=1.2)
            (self.train_line,) = ax.plot([], [], color="#999999", lw=1.2)
            ax = fig.add_axes(map_box)
            ax.grid(False)
            ax.set(xlim=core.EXTENT, ylim=core.EXTENT, xticks=[-6, -3, 0, 3, 6], yticks=[-6, -3, 0, 3, 6])
            ax.tick_params(labelsize=7, length=2, pad=1)
            for spine in ("top", "right"):
                ax.spines[spine].set_visible(True)
            self.output = ax.imshow(np.zeros((2, 2)), origin="lower", extent=core.EXTENT * 2,
                                    cmap=DECISION_CMAP, vmin=-1, vmax=1, interpolation="bilinear")
            self.map_ax = ax
            self._scatter_data(core)
        self._dynamic = [self.lines, *(im for col in self.thumbs[1:] for im in col), self.frames, self.output,
                         *(sc for sc, _ in self.points), self.train_line, self.test_line,
                         self.epoch_text, self.loss_text, self.train_text]
        for artist in self._dynamic:
            artist.set_animated(True)                          # left out of the background

    def _scatter_data(self, core: PlaygroundCore) -> None:
        ax, s = self.map_ax, core.settings
        self.points = []
        for X, y, test in ((core.X_train, core.y_train, False), (core.X_test, core.y_test, True)):
            if s.problem == "regression":
                groups = [(np.ones(len(X), bool), dict(c=y[:, 0], cmap=DECISION_CMAP, vmin=-1, vmax=1,
                                                       marker="o", edgecolors="#222222"))]
            else:
                groups = [(y[:, 0] * (2 * c - 1) > 0, dict(marker=_marker(CLASS_MARKERS[c]), c=CLASS_COLORS[c],
                                                            edgecolors="#222222" if test else "white"))
                          for c in (0, 1)]                  # test points: black rim, as in TF Playground
            for mask, kw in groups:
                sc = ax.scatter(X[mask, 0], X[mask, 1], s=14, linewidths=0.9 if test else 0.4, **kw)
                sc.set_visible(not test or s.show_test_data)
                self.points.append((sc, test))

    def update(self, core: PlaygroundCore) -> None:
        """Put the core's current state into the existing artists (no new artists)."""
        output, hidden = core.grid_outputs()
        s = core.settings
        self.output.set_data(np.where(output >= 0, 1.0, -1.0) if s.discretize else output)
        for images, A in zip(self.thumbs[1:], hidden):
            for j, image in enumerate(images):
                image.set_data(A[::2, ::2, j])                # a coarser grid is plenty here
        w = np.concatenate([layer.W.ravel() for layer in core.net.layers])   # segment order: row = input
        self.lines.set_linewidths(0.4 + 3.6 * np.clip(np.abs(w) / 2.0, 0.0, 1.0))
        self.lines.set_color(DIVERGING(Normalize(-1.0, 1.0, clip=True)(w)))
        for sc, test in self.points:
            sc.set_visible(not test or s.show_test_data)
        h = core.history
        self.train_line.set_data(h["epoch"], h["train_loss"])
        self.test_line.set_data(h["epoch"], h["test_loss"])
        top = max(max(h["train_loss"]), max(h["test_loss"]), 1e-9)
        self.loss_ax.set(xlim=(0, max(core.epoch, 1)), ylim=(0, 1.05 * top))
        self.epoch_text.set_text(f"epoch {core.epoch:,}")
        self.loss_text.set_text(f"test loss {core.test_loss:.3f}")
        self.train_text.set_text(f"training loss {core.train_loss:.3f}")

    def render(self, format: str = "png") -> bytes:
        """The figure as PNG (lossless, for the saved page) or JPEG (fast, while playing)."""
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()                                      # everything not animated
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        image = PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
        buf = io.BytesIO()
        if format == "png":
            image.save(buf, format="png", compress_level=6)
        elif format == "jpeg":
            image.save(buf, format="jpeg", quality=90)
        else:
            raise ValueError(f"PlaygroundFigure.render: format must be 'png' or 'jpeg', got {format!r}")
        return buf.getvalue()


class Playground:
    """The interactive playground: controls, a live picture, play / pause / step / reset.

    Parameters
    ----------
    settings : Settings, str or None
        A :class:`~nnlib.playground_core.Settings`, a settings string
        (:meth:`Settings.to_string`) or a TensorFlow Playground URL.
    epochs : int
        Epochs to train before the first picture (so a saved notebook shows a trained map).
    interval : float
        Smallest time in seconds between two updates while playing.

    The play loop is an asyncio task on the notebook's event loop: each update
    trains one epoch and redraws (:meth:`update`), then yields, so clicks and
    other cells run in between. Updates never overlap, and pause, reset or a
    new learning rate only ever act between two epochs.
    """

    def __init__(self, settings: Settings | str | None = None, *, epochs: int = 0,
                 interval: float = 0.02, dpi: int = 80) -> None:
        import ipywidgets as w

        self._w = w
        self.status_text, self.playing, self.interval = "", False, interval
        self._busy, self._syncing, self._task = False, False, None
        if isinstance(settings, str):
            settings, notes = _read(settings)
            self.status_text = notes
        self.core = PlaygroundCore(settings)
        self.figure = PlaygroundFigure(self.core, dpi=dpi)
        self._build_widgets()
        if epochs:
            self.core.step(epochs)
        self.render()
        self._set_status(self.status_text)

    @classmethod
    def from_tf_url(cls, url: str, **kwargs) -> "Playground":
        """A playground set up like a ``https://playground.tensorflow.org/#...`` URL."""
        return cls(url, **kwargs)

    # --- actions (what the buttons call) -----------------------------------------------
    def update(self, fmt: str = "jpeg") -> bool:
        """One tick of the play loop: train one epoch, redraw every view. False if skipped."""
        if self._busy:                                     # single flight: never re-enter
            return False
        self._busy = True
        try:
            self.core.step(1)
            if self.core.message:
                self.pause()
                self._set_status(self.core.message, error=True)
            self.render(fmt)
        finally:
            self._busy = False
        return True

    def render(self, fmt: str = "png") -> None:
        """Redraw the figure into the image widget and refresh the labels."""
        self.figure.update(self.core)
        self.image.format = fmt
        self.image.value = self.figure.render(fmt)
        self.epoch_label.value = f"<b>epoch {self.core.epoch:,}</b>"

    def step(self, epochs: int = 1) -> None:
        """Train ``epochs`` epochs now (the Step button trains one), then redraw."""
        if self._busy:
            return
        self._busy = True
        try:
            self.core.step(epochs)
            self._set_status(self.core.message, error=bool(self.core.message))
        finally:
            self._busy = False
        self.render()

    def play(self) -> None:
        """Start the play loop (needs a running asyncio loop, as in Jupyter)."""
        if self.playing:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._set_status("no running event loop: call step(n), or await run() in a cell", error=True)
            return
        self._set_playing(True)
        if self._task is None or self._task.done():      # a loop still winding down just carries on
            self._task = loop.create_task(self._loop())

    def pause(self) -> None:
        """Stop after the current epoch; the network stays as it is."""
        self._set_playing(False)

    async def run(self, max_updates: int | None = None) -> int:
        """Play until paused, or for ``max_updates`` updates; returns how many ran."""
        self._set_playing(True)
        return await self._loop(max_updates)

    async def _loop(self, max_updates: int | None = None) -> int:
        """Update, yield to the event loop (clicks and cells run here), repeat while playing."""
        done = 0
        try:
            while self.playing and (max_updates is None or done < max_updates):
                start = time.perf_counter()
                done += self.update()
                await asyncio.sleep(max(0.005, self.interval - (time.perf_counter() - start)))
        finally:
            if max_updates is not None and done >= max_updates:
                self.pause()
            self.render()                                  # leave a lossless picture behind
        return done

    def _set_playing(self, playing: bool) -> None:
        self.playing = playing
        self.play_button.description, self.play_button.icon = ("Pause", "pause") if playing else ("Play", "play")

    def reset(self) -> None:
        """Pause, and start again from this seed's initial weights."""
        self.pause()
        self.core.reset()
        self.render()

    def regenerate(self) -> None:
        """Pause, draw new data (the next seed) and start from fresh weights."""
        self.pause()
        self._apply(self.core.settings.replace(seed=(self.core.settings.seed + 1) % 2**32))

    def load(self, text: str) -> None:
        """Load a settings string or a TF Playground URL; problems go to the status line."""
        settings, notes = _read(text)
        if settings is None:
            self._set_status(notes, error=True)
            return
        self._apply(settings, notes)

    @property
    def settings(self) -> Settings:
        return self.core.settings

    # --- settings <-> controls ------------------------------------------------------------
    def _apply(self, settings: Settings, notes: str = "") -> None:
        what = self.core.apply(settings)
        if what in ("data", "network"):
            self.pause()
            self.figure.build(self.core)
        self._sync_controls()
        self.render()
        lr = f"learning rate {settings.learning_rate:g}, batch size {settings.batch_size}"
        self._set_status(notes or {"data": "new data, fresh network", "network": "fresh network",
                                   "optimizer": f"{lr}: training continues"}.get(what, ""))

    def _on_control(self, change=None) -> None:
        if self._syncing:
            return
        c = self.controls
        try:
            settings = self.core.settings.replace(
                dataset=c["dataset"].value, noise=c["noise"].value, train_percent=c["train_percent"].value,
                seed=c["seed"].value, batch_size=c["batch_size"].value, activation=c["activation"].value,
                learning_rate=c["learning_rate"].value, regularization=c["regularization"].value,
                regularization_rate=c["regularization_rate"].value, show_test_data=c["show_test_data"].value,
                discretize=c["discretize"].value,
                features=tuple(f for f, box in self.feature_boxes.items() if box.value))
        except (TypeError, ValueError) as e:
            self._sync_controls()                          # the controls show what is really used
            self._set_status(f"{e} (kept the previous value)", error=True)
            return
        self._apply(settings)

    def _on_problem(self, change) -> None:
        if self._syncing:
            return
        sets = REGRESSION_SETS if change["new"] == "regression" else CLASSIFICATION_SETS
        self._syncing = True
        self.controls["dataset"].options = sets
        self.controls["dataset"].value = sets[0]
        self._syncing = False
        self._on_control()

    def _change_layers(self, layer: int | None, delta: int) -> None:
        hidden = list(self.core.settings.hidden)
        if layer is None:                                  # add or remove a whole layer
            if delta > 0 and len(hidden) >= MAX_LAYERS:
                return self._set_status(f"at most {MAX_LAYERS} hidden layers", error=True)
            hidden = hidden + [2] if delta > 0 else hidden[:-1]
        else:
            n = hidden[layer] + delta
            if not 1 <= n <= MAX_NEURONS:
                return self._set_status(f"layer {layer + 1} needs 1 to {MAX_NEURONS} neurons (asked for {n}); "
                                        "remove a layer with '- layer'", error=True)
            hidden[layer] = n
        self._apply(self.core.settings.replace(hidden=tuple(hidden)))

    def _sync_controls(self) -> None:
        s, c = self.core.settings, self.controls
        self._syncing = True
        try:
            c["problem"].value = s.problem
            c["dataset"].options = REGRESSION_SETS if s.problem == "regression" else CLASSIFICATION_SETS
            c["batch_size"].max = max(30, s.batch_size)       # a loaded string may ask for more
            for name in ("dataset", "noise", "train_percent", "seed", "batch_size", "activation",
                         "learning_rate", "regularization", "regularization_rate", "show_test_data",
                         "discretize"):
                c[name].value = getattr(s, name)
            for f, box in self.feature_boxes.items():
                box.value = f in s.features
            for i, (col, label) in enumerate(self.layer_columns):
                col.layout.display = "" if i < len(s.hidden) else "none"
                label.value = f"{s.hidden[i]} neurons" if i < len(s.hidden) else ""
            self.layer_label.value = f"{len(s.hidden)} hidden layer{'s' * (len(s.hidden) != 1)}"
            self.settings_box.value = s.to_string()
            self.tf_link.value = f'<a href="{s.to_tf_url()}" target="_blank">open in TensorFlow Playground</a>'
        finally:
            self._syncing = False

    def _set_status(self, text: str, error: bool = False) -> None:
        self.status_text = text
        color = "#b3261e" if error else "#444444"
        self.status.value = f'<span style="color:{color}">{html.escape(text)}</span>' if text else ""

    # --- the widgets ------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        w, s = self._w, self.core.settings
        small = dict(layout=w.Layout(width="auto"))
        self.play_button = w.Button(description="Play", icon="play", button_style="success", **small)
        step_button = w.Button(description="Step", icon="step-forward", **small)
        reset_button = w.Button(description="Reset", icon="undo", **small)
        self.play_button.on_click(lambda _: self.pause() if self.playing else self.play())
        step_button.on_click(lambda _: self.step(1))
        reset_button.on_click(lambda _: self.reset())
        self.buttons = {"play": self.play_button, "step": step_button, "reset": reset_button}
        self.epoch_label = w.HTML()
        text = dict(style={"description_width": "initial"}, layout=w.Layout(width="170px"))
        sets = REGRESSION_SETS if s.problem == "regression" else CLASSIFICATION_SETS
        c = self.controls = {
            "problem": w.Dropdown(options=["classification", "regression"], value=s.problem,
                                  description="problem", **text),
            "learning_rate": w.FloatText(value=s.learning_rate, description="learning rate", step=0.01, **text),
            "activation": w.Dropdown(options=ACTIVATION_NAMES, value=s.activation, description="activation", **text),
            "regularization": w.Dropdown(options=REGULARIZATIONS, value=s.regularization,
                                         description="regularisation", **text),
            "regularization_rate": w.FloatText(value=s.regularization_rate, description="reg. rate",
                                               step=0.001, **text),
            "dataset": w.ToggleButtons(options=sets, value=s.dataset, description="data",
                                       style={"button_width": "84px"}),
            "noise": w.IntSlider(value=s.noise, min=0, max=50, step=5, description="noise %"),
            "train_percent": w.IntSlider(value=s.train_percent, min=10, max=90, step=10,
                                         description="train %"),
            "batch_size": w.IntSlider(value=s.batch_size, min=1, max=30, description="batch size"),
            "seed": w.BoundedIntText(value=s.seed, min=0, max=2**32 - 1, description="seed",
                                     layout=w.Layout(width="200px")),
            "show_test_data": w.Checkbox(value=s.show_test_data, description="show test data", indent=False),
            "discretize": w.Checkbox(value=s.discretize, description="discretise output", indent=False),
        }
        for name, widget in c.items():
            widget.observe(self._on_problem if name == "problem" else self._on_control, names="value")
        self.feature_boxes = {f: w.Checkbox(value=f in s.features, description=f, indent=False,
                                            layout=w.Layout(width="90px")) for f in FEATURES}
        for box in self.feature_boxes.values():
            box.observe(self._on_control, names="value")
        regenerate = w.Button(description="Regenerate", icon="refresh", **small)
        regenerate.on_click(lambda _: self.regenerate())
        self.buttons["regenerate"] = regenerate
        add, remove = (w.Button(description=d, layout=w.Layout(width="80px")) for d in ("+ layer", "- layer"))
        add.on_click(lambda _: self._change_layers(None, +1))
        remove.on_click(lambda _: self._change_layers(None, -1))
        self.buttons.update({"add_layer": add, "remove_layer": remove})
        self.layer_label = w.HTML()
        self.layer_columns = []
        for i in range(MAX_LAYERS):
            plus, minus = (w.Button(description=d, layout=w.Layout(width="32px")) for d in ("+", "-"))
            plus.on_click(lambda _, i=i: self._change_layers(i, +1))
            minus.on_click(lambda _, i=i: self._change_layers(i, -1))
            self.buttons[f"layer{i + 1}+"], self.buttons[f"layer{i + 1}-"] = plus, minus
            label = w.HTML()
            self.layer_columns.append((w.VBox([w.HBox([plus, minus]), label]), label))
        self.image = w.Image(format="png", layout=w.Layout(width="100%", max_width="1000px"))
        self.status = w.HTML()
        self.settings_box = w.Text(description="settings", layout=w.Layout(width="70%"),
                                   placeholder="a settings string or a TensorFlow Playground URL")
        load = w.Button(description="Load", icon="upload", **small)
        load.on_click(lambda _: self.load(self.settings_box.value))
        self.buttons["load"] = load
        self.tf_link = w.HTML()
        data = w.VBox([c["problem"], c["dataset"], c["noise"], c["train_percent"], c["batch_size"],
                       w.HBox([c["seed"], regenerate]), w.HBox([c["show_test_data"], c["discretize"]])])
        feats = w.VBox([w.HTML("<b>features</b>"), *self.feature_boxes.values()])
        net = w.VBox([w.HBox([add, remove, self.layer_label]), w.HBox([col for col, _ in self.layer_columns])])
        top = w.HBox([self.play_button, step_button, reset_button, self.epoch_label, c["learning_rate"],
                      c["activation"], c["regularization"], c["regularization_rate"]],
                     layout=w.Layout(flex_flow="row wrap", align_items="center", grid_gap="6px"))
        self.widget = w.VBox([top, w.HBox([data, feats, net], layout=w.Layout(grid_gap="12px")),
                              self.image, self.status, w.HBox([self.settings_box, load]), self.tf_link])
        self._sync_controls()

    def _ipython_display_(self) -> None:
        from IPython.display import display
        display(self.widget)


@dataclass
class Experiment:
    """A playground run trained without widgets: the core (network, losses) and a picture.

    In a notebook it shows as the playground's figure (a PNG).
    """

    core: PlaygroundCore
    png: bytes

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        c = self.core
        return f"epoch {c.epoch}: training loss {c.train_loss:.4f}, test loss {c.test_loss:.4f}"


def run_experiment(settings: Settings | str, epochs: int = 200, dpi: int = 72) -> Experiment:
    """Train a playground set-up for ``epochs`` epochs (no widgets) and draw the result.

    ``settings`` is a :class:`Settings`, a settings string or a TF Playground URL
    (problems in a string are reported as :class:`SettingsWarning`).
    """
    if isinstance(settings, str):
        settings = load_settings(settings)
    core = PlaygroundCore(settings)
    core.step(epochs)
    figure = PlaygroundFigure(core, dpi=dpi)
    figure.update(core)
    return Experiment(core, figure.render("png"))


def _read(text: str) -> tuple[Settings | None, str]:
    """Settings from a string or URL, and the warnings raised on the way as one message."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SettingsWarning)
        try:
            settings = load_settings(text)
        except (TypeError, ValueError) as e:
            return None, f"could not load the settings: {e}"
    notes = "; ".join(str(m.message) for m in caught if issubclass(m.category, SettingsWarning))
    return settings, notes
