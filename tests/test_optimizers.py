"""RMSProp, Adam (with AdamW's decoupled weight decay), the learning-rate schedules, Dropout and the
train/eval modes: each against a step worked by hand (the arithmetic is in the comments), dropout's
gradient checked by finite differences with a fixed mask, and a network with dropout saved and loaded."""

import math

import numpy as np
import pytest

import nnlib
from nnlib import (
    SGD,
    Adam,
    CosineDecay,
    Dropout,
    LearningRateSchedule,
    Network,
    RMSProp,
    StepDecay,
    numerical_gradient,
)


class _Layer:
    """Just what an optimiser reads: W, b and their gradients dW, db."""

    def __init__(self, W, b, dW, db):
        self.W, self.b = np.array(W, dtype=float), np.array(b, dtype=float)
        self.dW, self.db = np.array(dW, dtype=float), np.array(db, dtype=float)


def _one(dW=2.0, db=-1.0):
    return _Layer([[1.0]], [0.5], [[dW]], [db])


# --- RMSProp -------------------------------------------------------------------------------


def test_rmsprop_two_steps_by_hand():
    opt, L = RMSProp(lr=0.1, rho=0.9, eps=1e-12), _one()
    opt.step([L])
    # s = 0.1 * 2^2 = 0.4;  W = 1 - 0.1 * 2 / sqrt(0.4) = 1 - 0.316227766 = 0.683772234
    # s_b = 0.1 * 1 = 0.1;  b = 0.5 + 0.1 * 1 / sqrt(0.1) = 0.5 + 0.316227766 = 0.816227766
    assert L.W[0, 0] == pytest.approx(0.683772234, abs=1e-9)
    assert L.b[0] == pytest.approx(0.816227766, abs=1e-9)
    opt.step([L])
    # s = 0.9 * 0.4 + 0.4 = 0.76;  step = 0.2 / sqrt(0.76) = 0.229415734
    assert L.W[0, 0] == pytest.approx(0.683772234 - 0.229415734, abs=1e-9)


def test_rmsprop_updates_change_nothing_until_applied():
    opt, L = RMSProp(lr=0.1), _one()
    first = opt.updates([L])
    again = opt.updates([L])
    assert all(np.array_equal(a, b) for a, b in zip(first, again))  # no state kept by updates()
    assert L.W[0, 0] == 1.0 and L.dW[0, 0] == 2.0


# --- Adam ----------------------------------------------------------------------------------


def test_adam_first_step_is_lr_times_the_sign_thanks_to_bias_correction():
    opt, L = Adam(lr=0.1, eps=1e-12), _one()
    opt.step([L])
    # m = 0.1 * 2 = 0.2, v = 0.001 * 4 = 0.004; m^ = 0.2 / 0.1 = 2, v^ = 0.004 / 0.001 = 4
    # W = 1 - 0.1 * 2 / sqrt(4) = 0.9 ; b = 0.5 - 0.1 * (-1) / 1 = 0.6
    # (without the correction the step would be 0.1 * 0.2 / sqrt(0.004) = 0.316)
    assert L.W[0, 0] == pytest.approx(0.9, abs=1e-10)
    assert L.b[0] == pytest.approx(0.6, abs=1e-10)
    assert opt.t == 1


def test_adam_second_step_by_hand():
    opt, L = Adam(lr=0.1, eps=1e-12), _one()
    opt.step([L])
    L.dW[0, 0] = 1.0
    opt.step([L])
    # m = 0.9 * 0.2 + 0.1 * 1 = 0.28, m^ = 0.28 / (1 - 0.81) = 1.473684211
    # v = 0.999 * 0.004 + 0.001 * 1 = 0.004996, v^ = 0.004996 / (1 - 0.998001) = 2.499249625
    # step = 0.1 * 1.473684211 / sqrt(2.499249625) = 0.1 * 1.473684211 / 1.580901522 = 0.093217970
    assert L.W[0, 0] == pytest.approx(0.9 - 0.093217970, abs=1e-8)
    assert opt.t == 2


def test_adamw_decays_the_weights_outside_the_adaptive_step():
    opt, L = Adam(lr=0.1, eps=1e-12, weight_decay=0.5), _one()
    opt.step([L])
    # W = 1 - 0.1 * 1 (Adam's first step) - 0.1 * 0.5 * 1 (decay) = 0.85 ; the bias is not decayed
    assert L.W[0, 0] == pytest.approx(0.85, abs=1e-10)
    assert L.b[0] == pytest.approx(0.6, abs=1e-10)


