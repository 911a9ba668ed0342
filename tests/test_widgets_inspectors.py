"""nnlib.widgets.inspectors: the state holds nnlib's numbers, and bad arguments are refused before any work.

The front ends are tested in a browser, without a kernel, in tests/browser/test_widgets_inspectors.py.
"""

from __future__ import annotations

import base64

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("anywidget")

from nnlib import Network, plot  # noqa: E402
from nnlib.data import playground  # noqa: E402
from nnlib.widgets import inspectors  # noqa: E402
from nnlib.widgets.inspectors import BackpropInspector, PredictionInspector, WeightScaleInspector  # noqa: E402

# --- WeightScaleInspector -----------------------------------------------------------------


@pytest.fixture(scope="module")
def batch() -> np.ndarray:
    return np.random.default_rng(2).standard_normal((60, 20))


STDS = [0.01, 0.05, 0.1, 0.5, 1.0]


def chapter_activations(X, std, layers, activation="sigmoid", seed=3):
    """The forward chapter's own recipe (its old ``show_activations``): rescale N(0, 1/n_in) to N(0, std^2)."""
    net = Network([X.shape[1]] * (layers + 1), activation=activation, init="scaled_gaussian", rng=seed)
    for layer in net.layers:
        layer.W *= std * np.sqrt(layer.n_in)
    net.forward(X)
    return [layer.A for layer in net.layers]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_weight_scale_state_holds_the_chapters_histograms(batch, activation):
    w = WeightScaleInspector(batch, std=0.1, layers=2, activation=activation, stds=STDS, max_layers=4, bins=10)
    lo, hi = inspectors.RANGES[activation]
    margin = 0.02 * (hi - lo)
    for i, std in enumerate(STDS):
        # the first k layers of the deepest network are the k-layer network of the same seed
        for k in (1, 4):
            acts = chapter_activations(batch, std, k, activation)
            for l, A in enumerate(acts):
                expected = np.histogram(np.clip(A, lo, hi), bins=10, range=(lo, hi))[0]
                assert w.counts[activation][i][l] == expected.tolist(), (std, k, l)
                assert w.saturated[activation][i][l] == pytest.approx(np.mean((A < lo + margin) | (A > hi - margin)))
                assert w.spread[activation][i][l] == pytest.approx(A.std(axis=0).mean(), rel=1e-4)
    assert sum(w.counts[activation][0][0]) == batch.size  # every value counted once, clipped into range
    assert w.stds == STDS and w.std_index == 2 and w.std == 0.1 and w.layers == 2


def test_weight_scale_sigmoid_saturation_is_the_chapters(batch):
    """The chapter calls an activation saturated below 0.02 or above 0.98."""
    w = WeightScaleInspector(batch, stds=STDS, std=1.0, max_layers=2, layers=1)
    A = chapter_activations(batch, 1.0, 1)[0]
    assert w.saturated["sigmoid"][4][0] == pytest.approx(np.mean((A < 0.02) | (A > 0.98)))
    assert w.limits == {"sigmoid": [0.0, 1.0], "tanh": [-1.0, 1.0]}


def test_weight_scale_larger_weights_saturate_more(batch):
    w = WeightScaleInspector(batch, stds=STDS, max_layers=3, layers=3)
    for name in ("sigmoid", "tanh"):
        first_layer = [s[0] for s in w.saturated[name]]
        assert first_layer == sorted(first_layer) and first_layer[0] == 0 < first_layer[-1]


def test_weight_scale_default_grid_and_seeds(batch):
    w = WeightScaleInspector(batch, max_layers=2, layers=2)
    assert len(w.stds) == 51 and w.stds[0] == 0.01 and w.stds[-1] == pytest.approx(10**0.5)
    assert 0.1 in w.stds and 1.0 in w.stds and w.std == 0.1
    same = WeightScaleInspector(batch, max_layers=2, layers=2, rng=np.random.default_rng(3))
    assert same.counts == w.counts  # a Generator is used like its seed
    other = WeightScaleInspector(batch, max_layers=2, layers=2, rng=4)
    assert other.counts != w.counts
    assert "export default" in w._esm and 'from "./' not in w._esm  # the front end ships whole


