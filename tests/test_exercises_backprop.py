"""Checkers of chapter 5 (backpropagation): the reference passes, any correct formulation
passes (they are compared with numerical gradients), the stub is "not attempted", and
realistic wrong answers (a missing transpose on non-square weights, a list where the task
names a tuple, gradients in the wrong layer) are rejected with the hint written for them,
and only with it."""

import numpy as np
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

from nnlib import Network
from nnlib.activations import sigmoid, sigmoid_prime
from nnlib.exercises import backprop as check
from nnlib.exercises import core

# --- sigmoid_backward -------------------------------------------------------------


def test_sigmoid_backward_reference_and_alternatives():
    assert check.sigmoid_backward(lambda Z, g: g * sigmoid_prime(Z)).passed
    # written with exp: still correct, including at |z| = 30
    assert check.sigmoid_backward(lambda Z, g: g * np.exp(-Z) / (1 + np.exp(-Z)) ** 2).passed


def test_sigmoid_backward_stub():
    assert check.sigmoid_backward(stub).status == core.NOT_ATTEMPTED


SIGMOID_WRONG = [
    (lambda Z, g: g, "forgot-derivative"),
    (lambda Z, g: g * sigmoid(Z), "used-sigma"),
    (lambda Z, g: g * Z * (1 - Z), "prime-of-z"),
    (lambda Z, g: g / sigmoid_prime(Z), "divided"),
    # a matrix product agrees with the elementwise one on a 1 x 1 input only
    (lambda Z, g: g @ sigmoid_prime(Z).T, "matrix-product"),
    (lambda Z, g: (g * sigmoid_prime(Z)).tolist(), "list-not-array"),
]


def test_sigmoid_backward_wrong_answers():
    assert_hints(check.sigmoid_backward, SIGMOID_WRONG)
    assert_covers(check.SIGMOID_MISTAKES, SIGMOID_WRONG)


# --- output_delta (BP1) ------------------------------------------------------------


def test_output_delta_reference_and_alternatives():
    assert check.output_delta(lambda Z, A, Y: (A - Y) * sigmoid_prime(Z)).passed
    assert check.output_delta(lambda Z, A, Y: (A - Y) * A * (1 - A)).passed


def test_output_delta_matches_nnlib_bp1():
    net = Network([2, 3], loss="quadratic", rng=0)
    X = np.random.default_rng(1).normal(size=(4, 2))
    Y = np.eye(3)[[0, 1, 2, 0]]
    A = net.forward(X)
    out = net.layers[-1]
    np.testing.assert_allclose(
        check._output_delta(out.Z, A, Y), net.loss.output_delta(out.activation, out.Z, A, Y), rtol=1e-6, atol=1e-9
    )


def test_output_delta_stub():
    assert check.output_delta(stub).status == core.NOT_ATTEMPTED


BP1_WRONG = [
    (lambda Z, A, Y: A - Y, "forgot-prime"),
    (lambda Z, A, Y: (A - Y) * A, "used-sigma"),
    (lambda Z, A, Y: (Y - A) * A * (1 - A), "wrong-sign"),
    (lambda Z, A, Y: (A - Y) * A * (1 - A) / len(Z), "averaged"),
    (lambda Z, A, Y: (A - Y) * sigmoid_prime(A), "prime-of-a"),
    (lambda Z, A, Y: ((A - Y) * A * (1 - A)).sum(axis=0), "missing-axis"),
]


def test_output_delta_wrong_answers():
    assert_hints(check.output_delta, BP1_WRONG)
    assert_covers(check.BP1_MISTAKES, BP1_WRONG)


def test_output_delta_in_place():
    def writes(Z, A, Y):
        A -= Y
        return A * sigmoid_prime(Z)

    v = check.output_delta(writes)
    assert v.hint_id == "in-place" and "`A`" in v.message


# --- dense_backward ----------------------------------------------------------------


def dense_backward(X, W, delta):
    n = X.shape[0]
    return X.T @ delta / n, delta.mean(axis=0), delta @ W.T


def test_dense_backward_reference_and_alternatives():
    assert check.dense_backward(dense_backward).passed
    # an einsum version: any correct formulation passes
    assert check.dense_backward(
        lambda X, W, d: (np.einsum("ni,no->io", X, d) / len(X), d.sum(0) / len(d), np.einsum("no,io->ni", d, W))
    ).passed


def test_dense_backward_cases_are_not_square():
    """A missing transpose cannot pass: some case has n, n_in and n_out all different."""
    assert any(len({X.shape[0], W.shape[0], W.shape[1]}) == 3 for X, W, _ in (c.args for c in check.DENSE_CASES))


def test_dense_backward_agrees_with_nnlib_layer():
    net = Network([3, 2], rng=3)
    layer = net.layers[0]
    X = np.random.default_rng(4).normal(size=(5, 3))
    delta = np.random.default_rng(5).normal(size=(5, 2))
    layer.forward(X)
    dX = layer.backward(delta)
    dW, db, dX_num = check._dense_backward(X, layer.W, delta)
    np.testing.assert_allclose(layer.dW, dW, atol=1e-8)
    np.testing.assert_allclose(layer.db, db, atol=1e-8)
    np.testing.assert_allclose(dX, dX_num, atol=1e-8)


def test_dense_backward_stub():
    assert check.dense_backward(stub).status == core.NOT_ATTEMPTED


def _replace(i, wrong):
    def fn(X, W, d):
        out = list(dense_backward(X, W, d))
        out[i] = wrong(X, W, d)
        return tuple(out)

    return fn


