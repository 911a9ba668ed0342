"""Exact numbers at the edges: the sigmoid's tails, losses at saturated outputs, targets that
are not distributions, and a gradient check that tells saturation, clipping and kinks from a bug."""

import warnings
from decimal import Decimal, getcontext

import numpy as np
import pytest

from nnlib import Network
from nnlib import activations as A
from nnlib import losses as L
from nnlib.gradcheck import GradientCheckWarning, UnsuitablePoint, check_gradients

getcontext().prec = 50


def _exact_sigmoid(z: float) -> float:
    return float(1 / (1 + (-Decimal(float(z))).exp()))


# --- the sigmoid --------------------------------------------------------------------------


def test_sigmoid_has_full_relative_precision_on_both_tails():
    z = np.concatenate([np.linspace(-745, 745, 1491), np.linspace(-40, 40, 801)])
    exact = np.array([_exact_sigmoid(v) for v in z])
    got = A.sigmoid(z)
    normal = exact >= np.finfo(float).tiny  # below that the result is subnormal: fewer digits exist
    rel = np.abs(got[normal] - exact[normal]) / exact[normal]
    assert rel.max() <= 2 * np.finfo(float).eps
    assert A.sigmoid(np.array([-40.0]))[0] == pytest.approx(4.248354255291589e-18, rel=1e-15)  # was exactly 0
    np.testing.assert_array_equal(got[~normal], exact[~normal])  # subnormals and 0 too
    near = z >= -700  # alone, these take the short path (no e^z below -707): the same numbers
    np.testing.assert_array_equal(A.sigmoid(z[near]), got[near])


def test_sigmoid_float32_tails_and_scalars():
    z = np.linspace(-100, 100, 2001).astype(np.float32)
    exact = np.array([_exact_sigmoid(v) for v in z])
    got = A.sigmoid(z)
    assert got.dtype == np.float32
    ok = exact >= np.finfo(np.float32).tiny
    assert (np.abs(got[ok] - exact[ok]) / exact[ok]).max() <= 2 * np.finfo(np.float32).eps
    assert isinstance(A.sigmoid(-40.0), np.floating) and A.sigmoid(-40.0) == pytest.approx(4.248354255291589e-18)


def test_sigmoid_is_exactly_1_far_right_monotonic_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning anywhere, even at +-inf
        right = A.sigmoid(np.array([38.0, 50.0, 709.0, 710.0, 1e308, np.inf]))
        right32 = A.sigmoid(np.array([18.0, 50.0, 1e38, np.inf], dtype=np.float32))
        z = np.sort(np.random.default_rng(0).normal(0, 30, 100_000))
        got = A.sigmoid(z)
    np.testing.assert_array_equal(right, 1.0)  # 1 - e^-38 rounds to 1 in float64
    np.testing.assert_array_equal(right32, np.float32(1.0))
    assert (np.diff(got) >= 0).all()  # never decreases
    assert np.isnan(A.sigmoid(np.array([np.nan]))[0]) and A.sigmoid(np.array([-np.inf]))[0] == 0.0


def test_sigmoid_prime_keeps_the_digits_of_tiny_derivatives():
    for z in (-700.0, -40.0, -3.0, 0.5, 30.0, 40.0, 700.0):
        e = (-Decimal(z)).exp()
        exact = float(e / (1 + e) ** 2)
        assert A.sigmoid_prime(np.array([z]))[0] == pytest.approx(exact, rel=1e-14), z


# --- losses from z, and targets -----------------------------------------------------------


@pytest.mark.parametrize("loss,act", [("binary_cross_entropy", "sigmoid"), ("categorical_cross_entropy", "softmax")])
def test_loss_from_z_equals_the_clipped_loss_away_from_saturation(loss, act):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(6, 3))
    y = np.eye(3)[[0, 2, 1, 1, 0, 2]] if act == "softmax" else rng.uniform(size=(6, 3))
    cost = L.get_loss(loss)
    activation = A.get_activation(act)
    a = activation(z)
    assert cost.output_value(activation, z, a, y) == pytest.approx(cost(a, y), rel=1e-13)


def test_binary_cross_entropy_from_z_is_exact_where_the_output_saturates():
    z, y = np.array([[-40.0, 40.0, 800.0]]), np.array([[1.0, 0.0, 0.0]])
    value = L.binary_cross_entropy_from_z(z, y)
    assert value == pytest.approx(40.0 + 40.0 + 800.0, rel=1e-15)  # the clipped formula gives 3 * 27.6
    assert L.binary_cross_entropy(A.sigmoid(z), y) < 85


