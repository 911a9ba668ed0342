"""Checkers of chapter 4 (forward propagation): the reference passes, the stub is "not
attempted", and realistic wrong answers (a skipped layer, a list where an array is asked for,
an initializer that ignores its rng or draws from another distribution with the right variance)
are rejected with the hint written for them, and only with it."""

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, hint_of, stub  # noqa: F401

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


DENSE_WRONG = [
    (lambda X, W, b: X @ W + b, "forgot-activation"),
    (lambda X, W, b: sigmoid(X @ W), "forgot-bias"),
    (lambda X, W, b: sigmoid(X @ W.T + b), "transposed-weights"),
    (lambda X, W, b: sigmoid(X @ W + b[:, None]), "bias-wrong-axis"),
    (lambda X, W, b: sigmoid(W.T @ X.T + b[:, None]), "column-convention"),
    (lambda X, W, b: sigmoid(X @ W) + b, "activation-before-bias"),
    # X.T @ W cannot even be computed on a batch: the hint talks about shapes
    (lambda X, W, b: sigmoid(X.T @ W + b), "matmul-shapes"),
    (lambda X, W, b: sigmoid(X @ W + b).tolist(), "list-not-array"),
    (lambda X, W, b: [sigmoid(x @ W + b) for x in X], "list-not-array"),
]


def test_dense_forward_wrong_answers():
    assert_hints(check.dense_forward, DENSE_WRONG)
    assert_covers(check.DENSE_MISTAKES, DENSE_WRONG)


def test_dense_forward_shape_error_hint_grows_to_the_fix():
    wrong = lambda X, W, b: sigmoid(X.T @ W + b)  # noqa: E731
    for _ in range(3):
        v = check.dense_forward(wrong)
    assert v.hint_id == "matmul-shapes" and "(n_in, n_out)" in v.hint and v.hint_level == 3


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


def _pops(sizes):
    total = 0
    while len(sizes) > 1:
        n_in = sizes.pop(0)
        total += n_in * sizes[0] + sizes[0]
    return total


COUNT_WRONG = [
    (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), "forgot-biases"),
    (lambda s: sum(a * b + b for a, b in zip(s[:-1], s[1:])) + s[0], "input-biases"),
    (lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:])), "bias-per-input"),
    (lambda s: sum(s), "counted-neurons"),
    (lambda s: sum(n * n + n for n in s[1:]), "squares"),
    (lambda s: sum(s[i] * s[i + 1] + s[i + 1] for i in range(len(s) - 2)), "missed-last-layer"),
    # the right number, as a float; and a list of sizes emptied on the way
    (lambda s: float(count_parameters(s)), "float-not-int"),
    (lambda s: np.sum(np.array(s[:-1]) * np.array(s[1:]) + np.array(s[1:])) / 1, "float-not-int"),
    (_pops, "list-resized"),
]


def test_count_parameters_wrong_answers():
    assert_hints(check.count_parameters, COUNT_WRONG)
    assert_covers(check.COUNT_MISTAKES, COUNT_WRONG)


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
    np.testing.assert_allclose(check.network_forward_reference(X, net.weights, net.biases), net.predict(X))


def test_network_forward_stub():
    assert check.network_forward(stub).status == core.NOT_ATTEMPTED


