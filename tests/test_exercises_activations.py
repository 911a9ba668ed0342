"""Checkers of chapter 2, Activation functions: references pass, stubs are not attempted,
realistic wrong answers (including the overflowing naive sigmoid and softmax, a softmax
shifted by something other than each row's maximum, lists and bool arrays) are rejected
with the hint meant for them, and only with it."""

import math

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

from nnlib import activations as act
from nnlib.exercises import activations as check
from nnlib.exercises import core

# --- sigmoid -------------------------------------------------------------------------------------


def sigmoid_solution(z):
    return 0.5 * np.tanh(0.5 * z) + 0.5


def sigmoid_masked(z):
    """Another stable formulation: each branch only on its own elements."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    out[~pos] = e / (1 + e)
    return out


def test_sigmoid_reference_alternatives_and_stub():
    assert check.sigmoid(sigmoid_solution).passed
    assert check.sigmoid(sigmoid_masked).passed
    assert check.sigmoid(lambda z: 1 / (1 + np.exp(-np.clip(z, -500, 500)))).passed
    assert check.sigmoid(stub).status == core.NOT_ATTEMPTED


def test_naive_sigmoid_is_right_but_overflows():
    def naive(z):
        return 1 / (1 + np.exp(-z))

    # the value at z = -1000 is right (0.0) ...
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(naive(np.array([-1000.0])), act.sigmoid(np.array([-1000.0])))
    # ... so only the overflow warning can tell: the checker must catch it
    v = check.sigmoid(naive)
    assert v.status == core.WRONG and v.hint_id == "overflow"
    assert v.case.startswith("large |z|") and "overflow" in v.message


SIGMOID_WRONG = [
    (lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))), "overflow"),
    (lambda z: 1 / (1 + np.exp(z)), "sign"),
    (lambda z: 0.5 * np.tanh(z) + 0.5, "tanh-without-half"),
    (np.tanh, "tanh"),
    (lambda z: 1 / (1 - np.exp(-np.abs(z) - 1)), "values-differ"),
    (lambda z: 1 / (1 - np.exp(-z)), "minus-in-denominator"),
    (lambda z: 1 / (1 + math.exp(-z)), "math-not-numpy"),
    (lambda z: np.exp(z) / (1 + np.exp(z)), "overflow"),  # NaN at z = 1000, numpy warned: the generic hint
    # the right values, but a list (one entry per row), or a generator
    (lambda z: [sigmoid_solution(v) for v in z], "list-not-array"),
    (lambda z: (sigmoid_solution(v) for v in z), "generator"),
    (lambda z: np.atleast_2d(sigmoid_solution(z)), "extra-axis"),
]


def test_sigmoid_wrong_answers():
    assert_hints(check.sigmoid, SIGMOID_WRONG)
    assert_covers(check._SIGMOID_MISTAKES, SIGMOID_WRONG)


def test_sigmoid_in_place_is_rejected():
    def inplace(z):
        z *= -1
        np.exp(z, out=z)
        z += 1
        return 1 / z

    assert check.sigmoid(inplace).hint_id == "in-place"


# --- sigmoid_prime -------------------------------------------------------------------------------


def test_sigmoid_prime_reference_and_stub():
    assert check.sigmoid_prime(lambda z: sigmoid_solution(z) * (1 - sigmoid_solution(z))).passed
    # an equivalent formula, written stably
    assert check.sigmoid_prime(lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2).passed
    assert check.sigmoid_prime(stub).status == core.NOT_ATTEMPTED


def test_sigmoid_prime_waits_for_an_unfinished_sigmoid():
    """The notebook's sigmoid_prime calls the learner's sigmoid: while that one is a stub,
    the verdict says to finish it, by name."""

    def sigmoid(z):
        z = np.asarray(z, dtype=float)
        raise NotImplementedError

    def sigmoid_prime(z):
        s = sigmoid(z)
        return s * (1 - s)

    v = check.sigmoid_prime(sigmoid_prime)
    assert v.status == core.NOT_ATTEMPTED and v.waiting_for == "`sigmoid`"
    assert "Complete `sigmoid`" in v.message


SIGMOID_PRIME_WRONG = [
    (sigmoid_solution, "returned-sigma"),
    (lambda z: z * (1 - z), "z-not-sigma"),
    (lambda z: 1 - sigmoid_solution(z) ** 2, "tanh-prime"),
    (lambda z: sigmoid_solution(z) * (1 + sigmoid_solution(z)), "one-plus"),
    (lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z))), "overflow"),
    # 1 / (4 cosh^2(z/2)) is right too, but cosh(500)^2 overflows: the checker must say so
    (lambda z: 0.25 / np.cosh(z / 2) ** 2, "overflow"),
    (lambda z: list(act.sigmoid_prime(z)), "list-not-array"),
]


def test_sigmoid_prime_wrong_answers():
    assert_hints(check.sigmoid_prime, SIGMOID_PRIME_WRONG)
    assert_covers(check._SIGMOID_PRIME_MISTAKES, SIGMOID_PRIME_WRONG)


# --- relu and relu_prime -------------------------------------------------------------------------


def relu_solution(z):
    return np.maximum(z, 0)


def relu_prime_solution(z):
    return (z > 0).astype(float)


def test_relu_reference_and_stubs():
    v = check.relu(relu_solution, relu_prime_solution)
    assert v.passed and "`relu` and `relu_prime` both match on 3 test cases" in v.message
    assert check.relu(lambda z: z * (z > 0), lambda z: np.where(z > 0, 1.0, 0.0)).passed
    assert check.relu(stub, stub).status == core.NOT_ATTEMPTED
    v = check.relu(relu_solution, stub)  # relu done, relu_prime not yet
    assert v.status == core.NOT_ATTEMPTED and v.function == "relu_prime" and "`relu_prime`" in v.message


RELU_WRONG = [
    (lambda z: np.max(z, 0), "np-max"),
    (lambda z: max(z, 0), "python-if"),
    (np.abs, "abs"),
    (lambda z: np.minimum(z, 0), "min"),
    (relu_prime_solution, "derivative"),
    (lambda z: list(np.maximum(z, 0)), "list-not-array"),
]


def test_relu_wrong_answers():
    assert_hints(lambda fn: check.relu(fn, relu_prime_solution), RELU_WRONG)
    assert_covers(check._RELU_MISTAKES, RELU_WRONG)
    assert check.relu(np.abs, relu_prime_solution).function == "relu"


def test_relu_in_place():
    def inplace(z):
        z[z < 0] = 0
        return z

    v = check.relu(inplace, relu_prime_solution)
    assert v.hint_id == "in-place" and v.message.startswith("`relu`: ")


RELU_PRIME_WRONG = [
    (lambda z: (z >= 0).astype(float), "at-zero"),
    (relu_solution, "returned-relu"),
    (np.sign, "sign"),
    (act.leaky_relu_prime, "leaky"),
    # the right values, but True/False or integers where floats are asked for
    (lambda z: z > 0, "bool-array"),
    (lambda z: (z > 0) * 1, "int-array"),
]


def test_relu_prime_wrong_answers():
    assert_hints(lambda fn: check.relu(relu_solution, fn), RELU_PRIME_WRONG)
    assert_covers(check._RELU_PRIME_MISTAKES, RELU_PRIME_WRONG)
    v = check.relu(relu_solution, lambda z: z > 0)
    assert v.function == "relu_prime" and "values are right" in v.message


# --- softmax ---------------------------------------------------------------------------------------


def softmax_solution(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_reference_and_stub():
    assert check.softmax(softmax_solution).passed
    assert check.softmax(lambda Z: np.exp(Z - np.logaddexp.reduce(Z, axis=1, keepdims=True))).passed
    assert check.softmax(stub).status == core.NOT_ATTEMPTED


def _shifted(shift):
    def softmax(Z):
        E = np.exp(Z - shift(Z))
        return E / E.sum(axis=1, keepdims=True)

    return softmax


SOFTMAX_WRONG = [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "no-max"),
    (_shifted(lambda Z: Z.max()), "global-max"),
    # a "stable" softmax that shifts each row by something other than its maximum overflows
    # on rows with a large spread
    (_shifted(lambda Z: Z.mean(axis=1, keepdims=True)), "mean-shift"),
    (_shifted(lambda Z: Z.min(axis=1, keepdims=True)), "min-shift"),
    (_shifted(lambda Z: Z[:, :1]), "overflow"),
    (_shifted(lambda Z: np.abs(Z).max(axis=1, keepdims=True)), "not-finite"),
    (lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0), "axis-0"),
    (
        lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1),
        "no-keepdims",
    ),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(), "sum-everything"),
    (lambda Z: softmax_solution(Z).tolist(), "list-not-array"),
]


def test_softmax_wrong_answers():
    assert_hints(check.softmax, SOFTMAX_WRONG)
    assert_covers(check._SOFTMAX_MISTAKES, SOFTMAX_WRONG)


def test_softmax_shifted_by_the_mean_fails_only_on_a_large_spread():
    v = check.softmax(_shifted(lambda Z: Z.mean(axis=1, keepdims=True)))
    assert v.case.startswith("rows with a large spread")


def test_softmax_without_keepdims_gets_the_keepdims_hint():
    def no_keepdims(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1)

    v = check.softmax(no_keepdims)
    # on two rows of three it raises a broadcasting error; the hint names keepdims
    assert v.hint_id == "no-keepdims" and "broadcast" in v.message
    for _ in range(2):
        v = check.softmax(no_keepdims)
    assert "keepdims=True" in v.hint and v.hint_level == 3


def test_softmax_in_place():
    def inplace(Z):
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    assert check.softmax(inplace).hint_id == "in-place"


@pytest.mark.parametrize("name", ["sigmoid", "sigmoid_prime", "softmax"])
def test_strict_mode_raises_on_wrong(monkeypatch, name):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match=check.EXERCISES[name].title):
        getattr(check, name)(lambda z: [0.5])
