"""Checkers of chapter 1, The neuron: references pass, stubs are not attempted, realistic wrong
answers are rejected with the hint meant for them, and only with it; a gate's hint never
suggests a change that cannot lead to the gate."""

import itertools

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, hint_of, stub  # noqa: F401

from nnlib.exercises import core
from nnlib.exercises import neuron as check
from nnlib.neuron import Neuron

# --- neuron_output -----------------------------------------------------------------------------


def neuron_output_solution(x, w, b):
    z = np.dot(w, x) + b
    return 1.0 / (1.0 + np.exp(-z))


def test_neuron_output_reference_and_stub():
    assert check.neuron_output(neuron_output_solution).passed
    assert check.neuron_output(lambda x, w, b: float(neuron_output_solution(x, w, b))).passed
    assert check.neuron_output(stub).status == core.NOT_ATTEMPTED
    assert check.neuron_output(lambda x, w, b: ...).status == core.NOT_ATTEMPTED


def test_neuron_output_reference_matches_hand_computation():
    # x = (1, 2), w = (0.5, -0.25), b = 0.3: z = 0.5 - 0.5 + 0.3 = 0.3
    assert check._neuron_output(np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.3) == pytest.approx(
        1 / (1 + np.exp(-0.3)), rel=1e-12
    )


NEURON_WRONG = [
    (lambda x, w, b: np.dot(w, x) + b, "returned-z"),
    (lambda x, w, b: 1 / (1 + np.exp(-np.dot(w, x))), "no-bias"),
    (lambda x, w, b: 1 / (1 + np.exp(-(x.sum() + b))), "unweighted-sum"),
    (lambda x, w, b: 1 / (1 + np.exp(-1 / (1 + np.exp(-(w @ x + b))))), "sigmoid-twice"),
    (lambda x, w, b: 1 / (1 + np.exp(-(w * x + b))), "elementwise"),
    (lambda x, w, b: 1 / (1 + np.exp(w @ x + b)), "sign"),
    # the right number, wrapped in an array of shape (1,): not the elementwise mistake,
    # even though the two agree on the one-input case
    (lambda x, w, b: 1 / (1 + np.exp(-np.array([w @ x + b]))), "array-not-number"),
    (lambda x, w, b: [neuron_output_solution(x, w, b)], "list-not-array"),
]


def test_neuron_output_wrong_answers():
    assert_hints(check.neuron_output, NEURON_WRONG)
    assert_covers(check._NEURON_MISTAKES, NEURON_WRONG)


def test_neuron_output_smallest_failing_case_is_shown():
    v = check.neuron_output(lambda x, w, b: 1 / (1 + np.exp(-np.dot(w, x))))
    # the first case has b = 0, where forgetting the bias does no harm
    assert v.case.startswith("two inputs")
    assert v.expected is not None and v.received is not None


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


BATCH_WRONG = [
    (lambda X, w, b: X @ w, "no-bias"),
    (lambda X, w, b: X * w + b, "elementwise"),
    (lambda X, w, b: np.sum(X * w, axis=0) + b, "sum-over-examples"),
    (lambda X, w, b: np.sum(X * w) + b, "sum-everything"),
    (lambda X, w, b: (X + b) @ w, "bias-per-feature"),
    (lambda X, w, b: X.T @ w + b, "matmul-order"),
    (lambda X, w, b: w @ X + b, "matmul-order"),
    (lambda X, w, b: np.dot(X, w).reshape(-1, 1) + b, "column"),
    # the right values, as a list
    (lambda X, w, b: (X @ w + b).tolist(), "list-not-array"),
    (lambda X, w, b: [sum(wj * xj for wj, xj in zip(w, row)) + b for row in X], "list-not-array"),
]


def test_batch_wrong_answers():
    assert_hints(check.batch_weighted_input, BATCH_WRONG)
    assert_covers(check._BATCH_MISTAKES, BATCH_WRONG)


def test_batch_in_place_gets_in_place_hint():
    def inplace(X, w, b):
        X *= w
        return X.sum(axis=1) + b

    v = check.batch_weighted_input(inplace)
    assert v.hint_id == "in-place" and "`X`" in v.message


# --- logic gates ---------------------------------------------------------------------------------


def test_gates_accept_working_weights():
    assert check.and_gate(np.array([1.0, 1.0]), -1.5).passed
    assert check.and_gate([2, 2], -3).passed  # lists and ints are fine too
    assert check.or_gate(np.array([1.0, 1.0]), -0.5).passed
    assert check.nand_gate(np.array([-1.0, -1.0]), 1.5).passed
    v = check.nand_gate([-2.0, -2.0], 3.0)
    assert v.exercise == "A NAND gate" and v.label == "ex-neuron-nand"