def test_l2_in_the_loss_goes_through_adams_scaling():
    opt, L = Adam(lr=0.1, eps=1e-12, l2=0.5), _one()
    opt.step([L])
    # g = 2 + 0.5 * 1 = 2.5, and Adam's first step is 0.1 * g / |g| = 0.1: the penalty's push is divided away
    assert L.W[0, 0] == pytest.approx(0.9, abs=1e-10)
    assert opt.penalty([L]) == pytest.approx(0.25 * 0.9**2)


def test_adam_reset_and_state_kept_only_by_apply():
    opt, L = Adam(lr=0.1), _one()
    opt.updates([L])
    assert opt.t == 0
    opt.step([L])
    opt.reset()
    assert opt.t == 0
    opt.step([L])
    assert L.W[0, 0] == pytest.approx(0.8, abs=1e-6)  # a first step again: 0.1 * sign


@pytest.mark.parametrize("make", [lambda: Adam(lr=0.01), lambda: RMSProp(lr=0.01), lambda: SGD(0.5, momentum=0.9)])
def test_every_optimizer_trains_a_network_with_fit(make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    net = Network([2, 8, 1], activation="tanh", loss="binary_cross_entropy", rng=1)
    h = net.fit(X, Y, epochs=30, batch_size=10, optimizer=make(), progress=False, rng=2)
    assert h.loss[-1] < h.loss[0]
    assert all(np.isfinite(p).all() for p in net.get_params())


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: Adam(lr=0), "Adam: learning rate lr must be a positive"),
        (lambda: Adam(beta1=1.0), "Adam: beta1 must be in [0, 1)"),
        (lambda: Adam(beta2="0.9"), "Adam: beta2 must be a number"),
        (lambda: Adam(weight_decay=-1), "Adam: weight_decay must be a non-negative"),
        (lambda: RMSProp(rho=1.5), "RMSProp: rho must be in [0, 1)"),
        (lambda: RMSProp(eps=0), "RMSProp: eps must be a positive"),
        (lambda: StepDecay(0.1, every=0), "StepDecay: every must be a positive integer"),
        (lambda: CosineDecay(0.1, total=10, warmup=10), "CosineDecay: warmup (10) must be less than total"),
        (lambda: CosineDecay(0.1, total=10)(-1), "CosineDecay: step must be a non-negative integer"),
        (lambda: Dropout(1.0), "Dropout: rate must be in [0, 1)"),
        (lambda: Dropout("half"), "Dropout: rate must be a number"),
        (lambda: Network([2, 3, 1], dropout=[0.1, 0.2]), "one per hidden layer (1 for sizes=[2, 3, 1]), got 2"),
        (lambda: Network([2, 3, 1], dropout=1.0), "Network: dropout rates must be in [0, 1)"),
        (lambda: LearningRateSchedule(0.1), "LearningRateSchedule: schedule must be a function"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises((TypeError, ValueError)) as e:
        call()
    assert message in str(e.value)


# --- schedules -----------------------------------------------------------------------------


def test_cosine_with_warmup_by_hand():
    f = CosineDecay(1.0, total=10, warmup=2)
    # warm-up: (t + 1) / 2 ; then p = (t - 2) / 8 and (1 + cos(pi p)) / 2
    assert f(0) == pytest.approx(0.5)
    assert f(1) == pytest.approx(1.0)
    assert f(2) == pytest.approx(1.0)  # p = 0
    assert f(4) == pytest.approx((1 + math.cos(math.pi / 4)) / 2)  # p = 1/4: 0.853553
    assert f(4) == pytest.approx(0.8535534, abs=1e-7)
    assert f(6) == pytest.approx(0.5)  # p = 1/2
    assert f(10) == pytest.approx(0.0, abs=1e-15) and f(50) == pytest.approx(0.0, abs=1e-15)
    assert CosineDecay(1.0, total=10, min_lr=0.1)(10) == pytest.approx(0.1)


def test_step_decay_by_hand():
    f = StepDecay(0.1, every=1000)
    assert [f(0), f(999), f(1000), f(2500)] == pytest.approx([0.1, 0.1, 0.01, 0.001])
    g = StepDecay(0.1, every=2, gamma=0.5, warmup=4)
    assert [g(t) for t in range(8)] == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1, 0.05, 0.05])


