"""A computation graph of Values, drawn: the forward values and the backward pass.

:func:`graph_trace` records what a picture of a graph needs, as plain numbers and strings
(JSON, so that :class:`nnlib.widgets.graph.GraphWidget` can carry it to a browser without
a kernel): every node in topological order with its name, operation, value, gradient and
place in the picture, and the steps of the forward and the backward pass. The backward
steps are the engine's own, from :func:`nnlib.autograd.backward_steps`. :func:`draw_graph`
draws the finished picture (after both passes) with matplotlib.

Any node with the attributes of :class:`nnlib.autograd.Value` works (``data``, ``grad``,
``parents``, ``local_grads``, and optionally ``op`` and ``label``), so a graph of the
Values a chapter defines itself can be drawn too.
"""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from ..autograd import backward_steps, topological_order
from .style import BLUE, VERMILLION, _subplots

#: How an operation is written in a picture (anything else is written as it is).
OP_SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷", "sigmoid": "σ", "relu": "ReLU"}
MAX_NODES = 40  # a picture of more nodes is unreadable


def _num(x: float) -> str:
    """A number in a picture: 3 significant digits, no trailing zeros, a true minus sign."""
    text = f"{x:.3g}"
    return text.replace("-", "−") if text != "nan" else text


def _paren(x: float) -> str:
    """A number inside a formula: in parentheses when negative, as in 1.2 + (−0.5)."""
    return f"({_num(x)})" if x < 0 else _num(x)


def _symbol(op: str) -> str:
    if op.startswith("**"):
        return "^" + op[2:]
    return OP_SYMBOLS.get(op, op)


def _names(nodes: list) -> list[str]:
    """Each node's label; a constant's number; ``n1``, ``n2``, ... for other unnamed nodes."""
    names, unnamed = [], 0
    for node in nodes:
        label = str(getattr(node, "label", "") or "")
        if not label and not node.parents:
            label = _num(node.data)
        if not label:
            unnamed += 1
            label = f"n{unnamed}"
        names.append(label)
    return names


def graph_layout(nodes: list) -> list[tuple[int, float]]:
    """A place ``(column, row)`` for each node of ``nodes`` (a topological order, root last).

    Columns run from the leaves (left) to the root (right): a node sits one column left of
    the nearest node that uses it, so its edges are short. Rows follow the users too: each
    node starts at the mean row of the nodes that use it, and the nodes of a column are then
    pushed apart to at least one row from each other.
    """
    nodes = list(nodes)
    if not nodes:
        raise ValueError("graph_layout expected the nodes of a graph in topological order, got none")
    index: dict[int, int] = {}
    for i, node in enumerate(nodes):
        if not hasattr(node, "parents"):
            raise TypeError(f"graph_layout expected nodes (Values), got {type(node).__name__} at position {i}")
        for parent in node.parents:
            if id(parent) not in index:
                raise ValueError(
                    f"graph_layout expected a topological order (every node after its parents), "
                    f"but node {i} comes before one of its parents"
                )
        index[id(node)] = i
    users: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        for parent in node.parents:
            users[index[id(parent)]].append(i)
    depth = [0] * len(nodes)  # longest path to the root
    for i in range(len(nodes) - 1, -1, -1):
        if users[i]:
            depth[i] = 1 + max(depth[u] for u in users[i])
    last = max(depth)
    column = [last - d for d in depth]
    row = [0.0] * len(nodes)
    for c in range(last - 1, -1, -1):
        members = [i for i in range(len(nodes)) if column[i] == c]
        wanted = sorted((sum(row[u] for u in users[i]) / len(users[i]), i) for i in members)
        placed: list[float] = []
        for want, _ in wanted:
            placed.append(want if not placed else max(want, placed[-1] + 1.0))
        shift = (sum(w for w, _ in wanted) - sum(placed)) / len(placed)  # keep the column centred on its users
        for (_, i), y in zip(wanted, placed):
            row[i] = y + shift
    top = min(row)
    return [(column[i], row[i] - top) for i in range(len(nodes))]


