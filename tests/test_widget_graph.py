"""The graph stepper's Python side: the trace (nnlib.plot.graph.graph_trace) holds the engine's
own numbers step by step, its layout reads left to right, the static figure draws, and the
widget's state is what its front end (tested in tests/browser/test_widgets_graph.py) reads."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nnlib.autograd import Value, topological_order  # noqa: E402
from nnlib.plot.graph import MAX_NODES, draw_graph, graph_layout, graph_trace  # noqa: E402
from nnlib.widgets.esm import bundle  # noqa: E402
from nnlib.widgets.graph import GraphWidget  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def neuron_cost():
    x, w, b, y = Value(1.5, label="x"), Value(0.8, label="w"), Value(-0.5, label="b"), Value(1.0, label="y")
    z = w * x + b
    z.label = "z"
    C = 0.5 * (z.sigmoid() - y) ** 2
    C.label = "C"
    return C


def shared_node():
    x = Value(2.0, label="x")
    u = x * 3
    u.label = "u"
    C = u * u + u
    C.label = "C"
    return C


def test_the_trace_holds_the_engines_numbers():
    C = neuron_cost()
    trace = graph_trace(C)
    json.dumps(trace)  # plain JSON: the widget state carries it to the browser
    nodes = topological_order(C)
    assert [n["data"] for n in trace["nodes"]] == [n.data for n in nodes]
    assert all(n.grad == 0.0 for n in nodes)  # the graph is read, never changed
    C.backward()
    assert [n["grad"] for n in trace["nodes"]] == pytest.approx([n.grad for n in nodes], rel=1e-15)
    assert trace["steps"][-1]["grads"] == pytest.approx([n.grad for n in nodes], rel=1e-15)
    assert trace["root"] == len(nodes) - 1 and trace["nodes"][-1]["name"] == "C"


def test_the_steps_are_the_forward_then_the_backward_pass():
    C = shared_node()
    trace = graph_trace(C)
    operations = [i for i, n in enumerate(topological_order(C)) if n.parents]
    phases = [s["phase"] for s in trace["steps"]]
    assert phases == ["start"] + ["forward"] * len(operations) + ["backward"] * (1 + len(operations))
    assert [s["node"] for s in trace["steps"] if s["phase"] == "forward"] == operations
    backward = [s for s in trace["steps"] if s["phase"] == "backward"]
    assert backward[0]["text"] == "The backward pass starts at the root: ∂C/∂C = 1."
    names = [n["name"] for n in trace["nodes"]]
    u = names.index("u")
    # u collects 1 (from C) and 6 + 6 (from u * u) before it passes 13 on to x
    assert [s["grads"][u] for s in backward] == [None, 1.0, 13.0, 13.0]
    assert trace["nodes"][u]["complete_at"] == trace["steps"].index(backward[2])
    assert "∂C/∂x += 3 · 13 = 39" in backward[3]["text"]
    assert backward[2]["sends"] == [[u, "6"], [u, "6"]]
    assert trace["steps"][1]["text"] == "u = x × 3 = 2 × 3 = 6"


def test_a_value_is_computed_before_it_is_used_and_its_gradient_complete_before_it_is_sent():
    trace = graph_trace(neuron_cost())
    for i, node in enumerate(trace["nodes"]):
        assert all(trace["nodes"][p]["computed_at"] < node["computed_at"] for p in node["parents"])
        sent_at = [k for k, s in enumerate(trace["steps"]) if s["phase"] == "backward" and s["node"] == i]
        assert node["complete_at"] <= sent_at[-1] if node["parents"] else True
        assert trace["steps"][node["complete_at"]]["grads"][i] == pytest.approx(node["grad"])


def test_the_layout_reads_left_to_right_without_overlaps():
    nodes = topological_order(neuron_cost())
    places = graph_layout(nodes)
    index = {id(n): i for i, n in enumerate(nodes)}
    for i, node in enumerate(nodes):
        for parent in node.parents:
            assert places[index[id(parent)]][0] < places[i][0]
    assert places[-1][0] == max(c for c, _ in places)
    for column in {c for c, _ in places}:
        rows = sorted(r for c, r in places if c == column)
        assert all(b - a >= 1.0 - 1e-12 for a, b in zip(rows, rows[1:]))
    assert min(r for _, r in places) == 0


def test_names_numbers_and_operations():
    a = Value(2.0)
    C = (a * 4.0).exp() - a**2
    names = [n["name"] for n in graph_trace(C)["nodes"]]
    assert "2" in names and "4" in names and "n1" in names  # constants by their number, others numbered
    ops = {n["op"] for n in graph_trace(C)["nodes"]}
    assert {"×", "exp", "^2", "−"} <= ops


def test_a_duck_typed_value_class_works():
    class Node:
        def __init__(self, data, parents=(), local_grads=()):
            self.data, self.grad, self.parents, self.local_grads = data, 0.0, parents, local_grads

    x = Node(3.0)
    y = Node(6.0, (x, x), (3.0, 3.0))
    trace = graph_trace(y)
    assert [n["name"] for n in trace["nodes"]] == ["3", "n1"] and trace["nodes"][0]["grad"] == 6.0


def test_bad_roots_are_refused():
    with pytest.raises(TypeError, match="graph_trace expected a Value"):
        graph_trace(3.0)
    big = Value(0.0)
    for _ in range(MAX_NODES):
        big = big + 1.0
    with pytest.raises(ValueError, match=f"at most {MAX_NODES} nodes"):
        graph_trace(big)


def test_the_layout_refuses_what_is_not_a_topological_order():
    x = Value(1.0)
    y = x * 2
    with pytest.raises(ValueError, match="node 0 comes before one of its parents"):
        graph_layout([y, y.parents[1], x])
    with pytest.raises(ValueError, match="got none"):
        graph_layout([])
    with pytest.raises(TypeError, match="got float at position 1"):
        graph_layout([x, 2.0])


def test_draw_graph_shows_every_value_and_gradient():
    C = neuron_cost()
    ax = draw_graph(C, title="a neuron")
    texts = [t.get_text() for t in ax.texts]
    assert "grad 1" in texts and "value 0.7" in texts and "grad −0.0736" in texts
    assert ax.get_title(loc="left") == "a neuron"
    assert all(n.grad == 0.0 for n in topological_order(C))


def test_the_widget_state():
    widget = GraphWidget(shared_node(), title="A value used three times", step=2)
    assert widget.trace == graph_trace(shared_node())
    assert widget.step == 2 and widget.title == "A value used three times" and widget.n_steps == 8
    assert widget._esm == bundle("graph.js") and 'from "./' not in widget._esm
    assert GraphWidget(shared_node()).title == "A computation graph"


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(step=8), ValueError, "a step from 0 to 7 for this graph, got 8"),
        (dict(step=-1), ValueError, "got -1"),
        (dict(step=1.5), ValueError, "got 1.5"),
        (dict(title=3), TypeError, "a str as title, got int"),
    ],
)
def test_the_widget_refuses_bad_arguments(kwargs, error, words):
    with pytest.raises(error) as info:
        GraphWidget(shared_node(), **kwargs)
    assert words in str(info.value)
