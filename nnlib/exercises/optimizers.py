"""Checks for the exercises of the chapter *Optimisers and regularisation*.

In the chapter::

    from nnlib.exercises import optimizers as check
    check.momentum_step(momentum_step)
    check.rmsprop_step(rmsprop_step)
    check.adam_step(adam_step)
    check.cosine_lr(cosine_lr)
    check.dropout_forward(dropout_forward)

Each function prints one verdict (not attempted yet / correct / wrong with a
hint) and never raises in a normal run.

The three optimiser steps take the parameters and the optimiser's state as arrays
and return new arrays (a tuple: the new parameters first, then the new state), as
:mod:`nnlib.optimizers` computes them; the cases use matrices that are not square,
states that are not zero, and steps far from the first, so that a formula right only
at the start (no bias correction, the old state used) fails. The schedule returns one
float; dropout draws its mask from the ``rng`` it is given, exactly as the task says.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "momentum_step": Exercise("ex-optimizers-momentum", "One step of momentum", "momentum_step"),
    "rmsprop_step": Exercise("ex-optimizers-rmsprop", "One step of RMSProp", "rmsprop_step"),
    "adam_step": Exercise("ex-optimizers-adam", "One step of Adam, with its bias correction", "adam_step"),
    "cosine_lr": Exercise("ex-optimizers-cosine", "A cosine schedule with warm-up", "cosine_lr"),
    "dropout_forward": Exercise("ex-optimizers-dropout", "Inverted dropout", "dropout_forward"),
}


def _arrays(n: int, names: str) -> Callable[[Any], core.TypeProblem | None]:
    """The task asks for a tuple of ``n`` new float arrays, ``names`` (for the messages)."""

    def problem(value: Any) -> core.TypeProblem | None:
        if not isinstance(value, (tuple, list)) or len(value) != n:
            got = f"a {type(value).__name__}" if not isinstance(value, (tuple, list)) else f"{len(value)} values"
            return (
                "not-a-tuple",
                f"Your function returns {got}; the task asks for the {n} arrays ({names}).",
                Hint(
                    f"Your function returns {got}, not the {n} arrays {names}.",
                    f"Look at the return line: it should return them all, in this order: `return {names}`.",
                    f"Compute each one, then `return {names}`.",
                ),
            )
        for i, v in enumerate(value):
            found = core.float_array(v)
            if found:
                hint_id, message, hint = found
                return hint_id, f"Item {i} of what you return: {message[0].lower()}{message[1:]}", hint
        return None

    return problem


def _rounded(rng: np.random.Generator, shape) -> np.ndarray:
    return np.round(rng.normal(size=shape), 2)


# --- 1. momentum -----------------------------------------------------------------------------


def momentum_step_reference(w, v, grad, lr, mu):
    """``v' = mu v - lr g``, ``w' = w + v'``; returns ``(w', v')`` as new arrays."""
    v_new = mu * v - lr * grad
    return w + v_new, v_new


_MOMENTUM_MISTAKES = [
    Mistake(
        "no-decay",
        lambda w, v, g, lr, mu: (w + (v - lr * g), v - lr * g),
        Hint(
            "Your velocity never forgets: mu is missing, so every old gradient keeps its full weight.",
            "Look at the line that makes the new velocity: the old velocity is multiplied by mu.",
            "v_new = mu * v - lr * grad.",
        ),
    ),
    Mistake(
        "old-velocity",
        lambda w, v, g, lr, mu: (w + v, mu * v - lr * g),
        Hint(
            "Your new velocity is right, but the weights moved by the *old* velocity.",
            "Look at the order of your two lines: the weights take the step with the velocity just computed.",
            "Compute v_new first, then w_new = w + v_new.",
        ),
    ),
    Mistake(
        "other-convention",
        lambda w, v, g, lr, mu: (w - lr * (mu * v + g), mu * v + g),
        Hint(
            "You used the other common convention, v = mu v + g and w = w - lr v (PyTorch's), "
            "whose velocity has no learning rate in it.",
            "Look at the task's two formulas: here the velocity is a step, with the learning rate "
            "inside it, and the weights simply add it.",
            "v_new = mu * v - lr * grad, then w_new = w + v_new.",
        ),
    ),
    Mistake(
        "added-gradient",
        lambda w, v, g, lr, mu: (w + (mu * v + lr * g), mu * v + lr * g),
        Hint(
            "Your velocity goes *up* the slope: the gradient was added.",
            "Look at the sign in front of lr * grad in the velocity.",
            "v_new = mu * v - lr * grad.",
        ),
    ),
    Mistake(
        "swapped-results",
        lambda w, v, g, lr, mu: (mu * v - lr * g, w + mu * v - lr * g),
        Hint(
            "Both arrays are right, but in the wrong order.",
            "Look at the return line: the weights come first, then the velocity.",
            "return w_new, v_new.",
        ),
    ),
]


