"""Checkers of chapter 4 (forward propagation): the reference passes, the stub is "not
attempted", and realistic wrong answers get the hint written for them."""

import numpy as np
import pytest
from _checkers import stub

from nnlib.activations import sigmoid
from nnlib.exercises import core
from nnlib.exercises import forward as check

# --- dense_forward ----------------------------------------------------------------


def dense_forward(X, W, b):
    return sigmoid(X @ W + b)


def test_dense_forward_reference_and_alternatives():
    assert check.dense_forward(dense_forward).passed
    # any correct formulation passes: einsum, explicit 1/(1+exp(-z))
    assert check.dense_forward(lambda X, W, b: 1 / (1 + np.exp(-(np.einsum("ni,io->no", X, W) + b)))).passed


def test_dense_forward_stub():
    assert check.dense_forward(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda X, W, b: X @ W + b, "forgot-activation"),
        (lambda X, W, b: sigmoid(X @ W), "forgot-bias"),
        (lambda X, W, b: sigmoid(X @ W.T + b), "transposed-weights"),
        (lambda X, W, b: sigmoid(X @ W + b[:, None]), "bias-wrong-axis"),
        (lambda X, W, b: sigmoid(W.T @ X.T + b[:, None]), "column-convention"),
        (lambda X, W, b: sigmoid(X @ W) + b, "activation-before-bias"),
    ],
)
def test_dense_forward_mistakes(wrong, hint_id):
    v = check.dense_forward(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id, str(v)


def test_dense_forward_shape_error_gets_a_shape_hint():
    # X.T @ W cannot even be computed on a batch: the hint talks about shapes
    v = check.dense_forward(lambda X, W, b: sigmoid(X.T @ W + b))
    assert v.hint_id == "matmul-shapes" and "(n_in, n_out)" in v.hint


# --- count_parameters -------------------------------------------------------------


def count_parameters(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


def test_count_parameters_reference_and_worked_example():
    assert check.count_parameters(count_parameters).passed
    # the check's own reference agrees with nnlib.Network on the book's MNIST network
    from nnlib import Network

    assert check._count_parameters([784, 30, 10]) == Network([784, 30, 10], rng=0).n_params == 23860


def test_count_parameters_stub():
    assert check.count_parameters(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), "forgot-biases"),
        (lambda s: sum(a * b + b for a, b in zip(s[:-1], s[1:])) + s[0], "input-biases"),
        (lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:])), "bias-per-input"),
        (lambda s: sum(s), "counted-neurons"),
        (lambda s: sum(n * n + n for n in s[1:]), "squares"),
    ],
)
def test_count_parameters_mistakes(wrong, hint_id):
    v = check.count_parameters(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id, str(v)


# --- network_forward --------------------------------------------------------------


def network_forward(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(A @ W + b)
    return A


def test_network_forward_reference_matches_nnlib():
    assert check.network_forward(network_forward).passed
    from nnlib import Network

    net = Network([3, 5, 2], rng=1)
    X = np.random.default_rng(2).normal(size=(4, 3))
    np.testing.assert_allclose(check._network_forward(X, net.weights, net.biases), net.predict(X))


def test_network_forward_stub():
    assert check.network_forward(stub).status == core.NOT_ATTEMPTED


def _return_in_loop(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(A @ W + b)
        return A


def _reused_input(X, weights, biases):
    for W, b in zip(weights, biases):
        A = sigmoid(X @ W + b)
    return A


def _last_linear(X, weights, biases):
    A = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        Z = A @ W + b
        A = sigmoid(Z) if i < len(weights) - 1 else Z
    return A


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (_return_in_loop, "returned-in-loop"),
        (_reused_input, "reused-input"),
        (_last_linear, "last-layer-linear"),
    ],
)
def test_network_forward_mistakes(wrong, hint_id):
    v = check.network_forward(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id, str(v)


# --- scaled_gaussian --------------------------------------------------------------


def test_scaled_gaussian_reference_and_alternatives():
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).passed
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.normal(0, n_in**-0.5, size=(n_in, n_out))).passed
    # a different but correct way of drawing: transpose of an (n_out, n_in) draw
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.normal(size=(n_out, n_in)).T / np.sqrt(n_in)).passed


def test_scaled_gaussian_stub():
    assert check.scaled_gaussian(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda n_in, n_out, rng: rng.standard_normal((n_in, n_out)), "not-scaled"),
        (lambda n_in, n_out, rng: rng.normal(0, 1 / n_in, (n_in, n_out)), "variance-as-std"),
        (lambda n_in, n_out, rng: rng.normal(0, 1 / np.sqrt(n_out), (n_in, n_out)), "scaled-by-n-out"),
        (lambda n_in, n_out, rng: rng.standard_normal((n_out, n_in)) / np.sqrt(n_in), "transposed"),
        (lambda n_in, n_out, rng: np.random.default_rng().standard_normal((n_in, n_out)) / np.sqrt(n_in), "global-rng"),
        (lambda n_in, n_out, rng: np.sqrt(12 / n_in) * rng.random((n_in, n_out)), "not-centred"),
        (lambda n_in, n_out, rng: None, "returned-none"),
    ],
)
def test_scaled_gaussian_mistakes(wrong, hint_id):
    v = check.scaled_gaussian(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id, str(v)


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="ex-forward-layer"):
        check.dense_forward(lambda X, W, b: X @ W + b)
    assert check.dense_forward(dense_forward).passed
