"""Checkers of chapter 3, Loss functions: references pass, stubs are not attempted, realistic
wrong answers (no 1/2, not averaged, averaged over outputs, log(0), sign, an array or an int
where one float is asked for, a naive softmax in the gradient) are rejected with the hint meant
for them, and only with it."""

import numpy as np
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

from nnlib import activations as act
from nnlib.exercises import core
from nnlib.exercises import losses as check

EPS = 1e-12


def clip(a, hi=1 - EPS):
    return np.clip(a, EPS, hi)


# --- quadratic -----------------------------------------------------------------------------------


def quadratic_solution(a, y):
    n = a.shape[0]
    return 0.5 * np.sum((a - y) ** 2) / n


def test_quadratic_reference_and_stub():
    assert check.quadratic(quadratic_solution).passed
    assert check.quadratic(lambda a, y: np.mean(0.5 * np.sum((a - y) ** 2, axis=1))).passed
    assert check.quadratic(lambda a, y: np.array(quadratic_solution(a, y))).passed  # a 0-d array is one number
    assert check.mse is check.quadratic
    assert check.quadratic(stub).status == core.NOT_ATTEMPTED


QUADRATIC_WRONG = [
    (lambda a, y: np.sum((a - y) ** 2) / len(a), "no-half"),
    (lambda a, y: 0.5 * np.sum((a - y) ** 2), "not-averaged"),
    (lambda a, y: 0.5 * np.mean((a - y) ** 2), "mean-over-outputs"),
    (lambda a, y: np.mean((a - y) ** 2), "mean-over-outputs-no-half"),
    (lambda a, y: 0.5 * np.sum((a - y) ** 2, axis=1), "per-example"),
    (lambda a, y: 0.5 * np.sum(np.abs(a - y)) / len(a), "no-square"),
    # the right number in an array of shape (1,), or in a list
    (lambda a, y: np.mean(0.5 * np.sum((a - y) ** 2, axis=1, keepdims=True), axis=0), "array-not-number"),
    (lambda a, y: [quadratic_solution(a, y)], "list-not-array"),
]


def test_quadratic_wrong_answers():
    assert_hints(check.quadratic, QUADRATIC_WRONG)
    assert_covers(check._QUADRATIC_MISTAKES, QUADRATIC_WRONG)


def test_quadratic_not_averaged_is_caught_only_on_a_batch():
    v = check.quadratic(lambda a, y: 0.5 * np.sum((a - y) ** 2))
    assert "batch" in v.case  # one-example cases cannot tell a sum from a mean


# --- binary cross-entropy -----------------------------------------------------------------------


def bce_solution(a, y):
    a = np.clip(a, EPS, 1 - EPS)
    return -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.shape[0]


def test_bce_reference_and_stub():
    assert check.binary_cross_entropy(bce_solution).passed
    assert check.binary_cross_entropy(stub).status == core.NOT_ATTEMPTED


def test_bce_other_small_eps_is_accepted():
    def keras_like(a, y):
        a = np.clip(a, 1e-7, 1 - 1e-7)
        return -np.mean(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=1))

    assert check.binary_cross_entropy(keras_like).passed


BCE_WRONG = [
    (lambda a, y: -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / len(a), "no-clip"),
    (lambda a, y: np.sum(y * np.log(clip(a)) + (1 - y) * np.log(1 - clip(a))) / len(a), "sign"),
    (lambda a, y: -np.sum(y * np.log(clip(a)) + (1 - y) * np.log(1 - clip(a))), "not-averaged"),
    (lambda a, y: -np.mean(y * np.log(clip(a)) + (1 - y) * np.log(1 - clip(a))), "mean-over-outputs"),
    (lambda a, y: -np.sum(y * np.log(clip(a)) + (1 - y) * np.log(1 - clip(a)), axis=1), "per-example"),
    (lambda a, y: -np.sum(y * np.log(clip(a, 1))) / len(a), "only-first-term"),
    # right values, but log(0) computed on the branch np.where throws away
    (lambda a, y: -np.sum(np.where(y == 1, np.log(a), np.log(1 - a))) / len(a), "log-of-zero"),
    (lambda a, y: bce_solution(a, y) > 0, "bool"),
]


def test_bce_wrong_answers():
    assert_hints(check.binary_cross_entropy, BCE_WRONG)
    assert_covers(check._BCE_MISTAKES, BCE_WRONG)


# --- categorical cross-entropy ------------------------------------------------------------------


def cce_solution(a, y):
    return -np.sum(y * np.log(np.clip(a, EPS, 1.0))) / a.shape[0]


