"""Checkers of the chapter "Optimisers and regularisation": references and other correct forms pass,
stubs are not attempted, and realistic wrong answers (each known mistake, plus answers of other kinds:
inputs changed in place, a missing return, the wrong number of results, a mask from another generator)
are rejected with the hint meant for them, and only with it."""

import math

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

from nnlib import CosineDecay
from nnlib.exercises import core
from nnlib.exercises import optimizers as check
from nnlib.layers import Dropout

CHECKS = [check.momentum_step, check.rmsprop_step, check.adam_step, check.cosine_lr, check.dropout_forward]


@pytest.mark.parametrize("fn", CHECKS)
def test_stubs_are_not_attempted(fn):
    assert fn(stub).status == core.NOT_ATTEMPTED
    assert fn(lambda *args: ...).status == core.NOT_ATTEMPTED


def test_references_pass():
    assert check.momentum_step(check.momentum_step_reference).passed
    assert check.rmsprop_step(check.rmsprop_step_reference).passed
    assert check.adam_step(check.adam_step_reference).passed
    assert check.cosine_lr(check.cosine_lr_reference).passed
    assert check.dropout_forward(check.dropout_forward_reference).passed


def test_the_references_agree_with_nnlib():
    """The chapter's formulas are nnlib's: a cosine schedule, and dropout drawn from the same rng."""
    f = CosineDecay(0.1, total=100, warmup=10)
    assert all(math.isclose(check.cosine_lr_reference(t, 100, 0.1, 10), f(t)) for t in range(0, 150, 7))
    A = np.arange(12.0).reshape(3, 4)
    mine = check.dropout_forward_reference(A, 0.3, np.random.default_rng(5))
    assert np.allclose(mine, Dropout(0.3, rng=5).forward(A))


# --- momentum --------------------------------------------------------------------------------


def test_momentum_other_correct_forms_pass():
    def two_lines(w, v, grad, lr, mu):
        v = mu * v
        v = v - lr * grad
        return w + v, v

    assert check.momentum_step(two_lines).passed
    assert check.momentum_step(lambda w, v, g, lr, mu: [w + mu * v - lr * g, mu * v - lr * g]).passed  # a list


def _momentum_in_place(w, v, grad, lr, mu):
    v *= mu
    v -= lr * grad
    w += v
    return w, v


def _momentum_no_return(w, v, grad, lr, mu):
    v_new = mu * v - lr * grad
    w + v_new  # noqa: B018


MOMENTUM_WRONG = [
    (lambda w, v, g, lr, mu: (w + v - lr * g, v - lr * g), "no-decay"),
    (lambda w, v, g, lr, mu: (w + v, mu * v - lr * g), "old-velocity"),
    (lambda w, v, g, lr, mu: (w - lr * (mu * v + g), mu * v + g), "other-convention"),
    (lambda w, v, g, lr, mu: (w + mu * v + lr * g, mu * v + lr * g), "added-gradient"),
    (lambda w, v, g, lr, mu: (mu * v - lr * g, w + mu * v - lr * g), "swapped-results"),
    (_momentum_in_place, "in-place"),
    (_momentum_no_return, "returned-none"),
    (lambda w, v, g, lr, mu: w + mu * v - lr * g, "not-a-tuple"),
    (lambda w, v, g, lr, mu: ((w + mu * v - lr * g).round().astype(int), mu * v - lr * g), "int-array"),
]


def test_momentum_wrong_answers():
    assert_hints(check.momentum_step, MOMENTUM_WRONG)
    assert_covers(check._MOMENTUM_MISTAKES, MOMENTUM_WRONG)


# --- RMSProp ---------------------------------------------------------------------------------


def test_rmsprop_other_correct_forms_pass():
    def with_square(w, s, grad, lr, rho, eps):
        s_new = rho * s + (1 - rho) * np.square(grad)
        return w - lr * grad / (s_new**0.5 + eps), s_new

    assert check.rmsprop_step(with_square).passed


def _rms(s_of, step_of):
    def f(w, s, g, lr, rho, eps):
        s_new = s_of(s, g, rho)
        return w - step_of(g, s, s_new, lr, eps), s_new

    return f


_S = lambda s, g, rho: rho * s + (1 - rho) * g * g  # noqa: E731

RMSPROP_WRONG = [
    (_rms(_S, lambda g, s, sn, lr, eps: lr * g / (sn + eps)), "no-sqrt"),
    (_rms(_S, lambda g, s, sn, lr, eps: lr * g / (np.sqrt(s) + eps)), "old-s"),
    (
        _rms(lambda s, g, rho: (1 - rho) * s + rho * g * g, lambda g, s, sn, lr, eps: lr * g / (np.sqrt(sn) + eps)),
        "rho-swapped",
    ),  # fmt: skip
    (_rms(_S, lambda g, s, sn, lr, eps: lr * g / np.sqrt(sn + eps)), "eps-inside"),
    (_rms(_S, lambda g, s, sn, lr, eps: -lr * g / (np.sqrt(sn) + eps)), "added-step"),
    # two mistakes at once: no hint of either, only what is certain
    (
        _rms(lambda s, g, rho: (1 - rho) * s + rho * g * g, lambda g, s, sn, lr, eps: lr * g / (sn + eps)),
        "values-differ",
    ),  # fmt: skip
    (lambda w, s, g, lr, rho, eps: (w, s, g), "not-a-tuple"),
]


