"""Checkers of chapter 1, The neuron: references pass, stubs are not attempted, mistakes get their hint."""

import numpy as np
import pytest
from _checkers import stub

from nnlib.exercises import core
from nnlib.exercises import neuron as check
from nnlib.exercises.core import Case

# --- neuron_output -----------------------------------------------------------------------------


def neuron_output_solution(x, w, b):
    z = np.dot(w, x) + b
    return 1.0 / (1.0 + np.exp(-z))


def test_neuron_output_reference_and_stub():
    assert check.neuron_output(neuron_output_solution).passed
    assert check.neuron_output(stub).status == core.NOT_ATTEMPTED
    assert check.neuron_output(lambda x, w, b: ...).status == core.NOT_ATTEMPTED


def test_neuron_output_reference_matches_hand_computation():
    # x = (1, 2), w = (0.5, -0.25), b = 0.3: z = 0.5 - 0.5 + 0.3 = 0.3
    assert check._neuron_output(np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.3) == pytest.approx(
        1 / (1 + np.exp(-0.3)), rel=1e-12
    )


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda x, w, b: np.dot(w, x) + b, "returned-z"),
        (lambda x, w, b: 1 / (1 + np.exp(-np.dot(w, x))), "no-bias"),
        (lambda x, w, b: 1 / (1 + np.exp(-(x.sum() + b))), "unweighted-sum"),
        (lambda x, w, b: 1 / (1 + np.exp(-1 / (1 + np.exp(-(w @ x + b))))), "sigmoid-twice"),
        (lambda x, w, b: 1 / (1 + np.exp(-(w * x + b))), "elementwise"),
    ],
)
def test_neuron_output_mistakes(wrong, hint_id):
    v = check.neuron_output(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id
    assert v.expected is not None and v.received is not None and v.hint


def test_neuron_output_smallest_failing_case_is_shown():
    v = check.neuron_output(lambda x, w, b: 1 / (1 + np.exp(-np.dot(w, x))))
    # the first case has b = 0, where forgetting the bias does no harm
    assert v.case.startswith("two inputs")


# --- batch_weighted_input ------------------------------------------------------------------------


def batch_solution(X, w, b):
    return X @ w + b


def test_batch_reference_and_stub():
    assert check.batch_weighted_input(batch_solution).passed
    assert check.batch_weighted_input(stub).status == core.NOT_ATTEMPTED


def test_batch_loop_solution_also_passes():
    def loop(X, w, b):
        return np.array([sum(wj * xj for wj, xj in zip(w, row)) + b for row in X])

    assert check.batch_weighted_input(loop).passed


@pytest.mark.parametrize(
    "wrong, hint_id",
    [
        (lambda X, w, b: X @ w, "no-bias"),
        (lambda X, w, b: X * w + b, "elementwise"),
        (lambda X, w, b: np.sum(X * w, axis=0) + b, "sum-over-examples"),
        (lambda X, w, b: X.T @ w + b, "matmul-order"),
        (lambda X, w, b: w @ X + b, "matmul-order"),
        (lambda X, w, b: np.dot(X, w).reshape(-1, 1) + b, "column"),
    ],
)
def test_batch_mistakes(wrong, hint_id):
    v = check.batch_weighted_input(wrong)
    assert v.status == core.WRONG and v.hint_id == hint_id


def test_batch_in_place_gets_in_place_hint():
    def inplace(X, w, b):
        X *= w
        return X.sum(axis=1) + b

    assert check.batch_weighted_input(inplace).hint_id == "in-place"


# --- logic gates ---------------------------------------------------------------------------------


def test_gates_accept_working_weights():
    assert check.and_gate(np.array([1.0, 1.0]), -1.5).passed
    assert check.and_gate([2, 2], -3).passed  # lists and ints are fine too
    assert check.or_gate(np.array([1.0, 1.0]), -0.5).passed
    assert check.nand_gate(np.array([-1.0, -1.0]), 1.5).passed


def test_gates_not_attempted():
    assert check.and_gate(..., ...).status == core.NOT_ATTEMPTED
    assert check.and_gate(np.array([..., ...]), -1.0).status == core.NOT_ATTEMPTED
    assert check.nand_gate([1.0, 1.0], ...).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "w, b, hint_id",
    [
        ([1.0, 1.0], -0.5, "or-not-and"),  # one input alone is enough: that is OR
        ([1.0, 1.0], -2.0, "boundary"),  # z = 0 at (1, 1), and step(0) = 0
        ([1.0, 1.0], 0.5, "always-fires"),
        ([1.0, 1.0], -5.0, "never-fires"),
        ([-1.0, -1.0], 1.5, "negated"),  # NAND instead of AND
        ([2.0, -1.0], -0.5, "row"),
        ([1.0, 1.0, 1.0], -1.5, "shape"),
        ("one", -1.5, "not-numeric"),
    ],
)
def test_and_gate_mistakes(w, b, hint_id):
    v = check.and_gate(w, b)
    assert v.status == core.WRONG and v.hint_id == hint_id


def test_nand_gate_mistakes():
    assert check.nand_gate([1.0, 1.0], -1.5).hint_id == "negated"
    v = check.nand_gate([-1.0, 1.0], -0.5)
    assert v.hint_id == "bias-sign" and "b = -0.5" in v.hint
    np.testing.assert_array_equal(v.expected, [1, 1, 1, 0])


def test_gate_unknown_name():
    with pytest.raises(ValueError, match="XOR"):
        check.gate("XOR", [1, 1], 0)


# --- check_function: warnings and known exceptions -------------------------------------------


def test_check_function_plus_flags_warnings_and_known_exceptions():
    cases = [Case((np.array([0.0]),)), Case((np.array([-1000.0, 1000.0]),))]
    ref = lambda z: 0.5 * np.tanh(0.5 * z) + 0.5  # noqa: E731

    def naive(z):
        return 1 / (1 + np.exp(-z))

    v = core.check_function("sig", naive, ref, cases, warning_hint=("overflow", "no exp overflow"))
    assert v.status == core.WRONG and v.hint_id == "overflow" and "overflow" in v.message
    # without a warning_hint, a right value is right
    assert core.check_function("sig", naive, ref, cases).passed

    def boom(z):
        raise ValueError("operands could not be broadcast together")

    v = core.check_function(
        "sig", boom, ref, cases, raised_hints=[("could not be broadcast", "keepdims", "use keepdims")]
    )
    assert v.hint_id == "keepdims" and v.hint == "use keepdims"
    v = core.check_function("sig", boom, ref, cases, raised_hints=[("other text", "x", "y")])
    assert v.hint_id == "raised"


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed):
        check.and_gate([1.0, 1.0], -0.5)
    with pytest.raises(core.ExerciseNotPassed):
        check.neuron_output(stub)
    assert check.neuron_output(neuron_output_solution).passed
