"""Step through a computation graph: its forward values, then its backward pass, node by node.

>>> GraphWidget(C, title="One neuron")      # C: the root of a graph of Values  # doctest: +SKIP

The numbers come from Python: :func:`nnlib.plot.graph.graph_trace` records every node's
value and every step of the engine's backward pass (:func:`nnlib.autograd.backward_steps`)
into the widget's state. The front end, ``static/graph.js``, only draws and steps. So a
saved notebook, and the website without a kernel, can step through the graph too.

Controls: *Start*, *Back*, *Next* and *End* buttons, a step slider, and the arrow keys,
Home and End on the picture. Each step is described in words under the picture (read out
by screen readers); the node of the step and the edges it uses are highlighted, and a
gradient that has not received every contribution yet is marked "so far".
"""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ..plot.graph import graph_trace
from .esm import bundle

__all__ = ["GraphWidget"]


class GraphWidget(anywidget.AnyWidget):
    """A computation graph whose two passes the reader steps through.

    Parameters
    ----------
    root : Value
        The root of the graph (the cost), a :class:`nnlib.autograd.Value` or any node with
        the same attributes. Its graph is read, never changed: ``.grad`` stays as it is.
    title : str
        Shown above the picture, and the widget's accessible name.
    step : int
        The step shown first: 0 (only the leaves known) to ``len(trace["steps"]) - 1``
        (after the whole backward pass).
    """

    _esm = bundle("graph.js")
    trace = traitlets.Dict().tag(sync=True)
    step = traitlets.Int(0).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)

    def __init__(self, root: Any, title: str = "", step: int = 0, **kwargs: Any) -> None:
        if not isinstance(title, str):
            raise TypeError(f"GraphWidget expected a str as title, got {type(title).__name__}")
        trace = graph_trace(root)  # checks root
        last = len(trace["steps"]) - 1
        if not isinstance(step, int) or isinstance(step, bool) or not 0 <= step <= last:
            raise ValueError(f"GraphWidget expected a step from 0 to {last} for this graph, got {step!r}")
        super().__init__(trace=trace, title=title or "A computation graph", step=step, **kwargs)

    @property
    def n_steps(self) -> int:
        """How many steps there are (step 0 included)."""
        return len(self.trace["steps"])