def test_learning_rate_schedule_sets_the_rate_of_every_step():
    X = np.linspace(-1, 1, 20)[:, None]
    net = Network([1, 3, 1], rng=0)
    seen = []
    opt = SGD(lr=1.0)
    schedule = CosineDecay(0.5, total=8, warmup=2)
    sched = LearningRateSchedule(schedule)
    net.fit(X, X**2, epochs=2, batch_size=5, optimizer=opt, progress=False, rng=0,
            callbacks=[sched, nnlib.LambdaCallback(lambda s: seen.append(s.optimizer.lr))])  # fmt: skip
    assert sched.lrs == pytest.approx([schedule(t) for t in range(8)])
    # after epoch 1: the rate of the next step; after the last step the rate is left as it was
    assert seen == pytest.approx([schedule(4), schedule(7)])


def test_a_scheduled_run_equals_the_same_steps_by_hand():
    X = np.linspace(-1, 1, 8)[:, None]
    a, b = Network([1, 3, 1], rng=0), Network([1, 3, 1], rng=0)
    schedule = StepDecay(0.8, every=2, gamma=0.5)
    a.fit(X, X**2, epochs=1, batch_size=2, optimizer=SGD(lr=1.0), shuffle=False, progress=False,
          callbacks=[LearningRateSchedule(schedule)])  # fmt: skip
    for t in range(4):
        b.forward(X[2 * t : 2 * t + 2])
        b.backward(X[2 * t : 2 * t + 2] ** 2)
        SGD(lr=schedule(t)).step(b.layers)
    assert all(np.allclose(p, q) for p, q in zip(a.get_params(), b.get_params()))


# --- Dropout and the train/eval modes ------------------------------------------------------


def test_dropout_keeps_the_expected_value_and_honours_its_rng():
    A = np.ones((400, 50))
    out = Dropout(0.25, rng=0).forward(A)
    assert set(np.unique(out)) == {0.0, 4 / 3}  # dropped, or kept and scaled by 1 / (1 - 0.25)
    assert abs((out == 0).mean() - 0.25) < 0.01
    assert abs(out.mean() - 1.0) < 0.02
    assert np.array_equal(out, Dropout(0.25, rng=0).forward(A))
    assert not np.array_equal(out, Dropout(0.25, rng=1).forward(A))
    d = Dropout(0.25, rng=0)
    assert d.forward(A, training=False) is A and d.mask is None


def test_dropout_backward_uses_the_forward_mask():
    d = Dropout(0.5, rng=3)
    A = np.arange(12.0).reshape(3, 4) + 1
    G = np.full((3, 4), 2.0)
    out = d.forward(A)
    assert np.array_equal(d.backward(G), np.where(out == 0, 0.0, 4.0))  # 2 * (0 or 1 / 0.5)
    with pytest.raises(ValueError, match=r"expected a gradient of shape \(3, 4\)"):
        d.backward(np.ones((2, 4)))


def test_network_gradients_with_dropout_match_finite_differences_with_a_fixed_mask():
    rng = np.random.default_rng(0)
    X, labels = rng.normal(size=(6, 3)), rng.integers(0, 2, 6)
    Y = np.eye(2)[labels]
    net = Network([3, 5, 4, 2], activation="tanh", loss="categorical_cross_entropy", rng=1, dropout=[0.5, 0.3])
    net.train()

    def fixed_masks():  # the same masks at every forward pass
        for i, d in enumerate(net.dropouts):
            d.rng = np.random.default_rng(10 + i)

    fixed_masks()
    analytic = net.gradients(X, Y)
    assert any((d.mask == 0).any() for d in net.dropouts)  # some units really were dropped

    def cost():
        fixed_masks()
        net.forward(X)
        return net.output_cost(Y)

    params = [p for layer in net.layers for p in (layer.W, layer.b)]
    for p, g in zip(params, analytic):
        assert np.allclose(numerical_gradient(cost, p), g, rtol=1e-6, atol=1e-9)
    fixed_masks()
    assert not np.allclose(net.eval().gradients(X, Y)[0], analytic[0])  # without the masks: other gradients


def test_train_and_eval_modes():
    X = np.random.default_rng(0).normal(size=(5, 4))
    net = Network([4, 20, 3], rng=0, dropout=0.5)
    assert net.training is False and net.dropout_rates == [0.5]
    plain = Network([4, 20, 3], rng=0)
    assert all(np.array_equal(p, q) for p, q in zip(net.get_params(), plain.get_params()))  # same weights
    assert np.array_equal(net.forward(X), plain.forward(X))  # evaluation: no dropout
    net.train()
    assert not np.array_equal(net.forward(X), plain.forward(X))
    # predict, classify, evaluate and loss_value evaluate, whatever the mode
    assert np.array_equal(net.predict(X), plain.predict(X))
    assert net.loss_value(X, plain.predict(X)) == plain.loss_value(X, plain.predict(X))
    assert net.training is True
    assert net.train(False) is net and net.training is False
    with pytest.raises(TypeError, match="mode must be True or False"):
        net.train("yes")


