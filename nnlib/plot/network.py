"""Network diagrams: neurons as circles in one column per layer, weights as lines.

A line's width is proportional to ``|w|`` and its colour shows the sign
(blue positive, vermillion negative). Wide layers such as the 784 inputs of
an MNIST network are drawn with their first and last few neurons and a
vertical ellipsis in between.

:func:`draw_network` returns a :class:`NetworkArtists`; pass it to
:func:`update_network_weights` to restyle the lines in place while a network
trains, without drawing the diagram again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D

from .style import NEGATIVE, NEUTRAL, POSITIVE, _subplots


@dataclass
class NetworkArtists:
    """What :func:`draw_network` drew, for :func:`update_network_weights`."""

    ax: Axes
    sizes: list[int]  # neurons per layer of the drawn network
    lines: LineCollection  # one segment per drawn weight, in the order of ``_drawn_weights``
    neurons: PathCollection  # one circle per drawn neuron
    shown: list[np.ndarray]  # indices of the drawn neurons, one array per layer
    weight_scale: float  # |w| drawn with the full ``max_width``
    max_width: float


def _as_weights(net_or_weights) -> tuple[list[int], list[np.ndarray] | None]:
    """Layer sizes and weight matrices ``W`` of shape (n_in, n_out); no weights for a list of sizes."""
    obj = getattr(net_or_weights, "weights", net_or_weights)
    items = list(obj)
    if items and all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) for s in items):
        if len(items) < 2 or min(items) < 1:
            raise ValueError(f"draw_network: sizes need at least two positive layer sizes, got {items}")
        return [int(s) for s in items], None
    Ws = [np.asarray(W, dtype=float) for W in items]
    if not Ws or any(W.ndim != 2 for W in Ws):
        raise ValueError(
            f"draw_network expected a Network, a list of weight matrices of shape (n_in, n_out) "
            f"or a list of layer sizes, got shapes {[np.shape(W) for W in Ws]}"
        )
    for l in range(len(Ws) - 1):
        if Ws[l].shape[1] != Ws[l + 1].shape[0]:
            raise ValueError(
                f"draw_network: W{l} has shape {Ws[l].shape} but W{l + 1} has shape "
                f"{Ws[l + 1].shape}; W{l + 1} needs {Ws[l].shape[1]} rows"
            )
    return [Ws[0].shape[0]] + [W.shape[1] for W in Ws], Ws


def _shown_neurons(n: int, max_neurons: int) -> np.ndarray:
    """All neurons, or the first and last few when there are more than ``max_neurons``."""
    if n <= max_neurons:
        return np.arange(n)
    last = max_neurons // 2
    return np.r_[0 : max_neurons - last, n - last : n]


def _drawn_weights(Ws: Sequence[np.ndarray], shown: Sequence[np.ndarray]) -> np.ndarray:
    """The weights between drawn neurons, flattened layer by layer (row = input neuron)."""
    return np.concatenate([W[np.ix_(shown[l], shown[l + 1])].ravel() for l, W in enumerate(Ws)])


def _line_style(w: np.ndarray, scale: float, max_width: float) -> tuple[np.ndarray, np.ndarray]:
    widths = max_width * np.clip(np.abs(w) / scale, 0.0, 1.0)
    colors = np.where((w >= 0)[:, None], to_rgba(POSITIVE, 0.75), to_rgba(NEGATIVE, 0.75))
    return widths, colors


def draw_network(
    net_or_weights,
    ax: Axes | None = None,
    max_neurons: int = 16,
    show_sizes: bool = True,
    max_width: float | None = None,
    weight_scale: float | None = None,
    title: str | None = None,
) -> NetworkArtists:
    """Draw a feed-forward network; line width ~ ``|weight|``, colour = sign.

    Parameters
    ----------
    net_or_weights : Network, list of arrays or list of int
        A network, its weight matrices ``W`` of shape ``(n_in, n_out)``, or
        just the layer sizes (then every line is thin and grey).
    max_neurons : int
        At most this many neurons per layer are drawn (first and last few,
        with an ellipsis between), so ``[784, 30, 10]`` stays readable.
    show_sizes : bool
        Write "input / hidden / output" and the size under each layer.
    max_width : float, optional
        Line width in points of the largest weight (default 4, or 2.5 for many lines).
    weight_scale : float, optional
        The ``|w|`` drawn at ``max_width`` (default: the largest drawn weight).
        :func:`update_network_weights` keeps it, so lines grow as weights do.

    Returns
    -------
    NetworkArtists
        The Axes, the ``LineCollection`` of weights and the neuron circles.
    """
    if max_neurons < 2:
        raise ValueError(f"draw_network: max_neurons must be at least 2, got {max_neurons}")
    sizes, Ws = _as_weights(net_or_weights)
    shown = [_shown_neurons(n, max_neurons) for n in sizes]
    n_slots = max(len(s) + (len(s) < n) for s, n in zip(shown, sizes))  # +1 slot for an ellipsis
    if ax is None:
        ax = _subplots(figsize=(1.6 + 1.7 * len(sizes), min(5.2, 1.6 + 0.3 * n_slots)))[1][0]
    ys, dots = [], []  # y of each drawn neuron; ellipses
    for l, (s, n) in enumerate(zip(shown, sizes)):
        slots = len(s) + (len(s) < n)
        y = (slots - 1) / 2 - np.arange(slots, dtype=float)  # a centred column, top to bottom
        if len(s) < n:  # free the slot after the first neurons
            first = max_neurons - max_neurons // 2
            dots.append((l, y[first]))
            y = np.delete(y, first)
        ys.append(y)
    segments = [
        [(l, ys[l][i]), (l + 1, ys[l + 1][j])]
        for l in range(len(sizes) - 1)
        for i in range(len(shown[l]))
        for j in range(len(shown[l + 1]))
    ]
    if max_width is None:
        max_width = 4.0 if len(segments) <= 100 else 2.5
    if Ws is None:
        scale, widths = 1.0, np.full(len(segments), 0.8)
        colors: Any = [to_rgba(NEUTRAL, 0.7)] * len(segments)
    else:
        w = _drawn_weights(Ws, shown)
        scale = float(weight_scale or np.max(np.abs(w)) or 1.0)
        widths, colors = _line_style(w, scale, max_width)
    lines = LineCollection(segments, linewidths=widths, colors=colors, zorder=1, capstyle="round")
    ax.add_collection(lines)
    half = (n_slots - 1) / 2 + 0.6
    ax.set(xlim=(-0.4, len(sizes) - 0.6), ylim=(-half, half))
    height_pt = ax.get_window_extent().height * 72 / ax.figure.dpi
    diameter = min(24.0, 0.6 * height_pt / (n_slots + 1.2))  # points
    xs = np.concatenate([np.full(len(y), l, dtype=float) for l, y in enumerate(ys)])
    neurons = ax.scatter(
        xs, np.concatenate(ys), s=diameter**2, facecolors="white", edgecolors="#333333", linewidths=1.2, zorder=3
    )
    for l, y in dots:
        ax.scatter([l] * 3, y + np.array([-0.25, 0.0, 0.25]), s=6, color="#333333", zorder=3)
    if show_sizes:  # just under the axes, whatever its height
        for l, n in enumerate(sizes):
            role = "input" if l == 0 else "output" if l == len(sizes) - 1 else "hidden"
            ax.annotate(
                f"{role}\n{n}",
                (l, -half),
                xytext=(0, -2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=10,
                annotation_clip=False,
            )
    if Ws is not None:
        handles = [
            Line2D([], [], color=POSITIVE, lw=3, label="positive weight"),
            Line2D([], [], color=NEGATIVE, lw=3, label="negative weight"),
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=2,
            frameon=False,
            borderaxespad=3.0 if show_sizes else 0.5,
            title=r"line width $\propto$ |weight|",
        )
    ax.set_axis_off()
    ax.set_title(title or f"Network {sizes}")
    return NetworkArtists(ax, sizes, lines, neurons, shown, scale, max_width)


def update_network_weights(artists: NetworkArtists, weights) -> LineCollection:
    """Restyle the weight lines of a drawn network in place (e.g. after each epoch).

    ``weights`` is a Network or a list of ``W`` matrices with the drawn sizes.
    Widths use the scale fixed by :func:`draw_network`; call
    ``artists.ax.figure.canvas.draw_idle()`` to show the change.
    """
    sizes, Ws = _as_weights(weights)
    if Ws is None or sizes != artists.sizes:
        raise ValueError(
            f"update_network_weights: expected the weights of a {artists.sizes} network, "
            f"got {'only layer sizes' if Ws is None else 'weights of a ' + str(sizes) + ' network'}"
        )
    widths, colors = _line_style(_drawn_weights(Ws, artists.shown), artists.weight_scale, artists.max_width)
    artists.lines.set_linewidths(widths)
    artists.lines.set_colors(colors)
    return artists.lines
