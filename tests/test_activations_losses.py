"""Activations and losses: values, derivatives, stability at extremes, name lookup."""

import warnings

import numpy as np
import pytest

from nnlib import activations as A
from nnlib import losses as L
from nnlib.gradcheck import relative_error

Z = np.array([[-3.0, -0.5, 0.0, 0.7, 2.5], [1.0, -2.0, 0.3, -0.1, 4.0]])
ELEMENTWISE = ["identity", "sigmoid", "tanh", "relu", "leaky_relu"]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    act = A.get_activation(name)
    h = 1e-6
    z = Z + 0.013  # keep away from the kink of ReLU at 0
    numeric = (act(z + h) - act(z - h)) / (2 * h)
    np.testing.assert_allclose(act.prime(z), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_backward_matches_finite_differences():
    act = A.get_activation("softmax")
    g = np.array([[0.3, -1.0, 0.2, 0.0, 2.0], [1.0, 0.5, -0.5, 0.1, 0.0]])
    h = 1e-6
    numeric = np.zeros_like(Z)
    for idx in np.ndindex(Z.shape):
        zp, zm = Z.copy(), Z.copy()
        zp[idx] += h
        zm[idx] -= h
        numeric[idx] = (np.sum(g * act(zp)) - np.sum(g * act(zm))) / (2 * h)
    assert relative_error(act.backward(Z, act(Z), g), numeric) < 1e-8


def test_known_values():
    assert A.sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_allclose(A.sigmoid(np.array([2.0])), 1 / (1 + np.exp(-2.0)), rtol=1e-15)
    np.testing.assert_array_equal(A.step(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(A.relu(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 2.0])
    np.testing.assert_allclose(A.leaky_relu(np.array([-1.0, 2.0])), [-0.01, 2.0])
    np.testing.assert_allclose(A.softmax(np.array([[0.0, np.log(3.0)]])), [[0.25, 0.75]])
    np.testing.assert_allclose(A.softmax(Z).sum(axis=1), 1.0)


@pytest.mark.parametrize("name", sorted(A.ACTIVATIONS))
def test_stable_at_large_z(name):
    act = A.get_activation(name)
    z = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        a, d = act(z), act.prime(z)
    assert np.isfinite(a).all() and np.isfinite(d).all()
    if name == "sigmoid":
        np.testing.assert_array_equal(a[0, [0, 4]], [0.0, 1.0])
    if name == "softmax":
        np.testing.assert_allclose(a, [[0, 0, 0, 0, 1]], atol=1e-300)


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'; valid names are: .*sigmoid.*tanh"):
        A.get_activation("sigmod")
    with pytest.raises(TypeError, match="activation must be a name"):
        A.get_activation(3)
    assert A.get_activation("ReLU").name == "relu" and A.get_activation("linear").name == "identity"


def test_loss_values_by_hand():
    a = np.array([[0.8, 0.2], [0.4, 0.6]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    # quadratic: mean over 2 examples of 1/2 * ||a - y||^2 = (0.5*0.08 + 0.5*0.32) / 2
    assert L.quadratic(a, y) == pytest.approx(0.1)
    assert L.categorical_cross_entropy(a, y) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    assert L.binary_cross_entropy(a, y) == pytest.approx(-(np.log(0.8) + np.log(0.8) + np.log(0.6) + np.log(0.6)) / 2)


@pytest.mark.parametrize("name", sorted(L.LOSSES))
def test_loss_gradient_matches_finite_differences(name):
    loss = L.get_loss(name)
    rng = np.random.default_rng(0)
    a = rng.uniform(0.1, 0.9, size=(4, 3))
    y = np.eye(3)[[0, 2, 1, 0]]
    h = 1e-7
    numeric = np.zeros_like(a)
    for idx in np.ndindex(a.shape):
        ap, am = a.copy(), a.copy()
        ap[idx] += h
        am[idx] -= h
        numeric[idx] = (loss(ap, y) - loss(am, y)) / (2 * h)
    # loss.grad is the per-example gradient; the batch mean divides by n
    assert relative_error(loss.grad(a, y) / a.shape[0], numeric) < 1e-6


@pytest.mark.parametrize("name", ["binary_cross_entropy", "categorical_cross_entropy"])
def test_cross_entropy_finite_at_exact_zero_and_one(name):
    loss = L.get_loss(name)
    a = np.array([[0.0, 1.0], [1.0, 0.0]])
    y = np.array([[1.0, 0.0], [1.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = loss(a, y), loss.grad(a, y)
    assert np.isfinite(value) and value > 10  # very wrong, but a number
    assert np.isfinite(grad).all()


def test_paired_output_delta_is_a_minus_y():
    z = np.array([[-800.0, 3.0], [2.0, 800.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    for loss, act in (("bce", "sigmoid"), ("cce", "softmax")):
        a_act = A.get_activation(act)
        a = a_act(z)
        np.testing.assert_allclose(L.get_loss(loss).output_delta(a_act, z, a, y), a - y)


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match="unknown loss 'hinge'; valid names are: binary_cross_entropy"):
        L.get_loss("hinge")
    assert L.get_loss("MSE").name == "quadratic"