def _momentum_cases() -> list[Case]:
    rng = np.random.default_rng(11)
    return [
        Case((np.array([1.0, -2.0]), np.array([0.5, 0.0]), np.array([0.2, -0.4]), 0.1, 0.9), label="two weights"),
        Case(
            (_rounded(rng, (3, 2)), _rounded(rng, (3, 2)), _rounded(rng, (3, 2)), 0.05, 0.5),
            label="a (3, 2) weight matrix",
        ),
        Case(
            (_rounded(rng, (2, 4)) * 100, _rounded(rng, (2, 4)), _rounded(rng, (2, 4)) * 10, 0.3, 0.99),
            label="large weights and gradients, mu = 0.99",
        ),
    ]


@saves("momentum_step")
def momentum_step(fn: Callable | None) -> Verdict:
    """Check ``momentum_step(w, v, grad, lr, mu) -> (w_new, v_new)``."""
    return core.check_function(
        EXERCISES["momentum_step"],
        fn,
        momentum_step_reference,
        _momentum_cases(),
        _MOMENTUM_MISTAKES,
        arg_names=["w", "v", "grad", "lr", "mu"],
        returns=_arrays(2, "w_new, v_new"),
    )


# --- 2. RMSProp ------------------------------------------------------------------------------


def rmsprop_step_reference(w, s, grad, lr, rho, eps):
    """``s' = rho s + (1 - rho) g^2``, ``w' = w - lr g / (sqrt(s') + eps)``; returns ``(w', s')``."""
    s_new = rho * s + (1 - rho) * grad**2
    return w - lr * grad / (np.sqrt(s_new) + eps), s_new


def _rms(s_fn, step_fn):
    """A wrong RMSProp made of a running mean ``s_fn(s, g, rho)`` and a step ``step_fn(g, s, s_new, lr, eps)``."""

    def wrong(w, s, g, lr, rho, eps):
        s_new = s_fn(s, g, rho)
        return w - step_fn(g, s, s_new, lr, eps), s_new

    return wrong


_RIGHT_S = lambda s, g, rho: rho * s + (1 - rho) * g**2  # noqa: E731
_RIGHT_STEP = lambda g, s, s_new, lr, eps: lr * g / (np.sqrt(s_new) + eps)  # noqa: E731

