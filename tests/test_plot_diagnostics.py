"""nnlib.plot.diagnostics: each figure draws the numbers it is given (range test, norms, histograms,
a run's dashboard), with titles and labelled axes, and refuses what it cannot draw."""

import math

import matplotlib

matplotlib.use("Agg", force=True)

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnlib import Network, fit  # noqa: E402
from nnlib import plot as P  # noqa: E402
from nnlib.diagnostics import NormRecorder, activation_stats, buggy_run, lr_range_test  # noqa: E402


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _data(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, size=(n, 4))
    y = (X[:, 0] > X[:, 1]).astype(int) + (X[:, 2] > 0.5).astype(int)
    return X, y


def _net(activation="sigmoid"):
    return Network([4, 6, 3], activation=activation, loss="categorical_cross_entropy", init="xavier", rng=0)


def _labelled(ax):
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_lr_range_draws_the_losses_on_a_log_axis():
    X, y = _data()
    result = lr_range_test(_net(), X, np.eye(3)[y], steps=40, batch_size=10, rng=0)
    ax = P.plot_lr_range(result)
    _labelled(ax)
    assert ax.get_xscale() == "log"
    dots, line = ax.lines[0], ax.lines[1]
    finite = np.isfinite(result.losses)
    np.testing.assert_allclose(dots.get_xdata(), result.lrs[finite])
    np.testing.assert_allclose(line.get_ydata(), result.smoothed[finite])
    assert ax.lines[3].get_xdata()[0] == pytest.approx(result.suggested_lr)  # the vertical line


def test_plot_norms_one_line_per_layer_and_frozen_layers_marked():
    X, y = _data()
    net = _net()
    recorder = NormRecorder()
    fit(net, X, np.eye(3)[y], epochs=1, batch_size=20, lr=0.5, callbacks=[recorder], progress=False, rng=0)
    ax = P.plot_norms(recorder, "grad_norms")
    _labelled(ax)
    assert ax.get_yscale() == "log"
    layer_lines = [line for line in ax.lines if line.get_label().startswith("layer") and ":" not in line.get_label()]
    assert len(layer_lines) == 2
    np.testing.assert_allclose(layer_lines[0].get_ydata(), recorder.grad_norms[:, 0])
    recorder._update = [[0.0, 1e-3], [0.0, 2e-3], [0.0, 1e-3]]  # layer 1 never moves
    recorder._weight = [[1.0, 1.0]] * 3
    ax = P.plot_norms(recorder, "update_ratios")
    assert any(line.get_label() == "layer 1: below 1e-06" for line in ax.lines)


def test_plot_norms_refuses_bad_input():
    with pytest.raises(TypeError, match="plot_norms: expected a nnlib.diagnostics.NormRecorder"):
        P.plot_norms({"grad_norms": [1.0]})
    with pytest.raises(ValueError, match="kind must be one of update_ratios"):
        P.plot_norms(NormRecorder(), "gradients")
    with pytest.raises(ValueError, match="the recorder has no steps yet"):
        P.plot_norms(NormRecorder())


def test_plot_activation_stats_titles_give_the_fractions():
    relu = _net("relu")
    stats = activation_stats(relu, _data()[0])
    axes = P.plot_activation_stats(stats)
    assert len(axes) == 2
    assert f"{stats[0].dead:.0%} dead" in axes[0].get_title()
    assert axes[0].get_ylabel() == "fraction of values" and axes[0].get_xlabel() == "activation $a$"
    heights = [p.get_height() for p in axes[0].patches]
    assert sum(heights) == pytest.approx(1.0)  # fractions of the layer's values
    with pytest.raises(TypeError, match="plot_activation_stats: expected the list"):
        P.plot_activation_stats(stats[0])


def test_plot_run_draws_four_labelled_panels():
    X, y = _data(n=80)
    Xv, yv = _data(n=30, seed=1)
    run = buggy_run("none", X, y, Xv, yv, hidden=5, epochs=3, rng=0)
    axes = P.plot_run(run, title="a run")
    assert len(axes) == 4
    for ax in axes:
        _labelled(ax)
    train = axes[0].lines[0]
    np.testing.assert_allclose(train.get_ydata(), [run.initial_loss, *run.history.loss])
    assert axes[0].lines[2].get_ydata()[0] == pytest.approx(math.log(3))  # ln(n_classes)
    assert axes[1].lines[2].get_ydata()[0] == pytest.approx(1 / 3)  # chance
    with pytest.raises(TypeError, match="plot_run: expected a nnlib.diagnostics.Run"):
        P.plot_run(run.history)
    with pytest.raises(ValueError, match="plot_run draws 4 panel"):
        P.plot_run(run, axes=plt.subplots(1, 2)[1])
