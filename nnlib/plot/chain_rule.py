"""The chain rule on one neuron, drawn as a computational graph.

:func:`neuron_graph_values` computes the forward values and the gradients
``dC/d(value)`` of ``C = 1/2 (sigmoid(w x + b) - y)^2`` one chain-rule step at a
time, and :func:`draw_neuron_graph` draws that graph after a given number of
backward steps. The backprop "debugger" for whole networks (traces, shape tables,
per-layer figures) is :mod:`nnlib.plot.backprop`.
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch

from ..activations import sigmoid, sigmoid_prime
from .style import VERMILLION, _subplots

# --- the chain rule on one neuron -------------------------------------------------------

# value nodes (x, y position) and operation nodes of  C = 1/2 (sigmoid(w x + b) - y)^2
_VALUES = {
    "w": (0.0, 1.1),
    "x": (0.0, 0.1),
    "u": (2.2, 0.6),
    "b": (2.2, -0.7),
    "z": (4.4, 0.6),
    "a": (6.6, 0.6),
    "y": (6.6, -0.7),
    "C": (8.8, 0.6),
}
_OPS = {"×": (1.1, 0.6), "+": (3.3, 0.6), "σ": (5.5, 0.6), "½(a−y)²": (7.7, 0.6)}
_EDGES = [
    ("w", "×"),
    ("x", "×"),
    ("×", "u"),
    ("u", "+"),
    ("b", "+"),
    ("+", "z"),
    ("z", "σ"),
    ("σ", "a"),
    ("a", "½(a−y)²"),
    ("y", "½(a−y)²"),
    ("½(a−y)²", "C"),
]
_STEP_TEXT = {
    0: "forward pass: compute every value from left to right",
    1: r"step 1: $\partial C/\partial C = 1$, then $\partial C/\partial a = a - y$",
    2: r"step 2: through $\sigma$: $\partial C/\partial z = \partial C/\partial a \cdot \sigma'(z)$",
    3: r"step 3: through $+$: $\partial C/\partial u = \partial C/\partial b = \partial C/\partial z \cdot 1$",
    4: r"step 4: through $\times$: $\partial C/\partial w = \partial C/\partial u \cdot x$, "
    r"$\partial C/\partial x = \partial C/\partial u \cdot w$",
}
_KNOWN_AT = {"C": 1, "a": 1, "z": 2, "u": 3, "b": 3, "w": 4, "x": 4, "y": 99}  # y is data: no gradient
_ACTIVE = {
    1: {("a", "½(a−y)²"), ("½(a−y)²", "C")},
    2: {("z", "σ"), ("σ", "a")},
    3: {("u", "+"), ("b", "+"), ("+", "z")},
    4: {("w", "×"), ("x", "×"), ("×", "u")},
}


def neuron_graph_values(x: float, w: float, b: float, y: float) -> tuple[dict, dict]:
    """Forward values and gradients ``dC/d(value)`` of ``C = 1/2 (sigmoid(w x + b) - y)^2``."""
    u = w * x
    z = u + b
    a = float(sigmoid(z))
    C = 0.5 * (a - y) ** 2
    grad = {"C": 1.0, "a": a - y}
    grad["z"] = grad["a"] * float(sigmoid_prime(z))  # through sigma
    grad["u"] = grad["b"] = grad["z"]  # through +
    grad["w"], grad["x"] = grad["u"] * x, grad["u"] * w  # through *
    return {"w": w, "x": x, "u": u, "b": b, "z": z, "a": a, "y": y, "C": C}, grad


def draw_neuron_graph(x: float, w: float, b: float, y: float, step: int = 4, ax: Axes | None = None) -> Axes:
    """The computational graph of one neuron's cost, after ``step`` backward steps (0 = forward only).

    Boxes are values (value on top, gradient ``dC/d·`` below, once known); circles
    are operations. The edges used in the current step are drawn in vermillion.
    """
    if not 0 <= step <= 4:
        raise ValueError(f"draw_neuron_graph: step must be from 0 (forward) to 4, got {step}")
    values, grads = neuron_graph_values(x, w, b, y)
    if ax is None:
        ax = _subplots(figsize=(10, 2.4))[1][0]
    pos = {**_VALUES, **_OPS}
    for src, dst in _EDGES:
        now = (src, dst) in _ACTIVE.get(step, ())
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        flat = abs(y1 - y0) < 0.3 * abs(x1 - x0)  # leaves or enters a box through its side
        ax.add_patch(
            FancyArrowPatch(
                pos[src],
                pos[dst],
                arrowstyle="-|>",
                mutation_scale=12,
                shrinkA=(40 if flat else 16) if src in _VALUES else 20,
                shrinkB=(40 if flat else 16) if dst in _VALUES else 20,
                lw=2.2 if now else 1.2,
                color=VERMILLION if now else "#777777",
            )
        )
    for name, (px, py) in _OPS.items():
        ax.scatter([px], [py], s=2600 if len(name) > 1 else 900, facecolors="white", edgecolors="#333333", zorder=3)
        ax.text(px, py, name, ha="center", va="center", fontsize=10 if len(name) > 1 else 13, zorder=4)
    for name, (px, py) in _VALUES.items():
        known = step >= _KNOWN_AT[name]
        text = f"{name} = {values[name]:.3f}"
        if known:
            text += f"\n∂C/∂{name} = {grads[name]:+.3f}"
        ax.text(
            px,
            py,
            text,
            ha="center",
            va="center",
            fontsize=10,
            zorder=4,
            bbox=dict(
                boxstyle="round,pad=0.35",
                facecolor="#FBE3D6" if known and _KNOWN_AT[name] == step else "white",
                edgecolor=VERMILLION if known else "#333333",
            ),
        )
    ax.set(xlim=(-0.7, 9.5), ylim=(-1.3, 1.6))
    ax.set_axis_off()
    ax.set_title(_STEP_TEXT[step], fontsize=11, loc="left")
    return ax