def test_categorical_targets_must_be_distributions():
    net = Network([2, 3], loss="categorical_cross_entropy", rng=0)
    X = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"Y must have rows that are probability distributions.*row 1 sums to 2\.0"):
        net.fit(X, [[1, 0, 0], [1, 1, 0]], progress=False)
    with pytest.raises(ValueError, match=r"Y must have rows that are probability distributions.*got -0\.5 at row 0"):
        net.gradients(X, [[1.5, -0.5, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match="Y_val must have rows that are probability distributions"):
        net.fit(X, [[1, 0, 0], [0, 1, 0]], validation_data=(X, np.zeros((2, 3))), progress=False)
    one = Network([2, 1], loss="categorical_cross_entropy", rng=0)  # softmax of one output is always 1
    with pytest.raises(ValueError, match="row 0 sums to 0.0"):
        one.loss_value(X, [[0.0], [1.0]])


def test_binary_targets_must_be_probabilities():
    net = Network([2, 1], loss="binary_cross_entropy", rng=0)
    with pytest.raises(ValueError, match=r"Y must hold probabilities in \[0, 1\].*got -1\.0 at row 1.*\(Y \+ 1\) / 2"):
        net.evaluate(np.zeros((2, 2)), [[1.0], [-1.0]])


def test_softmax_cross_entropy_gradient_is_right_for_any_distribution():
    rng = np.random.default_rng(2)
    net = Network([3, 4, 5], loss="categorical_cross_entropy", init="xavier", rng=rng)
    X = rng.normal(size=(6, 3))
    Y = rng.dirichlet(np.ones(5), size=6).astype(np.float32).astype(np.float64)  # rows sum to 1 only to ~1e-7
    assert np.abs(Y.sum(axis=1) - 1).max() > 1e-9
    assert check_gradients(net, X, Y) < 1e-7
    one_hot = np.eye(5)[[0, 1, 2, 3, 4, 0]]  # the usual targets: delta is a - y, bit for bit
    net.forward(X)
    out = net.layers[-1]
    np.testing.assert_array_equal(net.loss.output_delta(out.activation, out.Z, out.A, one_hot), out.A - one_hot)


# --- gradient checks at saturation --------------------------------------------------------


@pytest.mark.parametrize("x,y", [(-1.0, 1.0), (1.0, 0.0), (-1.0, 0.0), (1.0, 1.0)])
def test_gradient_check_at_a_saturated_sigmoid_output(x, y):
    net = Network([1, 1], loss="binary_cross_entropy", rng=0)
    net.set_params([np.array([[40.0]]), np.array([0.0])])  # z = +-40: sigma(-40) used to be exactly 0
    assert check_gradients(net, np.array([[x]]), np.array([[y]])) < 1e-8


def test_gradient_check_at_a_saturated_softmax_and_hidden_layer():
    net = Network([2, 3], loss="categorical_cross_entropy", rng=0)
    net.set_params([np.array([[50.0, -50.0, 0.0], [0.0, 0.0, 0.0]]), np.zeros(3)])
    X, Y = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    assert check_gradients(net, X, Y) < 1e-8
    deep = Network([2, 3, 1], loss="binary_cross_entropy", rng=0)
    W0, b0, W1, b1 = deep.get_params()
    deep.set_params([60 * W0, b0, W1, b1])
    assert check_gradients(deep, np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[1.0], [0.0]])) < 1e-8


def test_gradient_check_says_when_nothing_can_be_checked():
    net = Network([1, 1], loss="quadratic", rng=0)  # sigmoid output at z = 30: sigma' ~ 1e-13, below the noise
    net.set_params([np.array([[30.0]]), np.array([0.0])])
    with pytest.raises(UnsuitablePoint, match="no gradient is larger than the rounding noise"):
        check_gradients(net, np.array([[1.0]]), np.array([[0.0]]))


def test_gradient_check_leaves_out_a_saturated_layer_with_a_warning():
    rng = np.random.default_rng(3)
    net = Network([2, 2, 1], activation="sigmoid", output_activation="identity", rng=rng)
    net.set_params([np.array([[20.0, 22.0], [16.0, 12.0]]), np.zeros(2), np.array([[0.7], [-0.4]]), np.array([0.1])])
    X, Y = np.array([[1.0, 0.5], [0.8, 1.2]]), np.array([[0.3], [-0.2]])
    with pytest.warns(GradientCheckWarning, match="W0"):
        assert check_gradients(net, X, Y) < 1e-8  # W1 and b1 are checked; W0, b0 cannot be


def test_gradient_check_names_clipping_and_kinks_but_still_finds_a_bug(monkeypatch):
    clipped = Network([2, 2], output_activation="softmax", loss="binary_cross_entropy", rng=0)
    clipped.set_params([np.array([[60.0, -60.0], [0.0, 0.0]]), np.zeros(2)])
    X, Y = np.array([[1.0, 0.0], [0.2, 0.5]]), np.array([[0.0, 1.0], [0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GradientCheckWarning)
        try:
            check_gradients(clipped, X, Y)
        except UnsuitablePoint as e:
            assert "clips the output" in str(e)
    kinked = Network([1, 1, 1], activation="relu", rng=0)
    kinked.set_params([np.array([[1.0]]), np.array([-1.0]), np.array([[1.0]]), np.array([0.0])])  # z = 0 exactly
    with pytest.raises(UnsuitablePoint, match="kink of relu at z = 0"):
        check_gradients(kinked, np.array([[1.0]]), np.array([[2.0]]))
    import nnlib.layers

    backward = nnlib.layers.Dense.backward

    def buggy(self, delta, need_input_grad=True):
        out = backward(self, delta, need_input_grad)
        self.dW = 1.5 * self.dW
        return out

    monkeypatch.setattr(nnlib.layers.Dense, "backward", buggy)
    net = Network([2, 3, 1], rng=0)
    assert check_gradients(net, np.array([[0.1, 0.2], [0.3, -0.1]]), np.array([[1.0], [0.0]])) > 0.1


def test_gradient_check_refuses_float32_and_bad_steps():
    with pytest.raises(ValueError, match="needs a float64 network"):
        check_gradients(Network([2, 1], rng=0, dtype=np.float32), np.zeros((1, 2)), np.zeros((1, 1)))
    with pytest.raises(ValueError, match="h must be a positive finite number"):
        check_gradients(Network([2, 1], rng=0), np.zeros((1, 2)), np.zeros((1, 1)), h=0)