def test_weight_scale_controls_are_traits(batch):
    w = WeightScaleInspector(batch, stds=STDS, max_layers=3, layers=2)
    w.std_index, w.layers, w.activation = 4, 1, "tanh"
    assert w.std == 1.0
    state = w.get_state()
    assert state["std_index"] == 4 and state["layers"] == 1 and state["activation"] == "tanh"
    assert "WeightScaleInspector(std=1" in repr(w)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(X=np.zeros(20)), ValueError, ["X", "2-D", "(20,)"]),
        (dict(X=np.full((5, 3), np.nan)), ValueError, ["X", "NaN"]),
        (dict(X=np.array([["a", "b"]])), TypeError, ["X", "numbers"]),
        (dict(layers=0), ValueError, ["layers", "1 to 3", "got 0"]),
        (dict(layers=4), ValueError, ["layers", "1 to 3", "got 4"]),
        (dict(layers=2.0), TypeError, ["layers", "float"]),
        (dict(max_layers=13), ValueError, ["max_layers", "1 to 12"]),
        (dict(bins=2), ValueError, ["bins", "5 to 100"]),
        (dict(std=0.2), ValueError, ["std", "one of stds", "nearest 0.1"]),
        (dict(std="0.1"), TypeError, ["std", "number", "str"]),
        (dict(stds=[0.1, 0.05]), ValueError, ["stds", "increasing"]),
        (dict(stds=[-1, 0.1]), ValueError, ["stds", "positive"]),
        (dict(stds=["small", "large"]), TypeError, ["stds", "numbers", "'small'"]),
        (dict(X=np.zeros((2, 1001))), ValueError, ["X", "1,000 columns", "(2, 1001)"]),
        (dict(activation="relu"), ValueError, ["activations", "sigmoid", "tanh", "'relu'"]),
        (dict(activation="tanh", activations=["sigmoid"]), ValueError, ["activation", "one of", "'tanh'"]),
        (dict(activations="sigmoid"), ValueError, ["activations", "list"]),
        (dict(activations=[["sigmoid"]]), ValueError, ["activations", "list"]),
        (dict(rng="seed"), TypeError, ["rng", "str"]),
    ],
)
def test_weight_scale_refuses_bad_arguments_before_any_work(batch, monkeypatch, kwargs, error, words):
    def no_work(*args, **kw):
        raise AssertionError("computed before the arguments were checked")

    if "rng" not in kwargs:  # as_rng checks rng itself, right before the work
        monkeypatch.setattr(inspectors, "weight_scale_statistics", no_work)
    arguments = dict(X=batch, stds=[0.05, 0.1, 0.5], max_layers=3, layers=2) | kwargs
    with pytest.raises(error) as caught:
        WeightScaleInspector(**arguments)
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


# --- BackpropInspector --------------------------------------------------------------------


@pytest.fixture(scope="module")
def trace():
    """The backprop chapter's network and batch: [2, 3, 2, 1] on 4 points of the circle set."""
    X_all, Y_all = playground("circle", n=200, noise=0.1, rng=1)
    X, Y = X_all[[4, 0, 6, 1]] / 5, Y_all[[4, 0, 6, 1]]
    return plot.trace_backprop(Network([2, 3, 2, 1], loss="quadratic", rng=0), X, Y)


def test_backprop_state_is_the_trace(trace):
    w = BackpropInspector(trace)
    assert w.sizes == [2, 3, 2, 1] and w.cost == trace.cost
    assert w.names == [t.name for t in trace.layers] == ["Dense(2 -> 3, sigmoid)", "Dense(3 -> 2, sigmoid)",
                                                          "Dense(2 -> 1, sigmoid)"]  # fmt: skip
    np.testing.assert_array_equal(w.inputs, trace.X)
    np.testing.assert_array_equal(w.targets, trace.Y)
    for state, t in zip(w.trace, trace.layers):
        assert state["l"] == t.l
        for key in ("A_in", "W", "Z", "A", "delta", "dW", "db"):
            np.testing.assert_array_equal(state[key], getattr(t, key), err_msg=key)


def test_backprop_views_are_what_plot_backprop_draws(trace):
    w = BackpropInspector(trace)
    assert [v["label"] for v in w.views] == [
        "whole batch of 4",
        "example 0 (y = 0)",
        "example 1 (y = 1)",
        "example 2 (y = 0)",
        "example 3 (y = 1)",
    ]
    batch = w.views[0]
    for l, t in enumerate(trace.layers):
        np.testing.assert_array_equal(batch["edges"][l], t.dW)
        np.testing.assert_array_equal(batch["neurons"][l], t.db)
    for i in range(4):
        view = w.views[1 + i]
        for l, t in enumerate(trace.layers):
            np.testing.assert_array_equal(view["edges"][l], np.outer(t.A_in[i], t.delta[i]))  # dC_x/dW^l
            np.testing.assert_array_equal(view["neurons"][l], t.delta[i])
        # the batch gradient is the mean of the examples' (BP4)
    for l, t in enumerate(trace.layers):
        mean = np.mean([w.views[1 + i]["edges"][l] for i in range(4)], axis=0)
        np.testing.assert_allclose(mean, t.dW, rtol=1e-12)


