"""nnlib.diagnostics: the learning-rate range test (on a copy, reproducible, checked by hand), the
norm recorder (against a step worked out by hand), activation statistics (dead and saturated units
built on purpose) and the runs with a planted bug (reproducible, each showing its evidence)."""

import math

import numpy as np
import pytest

from nnlib import SGD, Network, fit
from nnlib.diagnostics import BUGS, LRRangeTest, NormRecorder, activation_stats, buggy_run, lr_range_test


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)
    return X, np.eye(3)[y]


def _net(seed=0, activation="sigmoid"):
    return Network([3, 5, 3], activation=activation, loss="categorical_cross_entropy", init="xavier", rng=seed)


def _params_equal(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


# --- lr_range_test --------------------------------------------------------------------------


def test_range_test_never_changes_the_network():
    X, Y = _data()
    net = _net()
    before = net.get_params()
    arrays = [p for layer in net.layers for p in (layer.W, layer.b)]
    result = lr_range_test(net, X, Y, steps=30, batch_size=8, rng=0)
    assert _params_equal(net.get_params(), before)
    assert all(a is b for a, b in zip(arrays, [p for layer in net.layers for p in (layer.W, layer.b)]))
    assert result.losses.size > 0


def test_range_test_matches_a_hand_written_sweep():
    X, Y = _data()
    net = _net()
    result = lr_range_test(net, X, Y, lr_min=0.01, lr_max=1.0, steps=5, batch_size=8, smoothing=0.0, rng=3)
    lrs = 0.01 * 100.0 ** (np.arange(5) / 4)  # geometric: 0.01, 0.0316, 0.1, 0.316, 1
    np.testing.assert_allclose(result.lrs, lrs)
    rng, copy = np.random.default_rng(3), _net()
    batch = rng.choice(len(X), 8, replace=False)
    initial = copy.loss_value(X[batch], Y[batch])
    losses = []
    for lr in lrs:
        grads = copy.gradients(X[batch], Y[batch])
        copy.set_params([p - lr * g for p, g in zip(copy.get_params(), grads)])
        batch = rng.choice(len(X), 8, replace=False)
        losses.append(copy.loss_value(X[batch], Y[batch]))
    assert result.initial_loss == pytest.approx(initial, rel=1e-12)
    np.testing.assert_allclose(result.losses, losses, rtol=1e-10)
    np.testing.assert_allclose(result.smoothed, losses, rtol=1e-10)  # smoothing=0 keeps the raw losses
    assert not result.stopped_early


def test_range_test_is_reproducible_and_follows_its_rng():
    X, Y = _data()
    a = lr_range_test(_net(), X, Y, steps=20, batch_size=8, rng=1)
    b = lr_range_test(_net(), X, Y, steps=20, batch_size=8, rng=np.random.default_rng(1))
    c = lr_range_test(_net(), X, Y, steps=20, batch_size=8, rng=2)
    np.testing.assert_array_equal(a.losses, b.losses)
    assert not np.array_equal(a.losses[: c.losses.size], c.losses[: a.losses.size])


def test_range_test_stops_when_the_loss_explodes_and_smooths_with_bias_correction():
    X, Y = _data()
    result = lr_range_test(_net(), X, Y, lr_min=1e-3, lr_max=1e6, steps=200, batch_size=16, smoothing=0.5, rng=0)
    assert result.stopped_early and result.losses.size < 200
    last = result.losses[-1]
    assert not math.isfinite(last) or last > 4 * min(result.initial_loss, result.losses[:-1].min())
    assert result.smoothed[0] == pytest.approx(result.losses[0])  # bias-corrected: no pull towards 0
    assert result.smoothed[1] == pytest.approx((0.5 * result.losses[0] + result.losses[1]) / 1.5)
    assert result.lrs[0] <= result.best_lr <= result.lrs[-1]
    assert result.suggested_lr == pytest.approx(result.best_lr / 10)


def test_best_lr_ignores_a_loss_that_became_nan():
    result = LRRangeTest(
        np.array([0.1, 1.0, 10.0]), np.array([2.0, 1.0, np.nan]), np.array([2.0, 1.5, np.nan]), 2.3, True
    )
    assert result.best_lr == 1.0 and result.suggested_lr == pytest.approx(0.1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr_min": 1.0, "lr_max": 0.1}, "lr_max must be larger than lr_min"),
        ({"lr_min": 0}, "lr_min must be a positive"),
        ({"steps": 1}, "steps must be at least 2"),
        ({"steps": 2.5}, "steps must be a positive integer"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"smoothing": 1.0}, r"smoothing must be in \[0, 1\)"),
        ({"stop_factor": 1.0}, "stop_factor must be larger than 1"),
        ({"rng": -1}, "rng must be"),
        ({"rng": "seed"}, "rng must be"),
    ],
)
def test_range_test_refuses_bad_arguments_before_any_work(kwargs, message):
    X, Y = _data()
    net = _net()
    before = net.get_params()
    with pytest.raises((TypeError, ValueError), match=message):
        lr_range_test(net, X, Y, **kwargs)
    assert _params_equal(net.get_params(), before)


