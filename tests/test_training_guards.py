"""fit guards the weights: a check after every step, the last finite weights kept for real,
interrupted fits that leave whole steps only, and empty or non-finite data refused up front."""

import os
import signal

import numpy as np
import pytest

import nnlib
from nnlib import SGD, Network


def _line(**kwargs):
    net = Network([1, 1], activation="identity", loss="quadratic", rng=0, **kwargs)
    net.set_params([np.array([[0.5]]), np.array([0.1])])
    return net


# The third example is so large that the third step's gradient overflows: the last batch of the epoch.
X_BLOWUP = np.array([[1.0], [2.0], [1e200]])
Y_BLOWUP = np.array([[1.0], [2.0], [3.0]])


def _after_two_steps():
    net = _line()
    net.fit(X_BLOWUP[:2], Y_BLOWUP[:2], epochs=1, batch_size=1, lr=0.1, shuffle=False, progress=False)
    return net.get_params()


@pytest.mark.parametrize("train_metrics", [False, True])
def test_divergence_on_the_last_batch_of_an_epoch_keeps_the_last_finite_weights(train_metrics):
    net = _line()
    with pytest.raises(nnlib.TrainingDiverged, match=r"epoch 1, batch 3.*keeps its last finite weights"):
        net.fit(
            X_BLOWUP,
            Y_BLOWUP,
            epochs=1,
            batch_size=1,
            lr=0.1,
            shuffle=False,
            train_metrics=train_metrics,
            progress=False,
        )
    for got, want in zip(net.get_params(), _after_two_steps()):  # the weights of the last completed step
        np.testing.assert_array_equal(got, want)


def test_an_epoch_never_starts_from_infinite_weights():
    net = _line()
    with pytest.raises(nnlib.TrainingDiverged, match="epoch 1, batch 3"):
        net.fit(X_BLOWUP, Y_BLOWUP, epochs=3, batch_size=1, lr=0.1, shuffle=False, train_metrics=False, progress=False)
    assert all(np.isfinite(p).all() for p in net.get_params())


def test_a_step_that_would_overflow_the_weights_is_not_taken():
    net = _line()
    net.set_params([np.array([[1e308]]), np.array([-1.5e308])])  # z = -0.5e308, delta = z - y = -1e308
    with pytest.raises(nnlib.TrainingDiverged, match="would have made a weight infinite"):  # w + 1e308 = inf
        net.fit(np.array([[1.0]]), np.array([[0.5e308]]), epochs=1, batch_size=1, lr=1.0, progress=False)
    np.testing.assert_array_equal(net.get_params()[0], [[1e308]])


def test_a_loss_that_overflows_with_finite_weights_stops_training():
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    net = _line()
    net.set_params([np.array([[0.5]]), np.array([1e160])])  # a step is fine, the loss (1e160)^2 / 2 is not
    with pytest.raises(nnlib.TrainingDiverged, match="after epoch 1: the loss became NaN or infinite"):
        net.fit(X, Y, epochs=1, lr=0.1, train_metrics=True, progress=False)
    net.set_params([np.array([[0.5]]), np.array([1e160])])
    with pytest.raises(nnlib.TrainingDiverged, match="after epoch 1: the validation loss is NaN or infinite"):
        net.fit(X, Y, epochs=1, lr=0.1, validation_data=(X, Y), train_metrics=False, progress=False)
    assert all(np.isfinite(p).all() for p in net.get_params())


def _stopped_after(steps):
    """The weights after exactly `steps` optimiser steps (a callback stops the fit)."""

    class Stop(nnlib.Callback):
        def on_batch_end(self, state):
            state.stop = state.step >= steps

    net = Network([3, 4, 2], rng=1)
    X, Y = _data()
    net.fit(
        X, Y, epochs=1, batch_size=2, optimizer=SGD(lr=0.5, momentum=0.9), callbacks=[Stop()], progress=False, rng=0
    )
    return net.get_params()


def _data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(8, 3)), rng.uniform(size=(8, 2))


def test_keyboard_interrupt_from_a_callback_leaves_the_last_completed_step():
    class Interrupt(nnlib.Callback):
        def on_batch_end(self, state):
            if state.step == 3:
                raise KeyboardInterrupt

    net = Network([3, 4, 2], rng=1)
    with pytest.raises(KeyboardInterrupt):
        net.fit(*_data(), epochs=1, batch_size=2, optimizer=SGD(lr=0.5, momentum=0.9), callbacks=[Interrupt()], rng=0)
    for got, want in zip(net.get_params(), _stopped_after(3)):
        np.testing.assert_array_equal(got, want)