_RMSPROP_MISTAKES = [
    Mistake(
        "no-sqrt",
        _rms(_RIGHT_S, lambda g, s, s_new, lr, eps: lr * g / (s_new + eps)),
        Hint(
            "Your step divides by the running mean of g^2 itself, not by its square root.",
            "Look at the denominator of the step: s holds squared gradients, so its size is sqrt(s).",
            "w_new = w - lr * grad / (np.sqrt(s_new) + eps).",
        ),
    ),
    Mistake(
        "old-s",
        _rms(_RIGHT_S, lambda g, s, s_new, lr, eps: lr * g / (np.sqrt(s) + eps)),
        Hint(
            "Your running mean is right, but the step divides by the *old* one.",
            "Look at which s the step uses: the new s, which already includes this gradient.",
            "Compute s_new first, then w_new = w - lr * grad / (np.sqrt(s_new) + eps).",
        ),
    ),
    Mistake(
        "rho-swapped",
        _rms(lambda s, g, rho: (1 - rho) * s + rho * g**2, _RIGHT_STEP),
        Hint(
            "Your running mean gives the new g^2 the weight rho and the old mean 1 - rho: swapped.",
            "Look at the two weights of the running mean: rho (close to 1) keeps the past.",
            "s_new = rho * s + (1 - rho) * grad**2.",
        ),
    ),
    Mistake(
        "eps-inside",
        _rms(_RIGHT_S, lambda g, s, s_new, lr, eps: lr * g / np.sqrt(s_new + eps)),
        Hint(
            "Your eps is inside the square root; this chapter (and nnlib) adds it after: sqrt(s) + eps. "
            "The two differ when eps is not tiny, as in the last case.",
            "Look at the denominator of the step.",
            "w_new = w - lr * grad / (np.sqrt(s_new) + eps).",
        ),
    ),
    Mistake(
        "added-step",
        _rms(_RIGHT_S, lambda g, s, s_new, lr, eps: -lr * g / (np.sqrt(s_new) + eps)),
        Hint(
            "Your step goes *up* the slope: you added it.",
            "Look at the sign of the update of w.",
            "w_new = w - lr * grad / (np.sqrt(s_new) + eps).",
        ),
    ),
]


def _rmsprop_cases() -> list[Case]:
    rng = np.random.default_rng(12)
    return [
        Case(
            (np.array([1.0, -2.0]), np.array([0.04, 0.01]), np.array([0.2, -0.4]), 0.1, 0.9, 1e-8), label="two weights"
        ),
        Case(
            (_rounded(rng, (3, 2)), np.abs(_rounded(rng, (3, 2))) + 0.1, _rounded(rng, (3, 2)), 0.01, 0.99, 1e-8),
            label="a (3, 2) weight matrix",
        ),
        Case(
            (_rounded(rng, (2, 4)), np.abs(_rounded(rng, (2, 4))), _rounded(rng, (2, 4)) * 50, 0.5, 0.5, 0.5),
            label="large gradients, a large eps = 0.5",
        ),
    ]


@saves("rmsprop_step")
def rmsprop_step(fn: Callable | None) -> Verdict:
    """Check ``rmsprop_step(w, s, grad, lr, rho, eps) -> (w_new, s_new)``."""
    return core.check_function(
        EXERCISES["rmsprop_step"],
        fn,
        rmsprop_step_reference,
        _rmsprop_cases(),
        _RMSPROP_MISTAKES,
        arg_names=["w", "s", "grad", "lr", "rho", "eps"],
        returns=_arrays(2, "w_new, s_new"),
    )


# --- 3. Adam ---------------------------------------------------------------------------------