def graph_trace(root: Any) -> dict:
    """Everything needed to draw ``root``'s graph and to step through its two passes, as JSON.

    Returns a dict with

    * ``nodes``: in topological order (the root last), each with ``name``, ``op`` (as
      drawn), ``data`` and ``value`` (its text), ``grad`` and ``grad_text`` (after the
      whole backward pass), ``parents`` (indices), ``column``, ``row``, ``computed_at``
      (the step that computes its value; 0 for a leaf) and ``complete_at`` (the step
      after which its gradient has every contribution);
    * ``steps``: step 0 shows the leaves; then one ``forward`` step per operation, in
      topological order; then the ``backward`` steps as :func:`nnlib.autograd.backward`
      takes them: the root's ``dC/dC = 1``, then one step per operation node, which sends
      ``local * dC/d(node)`` to each parent. Each step has a ``phase``, its ``node``, a
      ``text`` and, in the backward phase, ``grads`` and ``grad_texts`` (every node's
      gradient so far, ``None`` before anything reached it) and ``sends``
      (``[parent, amount text]`` per edge);
    * ``columns``, ``rows``: the size of the layout; ``root``: the root's index.
    """
    if not all(hasattr(root, name) for name in ("data", "grad", "parents", "local_grads")):
        raise TypeError(f"graph_trace expected a Value (the root of a graph), got {type(root).__name__}")
    nodes = topological_order(root)
    if len(nodes) > MAX_NODES:
        raise ValueError(
            f"graph_trace draws graphs of at most {MAX_NODES} nodes (more would be unreadable), "
            f"got {len(nodes)}; draw a smaller part of the computation"
        )
    index = {id(n): i for i, n in enumerate(nodes)}
    names = _names(nodes)
    places = graph_layout(nodes)
    out_nodes = [
        {
            "name": names[i],
            "op": _symbol(str(getattr(n, "op", "") or "")),
            "data": float(n.data),
            "value": _num(n.data),
            "parents": [index[id(p)] for p in n.parents],
            "column": places[i][0],
            "row": places[i][1],
            "computed_at": 0,
            "complete_at": 0,
        }
        for i, n in enumerate(nodes)
    ]
    steps: list[dict] = [
        {"phase": "start", "node": None, "text": "The leaves hold the inputs and the parameters. Step forward."}
    ]
    for i, n in enumerate(nodes):
        if n.parents:
            out_nodes[i]["computed_at"] = len(steps)
            steps.append(
                {
                    "phase": "forward",
                    "node": i,
                    "text": _forward_text(n, names[i], [names[index[id(p)]] for p in n.parents]),
                }
            )
    grads: list[float | None] = [None] * len(nodes)
    root_index = len(nodes) - 1
    grads[root_index] = 1.0
    out_nodes[root_index]["complete_at"] = len(steps)
    steps.append(
        _backward_step(root_index, f"The backward pass starts at the root: ∂{names[-1]}/∂{names[-1]} = 1.", grads, [])
    )
    for node, g, sent in backward_steps(root):
        if not node.parents:
            continue  # a leaf passes nothing on
        i = index[id(node)]
        parts = []
        for parent, local, amount in sent:
            p = index[id(parent)]
            grads[p] = (grads[p] or 0.0) + amount
            out_nodes[p]["complete_at"] = len(steps)  # the latest contribution so far
            parts.append(f"{_d(names[-1], names[p])} += {_paren(local)} · {_paren(g)} = {_num(amount)}")
        text = (
            f"{names[i]} sends {_d(names[-1], names[i])} = {_num(g)} back to its inputs, times each local "
            "derivative: " + "; ".join(parts) + "."
        )
        sends = [[index[id(p)], _num(amount)] for p, _, amount in sent]
        steps.append(_backward_step(i, text, grads, sends))
    for node, final in zip(out_nodes, grads):
        node["grad"] = final if final is not None else 0.0
        node["grad_text"] = _num(node["grad"])
    return {
        "nodes": out_nodes,
        "steps": steps,
        "root": len(nodes) - 1,
        "columns": max(c for c, _ in places) + 1,
        "rows": max(r for _, r in places) + 1,
    }