def test_gates_not_attempted():
    assert check.and_gate(..., ...).status == core.NOT_ATTEMPTED
    assert check.and_gate(np.array([..., ...]), -1.0).status == core.NOT_ATTEMPTED
    assert check.nand_gate([1.0, 1.0], ...).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "w, b, hint_id",
    [
        ([1.0, 1.0], -0.5, "or-not-and"),  # one input alone is enough: that is OR
        ([1.0, 1.0], -2.0, "boundary"),  # z = 0 at (1, 1), and step(0) = 0
        ([1.0, 1.0], 0.5, "bias"),  # fires at (0, 0): z = b > 0
        ([1.0, 1.0], -5.0, "both-inputs"),  # never fires: w1 + w2 + b <= 0
        ([-1.0, -1.0], 1.5, "negated"),  # NAND instead of AND
        ([2.0, -1.0], -0.5, "one-input"),
        ([-1.0, -1.0], 0.0, "bias-cannot-work"),  # b = 0: no weights make AND
        ([1.0, 1.0, 1.0], -1.5, "shape"),
        ("one", -1.5, "not-numeric"),
        ([1.0, 1.0], [-1.5], "bias-shape"),
    ],
)
def test_and_gate_mistakes(w, b, hint_id):
    assert hint_of(check.and_gate(w, b)) == hint_id


@pytest.mark.parametrize(
    "w, b, hint_id",
    [
        ([1.0, 1.0], -1.5, "negated"),  # AND instead of NAND
        ([1.0, 1.0], -0.5, "other-gate"),  # OR
        ([-1.0, 1.0], -0.5, "bias"),  # (0, 0) gives z = b < 0
        ([1.0, 1.0], 0.5, "both-inputs"),  # positive weights: always fires
        ([-2.0, 0.5], 1.0, "one-input"),  # (1, 0): z = w1 + b = -1
        ([-2.0, -2.0], 1.0, "other-gate"),  # NOR
        ([-1.0, 0.5], 1.0, "boundary"),  # z = 0 at (1, 0): step(0) = 0
    ],
)
def test_nand_gate_mistakes(w, b, hint_id):
    assert hint_of(check.nand_gate(w, b)) == hint_id


def test_nand_with_positive_weights_is_not_told_to_lower_the_bias():
    """Lowering the bias of a NAND neuron that always fires breaks the input (0, 0)."""
    for _ in range(3):  # up to the fix
        v = check.nand_gate([1.0, 1.0], 0.5)
    assert "lower" not in v.hint.lower()
    assert "w1 + w2 <= -0.5" in v.hint


def test_every_gate_hint_is_true_of_the_learner_and_can_lead_to_the_gate():
    """On a grid of weights and biases: the hint's first part names an input that is wrong
    and what the gate needs there; its fix's requirement can be met by a working neuron."""
    grid = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]
    for name, gate in (("AND", check.and_gate), ("OR", check.or_gate), ("NAND", check.nand_gate)):
        target = check.TRUTH_TABLES[name]
        for w1, w2, b in itertools.product(grid, grid, grid):
            core.reset_attempts()
            for _ in range(3):
                v = gate([w1, w2], b)
            out = Neuron(np.array([w1, w2]), b, "step")(check.GATE_INPUTS)
            if np.array_equal(out, target):
                assert v.passed
                continue
            assert v.status == core.WRONG and v.hint
            if v.hint_id in ("one-input", "both-inputs"):
                # the bias can work, and the requirement is for the weights with this bias
                assert check._BIAS_NEEDED[name][1](b), (name, w1, w2, b)
                assert f"b = {b:g}" in v.hint
            if v.hint_id in ("bias", "bias-cannot-work"):
                assert not check._BIAS_NEEDED[name][1](b)
                assert check._BIAS_NEEDED[name][0] in v.hint
            if v.hint_id == "or-not-and":
                # lowering the bias into the range the fix names makes AND
                lo, hi = -(w1 + w2), -max(w1, w2)
                assert lo < hi
                b2 = (lo + hi) / 2
                assert np.array_equal(Neuron(np.array([w1, w2]), b2, "step")(check.GATE_INPUTS), target)
            if v.hint_id == "and-not-or":
                b2 = -min(w1, w2) / 2
                assert np.array_equal(Neuron(np.array([w1, w2]), b2, "step")(check.GATE_INPUTS), target)


def test_gate_unknown_name():
    with pytest.raises(ValueError, match="XOR"):
        check.gate("XOR", [1, 1], 0)


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="An AND gate"):
        check.and_gate([1.0, 1.0], -0.5)
    with pytest.raises(core.ExerciseNotPassed):
        check.neuron_output(stub)
    assert check.neuron_output(neuron_output_solution).passed
