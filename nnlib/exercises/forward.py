"""Checks for chapter 4, *Forward propagation*.

In the chapter::

    from nnlib.exercises import forward as check
    check.dense_forward(dense_forward)

Conventions checked (see ``book/notation.md``): a batch ``X`` has one row per
example, shape ``(n, n_in)``; a layer's ``W`` has shape ``(n_in, n_out)`` and
``b`` shape ``(n_out,)``, so ``Z = X @ W + b`` has shape ``(n, n_out)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..activations import sigmoid
from . import core
from .core import Case, Mistake, Verdict

# --- ex-forward-layer: one dense layer --------------------------------------------


def _dense_forward(X: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    return sigmoid(X @ W + b)  # (n, n_out)


def _layer_case(n: int, n_in: int, n_out: int, seed: int, label: str) -> Case:
    rng = np.random.default_rng(seed)
    return Case(
        (
            np.round(rng.normal(size=(n, n_in)), 2),
            np.round(rng.normal(size=(n_in, n_out)), 2),
            np.round(rng.normal(size=n_out), 2),
        ),
        label=label,
    )


DENSE_CASES = [
    # square W first, so that a transposed W still runs and the hint can name it
    _layer_case(1, 2, 2, 0, "one example, 2 inputs, 2 neurons"),
    _layer_case(3, 2, 2, 1, "a batch of 3 examples, 2 inputs, 2 neurons"),
    _layer_case(4, 3, 2, 2, "a batch of 4 examples, 3 inputs, 2 neurons"),
    _layer_case(5, 4, 3, 3, "a batch of 5 examples, 4 inputs, 3 neurons"),
]

DENSE_MISTAKES = [
    Mistake(
        "forgot-activation",
        lambda X, W, b: X @ W + b,
        "You returned the weighted input Z = X W + b. The layer's output is the activation "
        "A = sigmoid(Z): apply `sigmoid` to Z.",
    ),
    Mistake(
        "forgot-bias",
        lambda X, W, b: sigmoid(X @ W),
        "The bias is missing: Z = X @ W + b, with b added to every row (every example).",
    ),
    Mistake(
        "transposed-weights",
        lambda X, W, b: sigmoid(X @ W.T + b),
        "You used W.T. In this book W has shape (n_in, n_out): column j holds neuron j's "
        "weights, so Z = X @ W needs no transpose.",
    ),
    Mistake(
        "bias-wrong-axis",
        lambda X, W, b: sigmoid(X @ W + b[:, None]),
        "The bias was broadcast along the wrong axis: b[:, None] (a column) adds b[j] to the "
        "rows of example j. b has one entry per neuron (column), so add it as it is: X @ W + b.",
    ),
    Mistake(
        "column-convention",
        lambda X, W, b: sigmoid(W.T @ X.T + b[:, None]),
        "Your result is the transpose of the expected one: you used the column-vector form "
        "W^T x. Here rows are examples, so Z = X @ W + b has shape (n, n_out).",
    ),
    Mistake(
        "activation-before-bias",
        lambda X, W, b: sigmoid(X @ W) + b,
        "The bias goes inside the activation: A = sigmoid(X @ W + b), not sigmoid(X @ W) + b.",
    ),
]


def dense_forward(fn: Callable | None) -> Verdict:
    """Check ``dense_forward(X, W, b) -> A = sigmoid(X @ W + b)``, shape ``(n, n_out)``."""
    return _refine_raised(
        core.check_function(
            "ex-forward-layer", fn, _dense_forward, DENSE_CASES, DENSE_MISTAKES, arg_names=["X", "W", "b"]
        )
    )


# --- ex-forward-count: counting parameters ------------------------------------------


def _count_parameters(sizes: Sequence[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


# [2, 3] first: each mistake below gives a different count there, so its hint is the one shown.
COUNT_CASES = [
    Case(([2, 3],)),
    Case(([2, 3, 1],)),
    Case(([3, 4, 4, 2],)),
    Case(([784, 30, 10],)),
    Case(([1, 1, 1, 1, 1],), label="five layers of one neuron"),
]

COUNT_MISTAKES = [
    Mistake(
        "forgot-biases",
        lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])),
        "You counted the weights only. Every neuron outside the input layer also has one bias.",
    ),
    Mistake(
        "input-biases",
        lambda sizes: _count_parameters(sizes) + sizes[0],
        "The input layer has no biases (its 'neurons' just hold x): count biases for sizes[1:] only.",
    ),
    Mistake(
        "bias-per-input",
        lambda sizes: sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:])),
        "A layer has one bias per neuron, that is n_out biases (not n_in).",
    ),
    Mistake(
        "counted-neurons",
        lambda sizes: sum(sizes),
        "That is the number of neurons. Count the parameters: a layer n_in -> n_out has a "
        "weight matrix of n_in * n_out entries and n_out biases.",
    ),
    Mistake(
        "squares",
        lambda sizes: sum(s * s + s for s in sizes[1:]),
        "Each layer's weight matrix is n_in x n_out, where n_in is the size of the layer "
        "*before*: pair consecutive sizes, e.g. zip(sizes[:-1], sizes[1:]).",
    ),
]


def count_parameters(fn: Callable | None) -> Verdict:
    """Check ``count_parameters(sizes) -> int``: weights plus biases of a network."""
    return core.check_function(
        "ex-forward-count", fn, _count_parameters, COUNT_CASES, COUNT_MISTAKES, arg_names=["sizes"], rtol=0, atol=0
    )


# --- ex-forward-network: a whole network ---------------------------------------------


def _network_forward(X: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(A @ W + b)
    return A


def _network_case(n: int, sizes: list[int], seed: int, label: str) -> Case:
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, sizes[0])), 2)
    weights = [np.round(rng.normal(size=(a, b)), 2) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.round(rng.normal(size=b), 2) for b in sizes[1:]]
    return Case((X, weights, biases), label=label)


def _last_linear(X, weights, biases):
    A = X
    for W, b in zip(weights[:-1], biases[:-1]):
        A = sigmoid(A @ W + b)
    return A @ weights[-1] + biases[-1]


def _returned_in_loop(X, weights, biases):
    return sigmoid(X @ weights[0] + biases[0])


def _reused_input(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = sigmoid(X @ W + b)
    return A


def _no_activation(X, weights, biases):
    A = X
    for W, b in zip(weights, biases):
        A = A @ W + b
    return A


NETWORK_CASES = [
    _network_case(1, [2, 2, 2], 10, "one example through sizes [2, 2, 2]"),
    _network_case(3, [2, 2, 2], 11, "3 examples through sizes [2, 2, 2]"),
    _network_case(4, [3, 5, 2], 12, "4 examples through sizes [3, 5, 2]"),
    _network_case(5, [2, 4, 3, 1], 13, "5 examples through sizes [2, 4, 3, 1]"),
]

NETWORK_MISTAKES = [
    Mistake(
        "returned-in-loop",
        _returned_in_loop,
        "Only the first layer was applied: is your `return` indented inside the loop? "
        "Return after the loop has gone through every layer.",
    ),
    Mistake(
        "reused-input",
        _reused_input,
        "Each layer must take the previous layer's output: inside the loop use A = sigmoid(A @ W + b), not X @ W.",
    ),
    Mistake(
        "last-layer-linear",
        _last_linear,
        "The output layer is a layer of sigmoid neurons too: apply sigmoid after the last weighted input as well.",
    ),
    Mistake(
        "no-activation",
        _no_activation,
        "No activation was applied: every layer computes A = sigmoid(A @ W + b). Without "
        "sigmoid a stack of layers is just one big linear map.",
    ),
]


def network_forward(fn: Callable | None) -> Verdict:
    """Check ``network_forward(X, weights, biases) -> A^L`` with sigmoid in every layer."""
    return _refine_raised(
        core.check_function(
            "ex-forward-network",
            fn,
            _network_forward,
            NETWORK_CASES,
            NETWORK_MISTAKES,
            arg_names=["X", "weights", "biases"],
        )
    )


# --- ex-forward-init: scaled Gaussian initialisation -----------------------------------

INIT_SHAPE = (400, 300)  # (n_in, n_out): 120 000 weights, so the sample std is within ~0.5 %


def scaled_gaussian(fn: Callable | None) -> Verdict:
    """Check ``scaled_gaussian(n_in, n_out, rng)``: shape ``(n_in, n_out)``, std ``1/sqrt(n_in)``.

    A statistical check (any correct way of drawing the numbers passes): the
    shape, that the same generator state gives the same matrix (so the
    function uses ``rng`` and nothing global), mean near 0 and standard
    deviation within 3 % of ``1/sqrt(n_in)``.
    """
    ex = "ex-forward-init"
    if core.is_stub(fn):
        return core.not_attempted(ex)
    n_in, n_out = INIT_SHAPE
    case = f"n_in = {n_in}, n_out = {n_out}, rng = np.random.default_rng(0)"
    outcome, W, _ = core.call(fn, (n_in, n_out, np.random.default_rng(0)), {})
    if outcome == "stub":
        return core.not_attempted(ex)
    if outcome == "raised":
        return core.wrong(
            ex,
            f"Your function raised {type(W).__name__}: {W}",
            case=case,
            hint_id="raised",
            hint="Run it on the input shown to reproduce the error.",
        )
    if W is None:
        return core.wrong(
            ex,
            "Your function returned None.",
            case=case,
            hint_id="returned-none",
            hint="Did you forget the `return` statement?",
        )
    try:
        W = np.asarray(W, dtype=float)
    except (TypeError, ValueError):
        return core.wrong(ex, f"Return a numpy array, not a {type(W).__name__}.", case=case, hint_id="not-numeric")
    if W.shape != (n_in, n_out):
        if W.shape == (n_out, n_in):
            return core.wrong(
                ex,
                f"The matrix has shape {W.shape}, expected {(n_in, n_out)}.",
                case=case,
                hint_id="transposed",
                hint="W has one row per input and one column per neuron: draw an array of shape (n_in, n_out).",
            )
        return core.wrong(
            ex,
            f"The matrix has shape {W.shape}, expected {(n_in, n_out)}.",
            case=case,
            hint_id="shape",
            hint="Pass the shape to the generator, e.g. rng.standard_normal((n_in, n_out)).",
        )
    _, W2, _ = core.call(fn, (n_in, n_out, np.random.default_rng(0)), {})
    if not (isinstance(W2, np.ndarray) and W2.shape == W.shape and np.array_equal(W, W2)):
        return core.wrong(
            ex,
            "Two calls with the same seed gave different matrices.",
            case=case,
            hint_id="global-rng",
            hint="Draw the numbers from the `rng` argument "
            "(rng.standard_normal(...) or rng.normal(...)), not from np.random.randn or "
            "another global generator: then the same seed always gives the same network.",
        )
    target = 1.0 / np.sqrt(n_in)
    mean, std = float(W.mean()), float(W.std())
    if abs(std - target) > 0.03 * target:
        guesses = [
            ("not-scaled", 1.0, "The weights still have standard deviation 1: divide by sqrt(n_in)."),
            (
                "variance-as-std",
                1.0 / n_in,
                "The standard deviation came out as 1/n_in. The *variance* "
                "should be 1/n_in, so the standard deviation (the `scale` of rng.normal) is 1/sqrt(n_in).",
            ),
            (
                "scaled-by-n-out",
                1.0 / np.sqrt(n_out),
                "You scaled by the number of neurons n_out. What "
                "keeps z = sum_i w_i x_i of order 1 is the number of *inputs* each neuron adds up: n_in.",
            ),
            (
                "uniform",
                1.0 / np.sqrt(12.0 * n_in),
                "That looks like a uniform distribution on "
                "[0, 1/sqrt(n_in)) or similar: draw from a Gaussian (rng.standard_normal).",
            ),
        ]
        hint_id, hint = (
            "wrong-std",
            ("Each weight should be drawn from a Gaussian with mean 0 and standard deviation 1/sqrt(n_in)."),
        )
        for guess_id, s, guess_hint in guesses:
            if abs(std - s) < 0.03 * s:
                hint_id, hint = guess_id, guess_hint
                break
        return core.wrong(
            ex,
            f"The standard deviation of the weights is not right yet (their mean is {mean:.4f}).",
            case=case,
            expected=target,
            received=std,
            hint_id=hint_id,
            hint=hint,
        )
    if abs(mean) > 5 * target / np.sqrt(W.size):  # five standard errors of the mean
        return core.wrong(
            ex,
            f"The standard deviation is right ({std:.4f}) but the weights are not "
            f"centred on 0: their mean is shown below.",
            case=case,
            expected=0.0,
            received=mean,
            hint_id="not-centred",
            hint="Use mean 0: rng.standard_normal gives N(0, 1), rng.random gives "
            "numbers in [0, 1), which are all positive.",
        )
    return core.correct(
        ex,
        f"Well done: shape {W.shape}, mean {mean:.4f}, std {std:.4f} "
        f"(target {target:.4f}), reproducible from the seed.",
    )


# --- shared ---------------------------------------------------------------------


def _refine_raised(verdict: Verdict) -> Verdict:
    """Make the hint for a shape error in a matrix product specific."""
    if verdict.hint_id == "raised" and "matmul" in verdict.message:
        verdict.hint_id = "matmul-shapes"
        verdict.hint = (
            "A matrix product got incompatible shapes. With rows as examples, "
            "X (n, n_in) @ W (n_in, n_out) works without any transpose; print the "
            "shapes of the arrays you multiply."
        )
    return verdict