def test_rmsprop_wrong_answers():
    assert_hints(check.rmsprop_step, RMSPROP_WRONG)
    assert_covers(check._RMSPROP_MISTAKES, RMSPROP_WRONG)


# --- Adam ------------------------------------------------------------------------------------


def test_adam_other_correct_forms_pass():
    def corrected_lr(w, m, v, grad, t, lr, beta1, beta2, eps):
        # Kingma and Ba's efficient form moves the corrections into the learning rate; with eps
        # rescaled the same way it is the same step
        m_new = beta1 * m + (1 - beta1) * grad
        v_new = beta2 * v + (1 - beta2) * grad**2
        c2 = math.sqrt(1 - beta2**t)
        lr_t = lr * c2 / (1 - beta1**t)
        return w - lr_t * m_new / (np.sqrt(v_new) + eps * c2), m_new, v_new

    assert check.adam_step(corrected_lr).passed


def _adam(**kw):
    return check._adam(**kw)


def _adam_t_zero_based(w, m, v, g, t, lr, b1, b2, eps):
    t = t - 1  # as if the first step were t = 0: division by zero at t = 1
    m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
    return w - lr * (m_new / (1 - b1**t)) / (np.sqrt(v_new / (1 - b2**t)) + eps), m_new, v_new


ADAM_WRONG = [
    (_adam(correct=False), "no-bias-correction"),
    (_adam(keep_hat=True), "kept-corrected"),
    (_adam(t_shift=1), "t-plus-one"),
    (_adam(swapped=True), "beta-swapped"),
    (_adam(sqrt=False), "no-sqrt"),
    (_adam_t_zero_based, "t-minus-one"),
    (_adam(swapped=True, sqrt=False), "values-differ"),  # two mistakes at once
    (lambda w, m, v, g, t, lr, b1, b2, eps: (w - lr * g, m), "not-a-tuple"),
]


def test_adam_wrong_answers():
    assert_hints(check.adam_step, ADAM_WRONG)
    assert_covers(check._ADAM_MISTAKES, ADAM_WRONG)


def test_adam_mistakes_are_independent_of_the_helper():
    """The table's answers written out by hand get the same hints as the helper's."""

    def no_correction(w, m, v, g, t, lr, b1, b2, eps):
        m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
        return w - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new

    assert check.adam_step(no_correction).hint_id == "no-bias-correction"


# --- the cosine schedule ---------------------------------------------------------------------


def test_cosine_other_correct_forms_pass():
    def with_numpy(step, total_steps, lr_max, warmup_steps):
        if step < warmup_steps:
            return lr_max * (step + 1) / warmup_steps
        p = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0, 1)
        return float(lr_max * (1 + np.cos(np.pi * p)) / 2)

    assert check.cosine_lr(with_numpy).passed


def _cos_wrong(**kw):
    return check._cos(**kw)


COSINE_WRONG = [
    (_cos_wrong(warm_from_zero=True), "warmup-from-zero"),
    (_cos_wrong(p_from_zero=True), "progress-from-zero"),
    (_cos_wrong(clamp=False), "no-clamp"),
    (_cos_wrong(half=False), "no-half"),
    (lambda step, total, lr, warm: np.array([check.cosine_lr_reference(step, total, lr, warm)]), "array-not-number"),
    (lambda step, total, lr, warm: lr * (1 - step / total), "values-differ"),  # a linear decay
]


def test_cosine_wrong_answers():
    assert_hints(check.cosine_lr, COSINE_WRONG)
    assert_covers(check._COSINE_MISTAKES, COSINE_WRONG)


# --- dropout ---------------------------------------------------------------------------------


def test_dropout_other_correct_forms_pass():
    def with_where(A, rate, rng):
        u = rng.random(A.shape)
        return np.where(u >= rate, A / (1 - rate), 0.0)

    def with_uniform(A, rate, rng):
        return A * (rng.uniform(size=A.shape) >= rate) / (1 - rate)

    assert check.dropout_forward(with_where).passed
    assert check.dropout_forward(with_uniform).passed


def _global_rng(A, rate, rng):
    return A * (np.random.default_rng(123).random(A.shape) >= rate) / (1 - rate)


def _transposed_draw(A, rate, rng):
    return A * (rng.random(A.shape[::-1]).T >= rate) / (1 - rate)


def _in_place(A, rate, rng):
    A *= (rng.random(A.shape) >= rate) / (1 - rate)
    return A


DROPOUT_WRONG = [
    (check._drop(scale="none"), "no-scaling"),
    (check._drop(scale="rate"), "divided-by-rate"),
    (check._drop(scale="times"), "multiplied"),
    (check._drop(keep_below=True), "kept-with-rate"),
    (_global_rng, "other-mask"),
    (_transposed_draw, "other-mask"),
    (_in_place, "in-place"),
    (lambda A, rate, rng: (rng.random(A.shape) >= rate).astype(float), "values-differ"),  # the mask alone
]


def test_dropout_wrong_answers():
    assert_hints(check.dropout_forward, DROPOUT_WRONG)
    assert_covers(check._DROPOUT_MISTAKES, DROPOUT_WRONG)


def test_every_hint_has_three_parts():
    for mistakes in (
        check._MOMENTUM_MISTAKES,
        check._RMSPROP_MISTAKES,
        check._ADAM_MISTAKES,
        check._COSINE_MISTAKES,
        check._DROPOUT_MISTAKES,
    ):
        for m in mistakes:
            assert m.hint.what and m.hint.where and m.hint.fix, m.id