def test_cce_reference_and_stub():
    assert check.categorical_cross_entropy(cce_solution).passed
    assert check.categorical_cross_entropy(stub).status == core.NOT_ATTEMPTED


CCE_WRONG = [
    (lambda a, y: -np.sum(y * np.log(a)) / len(a), "no-clip"),
    (lambda a, y: np.sum(y * np.log(clip(a, 1))) / len(a), "sign"),
    (lambda a, y: -np.sum(y * np.log(clip(a, 1)), axis=1), "per-example"),
    (lambda a, y: -np.sum(y * np.log(clip(a, 1))), "not-averaged"),
    (lambda a, y: -np.mean(y * np.log(clip(a, 1))), "mean-over-outputs"),
    (lambda a, y: bce_solution(a, y), "binary-formula"),
    (lambda a, y: -np.mean(np.log(clip(a, 1))[np.arange(len(a)), y.argmax(axis=1)]), "argmax"),
    (lambda a, y: -np.sum(y * np.log(clip(a, 1))) // len(a), "values-differ"),
]


def test_cce_wrong_answers():
    assert_hints(check.categorical_cross_entropy, CCE_WRONG)
    assert_covers(check._CCE_MISTAKES, CCE_WRONG)


# --- gradient of softmax + cross-entropy ----------------------------------------------------------


def grad_solution(Z, Y):
    return (act.softmax(Z) - Y) / Z.shape[0]


def test_numerical_reference_agrees_with_the_formula():
    rng = np.random.default_rng(3)
    Z = rng.normal(size=(5, 4))
    Y = np.eye(4)[rng.integers(0, 4, size=5)]
    Z_before = Z.copy()
    np.testing.assert_allclose(check.numerical_softmax_ce_grad(Z, Y), grad_solution(Z, Y), atol=1e-8)
    np.testing.assert_array_equal(Z, Z_before)  # the reference does not disturb its input
    for case in check._GRAD_CASES:  # including the scores around 1000
        np.testing.assert_allclose(check.numerical_softmax_ce_grad(*case.args), grad_solution(*case.args), atol=1e-8)


def test_grad_reference_and_stub():
    assert check.softmax_cross_entropy_grad(grad_solution).passed
    assert check.softmax_cross_entropy_grad(stub).status == core.NOT_ATTEMPTED

    def via_chain_rule(Z, Y):
        """A different but correct route: dC/da through the softmax Jacobian."""
        A = act.softmax(Z)
        grad_a = -Y / A / Z.shape[0]
        return act.softmax_backward(Z, A, grad_a)

    assert check.softmax_cross_entropy_grad(via_chain_rule).passed


GRAD_WRONG = [
    (lambda Z, Y: act.softmax(Z) - Y, "not-averaged"),
    (lambda Z, Y: (Y - act.softmax(Z)) / len(Z), "sign"),
    (lambda Z, Y: (Z - Y) / len(Z), "no-softmax"),
    (lambda Z, Y: -Y / act.softmax(Z) / len(Z), "grad-wrt-a"),
    (lambda Z, Y: (act.softmax(Z) - Y) / Z.size, "mean-over-classes"),
    (lambda Z, Y: (act.sigmoid(Z) - Y) / len(Z), "sigmoid"),
    # a softmax that is not stable: right for small scores, NaN for scores around 1000
    (lambda Z, Y: (np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True) - Y) / len(Z), "naive-softmax"),
    (lambda Z, Y: ((act.softmax(Z) - Y) / len(Z)).tolist(), "list-not-array"),
]


def test_grad_wrong_answers():
    assert_hints(check.softmax_cross_entropy_grad, GRAD_WRONG)
    assert_covers(check._GRAD_MISTAKES, GRAD_WRONG)


def test_grad_not_averaged_passes_single_example_but_fails_batch():
    v = check.softmax_cross_entropy_grad(lambda Z, Y: act.softmax(Z) - Y)
    assert v.case.startswith("a batch of three")
    np.testing.assert_allclose(v.received, v.expected * 3, rtol=1e-5)


def test_the_howto_page_shows_the_real_verdict():
    """book/exercises-howto.md quotes the first verdict for a forgotten 1/n, word for word."""
    from pathlib import Path

    page = (Path(__file__).resolve().parents[1] / "book" / "exercises-howto.md").read_text(encoding="utf-8")
    shown = page.split("```text\n", 1)[1].split("```", 1)[0].rstrip("\n")
    v = check.quadratic(lambda a, y: 0.5 * np.sum((a - y) ** 2))
    assert shown == str(v)
    again = check.quadratic(lambda a, y: 0.5 * np.sum((a - y) ** 2))
    assert f"`where: {again.hint_rows[1][1]}`" in page.replace("\n", " ")