def _return_in_loop(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(A @ W + b)
        return A


def _break_in_loop(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(A @ W + b)
        break
    return A


def _misses_last_layer(X, weights, biases):
    A = X
    for i in range(len(weights) - 1):
        A = sigmoid(A @ weights[i] + biases[i])
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


def _no_activation(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = A @ W + b
    return A


def _pops_layers(X, weights, biases):
    A = X
    while weights:
        A = sigmoid(A @ weights.pop(0) + biases.pop(0))
    return A


def _all_activations(X, weights, biases):
    activations = [X]
    for W, b in zip(weights, biases):
        activations.append(sigmoid(activations[-1] @ W + b))
    return activations[1:]


NETWORK_WRONG = [
    (_return_in_loop, "first-layer-only"),
    (_break_in_loop, "first-layer-only"),
    # a loop that misses the last layer is not asked about `return` indentation
    (_misses_last_layer, "missed-last-layer"),
    (_reused_input, "reused-input"),
    (_last_linear, "last-layer-linear"),
    (_no_activation, "no-activation"),
    (_pops_layers, "list-resized"),
    (_all_activations, "list-not-array"),
]


def test_network_forward_wrong_answers():
    assert_hints(check.network_forward, NETWORK_WRONG)
    assert_covers(check.NETWORK_MISTAKES, NETWORK_WRONG)


def test_network_forward_missed_last_layer_hint_is_about_the_loop_range():
    for _ in range(2):
        v = check.network_forward(_misses_last_layer)
    assert "return" not in v.hint and "weights[:-1]" in v.hint


# --- scaled_gaussian --------------------------------------------------------------


def test_scaled_gaussian_reference_and_alternatives():
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).passed
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.normal(0, n_in**-0.5, size=(n_in, n_out))).passed
    # a different but correct way of drawing: transpose of an (n_out, n_in) draw
    assert check.scaled_gaussian(lambda n_in, n_out, rng: rng.normal(size=(n_out, n_in)).T / np.sqrt(n_in)).passed
    # ... or float32, or one column at a time
    assert check.scaled_gaussian(
        lambda n_in, n_out, rng: (rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32)
    ).passed
    assert check.scaled_gaussian(
        lambda n_in, n_out, rng: np.column_stack([rng.normal(0, n_in**-0.5, n_in) for _ in range(n_out)])
    ).passed


@pytest.mark.parametrize("seed", range(20))
def test_scaled_gaussian_never_rejects_a_correct_draw(seed):
    """The statistical limits are far out: twenty other generators' correct draws all pass."""
    seeds = np.random.SeedSequence(seed)

    def from_another_stream(n_in, n_out, rng):
        mixed = np.random.default_rng([int(rng.integers(2**32)), *seeds.generate_state(2)])
        return mixed.standard_normal((n_in, n_out)) / np.sqrt(n_in)

    assert check.scaled_gaussian(from_another_stream).passed


def test_scaled_gaussian_stub():
    assert check.scaled_gaussian(stub).status == core.NOT_ATTEMPTED


INIT_WRONG = [
    (lambda n_in, n_out, rng: rng.standard_normal((n_in, n_out)), "not-scaled"),
    (lambda n_in, n_out, rng: rng.normal(0, 1 / n_in, (n_in, n_out)), "variance-as-std"),
    (lambda n_in, n_out, rng: rng.normal(0, 1 / np.sqrt(n_out), (n_in, n_out)), "scaled-by-n-out"),
    (lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out)), "glorot"),
    (lambda n_in, n_out, rng: rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)), "he"),
    (lambda n_in, n_out, rng: rng.random((n_in, n_out)) / np.sqrt(n_in), "uniform"),
    (lambda n_in, n_out, rng: rng.normal(0, 0.5 / np.sqrt(n_in), (n_in, n_out)), "wrong-std"),
    (lambda n_in, n_out, rng: rng.standard_normal((n_out, n_in)) / np.sqrt(n_in), "transposed"),
    (lambda n_in, n_out, rng: rng.standard_normal((n_in, n_in)) / np.sqrt(n_in), "shape"),
    (lambda n_in, n_out, rng: np.sqrt(12 / n_in) * rng.random((n_in, n_out)), "not-centred"),
    (lambda n_in, n_out, rng: None, "returned-none"),
    # the rng not honoured: a global generator, a fixed seed
    (lambda n_in, n_out, rng: np.random.default_rng().standard_normal((n_in, n_out)) / np.sqrt(n_in), "global-rng"),
    (lambda n_in, n_out, rng: np.random.default_rng(0).standard_normal((n_in, n_out)) / np.sqrt(n_in), "ignores-rng"),
    # the right mean and standard deviation, another distribution
    (lambda n_in, n_out, rng: rng.uniform(-np.sqrt(3 / n_in), np.sqrt(3 / n_in), (n_in, n_out)), "not-gaussian"),
    (lambda n_in, n_out, rng: rng.laplace(0, np.sqrt(0.5 / n_in), (n_in, n_out)), "not-gaussian"),
    (lambda n_in, n_out, rng: rng.standard_t(8, (n_in, n_out)) / np.sqrt(8 / 6 * n_in), "not-gaussian"),
    (lambda n_in, n_out, rng: rng.choice([-1.0, 1.0], (n_in, n_out)) / np.sqrt(n_in), "repeated-values"),
    # not independent draws
    (lambda n_in, n_out, rng: np.tile(rng.standard_normal(n_out) / np.sqrt(n_in), (n_in, 1)), "repeated-values"),
    (
        lambda n_in, n_out, rng: np.sort(rng.standard_normal(n_in * n_out)).reshape(n_in, n_out) / np.sqrt(n_in),
        "not-independent",
    ),
    (lambda n_in, n_out, rng: (rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).tolist(), "list-not-array"),
]


def test_scaled_gaussian_wrong_answers():
    assert_hints(check.scaled_gaussian, INIT_WRONG)


def test_scaled_gaussian_global_numpy_random():
    def legacy(n_in, n_out, rng):
        return np.random.randn(n_in, n_out) / np.sqrt(n_in)

    assert hint_of(check.scaled_gaussian(legacy)) == "global-rng"


def test_ks_distance_separates_gaussian_from_uniform():
    rng = np.random.default_rng(5)
    n = 120_000
    assert check.ks_distance(rng.standard_normal(n), 1.0) * np.sqrt(n) < check.KS_LIMIT
    assert check.ks_distance(rng.uniform(-np.sqrt(3), np.sqrt(3), n), 1.0) * np.sqrt(n) > 5 * check.KS_LIMIT


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="A layer of sigmoid neurons"):
        check.dense_forward(lambda X, W, b: X @ W + b)
    assert check.dense_forward(dense_forward).passed