def adam_step_reference(w, m, v, grad, t, lr, beta1, beta2, eps):
    """One Adam step at step number ``t`` (1 for the first); returns ``(w', m', v')``, m' and v' uncorrected."""
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad**2
    m_hat = m_new / (1 - beta1**t)  # bias correction
    v_hat = v_new / (1 - beta2**t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def _adam(t_shift=0, correct=True, keep_hat=False, swapped=False, sqrt=True):
    """A wrong Adam step, for the mistakes below."""

    def wrong(w, m, v, g, t, lr, b1, b2, eps):
        if swapped:
            m_new, v_new = b1 * g + (1 - b1) * m, b2 * g**2 + (1 - b2) * v
        else:
            m_new, v_new = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
        tt = t + t_shift
        m_hat = m_new / (1 - b1**tt) if correct else m_new
        v_hat = v_new / (1 - b2**tt) if correct else v_new
        w_new = w - lr * m_hat / ((np.sqrt(v_hat) if sqrt else v_hat) + eps)
        return (w_new, m_hat, v_hat) if keep_hat else (w_new, m_new, v_new)

    return wrong


_ADAM_MISTAKES = [
    Mistake(
        "no-bias-correction",
        _adam(correct=False),
        Hint(
            "Your m and v are right, but the step uses them without the bias correction.",
            "Look at the step: m and v start at 0, so early on they are too small by the factors "
            "1 - beta1**t and 1 - beta2**t; the step divides each by its factor first.",
            "m_hat = m_new / (1 - beta1**t), v_hat = v_new / (1 - beta2**t), then "
            "w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps).",
        ),
    ),
    Mistake(
        "kept-corrected",
        _adam(keep_hat=True),
        Hint(
            "Your new weights are right, but you return the *corrected* m_hat and v_hat as the new state.",
            "Look at the return line: the state kept for the next step is the running means m_new, "
            "v_new; the correction is only for this step's update.",
            "return w_new, m_new, v_new.",
        ),
    ),
    Mistake(
        "t-plus-one",
        _adam(t_shift=1),
        Hint(
            "Your bias correction uses t + 1: t is already this step's number (1 for the first step).",
            "Look at the exponent in 1 - beta1**t and 1 - beta2**t: no t += 1 is needed.",
            "m_hat = m_new / (1 - beta1**t), v_hat = v_new / (1 - beta2**t).",
        ),
    ),
    Mistake(
        "t-minus-one",
        _adam(t_shift=-1),
        Hint(
            "Your bias correction uses t - 1, as if the first step were t = 0: at t = 1 it divides by 1 - beta**0 = 0.",
            "Look at the exponent in 1 - beta1**t and 1 - beta2**t: t is already this step's number, "
            "1 for the first step.",
            "m_hat = m_new / (1 - beta1**t), v_hat = v_new / (1 - beta2**t).",
        ),
    ),
    Mistake(
        "beta-swapped",
        _adam(swapped=True),
        Hint(
            "Your running means give the new gradient the weight beta and the past 1 - beta: swapped.",
            "Look at the two running means: beta (close to 1) is the weight of the old m and v.",
            "m_new = beta1 * m + (1 - beta1) * grad, v_new = beta2 * v + (1 - beta2) * grad**2.",
        ),
    ),
    Mistake(
        "no-sqrt",
        _adam(sqrt=False),
        Hint(
            "Your step divides by v_hat, not by its square root.",
            "Look at the denominator: v holds squared gradients, so the gradient's size is sqrt(v_hat).",
            "w_new = w - lr * m_hat / (np.sqrt(v_hat) + eps).",
        ),
    ),
]


def _adam_cases() -> list[Case]:
    rng = np.random.default_rng(13)
    zeros = np.zeros((3, 2))
    return [
        Case(
            (np.array([1.0, -2.0]), np.array([0.1, -0.2]), np.array([0.01, 0.04]), np.array([0.2, -0.4]))
            + (3, 0.1, 0.9, 0.999, 1e-8),
            label="two weights, step t = 3",
        ),
        Case((_rounded(rng, (3, 2)), zeros, zeros, _rounded(rng, (3, 2)), 1, 0.01, 0.9, 0.999, 1e-8), label="t = 1"),
        Case(
            (_rounded(rng, (2, 4)), _rounded(rng, (2, 4)), np.abs(_rounded(rng, (2, 4))), _rounded(rng, (2, 4)) * 10)
            + (100, 0.001, 0.8, 0.99, 1e-8),
            label="step t = 100, other betas",
        ),
    ]


@saves("adam_step")
def adam_step(fn: Callable | None) -> Verdict:
    """Check ``adam_step(w, m, v, grad, t, lr, beta1, beta2, eps) -> (w_new, m_new, v_new)``."""
    return core.check_function(
        EXERCISES["adam_step"],
        fn,
        adam_step_reference,
        _adam_cases(),
        _ADAM_MISTAKES,
        arg_names=["w", "m", "v", "grad", "t", "lr", "beta1", "beta2", "eps"],
        returns=_arrays(3, "w_new, m_new, v_new"),
    )


# --- 4. a cosine schedule with warm-up -------------------------------------------------------


def cosine_lr_reference(step, total_steps, lr_max, warmup_steps):
    """The learning rate of step ``step`` (0, 1, ...): linear warm-up, then half a cosine down to 0."""
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps
    p = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return lr_max * 0.5 * (1 + math.cos(math.pi * p))


def _cos(warm_from_zero=False, p_from_zero=False, clamp=True, half=True):
    def wrong(step, total, lr_max, warmup):
        if step < warmup:
            return lr_max * (step if warm_from_zero else step + 1) / warmup
        p = step / total if p_from_zero else (step - warmup) / (total - warmup)
        if clamp:
            p = min(1.0, p)
        return lr_max * (0.5 if half else 1.0) * (1 + math.cos(math.pi * p))

    return wrong


_COSINE_MISTAKES = [
    Mistake(
        "warmup-from-zero",
        _cos(warm_from_zero=True),
        Hint(
            "Your warm-up starts at 0: the first step (step 0) would not move the weights at all.",
            "Look at the warm-up line: step 0 is the first step, and its rate is lr_max * 1 / warmup_steps.",
            "lr_max * (step + 1) / warmup_steps.",
        ),
    ),
    Mistake(
        "progress-from-zero",
        _cos(p_from_zero=True),
        Hint(
            "Your cosine starts counting at step 0, not at the end of the warm-up.",
            "Look at the progress p: it is 0 at the first step after the warm-up and 1 at total_steps.",
            "p = (step - warmup_steps) / (total_steps - warmup_steps).",
        ),
    ),
    Mistake(
        "no-clamp",
        _cos(clamp=False),
        Hint(
            "After total_steps your rate climbs back up: the cosine went on past p = 1.",
            "Look at the progress p for a step beyond total_steps: it must stop at 1.",
            "p = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps)).",
        ),
    ),
    Mistake(
        "no-half",
        _cos(half=False),
        Hint(
            "Your rate starts at 2 * lr_max: 1 + cos(...) goes from 2 to 0.",
            "Look at the factor in front of 1 + cos(pi * p).",
            "lr_max * 0.5 * (1 + math.cos(math.pi * p)).",
        ),
    ),
]


def _cosine_cases() -> list[Case]:
    return [
        Case((0, 100, 0.1, 10), label="the first step, during the warm-up"),
        Case((4, 100, 0.1, 10), label="during the warm-up"),
        Case((10, 100, 0.1, 10), label="the first step after the warm-up"),
        Case((55, 100, 0.1, 10), label="half-way through the cosine"),
        Case((70, 100, 0.5, 20), label="another warm-up and rate"),
        Case((30, 40, 1.0, 0), label="no warm-up"),
        Case((150, 100, 0.1, 10), label="after total_steps"),
    ]


@saves("cosine_lr")
def cosine_lr(fn: Callable | None) -> Verdict:
    """Check ``cosine_lr(step, total_steps, lr_max, warmup_steps) -> float``."""
    return core.check_function(
        EXERCISES["cosine_lr"],
        fn,
        cosine_lr_reference,
        _cosine_cases(),
        _COSINE_MISTAKES,
        arg_names=["step", "total_steps", "lr_max", "warmup_steps"],
        returns=core.number,
        atol=1e-12,
    )


# --- 5. inverted dropout ---------------------------------------------------------------------


def dropout_forward_reference(A, rate, rng):
    """``A * mask / (1 - rate)`` with ``mask = rng.random(A.shape) >= rate``, as a new array."""
    keep = rng.random(A.shape) >= rate
    return A * keep / (1 - rate)


def _drop(scale: str = "right", keep_below: bool = False):
    def wrong(A, rate, rng):
        u = rng.random(A.shape)
        keep = u < rate if keep_below else u >= rate
        factor = {"right": 1 / (1 - rate), "none": 1.0, "rate": 1 / rate, "times": 1 - rate}[scale]
        return A * keep * factor

    return wrong


_DROPOUT_MISTAKES = [
    Mistake(
        "no-scaling",
        _drop(scale="none"),
        Hint(
            "Your mask is right, but the kept activations are not scaled up: on average the layer "
            "above now sees (1 - rate) times smaller inputs in training than in evaluation.",
            "Look at what multiplies the kept activations: inverted dropout divides them by the "
            "probability of keeping.",
            "return A * mask / (1 - rate).",
        ),
    ),
    Mistake(
        "divided-by-rate",
        _drop(scale="rate"),
        Hint(
            "You divided by rate, the probability of *dropping*, instead of 1 - rate, that of keeping.",
            "Look at the scaling: E[mask] = 1 - rate is what the division must cancel.",
            "return A * mask / (1 - rate).",
        ),
    ),
    Mistake(
        "multiplied",
        _drop(scale="times"),
        Hint(
            "You multiplied by 1 - rate, which makes the kept activations smaller: that is the "
            "evaluation-time scaling of the original dropout, not inverted dropout.",
            "Look at the scaling: in training the kept activations grow, so that evaluation needs no change.",
            "return A * mask / (1 - rate).",
        ),
    ),
    Mistake(
        "kept-with-rate",
        _drop(keep_below=True),
        Hint(
            "Your mask keeps each unit with probability rate: rate is the probability of *dropping* it.",
            "Look at the comparison that makes the mask: u < rate drops a unit.",
            "mask = rng.random(A.shape) >= rate.",
        ),
    ),
]


def _dropout_explain(received: Any, case: Case) -> tuple[str, Hint] | None:
    """Right kind of values (0 or A / (1 - rate)) but another mask: not drawn as the task says."""
    A, rate = case.args[0], case.args[1]
    if not isinstance(received, np.ndarray) or received.shape != A.shape:
        return None
    kept = A / (1 - rate)
    if np.all(np.isclose(received, 0) | np.isclose(received, kept)):
        return "other-mask", Hint(
            "Your values are 0 or A / (1 - rate), as they should be, but they are not where the "
            "check's draw puts them: your mask was drawn in another way.",
            "Look at how the mask is drawn: exactly one call, rng.random(A.shape), from the rng "
            "argument (not np.random, not a new generator, not another distribution).",
            "mask = rng.random(A.shape) >= rate.",
        )
    return None


def _dropout_cases() -> list[Case]:
    rng = np.random.default_rng(14)
    return [
        Case(
            (np.array([[1.0, 2.0, 3.0, 4.0]]), 0.5, np.random.default_rng(0)),
            label="one row, rate 0.5",
            shown="A = [[1., 2., 3., 4.]], rate = 0.5, rng = np.random.default_rng(0)",
        ),
        Case(
            (_rounded(rng, (5, 3)), 0.2, np.random.default_rng(1)),
            label="a (5, 3) batch, rate 0.2",
            shown="A: a (5, 3) batch of rounded N(0, 1) values, rate = 0.2, rng = np.random.default_rng(1)",
        ),
        Case(
            (_rounded(rng, (40, 30)) + 3, 0.7, np.random.default_rng(2)),
            label="a (40, 30) batch, rate 0.7",
            shown="A: a (40, 30) batch of values around 3, rate = 0.7, rng = np.random.default_rng(2)",
        ),
    ]


@saves("dropout_forward")
def dropout_forward(fn: Callable | None) -> Verdict:
    """Check ``dropout_forward(A, rate, rng)``: ``A * (rng.random(A.shape) >= rate) / (1 - rate)``."""
    return core.check_function(
        EXERCISES["dropout_forward"],
        fn,
        dropout_forward_reference,
        _dropout_cases(),
        _DROPOUT_MISTAKES,
        arg_names=["A", "rate", "rng"],
        returns=core.float_array,
        explain=_dropout_explain,
    )