def test_range_test_refuses_what_is_not_a_network_or_data_of_the_wrong_shape():
    X, Y = _data()
    with pytest.raises(TypeError, match="lr_range_test: net must be an nnlib Network"):
        lr_range_test("net", X, Y)
    with pytest.raises(ValueError, match="expected X of shape"):
        lr_range_test(_net(), X[:, :2], Y)
    with pytest.raises(ValueError, match="Y must have shape"):
        lr_range_test(_net(), X, Y[:5])


# --- NormRecorder -----------------------------------------------------------------------------


def test_norm_recorder_matches_one_step_by_hand():
    X, Y = _data(n=12)
    net = _net()
    grads = net.gradients(X, Y)  # the gradient of the one full-batch step
    before = net.get_params()
    recorder = NormRecorder()
    fit(net, X, Y, epochs=1, batch_size=12, lr=0.3, callbacks=[recorder], progress=False, rng=0)
    after = net.get_params()
    assert recorder.steps == [1]
    np.testing.assert_allclose(recorder.grad_norms, [[np.linalg.norm(g) for g in grads[0::2]]], rtol=1e-12)
    np.testing.assert_allclose(
        recorder.update_norms, [[0.3 * np.linalg.norm(g) for g in grads[0::2]]], rtol=1e-10
    )  # plain SGD: ||Delta W|| = eta ||dC/dW||
    np.testing.assert_allclose(recorder.weight_norms, [[np.linalg.norm(w) for w in after[0::2]]], rtol=1e-12)
    np.testing.assert_allclose(
        recorder.update_ratios,
        [[np.linalg.norm(a - b) / np.linalg.norm(a) for a, b in zip(after[0::2], before[0::2])]],
        rtol=1e-10,
    )


def test_norm_recorder_measures_the_real_update_with_momentum_and_every_few_steps():
    X, Y = _data(n=40)
    net = _net()
    every_step, every_third = NormRecorder(), NormRecorder(every=3)
    fit(
        net,
        X,
        Y,
        epochs=2,
        batch_size=5,
        optimizer=SGD(lr=0.2, momentum=0.9),
        callbacks=[every_step, every_third],
        progress=False,
        rng=0,
    )
    assert every_step.steps == list(range(1, 17)) and every_third.steps == [3, 6, 9, 12, 15]
    np.testing.assert_array_equal(every_third.update_norms, every_step.update_norms[2::3])
    # with momentum the step is not eta * gradient: later steps are larger than that
    assert (every_step.update_norms[5:] > 0.2 * every_step.grad_norms[5:] * 1.01).any()
    assert every_step.grad_norms.shape == (16, 2)


@pytest.mark.parametrize("every", [0, -1, 1.5, "2", None, True])
def test_norm_recorder_refuses_a_bad_every(every):
    with pytest.raises(ValueError, match="NormRecorder: every must be a positive integer"):
        NormRecorder(every=every)


# --- activation_stats --------------------------------------------------------------------------


def test_activation_stats_counts_dead_relus_and_saturated_sigmoids():
    relu = Network([2, 4, 1], activation="relu", output_activation="sigmoid", rng=0)
    W = np.array([[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, -1.0]])
    relu.set_params([W, np.array([0.0, 0.0, -1.0, 0.0]), np.full((4, 1), 20.0), np.array([0.0])])
    X = np.array([[1.0, 1.0], [2.0, -1.0], [-1.0, 3.0]])  # unit 2 (z = -1) is dead; unit 3 z = 0, 3, -4
    before = relu.get_params()
    stats = activation_stats(relu, X)
    assert _params_equal(relu.get_params(), before)
    assert [s.layer for s in stats] == [1, 2] and stats[0].activation == "relu"
    assert stats[0].dead == 0.25  # one unit of four is 0 on every example
    # z <= 0: unit 0 once, unit 1 once, unit 2 always, unit 3 twice (z = 0 counts: no gradient)
    assert stats[0].saturated == pytest.approx(7 / 12)
    assert stats[1].dead == 1.0 and stats[1].saturated == 1.0  # a sigmoid of z >= 20
    np.testing.assert_array_equal(stats[0].values, np.maximum(X @ W + [0, 0, -1, 0], 0))
    assert "25% of the units dead" in str(stats[0])


