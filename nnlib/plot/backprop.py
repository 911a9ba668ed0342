"""Looking inside the forward and backward passes: a "debugger" for backpropagation.

Plain functions first, figures second:

* :func:`trace_backprop` runs one mini-batch forward and backward through a
  :class:`~nnlib.network.Network` and keeps every intermediate array of every
  layer (``A^{l-1}``, ``Z^l``, ``A^l``, ``delta^l``, ``dC/dW^l``, ``dC/db^l``);
* :func:`shape_table` and :func:`layer_report` print them;
* :func:`gradient_norms` measures ``||dC/dW^l||`` layer by layer (vanishing gradients);
* :func:`plot_backprop` draws the trace on the network diagram: line width and colour
  show ``dC/dW``, neuron colour shows ``delta``;
* :func:`plot_shapes` draws the shapes of a matrix equation such as ``Z = X W + b``,
  :func:`plot_layer_histograms` one histogram per layer; :func:`~nnlib.plot.chain_rule.draw_neuron_graph` draws
  the computational graph of one neuron with the chain rule applied step by step
  (in :mod:`nnlib.plot.chain_rule`).

The backward pass here follows :meth:`nnlib.network.Network.backward` line for line
(BP1, then BP3/BP4 and BP2 going down), only it also keeps each ``delta``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .network import draw_network
from .style import BLUE, DIVERGING, PALETTE, _subplots


@dataclass
class LayerTrace:
    """Everything layer ``l`` (numbered from 1, as in the book) saw in one forward and backward pass."""

    l: int
    name: str
    A_in: np.ndarray  # A^{l-1}, (n, n_in)
    W: np.ndarray  # W^l, (n_in, n_out)
    Z: np.ndarray  # Z^l, (n, n_out)
    A: np.ndarray  # A^l, (n, n_out)
    delta: np.ndarray  # delta^l = dC_x/dZ^l, one row per example, (n, n_out)
    dW: np.ndarray  # dC/dW^l = A^{l-1 T} delta^l / n, (n_in, n_out)
    db: np.ndarray  # dC/db^l = mean of the rows of delta^l, (n_out,)


@dataclass
class BackpropTrace:
    """The result of :func:`trace_backprop`: the batch, its cost and one :class:`LayerTrace` per layer."""

    sizes: list[int]
    X: np.ndarray
    Y: np.ndarray
    cost: float
    layers: list[LayerTrace]


def trace_backprop(net, X, Y) -> BackpropTrace:
    """Run the batch ``(X, Y)`` forward and backward through ``net`` and keep every array.

    Also fills ``layer.dW`` and ``layer.db`` of ``net``, like :meth:`~nnlib.network.Network.gradients`.
    """
    X = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0])
    A_out = net.forward(X)
    net.backward(Y)  # BP1-BP4; every layer keeps its delta
    layers = [
        LayerTrace(
            l + 1,
            repr(layer),
            layer.X.copy(),
            layer.W.copy(),
            layer.Z.copy(),
            layer.A.copy(),
            layer.delta.copy(),
            layer.dW.copy(),
            layer.db.copy(),
        )
        for l, layer in enumerate(net.layers)
    ]
    return BackpropTrace(list(net.sizes), X.copy(), Y.copy(), net.loss(A_out, Y), layers)


def shape_table(trace: BackpropTrace) -> str:
    """A text table of the shape of every array of the trace, one row per layer."""
    head = ("l", "layer", "A^{l-1}", "W^l", "Z^l, A^l", "delta^l", "dC/dW^l", "dC/db^l", "||dC/dW^l||")
    rows = [head] + [
        (
            str(t.l),
            t.name,
            str(t.A_in.shape),
            str(t.W.shape),
            str(t.Z.shape),
            str(t.delta.shape),
            str(t.dW.shape),
            str(t.db.shape),
            f"{np.linalg.norm(t.dW):.3g}",
        )
        for t in trace.layers
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def layer_report(trace: BackpropTrace, l: int, example: int | None = None, precision: int = 3) -> str:
    """The numbers of layer ``l`` (1-based): ``delta`` and ``dC/dW`` for one example or the whole batch."""
    if not 1 <= l <= len(trace.layers):
        raise ValueError(f"layer_report: l must be from 1 to {len(trace.layers)}, got {l}")
    if example is not None and not 0 <= example < trace.X.shape[0]:
        raise ValueError(f"layer_report: example must be from 0 to {trace.X.shape[0] - 1} or None, got {example}")
    t = trace.layers[l - 1]
    fmt = dict(precision=precision, suppress_small=True)
    if example is None:
        return (
            f"layer {l}, {t.name}, whole batch of {t.delta.shape[0]}\n"
            f"delta^{l} (one row per example) {t.delta.shape}:\n{np.array2string(t.delta, **fmt)}\n"
            f"dC/db^{l} = mean of the rows {t.db.shape}:\n{np.array2string(t.db, **fmt)}\n"
            f"dC/dW^{l} = A^{l - 1} T delta^{l} / n {t.dW.shape}:\n{np.array2string(t.dW, **fmt)}"
        )
    a, d = t.A_in[example], t.delta[example]
    return (
        f"layer {l}, {t.name}, example {example}\n"
        f"a^{l - 1} {a.shape}: {np.array2string(a, **fmt)}\n"
        f"delta^{l} {d.shape}: {np.array2string(d, **fmt)}\n"
        f"dC_x/dW^{l} = outer(a^{l - 1}, delta^{l}) {t.dW.shape}:\n{np.array2string(np.outer(a, d), **fmt)}"
    )


def gradient_norms(net, X, Y) -> np.ndarray:
    """``||dC/dW^l||`` (Frobenius norm) for ``l = 1, ..., L`` on the batch ``(X, Y)``."""
    grads = net.gradients(X, Y)
    return np.array([np.linalg.norm(g) for g in grads[0::2]])


# --- figures ---------------------------------------------------------------------


def _edge_and_neuron_values(trace: BackpropTrace, example: int | None):
    if example is None:
        return [t.dW for t in trace.layers], [t.db for t in trace.layers]  # batch means
    if not 0 <= example < trace.X.shape[0]:
        raise ValueError(f"plot_backprop: example must be from 0 to {trace.X.shape[0] - 1} or None, got {example}")
    return (
        [np.outer(t.A_in[example], t.delta[example]) for t in trace.layers],  # dC_x/dW^l
        [t.delta[example] for t in trace.layers],
    )


def backprop_scales(trace: BackpropTrace, examples: Sequence[int | None] = (None,)) -> tuple[float, float]:
    """The largest ``|dC/dW|`` and ``|delta|`` over the given views: share them across panels."""
    edge, neuron = 0.0, 0.0
    for e in examples:
        edges, deltas = _edge_and_neuron_values(trace, e)
        edge = max(edge, max(float(np.max(np.abs(g))) for g in edges))
        neuron = max(neuron, max(float(np.max(np.abs(d))) for d in deltas))
    return edge or 1.0, neuron or 1.0


def plot_backprop(
    trace: BackpropTrace,
    example: int | None = None,
    ax: Axes | None = None,
    edge_scale: float | None = None,
    delta_scale: float | None = None,
    per_layer: bool = False,
    annotate: bool = True,
    colorbar: bool = True,
    title: str | None = None,
):
    """Draw one backward pass on the network diagram.

    Line width and colour show ``dC/dW`` (blue positive, vermillion negative);
    each neuron's fill shows its ``delta`` on the same two colours, and its value is
    written above it. With ``example=None`` the batch gradient ``dC/dW`` and the mean
    ``delta`` (which is ``dC/db``) are shown; with ``example=i`` one example's
    ``dC_x/dW`` and ``delta_x``. Give ``edge_scale`` and ``delta_scale`` (see
    :func:`backprop_scales`) to compare panels; ``per_layer=True`` scales every layer
    to its own largest value instead (printed above the layer), so that the small
    gradients of the first layers stay visible. Returns the
    :class:`~nnlib.plot.network.NetworkArtists`.
    """
    edges, deltas = _edge_and_neuron_values(trace, example)
    if per_layer:
        edge_max = [float(np.max(np.abs(g))) or 1.0 for g in edges]
        delta_max = [float(np.max(np.abs(d))) or 1.0 for d in deltas]
        edges = [g / m for g, m in zip(edges, edge_max)]
        edge_scale, delta_scale, colorbar = 1.0, 1.0, False
    else:
        auto_edge, auto_delta = backprop_scales(trace, (example,))
        edge_scale, delta_scale = edge_scale or auto_edge, delta_scale or auto_delta
        delta_max = [delta_scale] * len(deltas)
    if ax is None:
        ax = _subplots(figsize=(2.0 + 1.8 * len(trace.sizes), 4.8))[1][0]
    which = "batch mean" if example is None else f"example {example} (y = {trace.Y[example].round(3).tolist()})"
    arts = draw_network(
        edges, ax=ax, weight_scale=edge_scale, max_width=6.0, title=title or f"{which}; batch cost {trace.cost:.4f}"
    )
    legend = ax.get_legend()
    if legend is not None:
        for text, word in zip(legend.get_texts(), ("positive", "negative")):
            gradient = r"$\partial C/\partial W$" if example is None else r"$\partial C_x/\partial W$"
            text.set_text(f"{word} {gradient}")
        legend.set_title(r"line width $\propto$ |gradient|" + (", per layer" if per_layer else ""))
    values = [np.full(len(arts.shown[0]), np.nan)] + [d[s] for d, s in zip(deltas, arts.shown[1:])]
    fill = [v / m for v, m in zip(values, [1.0] + delta_max)]
    flat, flat_fill = np.concatenate(values), np.concatenate(fill)
    colors = DIVERGING(Normalize(-1.0, 1.0)(np.nan_to_num(flat_fill)))
    colors[np.isnan(flat)] = (0.93, 0.93, 0.93, 1.0)  # inputs have no delta
    arts.neurons.set_facecolors(colors)
    if annotate and max(len(s) for s in arts.shown) <= 8:
        for (x, y), v in zip(np.asarray(arts.neurons.get_offsets()), flat):
            if not np.isnan(v):
                ax.annotate(
                    f"{v:+.2g}",
                    (x, y),
                    xytext=(0, 12),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=10,
                    color="#222222",
                )
    if per_layer:
        top = ax.get_ylim()[1]
        for l, m in enumerate(edge_max):
            ax.text(l + 0.5, top, f"max |dW| {m:.2g}", ha="center", va="top", fontsize=10, color="#444444")
    if colorbar:
        ax.figure.colorbar(
            ScalarMappable(Normalize(-delta_scale, delta_scale), DIVERGING),
            ax=ax,
            shrink=0.6,
            pad=0.01,
            label=r"$\delta$ (neuron fill)"
            if example is not None
            else r"mean $\delta$ = $\partial C/\partial b$ (neuron fill)",
        )
    return arts


def plot_shapes(terms: Sequence, ax: Axes | None = None, title: str | None = None, cell: float = 0.35):
    """Draw a matrix equation as boxes whose sides count rows and columns.

    ``terms`` mixes ``(name, shape)`` pairs and operator strings, e.g.
    ``[("X", (4, 3)), "@", ("W", (3, 2)), "+", ("b", (2,)), "=", ("Z", (4, 2))]``.
    A 1-D shape ``(k,)`` is drawn as a dashed row: numpy broadcasts it to every row.
    """
    if ax is None:
        ax = _subplots(figsize=(7.5, 2.6))[1][0]
    x, colour, tallest = 0.0, 0, 1
    for term in terms:
        if isinstance(term, str):
            ax.text(x + 0.35, 0, term, ha="center", va="center", fontsize=16)
            x += 0.7
            continue
        name, shape = term
        rows, cols = (1, shape[0]) if len(shape) == 1 else shape
        w, h = cols * cell, rows * cell
        tallest = max(tallest, rows)
        ax.add_patch(
            Rectangle(
                (x, -h / 2),
                w,
                h,
                facecolor=PALETTE[colour % len(PALETTE)],
                alpha=0.25,
                edgecolor="#333333",
                lw=1.2,
                ls="--" if len(shape) == 1 else "-",
            )
        )
        for i in range(1, rows):
            ax.plot([x, x + w], [-h / 2 + i * cell] * 2, color="#999999", lw=0.5)
        for j in range(1, cols):
            ax.plot([x + j * cell] * 2, [-h / 2, h / 2], color="#999999", lw=0.5)
        ax.text(x + w / 2, h / 2 + 0.12, f"${name}$", ha="center", va="bottom", fontsize=13)
        ax.text(x + w / 2, -h / 2 - 0.12, str(tuple(shape)), ha="center", va="top", fontsize=10)
        x, colour = x + w, colour + 1
    half = tallest * cell / 2 + 0.5
    ax.set(xlim=(-0.2, x + 0.2), ylim=(-half, half), aspect="equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_layer_histograms(
    values: Sequence[np.ndarray],
    axes: Sequence[Axes] | None = None,
    bins: int = 30,
    limits: tuple[float, float] = (0.0, 1.0),
    xlabel: str = "activation $a$",
    label: str | None = None,
    color: str = BLUE,
) -> list[Axes]:
    """One histogram per layer (``values[l - 1]`` is layer ``l``) on the shared x range ``limits``.

    Bars give the fraction of the layer's values in each bin; values outside
    ``limits`` are counted in the first or last bin.
    """
    if axes is None:
        axes = _subplots(1, len(values), figsize=(2.2 * len(values), 2.6))[1]
    axes = list(np.ravel(axes))
    if len(axes) != len(values):
        raise ValueError(f"plot_layer_histograms: got {len(axes)} Axes for {len(values)} layers")
    for l, (ax, v) in enumerate(zip(axes, values), start=1):
        v = np.ravel(v)
        weights = np.full(v.size, 1.0 / max(v.size, 1))
        ax.hist(np.clip(v, *limits), bins=bins, range=limits, weights=weights, color=color, alpha=0.85)
        ax.set(title=f"layer {l}", xlabel=xlabel, xlim=limits)
    axes[0].set_ylabel(label or "fraction of values")
    return axes
