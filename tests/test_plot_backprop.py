"""nnlib.plot.backprop: the backprop trace agrees with the network's own gradients and with the four
equations, the graph of one neuron with numerical derivatives, and the figures draw headless."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import Network  # noqa: E402
from nnlib.activations import sigmoid, sigmoid_prime  # noqa: E402
from nnlib.plot import backprop as debug  # noqa: E402
from nnlib.plot import chain_rule  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _batch(n=5, sizes=(2, 3, 2, 1), seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, sizes[0])), rng.integers(0, 2, size=(n, sizes[-1])).astype(float)


@pytest.mark.parametrize("loss", ["quadratic", "binary_cross_entropy"])
def test_trace_matches_network_gradients(loss):
    net = Network([2, 3, 2, 1], loss=loss, rng=1)
    X, Y = _batch()
    trace = debug.trace_backprop(net, X, Y)
    expected = net.gradients(X, Y)
    assert [t.l for t in trace.layers] == [1, 2, 3]
    for t, dW, db in zip(trace.layers, expected[0::2], expected[1::2]):
        np.testing.assert_allclose(t.dW, dW, rtol=1e-12)
        np.testing.assert_allclose(t.db, db, rtol=1e-12)
    assert trace.cost == pytest.approx(net.loss_value(X, Y))


def test_trace_follows_the_four_equations():
    net = Network([2, 3, 2, 1], loss="quadratic", rng=2)
    X, Y = _batch(seed=3)
    tr = debug.trace_backprop(net, X, Y)
    L = tr.layers
    np.testing.assert_allclose(L[-1].delta, (L[-1].A - Y) * sigmoid_prime(L[-1].Z))  # BP1
    for lower, upper in zip(L[:-1], L[1:]):
        np.testing.assert_allclose(lower.delta, (upper.delta @ upper.W.T) * sigmoid_prime(lower.Z))  # BP2
    for t in L:
        np.testing.assert_allclose(t.db, t.delta.mean(axis=0))  # BP3
        np.testing.assert_allclose(t.dW, t.A_in.T @ t.delta / len(X))  # BP4
    np.testing.assert_array_equal(L[0].A_in, X)


def test_trace_is_a_snapshot():
    net = Network([2, 3, 1], rng=0)
    X, Y = _batch(sizes=(2, 3, 1))
    tr = debug.trace_backprop(net, X, Y)
    before = tr.layers[0].dW.copy()
    net.gradients(X * 2, Y)  # a later pass must not change the trace
    np.testing.assert_array_equal(tr.layers[0].dW, before)


def test_gradient_norms_and_vanishing_in_deep_sigmoid_net():
    X, Y = _batch(n=50, sizes=(2, 1), seed=4)
    net = Network([2, 20, 20, 20, 20, 20, 1], init="scaled_gaussian", rng=0)
    norms = debug.gradient_norms(net, X, Y)
    grads = net.gradients(X, Y)
    np.testing.assert_allclose(norms, [np.linalg.norm(g) for g in grads[0::2]])
    assert norms.shape == (6,) and norms[0] < norms[-1] / 100  # sigma' <= 1/4 per layer
    relu = Network([2, 20, 20, 20, 20, 20, 1], activation="relu", output_activation="sigmoid", init="he", rng=0)
    relu_norms = debug.gradient_norms(relu, X, Y)
    assert relu_norms[1] > relu_norms[-1] / 10


def test_tables_and_reports():
    net = Network([2, 3, 1], rng=0)
    tr = debug.trace_backprop(net, *_batch(n=4, sizes=(2, 3, 1)))
    table = debug.shape_table(tr).splitlines()
    assert len(table) == 4 and "Dense(2 -> 3, sigmoid)" in table[2] and "(4, 3)" in table[2]
    assert "(2, 3)" in table[2] and "(3,)" in table[2]
    assert "whole batch of 4" in debug.layer_report(tr, 1)
    assert "outer(a^0, delta^1)" in debug.layer_report(tr, 1, example=2)
    with pytest.raises(ValueError, match="from 1 to 2"):
        debug.layer_report(tr, 3)
    with pytest.raises(ValueError, match="example must be"):
        debug.layer_report(tr, 1, example=4)


def test_neuron_graph_gradients_match_finite_differences():
    x, w, b, y = 1.5, 0.8, -0.5, 1.0
    values, grads = chain_rule.neuron_graph_values(x, w, b, y)
    assert values["a"] == pytest.approx(float(sigmoid(0.7)))
    assert values["C"] == pytest.approx(0.5 * (float(sigmoid(0.7)) - 1.0) ** 2)

    def cost(**kw):
        p = dict(x=x, w=w, b=b) | kw
        return 0.5 * (float(sigmoid(p["w"] * p["x"] + p["b"])) - y) ** 2

    h = 1e-6
    for name, value in (("w", w), ("x", x), ("b", b)):
        numeric = (cost(**{name: value + h}) - cost(**{name: value - h})) / (2 * h)
        assert grads[name] == pytest.approx(numeric, rel=1e-6)
    assert grads["w"] == pytest.approx(-0.11035056, abs=1e-8)  # the worked example of chapter 5


def test_figures_draw_headless():
    net = Network([2, 3, 2, 1], rng=0)
    tr = debug.trace_backprop(net, *_batch(n=4))
    for example, per_layer in ((None, False), (1, False), (0, True)):
        arts = debug.plot_backprop(tr, example, per_layer=per_layer)
        assert len(arts.neurons.get_facecolors()) == 2 + 3 + 2 + 1
    with pytest.raises(ValueError, match="example must be"):
        debug.plot_backprop(tr, 7)
    ax = debug.plot_shapes([("X", (4, 3)), "@", ("W", (3, 2)), "+", ("b", (2,)), "=", ("Z", (4, 2))])
    assert len(ax.patches) == 4
    axes = debug.plot_layer_histograms([np.linspace(0, 1, 11), np.full(5, 0.5)])
    assert [a.get_title() for a in axes] == ["layer 1", "layer 2"]
    with pytest.raises(ValueError, match="2 Axes for 3 layers"):
        debug.plot_layer_histograms([np.zeros(2)] * 3, axes=axes)
    for step in range(5):
        chain_rule.draw_neuron_graph(1.5, 0.8, -0.5, 1.0, step)
    with pytest.raises(ValueError, match="step must be"):
        chain_rule.draw_neuron_graph(1.5, 0.8, -0.5, 1.0, 5)