class _CtrlCDuringUpdate(np.ndarray):
    """A weight array that receives Ctrl-C (SIGINT) while it is being updated in place."""

    armed = None  # the array to interrupt, once

    def _interrupt(self):
        if self is _CtrlCDuringUpdate.armed:
            _CtrlCDuringUpdate.armed = None
            os.kill(os.getpid(), signal.SIGINT)

    def __iadd__(self, other):
        self._interrupt()
        return super().__iadd__(other)

    def __isub__(self, other):
        self._interrupt()
        return super().__isub__(other)


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="needs POSIX signals")
def test_ctrl_c_during_an_optimiser_step_waits_for_the_whole_step():
    net = Network([3, 4, 2], rng=1)
    net.layers[1].W = _CtrlCDuringUpdate.armed = net.layers[1].W.view(_CtrlCDuringUpdate)  # the 2nd layer's update
    with pytest.raises(KeyboardInterrupt):
        net.fit(*_data(), epochs=1, batch_size=2, optimizer=SGD(lr=0.5, momentum=0.9), progress=False, rng=0)
    for got, want in zip(net.get_params(), _stopped_after(1)):  # the first step, whole: W1 and b1 updated too
        np.testing.assert_array_equal(got, want)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # fit put Python's handler back


# --- empty and non-finite data -------------------------------------------------------------


def test_empty_data_is_refused_before_any_work():
    net = Network([2, 3, 1], rng=0)
    before = net.get_params()
    X, Y = np.zeros((4, 2)), np.zeros((4, 1))
    with pytest.raises(ValueError, match=r"expected X with at least one row.*shape \(0, 2\)"):
        net.fit(np.zeros((0, 2)), np.zeros((0, 1)), progress=False)
    with pytest.raises(ValueError, match=r"expected X_val with at least one row"):
        net.fit(X, Y, validation_data=(np.zeros((0, 2)), np.zeros((0, 1))), progress=False)
    for got, want in zip(net.get_params(), before):  # the refused fit trained nothing
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match="at least one row"):
        net.loss_value(np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="at least one row"):
        net.evaluate(np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match="at least one row"):
        net.gradients(np.zeros((0, 2)), np.zeros((0, 1)))
    for method in (net.predict, net.classify):
        with pytest.raises(ValueError, match=r"expected X with at least one row \(example\), got .* \(0, 2\)"):
            method(np.zeros((0, 2)))


def test_non_finite_weights_are_refused():
    net = Network([2, 1], rng=0)
    with pytest.raises(ValueError, match=r"W0 \(layer 0.*must hold finite numbers.*nan"):
        net.set_params([np.array([[np.nan], [1.0]]), np.array([0.0])])
    with pytest.raises(ValueError, match=r"b0 .*must hold finite numbers \(float32\)"):
        Network([2, 1], rng=0, dtype=np.float32).set_params([np.ones((2, 1)), np.array([1e300])])
    net.layers[0].W[0, 0] = np.inf  # behind nnlib's back
    with pytest.raises(ValueError, match=r"fit: .*has NaN or inf in W0 at \(0, 0\) before training"):
        net.fit(np.zeros((2, 2)), np.zeros((2, 1)), progress=False)


def test_huge_inputs_give_a_clear_error_not_inf_or_nan():
    net = Network([2, 3, 1], activation="relu", output_activation="identity", rng=0)
    net.set_params([np.full((2, 3), 1e10), np.zeros(3), np.ones((3, 1)), np.zeros(1)])
    X, Y = np.array([[1e300, 1e300]]), np.array([[0.0]])  # z = 2e310 in the hidden layer: inf
    for call in (net.predict, lambda X: net.loss_value(X, Y), lambda X: net.evaluate(X, Y)):
        with pytest.raises(
            ValueError,
            match=r"overflowed float64 \(largest \|X\| = 1e\+300, (largest \|Y\| = 0, )?largest \|weight\| = 1e\+10\)",
        ):
            call(X)
    with pytest.raises(ValueError, match="the gradient dC/dW"):
        net.gradients(X, Y)
    sigmoid_net = Network([2, 1], rng=0)  # a sigmoid saturates: a finite, right answer
    assert np.isfinite(sigmoid_net.predict(X)).all()
    with pytest.raises(ValueError, match="too large for float32"):
        Network([2, 1], rng=0, dtype=np.float32).predict(np.array([[1e300, 0.0]]))


def test_weights_poisoned_by_a_callback_stop_training_with_the_truth():
    class Poison(nnlib.Callback):
        def on_batch_end(self, state):
            state.net.layers[0].W[0, 0] = np.inf  # a sigmoid hides it: every delta stays finite

    net = Network([2, 3, 1], rng=0)
    with pytest.raises(nnlib.TrainingDiverged, match="changed outside fit's optimiser step.*not finite numbers any"):
        net.fit(X_BLOWUP[:, [0, 0]] * 0 + 1, Y_BLOWUP / 3, epochs=1, callbacks=[Poison()], progress=False)
