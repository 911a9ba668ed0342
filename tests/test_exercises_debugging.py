"""Checkers of the chapter "Debugging a training run": references pass, stubs are not attempted,
realistic wrong answers (log base 10, the biases' norms, a squared norm, a step inside the
function, the wrong bug) are rejected with the hint meant for them, and only with it; the
"name the bug" hints quote the run's own numbers."""

import math

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

from nnlib.diagnostics import BUGS
from nnlib.exercises import core
from nnlib.exercises import debugging as check

# --- initial_loss ------------------------------------------------------------------------------


def test_initial_loss_reference_other_forms_and_stub():
    assert check.initial_loss(check.initial_loss_reference).passed
    assert check.initial_loss(lambda n: -np.log(1 / n)).passed
    assert check.initial_loss(lambda n: float(np.log(n))).passed
    assert check.initial_loss(stub).status == core.NOT_ATTEMPTED


def _rounded(n):
    return round(math.log(n), 1)


def _as_array(n):
    return np.array([math.log(n)])


def _integer(n):
    return int(math.log(n))


def test_initial_loss_wrong_answers_get_their_hints():
    table = [
        (lambda n: math.log10(n), "log10"),
        (lambda n: np.log2(n), "log2"),
        (lambda n: 1 / n, "probability"),
        (lambda n: np.log(1 / n), "forgot-minus"),
        (lambda n: np.log(n) / n, "divided-by-classes"),
        (_as_array, "array-not-number"),
        (_rounded, "values-differ"),
        (lambda n: None, "returned-none"),
        (_integer, "integer"),
    ]
    assert_covers(check._INITIAL_LOSS_MISTAKES, table)
    assert_hints(check.initial_loss, table)


# --- layer_grad_norms --------------------------------------------------------------------------


def test_layer_grad_norms_reference_other_forms_and_stub():
    assert check.layer_grad_norms(check.layer_grad_norms_reference).passed

    def by_hand(net, X, Y):
        grads = net.gradients(X, Y)
        return np.array([np.sqrt(np.sum(grads[2 * l] ** 2)) for l in range(len(net.layers))])

    def from_layers(net, X, Y):
        net.gradients(X, Y)  # fills every layer's dW
        return np.array([np.linalg.norm(layer.dW) for layer in net.layers])

    assert check.layer_grad_norms(by_hand).passed
    assert check.layer_grad_norms(from_layers).passed
    assert check.layer_grad_norms(stub).status == core.NOT_ATTEMPTED


def _as_list(net, X, Y):
    return [float(np.linalg.norm(g)) for g in net.gradients(X, Y)[0::2]]


def _first_layer_only(net, X, Y):
    return np.array([np.linalg.norm(net.gradients(X, Y)[0])])


def _steps_too(net, X, Y):
    grads = net.gradients(X, Y)
    net.set_params([p - 0.1 * g for p, g in zip(net.get_params(), grads)])
    return np.array([np.linalg.norm(g) for g in grads[0::2]])


def test_layer_grad_norms_wrong_answers_get_their_hints():
    table = [
        (lambda net, X, Y: np.array([np.linalg.norm(g) for g in net.gradients(X, Y)]), "every-parameter"),
        (lambda net, X, Y: np.array([np.linalg.norm(g) for g in net.gradients(X, Y)[1::2]]), "biases-only"),
        (
            lambda net, X, Y: np.array(
                [np.linalg.norm(np.r_[dW.ravel(), db]) for dW, db in zip(*[iter(net.gradients(X, Y))] * 2)]
            ),
            "with-biases",
        ),
        (lambda net, X, Y: np.array([(g**2).sum() for g in net.gradients(X, Y)[0::2]]), "squared"),
        (lambda net, X, Y: np.array([np.abs(g).sum() for g in net.gradients(X, Y)[0::2]]), "abs-sum"),
        (lambda net, X, Y: np.array([np.abs(g).max() for g in net.gradients(X, Y)[0::2]]), "largest-entry"),
        (lambda net, X, Y: np.array([np.linalg.norm(W) for W in net.weights]), "weights-not-gradients"),
        (_as_list, "list-not-array"),
        (_first_layer_only, "shape"),
        (_steps_too, "changed-weights"),
    ]
    assert_covers(check._GRAD_NORM_MISTAKES, table)
    assert_hints(check.layer_grad_norms, table)


# --- name the bug ----------------------------------------------------------------------------


def test_mystery_runs_are_reproducible_and_carry_their_evidence():
    a, b, c = (check.mystery_run(k) for k in "ABC")
    assert check.mystery_run("a") is a  # kept: asking again does not train again
    assert a.input_range[1] > 200 and a.stats_before[0].saturated > 0.9  # unnormalised inputs
    assert b.history.accuracy[-1] > 0.8 and b.history.val_accuracy[-1] < 0.1  # labels off by one
    assert c.predicted[8:].sum() > 0.6 * c.predicted.sum()  # unshuffled: predicts the last classes
    assert a.setup == b.setup == c.setup  # the setup line gives nothing away
    with pytest.raises(ValueError, match="mystery_run: name must be one of 'A', 'B', 'C'"):
        check.mystery_run("D")


@pytest.mark.parametrize(
    "checker, planted",
    [(check.bug_a, "unnormalised inputs"), (check.bug_b, "labels off by one"), (check.bug_c, "unshuffled data")],
)
def test_the_planted_bug_is_correct_in_any_spelling(checker, planted):
    assert checker(planted).passed
    assert checker(" " + planted.upper().replace(" ", "_") + " ").passed
    assert checker(...).status == core.NOT_ATTEMPTED
    assert checker(None).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize(
    "checker, planted",
    [(check.bug_a, "unnormalised inputs"), (check.bug_b, "labels off by one"), (check.bug_c, "unshuffled data")],
)
def test_every_wrong_bug_gets_its_own_hint(checker, planted):
    wrong = [b for b in BUGS if b != planted]
    table = [(b, "said-" + b.replace(" ", "-")) for b in wrong] + [
        ("overfitting", "unknown-name"),
        (3, "not-a-string"),
        (["labels off by one"], "not-a-string"),
    ]
    assert_hints(checker, table)


def test_name_the_bug_hints_point_at_the_runs_evidence_and_grow():
    a = check.mystery_run("A")
    first = check.bug_a("learning rate too high")
    assert "If the bug were 'learning rate too high'" in first.hint and first.hint_level == 1
    second = check.bug_a("learning rate too high")
    assert f"{a.input_range[1]:g}" in second.hint and f"{a.stats_before[0].saturated:.0%}" in second.hint
    third = check.bug_a("learning rate too high")
    assert "'unnormalised inputs'" in third.hint and third.hint_level == 3
    b = check.mystery_run("B")
    assert f"{b.history.val_accuracy[-1]:.0%} on the validation images" in check.bug_b("none").hint + "".join(
        v for _, v in check.bug_b("none").hint_rows
    )
    c = check.mystery_run("C")
    verdict = check.bug_c("dead relus")
    verdict = check.bug_c("dead relus")
    assert f"{c.initial_loss:.2f} before training" in verdict.hint
