"""The playground's static picture: every view of a run in one matplotlib figure.

:class:`PlaygroundFigure` lays out the network diagram with a small map per
neuron, the output's decision map with the data, and the loss curves, drawn
with Agg, off screen, and encoded as a PNG. :func:`~nnlib.widgets.playground.widget.run_experiment`
shows its runs with it: a picture with no buttons, sliders or play controls, so that
on the website it cannot be mistaken for the live playground (whose front end,
``nnlib/widgets/static/playground.js``, draws the same views on canvases).
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from PIL import Image as PILImage

from ...plot.style import CLASS_COLORS, CLASS_MARKERS, DECISION_CMAP, DIVERGING, style
from .trainer import Trainer

__all__ = ["PlaygroundFigure"]

_LABELS = {
    "x1": "$x_1$",
    "x2": "$x_2$",
    "x1^2": "$x_1^2$",
    "x2^2": "$x_2^2$",
    "x1*x2": "$x_1 x_2$",
    "sin(x1)": r"$\sin x_1$",
    "sin(x2)": r"$\sin x_2$",
    "cos(x1)": r"$\cos x_1$",
    "cos(x2)": r"$\cos x_2$",
}


def _marker(name: str):
    """A circle as a 16-gon: looks the same at this size, and skips Bezier extents on every draw."""
    return (16, 0, 0) if name == "o" else name


class PlaygroundFigure:
    """Every view of a playground in one figure: network diagram with neuron maps,
    the output's decision map with the data, and the loss curves.

    :meth:`build` lays the figure out for the core's features and network shape;
    :meth:`update` puts its current weights, maps and losses in; :meth:`render`
    encodes the picture as PNG. The constructor does the first two.
    """

    def __init__(self, core: Trainer, figsize=(10.0, 5.0), dpi: int = 80) -> None:
        with style():
            self.fig = Figure(figsize=figsize, dpi=dpi, layout="none")
        FigureCanvasAgg(self.fig)
        self.build(core)
        self.update(core)

    def build(self, core: Trainer) -> None:
        """Lay out the figure for the core's data, features and network shape."""
        fig, s = self.fig, core.settings
        fig.clear()
        W, H = fig.get_size_inches()
        columns = [len(s.features), *s.hidden]
        pitch = min(0.088, 0.72 / max(columns))
        th = 0.8 * pitch  # thumbnail height, fraction of H
        tw = th * H / W  # the same in pixels wide
        xs = np.linspace(0.10, 0.64, len(columns) + 1)[:-1]  # the output map is the last column
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
            segments = [
                ((x + tw / 2, y), (x2 - tw / 2, y2))
                for c in range(len(columns) - 1)
                for (x, y) in self.nodes[c]
                for (x2, y2) in self.nodes[c + 1]
            ]
            segments += [((x + tw / 2, y), out_in) for (x, y) in self.nodes[-1]]
            self.lines = LineCollection(segments, capstyle="round", zorder=1)
            bg.add_collection(self.lines)
            self.thumbs = []  # one AxesImage per node, per column
            for c, col in enumerate(self.nodes):
                self.thumbs.append(
                    [
                        bg.imshow(
                            np.zeros((2, 2)),
                            extent=(x - tw / 2, x + tw / 2, y - th / 2, y + th / 2),
                            origin="lower",
                            cmap=DECISION_CMAP,
                            vmin=-1,
                            vmax=1,
                            interpolation="nearest",
                            aspect="auto",
                            zorder=2,
                        )
                        for x, y in col
                    ]
                )
                head = "features" if c == 0 else f"{columns[c]} neuron{'s' * (columns[c] > 1)}"
                fig.text(xs[c], 0.84 + pitch / 2 + 0.02, head, ha="center", va="bottom", fontsize=9)
            boxes = [
                [
                    (x - tw / 2, y - th / 2),
                    (x + tw / 2, y - th / 2),
                    (x + tw / 2, y + th / 2),
                    (x - tw / 2, y + th / 2),
                    (x - tw / 2, y - th / 2),
                ]
                for col in self.nodes
                for x, y in col
            ]
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
            self.train_text = fig.text(
                map_box[0] + map_box[2], 0.905, "", fontsize=9, va="top", ha="right", color="#777777"
            )
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
            self.output = ax.imshow(
                np.zeros((2, 2)),
                origin="lower",
                extent=core.EXTENT * 2,
                cmap=DECISION_CMAP,
                vmin=-1,
                vmax=1,
                interpolation="bilinear",
            )
            self.map_ax = ax
            self._scatter_data(core)

    def _scatter_data(self, core: Trainer) -> None:
        ax, s = self.map_ax, core.settings
        self.points = []
        for X, y, test in ((core.X_train, core.y_train, False), (core.X_test, core.y_test, True)):
            if s.problem == "regression":
                groups = [
                    (
                        np.ones(len(X), bool),
                        dict(c=y[:, 0], cmap=DECISION_CMAP, vmin=-1, vmax=1, marker="o", edgecolors="#222222"),
                    )
                ]
            else:
                groups = [
                    (
                        y[:, 0] * (2 * c - 1) > 0,
                        dict(
                            marker=_marker(CLASS_MARKERS[c]),
                            c=CLASS_COLORS[c],
                            edgecolors="#222222" if test else "white",
                        ),
                    )
                    for c in (0, 1)
                ]  # test points: black rim, as in TF Playground
            for mask, kw in groups:
                sc = ax.scatter(X[mask, 0], X[mask, 1], s=14, linewidths=0.9 if test else 0.4, **kw)
                sc.set_visible(not test or s.show_test_data)
                self.points.append((sc, test))

    def update(self, core: Trainer) -> None:
        """Put the core's current state into the existing artists (no new artists)."""
        output, hidden = core.grid_outputs()
        s = core.settings
        self.output.set_data(np.where(output >= 0, 1.0, -1.0) if s.discretize else output)
        for images, A in zip(self.thumbs[1:], hidden):
            for j, image in enumerate(images):
                image.set_data(A[::2, ::2, j])  # a coarser grid is plenty here
        w = np.concatenate([layer.W.ravel() for layer in core.net.layers])  # segment order: row = input
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

    def render(self) -> bytes:
        """The figure as PNG bytes."""
        canvas = self.fig.canvas
        canvas.draw()
        image = PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
        buf = io.BytesIO()
        image.save(buf, format="png", compress_level=6)
        return buf.getvalue()