def test_backprop_controls(trace):
    w = BackpropInspector(trace)
    assert w.example == -1 and w.layer == 3  # the whole batch, the last layer
    w = BackpropInspector(trace, example=2, layer=1)
    assert w.example == 2 and w.layer == 1
    assert "example 2, layer 1" in repr(w)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        (dict(example=4), ValueError, ["example", "0 to 3", "got 4"]),
        (dict(example=-1), ValueError, ["example", "0 to 3"]),
        (dict(example=1.0), TypeError, ["example", "float"]),
        (dict(layer=0), ValueError, ["layer", "1 to 3", "got 0"]),
        (dict(layer=True), TypeError, ["layer", "bool"]),
    ],
)
def test_backprop_refuses_bad_controls(trace, kwargs, error, words):
    with pytest.raises(error) as caught:
        BackpropInspector(trace, **kwargs)
    assert all(word in str(caught.value) for word in words), str(caught.value)


def test_backprop_refuses_what_it_cannot_draw():
    with pytest.raises(TypeError, match="trace must be what nnlib.plot.trace_backprop returns, got dict"):
        BackpropInspector({"layers": []})
    X, Y = np.zeros((3, 20)), np.zeros((3, 1))
    big = plot.trace_backprop(Network([20, 3, 1], rng=0), X, Y)
    with pytest.raises(ValueError, match=r"at most 12 neurons per layer.*got sizes \[20, 3, 1\]"):
        BackpropInspector(big)


# --- PredictionInspector ------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    """A softmax network on 4 x 4 'images' with 3 classes, and 30 images with their labels."""
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(30, 16)) / 255
    y = rng.integers(0, 3, size=30)
    net = Network([16, 5, 3], loss="categorical_cross_entropy", init="scaled_gaussian", rng=1)
    return net, X, y


def test_prediction_state_holds_the_networks_probabilities(digits):
    net, X, y = digits
    chosen = [7, 0, 29, 3]
    w = PredictionInspector(net, X, y, chosen, position=2)
    P = net.predict(X[chosen])
    np.testing.assert_array_equal(w.probabilities, P)  # unrounded
    assert w.predicted == P.argmax(axis=1).tolist() == net.classify(X[chosen]).tolist()
    assert w.labels == y[chosen].tolist() and w.test_indices == chosen
    assert w.side == 4 and w.position == 2
    pixels = np.frombuffer(base64.b64decode(w.images), dtype=np.uint8).reshape(4, 16)
    np.testing.assert_array_equal(pixels, np.rint(X[chosen] * 255))  # one byte per pixel, row by row


def test_prediction_on_the_shipped_digits():
    from nnlib.data import load_digits

    X, y = load_digits("test")
    net = Network([784, 10], loss="categorical_cross_entropy", init="scaled_gaussian", rng=0)
    w = PredictionInspector(net, X, y, np.arange(100))
    assert len(base64.b64decode(w.images)) == 100 * 784 and w.side == 28
    np.testing.assert_allclose(np.sum(w.probabilities, axis=1), 1.0)


@pytest.mark.parametrize(
    "change, error, words",
    [
        (dict(net="net"), TypeError, ["net", "Network", "str"]),
        (dict(X=np.zeros((30, 15))), ValueError, ["X", "square", "16 pixels", "(30, 15)"]),
        (dict(X=np.full((30, 16), 2.0)), ValueError, ["X", "[0, 1]"]),
        (dict(y=np.zeros(29, dtype=int)), ValueError, ["y", "0 to 2", "(29,)"]),
        (dict(y=np.full(30, 3)), ValueError, ["y", "0 to 2"]),
        (dict(y=np.zeros(30)), ValueError, ["y", "float64"]),
        (dict(indices=[0, 0]), ValueError, ["indices", "distinct"]),
        (dict(indices=[30]), ValueError, ["indices", "0 to 29"]),
        (dict(indices=[]), ValueError, ["indices", "1 to 500"]),
        (dict(indices=[0.5]), ValueError, ["indices", "integers", "float64"]),
        (dict(position=4), ValueError, ["position", "0 to 3", "got 4"]),
    ],
)
def test_prediction_refuses_bad_arguments(digits, change, error, words):
    net, X, y = digits
    arguments = dict(net=net, X=X, y=y, indices=[0, 1, 2, 3]) | change
    position = arguments.pop("position", 0)
    with pytest.raises(error) as caught:
        PredictionInspector(**arguments, position=position)
    for word in words:
        assert word in str(caught.value), (word, str(caught.value))


def test_prediction_needs_probabilities(digits):
    _, X, y = digits
    sigmoid_net = Network([16, 3], rng=0)
    with pytest.raises(ValueError, match="softmax output layer"):
        PredictionInspector(sigmoid_net, X, y, [0])