def test_activation_stats_tanh_tail_and_activations_that_cannot_saturate():
    net = Network([1, 2, 2], activation="tanh", loss="categorical_cross_entropy", rng=0)
    net.set_params([np.array([[1.0, 10.0]]), np.zeros(2), np.eye(2), np.zeros(2)])
    stats = activation_stats(net, np.array([[0.3], [0.5]]), tail=0.01)
    assert (
        stats[0].dead == 0.5 and stats[0].saturated == 0.5
    )  # unit 1: tanh(3), tanh(5) > 0.98; unit 0: tanh(.3), tanh(.5) not
    assert math.isnan(stats[1].dead) and "cannot saturate" in str(stats[1])  # softmax


@pytest.mark.parametrize("tail, error", [(0, ValueError), (0.5, ValueError), ("x", TypeError), (math.nan, ValueError)])
def test_activation_stats_refuses_a_bad_tail(tail, error):
    with pytest.raises(error, match="activation_stats: tail"):
        activation_stats(_net(), _data()[0], tail=tail)


def test_activation_stats_refuses_bad_inputs():
    with pytest.raises(TypeError, match="activation_stats: net must be an nnlib Network"):
        activation_stats(None, _data()[0])
    with pytest.raises(ValueError, match="expected X of shape"):
        activation_stats(_net(), np.ones((2, 5)))


# --- buggy_run -----------------------------------------------------------------------------------


def _digits_like(seed=0, n=300, n_val=100):
    """Ten well separated clusters in [0, 1]^20: a quick stand-in for the digits."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 1, size=(10, 20))
    y, y_val = rng.integers(0, 10, n), rng.integers(0, 10, n_val)
    noise = 0.05
    X = np.clip(centres[y] + noise * rng.normal(size=(n, 20)), 0, 1)
    X_val = np.clip(centres[y_val] + noise * rng.normal(size=(n_val, 20)), 0, 1)
    return X, y, X_val, y_val


@pytest.fixture(scope="module")
def runs():
    data = _digits_like()
    return {bug: buggy_run(bug, *data, epochs=8, rng=0) for bug in BUGS}


def test_buggy_run_is_reproducible():
    data = _digits_like()
    a, b = (buggy_run("labels off by one", *data, epochs=2, rng=5) for _ in range(2))
    assert a.history.as_dict() == b.history.as_dict() and a.summary() == b.summary()


def test_each_planted_bug_leaves_its_evidence(runs):
    ln10 = math.log(10)
    base = runs["none"]
    assert base.initial_loss == pytest.approx(ln10, abs=0.3) and base.history.val_accuracy[-1] > 0.8
    # labels off by one: fits the training set, and is right on (almost) no validation image
    off = runs["labels off by one"]
    assert off.history.accuracy[-1] > 0.8 and off.history.val_accuracy[-1] < 0.05
    # unnormalised inputs: pixels up to 255, every sigmoid saturated before any step
    raw = runs["unnormalised inputs"]
    assert raw.input_range[1] > 200 and raw.stats_before[0].saturated > 0.9
    # dead relus: every hidden unit dead, the first layer never moves
    dead = runs["dead relus"]
    assert dead.stats_before[0].dead == 1.0 and dead.norms.update_norms[:, 0].max() == 0
    # train and test mixed: the validation numbers repeat the training numbers
    mixed = runs["train and test mixed"]
    np.testing.assert_allclose(mixed.history.val_loss, mixed.history.loss, rtol=0.2)
    # mislabelled data: worse on the training labels than on the clean validation labels
    noisy = runs["mislabelled data"]
    assert noisy.history.accuracy[-1] < noisy.history.val_accuracy[-1]
    # unshuffled data: the network mostly predicts the classes it saw last
    assert runs["unshuffled data"].predicted[-3:].sum() > 0.5 * runs["unshuffled data"].predicted.sum()
    # learning rate too high: the first steps are far larger than the baseline's, the loss rises above its start
    too_high = runs["learning rate too high"]
    assert (too_high.norms.update_norms[0] > 10 * base.norms.update_norms[0]).all()
    assert min(too_high.history.loss) > too_high.initial_loss


def test_buggy_run_refuses_bad_arguments():
    X, y, X_val, y_val = _digits_like(n=20, n_val=10)
    with pytest.raises(ValueError, match="bug must be one of 'none', 'learning rate too high'"):
        buggy_run("typo", X, y, X_val, y_val)
    with pytest.raises(ValueError, match="y must be a 1-D array of 20 integer labels"):
        buggy_run("none", X, y[:5], X_val, y_val)
    with pytest.raises(ValueError, match="y_val must hold integer labels"):
        buggy_run("none", X, y, X_val, y_val - 1.5)
    with pytest.raises(ValueError, match="same number of columns"):
        buggy_run("none", X, y, X_val[:, :3], y_val)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        buggy_run("none", X, y, X_val, y_val, epochs=0)
