"""Checkers of chapter 2, Activation functions: references pass, stubs are not attempted,
realistic mistakes (including the overflowing naive sigmoid and softmax) get their hint."""

import math

import numpy as np
import pytest
from _checkers import stub

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


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))), "overflow"),
        (lambda z: 1 / (1 + np.exp(z)), "sign"),
        (lambda z: 0.5 * np.tanh(z) + 0.5, "tanh-without-half"),
        (lambda z: 1 / (1 + math.exp(-z)), "math-not-numpy"),
        (lambda z: np.exp(z) / (1 + np.exp(z)), "overflow"),  # NaN at z = 1000: the generic diagnosis
    ],
)
def test_sigmoid_mistakes(wrong, hint_id):
    v = check.sigmoid(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id


# --- sigmoid_prime -------------------------------------------------------------------------------


def test_sigmoid_prime_reference_and_stub():
    assert check.sigmoid_prime(lambda z: sigmoid_solution(z) * (1 - sigmoid_solution(z))).passed
    # an equivalent formula, written stably
    assert check.sigmoid_prime(lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2).passed
    # 1 / (4 cosh^2(z/2)) is right too, but cosh(500)^2 overflows: the checker must say so
    assert check.sigmoid_prime(lambda z: 0.25 / np.cosh(z / 2) ** 2).hint_id == "overflow"
    assert check.sigmoid_prime(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (sigmoid_solution, "returned-sigma"),
        (lambda z: z * (1 - z), "z-not-sigma"),
        (lambda z: 1 - sigmoid_solution(z) ** 2, "tanh-prime"),
        (lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z))), "overflow"),
    ],
)
def test_sigmoid_prime_mistakes(wrong, hint_id):
    v = check.sigmoid_prime(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id


# --- relu and relu_prime -------------------------------------------------------------------------


def relu_solution(z):
    return np.maximum(z, 0)


def relu_prime_solution(z):
    return (z > 0).astype(float)


def test_relu_reference_and_stubs():
    v = check.relu(relu_solution, relu_prime_solution)
    assert v.passed and "both" in v.message
    assert check.relu(lambda z: z * (z > 0), lambda z: np.where(z > 0, 1.0, 0.0)).passed
    assert check.relu(stub, stub).status == core.NOT_ATTEMPTED
    v = check.relu(relu_solution, stub)  # relu done, relu_prime not yet
    assert v.status == core.NOT_ATTEMPTED and v.exercise == "relu_prime"


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda z: np.max(z, 0), "np-max"),
        (lambda z: max(z, 0), "python-if"),
        (np.abs, "abs"),
        (relu_prime_solution, "derivative"),
    ],
)
def test_relu_mistakes(wrong, hint_id):
    v = check.relu(wrong, relu_prime_solution)
    assert v.status == core.WRONG and v.exercise == "relu" and v.hint_id == hint_id


def test_relu_in_place():
    def inplace(z):
        z[z < 0] = 0
        return z

    assert check.relu(inplace, relu_prime_solution).hint_id == "in-place"


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda z: (z >= 0).astype(float), "at-zero"),
        (relu_solution, "returned-relu"),
        (np.sign, "sign"),
    ],
)
def test_relu_prime_mistakes(wrong, hint_id):
    v = check.relu(relu_solution, wrong)
    assert v.status == core.WRONG and v.exercise == "relu_prime" and v.hint_id == hint_id


# --- softmax ---------------------------------------------------------------------------------------


def softmax_solution(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_reference_and_stub():
    assert check.softmax(softmax_solution).passed
    assert check.softmax(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "no-max"),
        (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True), "global-max"),
        (lambda Z: np.exp(Z - Z.max(axis=0)) / np.exp(Z - Z.max(axis=0)).sum(axis=0), "axis-0"),
        (
            lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1),
            "no-keepdims",
        ),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(), "sum-everything"),
    ],
)
def test_softmax_mistakes(wrong, hint_id):
    v = check.softmax(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id


def test_softmax_without_keepdims_on_square_input_gets_same_hint():
    def no_keepdims(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1)

    v = check.softmax(no_keepdims)
    # on two rows of three it raises a broadcasting error; the hint names keepdims
    assert v.hint_id == "no-keepdims" and "keepdims=True" in v.hint
    assert "broadcast" in v.message


def test_softmax_in_place():
    def inplace(Z):
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    assert check.softmax(inplace).hint_id == "in-place"