def _d(top: str, bottom: str) -> str:
    """∂top/∂bottom, with a number in parentheses: ∂C/∂(0.5)."""
    return f"∂{top}/∂{bottom if bottom[0].isalpha() else '(' + bottom + ')'}"


def _backward_step(node: int, text: str, grads: list[float | None], sends: list) -> dict:
    return {
        "phase": "backward",
        "node": node,
        "text": text,
        "grads": list(grads),
        "grad_texts": [None if v is None else _num(v) for v in grads],
        "sends": sends,
    }


def _forward_text(node: Any, name: str, parents: list[str]) -> str:
    op = str(getattr(node, "op", "") or "")
    symbol, values = _symbol(op), [_paren(p.data) for p in node.parents]
    if op.startswith("**"):
        return f"{name} = {parents[0]}{symbol} = {values[0]}{symbol} = {_num(node.data)}"
    if len(parents) == 2:
        return f"{name} = {parents[0]} {symbol} {parents[1]} = {values[0]} {symbol} {values[1]} = {_num(node.data)}"
    return f"{name} = {symbol}({', '.join(parents)}) = {symbol}({', '.join(values)}) = {_num(node.data)}"


def draw_graph(root: Any, ax: Axes | None = None, title: str | None = None) -> Axes:
    """The graph of ``root`` after the forward and the backward pass.

    Each box is a node: its name and the operation that made it (in the circle), its value
    and its gradient ``dC/d(node)``. Arrows run from each input to the node computed from
    it. The gradients are computed here (:func:`graph_trace`); the nodes' ``.grad`` are
    left as they are.
    """
    trace = graph_trace(root)
    # inches; the text stays at least 9 px tall when the figure is shown 672 px wide (the book's column)
    dx, dy, w, h = 1.35, 1.0, 1.0, 0.74
    if ax is None:
        size = (dx * (trace["columns"] - 1) + w + 0.35, dy * (trace["rows"] - 1) + h + (0.75 if title else 0.4))
        ax = _subplots(figsize=size)[1][0]

    def centre(node: dict) -> tuple[float, float]:
        return node["column"] * dx, -node["row"] * dy

    for node in trace["nodes"]:
        for p in node["parents"]:
            (x0, y0), (x1, y1) = centre(trace["nodes"][p]), centre(node)
            ax.add_patch(
                FancyArrowPatch(
                    (x0 + w / 2, y0),
                    (x1 - w / 2 - 0.1, y1),
                    arrowstyle="-|>",
                    mutation_scale=11,
                    color="#555555",
                    lw=1.1,
                )
            )
    for node in trace["nodes"]:
        x, y = centre(node)
        ax.add_patch(
            FancyBboxPatch(
                (x - w / 2, y - h / 2),
                w,
                h,
                boxstyle="round,pad=0.02,rounding_size=0.08",
                facecolor="white",
                edgecolor=VERMILLION if node is trace["nodes"][-1] else BLUE,
                lw=1.4,
            )
        )
        ax.text(x, y + 0.21, node["name"], ha="center", va="center", fontsize=12, fontweight="bold")
        ax.text(x, y - 0.03, f"value {node['value']}", ha="center", va="center", fontsize=10)
        ax.text(x, y - 0.24, f"grad {node['grad_text']}", ha="center", va="center", fontsize=10)
        if node["op"]:
            ax.text(
                x - w / 2,
                y + h / 2,
                node["op"],
                ha="center",
                va="center",
                fontsize=10,
                bbox=dict(
                    boxstyle="circle,pad=0.25" if len(node["op"]) < 3 else "round,pad=0.25", fc="#F2F2F2", ec="#555555"
                ),
            )
    ax.set_xlim(-w / 2 - 0.2, (trace["columns"] - 1) * dx + w / 2 + 0.1)
    ax.set_ylim(-(trace["rows"] - 1) * dy - h / 2 - 0.15, h / 2 + 0.25)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=13, loc="left")
    return ax