def test_fit_trains_with_dropout_and_measures_without():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    Y = np.eye(3)[rng.integers(0, 3, 40)]
    net = Network([4, 16, 3], loss="categorical_cross_entropy", rng=0, dropout=0.5)
    h = net.fit(X, Y, epochs=2, optimizer=Adam(lr=0.01), validation_data=(X, Y), progress=False, rng=0)
    assert net.training is False  # fit leaves the mode as it was
    ev = net.evaluate(X, Y)
    assert h.loss[-1] == pytest.approx(ev["loss"])  # History's loss is measured in evaluation mode
    assert h.val_loss[-1] == pytest.approx(ev["loss"])
    # the same seeds give the same run, masks included
    again = Network([4, 16, 3], loss="categorical_cross_entropy", rng=0, dropout=0.5)
    again.fit(X, Y, epochs=2, optimizer=Adam(lr=0.01), validation_data=(X, Y), progress=False, rng=0)
    assert all(np.array_equal(p, q) for p, q in zip(net.get_params(), again.get_params()))
    # and dropout changes the run
    none = Network([4, 16, 3], loss="categorical_cross_entropy", rng=0)
    none.fit(X, Y, epochs=2, optimizer=Adam(lr=0.01), progress=False, rng=0)
    assert not np.allclose(none.get_params()[0], net.get_params()[0])


def test_save_and_load_a_network_with_dropout(tmp_path):
    net = Network([4, 6, 5, 2], rng=0, dropout=[0.2, 0.0])
    path = nnlib.save(net, tmp_path / "drop")
    back = nnlib.load(path)
    assert back.dropout_rates == [0.2, 0.0] and back.dropouts[1] is None
    X = np.random.default_rng(1).normal(size=(3, 4))
    assert np.array_equal(back.predict(X), net.predict(X))
    # a network without dropout is saved exactly as before: no dropout key in its config
    import json
    import zipfile

    with zipfile.ZipFile(nnlib.save(Network([4, 2], rng=0), tmp_path / "plain")) as z:
        assert "dropout" not in json.loads(str(np.lib.format.read_array(z.open("config.npy"))))


# --- Plain SGD on a Dense layer: the step from delta -----------------------------------------


def _dense_after_backward(dtype=np.float64):
    rng = np.random.default_rng(7)
    layer = nnlib.Dense(5, 3, "tanh", rng=rng, dtype=dtype)
    X = rng.standard_normal((4, 5)).astype(dtype)
    layer.forward(X)
    delta = rng.standard_normal((4, 3)).astype(dtype)
    layer.backward(delta)
    return layer, X, delta


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dense_gradients_are_the_batch_means_and_the_scaled_step_matches_them(dtype):
    layer, X, delta = _dense_after_backward(dtype)
    uW, ub = layer.scaled_gradients(-0.5)  # read before dW: the factor goes into delta
    eps = np.finfo(dtype).eps
    assert uW.dtype == ub.dtype == dtype
    assert np.array_equal(layer.dW, X.T @ (delta / 4)) and np.array_equal(layer.db, (delta / 4).sum(axis=0))
    np.testing.assert_allclose(uW, -0.5 * layer.dW, rtol=8 * eps, atol=8 * eps)
    np.testing.assert_allclose(ub, -0.5 * layer.db, rtol=8 * eps, atol=8 * eps)
    # once dW has been read, the step is exactly -eta times it
    uW, ub = layer.scaled_gradients(-0.5)
    assert np.array_equal(uW, -0.5 * layer.dW) and np.array_equal(ub, -0.5 * layer.db)


def test_plain_sgd_honours_a_gradient_changed_after_backward():
    layer, _, _ = _dense_after_backward()
    W0 = layer.W.copy()
    layer.dW[0, 0] = 10.0  # changed in place, not set: the step must still use it
    SGD(lr=0.1).step([layer])
    assert layer.W[0, 0] == W0[0, 0] - 0.1 * 10.0
    layer, _, _ = _dense_after_backward()
    b0 = layer.b.copy()
    layer.db = np.array([1.0, 2.0, 3.0])  # set
    SGD(lr=0.1).step([layer])
    assert np.array_equal(layer.b, b0 + np.array([1.0, 2.0, 3.0]) * -0.1)


def test_a_new_backward_pass_replaces_the_gradients():
    layer, X, delta = _dense_after_backward()
    layer.dW = np.zeros_like(layer.W)
    layer.backward(2 * delta)
    assert np.array_equal(layer.dW, X.T @ (2 * delta / 4))