DENSE_WRONG = [
    (_replace(0, lambda X, W, d: X.T @ d), "dW-not-averaged"),
    (_replace(0, lambda X, W, d: (X.T @ d / len(X)).T), "dW-transposed"),
    (_replace(1, lambda X, W, d: d.sum(axis=0)), "db-summed"),
    (_replace(1, lambda X, W, d: d.mean(axis=1)), "db-wrong-axis"),
    (_replace(1, lambda X, W, d: d.mean(axis=0, keepdims=True)), "db-keepdims"),
    (_replace(1, lambda X, W, d: d.mean()), "db-all"),
    (_replace(2, lambda X, W, d: d @ W), "dX-missing-transpose"),
    (_replace(2, lambda X, W, d: d @ W.T / len(X)), "dX-averaged"),
    # the right arrays in a list, where the task names a tuple; a part as a list
    (lambda X, W, d: list(dense_backward(X, W, d)), "list-not-tuple"),
    (_replace(1, lambda X, W, d: list(d.mean(axis=0))), "list-not-array"),
    (lambda X, W, d: X.T @ d / len(X), "structure"),
]


def test_dense_backward_wrong_answers():
    assert_hints(check.dense_backward, DENSE_WRONG)
    assert_covers(check.DENSE_MISTAKES, DENSE_WRONG)


def test_dense_backward_first_wrong_part_is_named():
    # two mistakes at once: dW is reported first, with its own hint
    def two_wrong(X, W, d):
        return X.T @ d, d.sum(axis=0), d @ W.T

    v = check.dense_backward(two_wrong)
    assert v.hint_id == "dW-not-averaged" and v.message.startswith("dW")


# --- backprop (the four equations) ----------------------------------------------------


def backprop(X, Y, weights, biases):
    activations, zs = [X], []
    for W, b in zip(weights, biases):
        zs.append(activations[-1] @ W + b)
        activations.append(sigmoid(zs[-1]))
    L, n = len(weights), X.shape[0]
    grads_W, grads_b = [None] * L, [None] * L
    delta = (activations[-1] - Y) * sigmoid_prime(zs[-1])
    for l in range(L - 1, -1, -1):
        grads_W[l] = activations[l].T @ delta / n
        grads_b[l] = delta.mean(axis=0)
        if l > 0:
            delta = (delta @ weights[l].T) * sigmoid_prime(zs[l - 1])
    return grads_W, grads_b


def test_backprop_reference_passes_and_matches_nnlib():
    assert check.backprop(backprop).passed
    X, Y, weights, biases = check.NETWORK_CASES[2].args
    net = Network([3, 4, 3, 2], loss="quadratic", rng=0)
    net.set_params([p for W, b in zip(weights, biases) for p in (W, b)])
    grads = net.gradients(X, Y)
    gW, gb = backprop(X, Y, weights, biases)
    for l in range(3):
        np.testing.assert_allclose(gW[l], grads[2 * l])
        np.testing.assert_allclose(gb[l], grads[2 * l + 1])


def test_backprop_stub_and_half_done():
    assert check.backprop(stub).status == core.NOT_ATTEMPTED

    def only_output_layer(X, Y, weights, biases):
        gW, gb = backprop(X, Y, weights, biases)
        return [None] * (len(gW) - 1) + gW[-1:], [None] * (len(gb) - 1) + gb[-1:]

    v = check.backprop(only_output_layer)
    assert v.hint_id == "layer-missing" and "None" in v.message


def _variant(**kw):
    return check._backprop_variant(**kw)


def _sum_not_mean(X, Y, weights, biases):
    gW, gb = backprop(X, Y, weights, biases)
    return [g * len(X) for g in gW], [g * len(X) for g in gb]


def _appended(X, Y, weights, biases):
    """Appends while walking down: the output layer comes first."""
    gW, gb = backprop(X, Y, weights, biases)
    return gW[::-1], gb[::-1]


BACKPROP_WRONG = [
    (_variant(bp1_prime=False), "bp1-forgot-prime"),
    (_sum_not_mean, "not-averaged"),
    (_variant(bp2_prime=False), "bp2-forgot-prime"),
    (_variant(prime_of_layer_above=True), "bp2-wrong-layer"),
    (_variant(prime_at_a=True), "prime-of-a"),
    (_appended, "reversed-lists"),
    # tuples where the task names two lists; a dict
    (lambda *a: tuple(tuple(g) for g in backprop(*a)), "not-a-list"),
    (lambda *a: dict(zip("Wb", backprop(*a))), "structure"),
    (lambda *a: (backprop(*a)[0][:-1], backprop(*a)[1]), "list-length"),
]


def test_backprop_wrong_answers():
    assert_hints(check.backprop, BACKPROP_WRONG)
    assert_covers(check.NETWORK_MISTAKES, BACKPROP_WRONG)


def test_backprop_bp2_mistake_reports_a_hidden_layer():
    v = check.backprop(_variant(bp2_prime=False))
    assert v.message.startswith("grads_W[0]")  # the output layer (index 1) was right


def test_backprop_calling_an_unfinished_dense_backward_names_it():
    def dense_backward(X, W, delta):
        raise NotImplementedError

    def backprop_with_helper(X, Y, weights, biases):
        dW, db, dX = dense_backward(X, weights[0], Y)
        return [dW], [db]

    v = check.backprop(backprop_with_helper)
    assert v.status == core.NOT_ATTEMPTED and v.waiting_for == "`dense_backward`"
