"""Checks for chapter 4, *Forward propagation* (``book/forward/forward.ipynb``).

In the chapter::

    from nnlib.exercises import forward as check
    check.dense_forward(dense_forward)
    check.network_forward(network_forward)
    check.count_parameters(count_parameters)
    check.scaled_gaussian(scaled_gaussian)

Conventions checked (see ``book/notation.md``): a batch ``X`` has one row per
example, shape ``(n, n_in)``; a layer's ``W`` has shape ``(n_in, n_out)`` and
``b`` shape ``(n_out,)``, so ``Z = X @ W + b`` has shape ``(n, n_out)``. The
forward functions must return float arrays, ``count_parameters`` an int, and
none may change its inputs (the arrays, nor the lists of weights or sizes).
The cases include non-square weight matrices and networks of three layers, so
a missing transpose or a skipped layer cannot pass.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from ..activations import sigmoid
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "dense_forward": Exercise("ex-forward-layer", "A layer of sigmoid neurons", "dense_forward"),
    "network_forward": Exercise(
        "ex-forward-network", "Forward propagation through any number of layers", "network_forward"
    ),
    "count_parameters": Exercise("ex-forward-count", "Counting parameters", "count_parameters"),
    "scaled_gaussian": Exercise("ex-forward-init", "Scaled Gaussian initialization", "scaled_gaussian"),
}

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
    # square W first, so that a transposed W still runs and the hint can name it; then
    # non-square ones, where every missing or extra transpose fails
    _layer_case(1, 2, 2, 0, "one example, 2 inputs, 2 neurons"),
    _layer_case(3, 2, 2, 1, "a batch of 3 examples, 2 inputs, 2 neurons"),
    _layer_case(4, 3, 2, 2, "a batch of 4 examples, 3 inputs, 2 neurons"),
    _layer_case(5, 4, 3, 3, "a batch of 5 examples, 4 inputs, 3 neurons"),
]

DENSE_MISTAKES = [
    Mistake(
        "forgot-activation",
        lambda X, W, b: X @ W + b,
        Hint(
            "Your result is the weighted input Z = X W + b, not the layer's output.",
            "Look at the last step: the activation is missing.",
            "Return A = sigmoid(Z): apply `sigmoid` to X @ W + b.",
        ),
    ),
    Mistake(
        "forgot-bias",
        lambda X, W, b: sigmoid(X @ W),
        Hint(
            "Your result is sigmoid(X @ W): the bias is missing.",
            "Look at the weighted input: Z = X @ W + b.",
            "Add b (one entry per neuron) to X @ W before the sigmoid; numpy adds it to every row.",
        ),
    ),
    Mistake(
        "transposed-weights",
        lambda X, W, b: sigmoid(X @ W.T + b),
        Hint(
            "Your result uses W.T where the layer uses W.",
            "Look at the matrix product: in this book W has shape (n_in, n_out), and column j "
            "holds neuron j's weights.",
            "Z = X @ W + b needs no transpose.",
        ),
    ),
    Mistake(
        "bias-wrong-axis",
        lambda X, W, b: sigmoid(X @ W + b[:, None]),
        Hint(
            "Your result adds b[j] to the row of example j: the bias was broadcast along the wrong axis.",
            "Look at how you add b: b[:, None] (a column) lines up with the rows (examples).",
            "b has one entry per neuron (column): add it as it is, X @ W + b.",
        ),
    ),
    Mistake(
        "column-convention",
        lambda X, W, b: sigmoid(W.T @ X.T + b[:, None]),
        Hint(
            "Your result is the transpose of the expected one: the column-vector form W^T x of other textbooks.",
            "Look at the order of the product: here rows are examples.",
            "Z = X @ W + b has shape (n, n_out) directly.",
        ),
    ),
    Mistake(
        "activation-before-bias",
        lambda X, W, b: sigmoid(X @ W) + b,
        Hint(
            "Your result is sigmoid(X @ W) + b: the bias was added after the activation.",
            "Look at where b is added: it belongs to the weighted input.",
            "A = sigmoid(X @ W + b).",
        ),
    ),
]

_MATMUL_SHAPES_HINT = Hint(
    "A matrix product got shapes that do not fit together.",
    "Look at the shapes of the arrays you multiply (print them): with rows as examples, "
    "X is (n, n_in) and W is (n_in, n_out).",
    "X (n, n_in) @ W (n_in, n_out) works without any transpose.",
)


@saves("dense_forward")
def dense_forward(fn: Callable | None) -> Verdict:
    """Check ``dense_forward(X, W, b) -> A = sigmoid(X @ W + b)``, a float array of shape ``(n, n_out)``."""
    return core.check_function(
        EXERCISES["dense_forward"],
        fn,
        _dense_forward,
        DENSE_CASES,
        DENSE_MISTAKES,
        arg_names=["X", "W", "b"],
        raised_hints=[("matmul", "matmul-shapes", _MATMUL_SHAPES_HINT)],
        returns=core.float_array,
    )


# --- ex-forward-count: counting parameters ------------------------------------------


def _count_parameters(sizes: Sequence[int]) -> int:
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))


COUNT_CASES = [
    Case(([2, 3],), label="one layer"),
    Case(([2, 3, 1],), label="two layers"),
    Case(([3, 4, 4, 2],), label="three layers"),
    Case(([784, 30, 10],), label="the MNIST network"),
    Case(([1, 1, 1, 1, 1],), label="four layers of one neuron"),
]

COUNT_MISTAKES = [
    Mistake(
        "forgot-biases",
        lambda sizes: sum(a * b for a, b in zip(sizes[:-1], sizes[1:])),
        Hint(
            "Your count is the number of weights only.",
            "Look at what each layer adds besides its weight matrix: every neuron outside the input layer has a bias.",
            "Add n_out biases per layer: n_in * n_out + n_out.",
        ),
    ),
    Mistake(
        "input-biases",
        lambda sizes: _count_parameters(sizes) + sizes[0],
        Hint(
            "Your count includes biases for the input layer.",
            "Look at which layers get biases: the input layer's 'neurons' just hold x.",
            "Count biases for sizes[1:] only: n_out per layer.",
        ),
    ),
    Mistake(
        "bias-per-input",
        lambda sizes: sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:])),
        Hint(
            "Your count gives each layer n_in biases.",
            "Look at the biases of a layer: one per neuron of that layer.",
            "A layer n_in -> n_out has n_out biases: n_in * n_out + n_out.",
        ),
    ),
    Mistake(
        "counted-neurons",
        lambda sizes: sum(sizes),
        Hint(
            "Your count is the number of neurons, not of parameters.",
            "Look at what a layer n_in -> n_out holds: a weight matrix and a bias vector.",
            "Add n_in * n_out weights and n_out biases for each pair of consecutive sizes.",
        ),
    ),
    Mistake(
        "squares",
        lambda sizes: sum(s * s + s for s in sizes[1:]),
        Hint(
            "Your count gives each layer a square weight matrix, n_out x n_out.",
            "Look at the weight matrix's size: n_in is the size of the layer *before*.",
            "Pair consecutive sizes, e.g. zip(sizes[:-1], sizes[1:]), and add n_in * n_out + n_out for each pair.",
        ),
    ),
    Mistake(
        "missed-last-layer",
        lambda sizes: _count_parameters(sizes[:-1]),
        Hint(
            "Your count leaves out the last layer.",
            "Look at the loop's range: it stops one pair of sizes early (e.g. range(len(sizes) - 2) or sizes[:-1]).",
            "Go through every pair of consecutive sizes: zip(sizes[:-1], sizes[1:]) has len(sizes) - 1 pairs.",
        ),
    ),
]


@saves("count_parameters")
def count_parameters(fn: Callable | None) -> Verdict:
    """Check ``count_parameters(sizes) -> int``: weights plus biases of a network; ``sizes`` unchanged."""
    return core.check_function(
        EXERCISES["count_parameters"],
        fn,
        _count_parameters,
        COUNT_CASES,
        COUNT_MISTAKES,
        arg_names=["sizes"],
        rtol=0,
        atol=0,
        returns=core.integer,
    )


# --- ex-forward-network: a whole network ---------------------------------------------


def network_forward_reference(X: np.ndarray, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    """``A^L``: the sigmoid network's output for the batch ``X`` (later chapters' stand-in for yours)."""
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


def _layers(X, weights, biases, last_linear=False, reuse_input=False, activation=True):
    A = X
    for i, (W, b) in enumerate(zip(weights, biases)):
        Z = (X if reuse_input else A) @ W + b
        A = sigmoid(Z) if activation and not (last_linear and i == len(weights) - 1) else Z
    return A


NETWORK_CASES = [
    _network_case(1, [2, 2, 2], 10, "one example through sizes [2, 2, 2]"),
    _network_case(3, [2, 2, 2], 11, "3 examples through sizes [2, 2, 2]"),
    _network_case(4, [3, 5, 2], 12, "4 examples through sizes [3, 5, 2]"),
    _network_case(5, [2, 4, 3, 1], 13, "5 examples through sizes [2, 4, 3, 1] (three layers)"),
    _network_case(2, [3, 3, 3, 3, 3], 14, "2 examples through sizes [3, 3, 3, 3, 3] (four layers)"),
]

NETWORK_MISTAKES = [
    Mistake(
        "first-layer-only",
        lambda X, weights, biases: _layers(X, weights[:1], biases[:1]),
        Hint(
            "Your result is the output of the first layer only: the loop ends after its first pass.",
            "Look at what is indented inside the loop: a `return` (or a `break`) there ends the "
            "loop after the first layer.",
            "Let the loop go through every layer, and return after the loop.",
        ),
    ),
    Mistake(
        "missed-last-layer",
        lambda X, weights, biases: _layers(X, weights[:-1], biases[:-1]),
        Hint(
            "Your result is the output of the layer before the last: the last layer was never applied.",
            "Look at what the loop runs over: weights[:-1], or range(len(weights) - 1), stops one layer early.",
            "Loop over every layer: for W, b in zip(weights, biases).",
        ),
    ),
    Mistake(
        "reused-input",
        lambda X, weights, biases: _layers(X, weights, biases, reuse_input=True),
        Hint(
            "Your result is the last layer applied to X itself: each layer took X instead of "
            "the previous layer's output.",
            "Look at the matrix product inside the loop: it multiplies X, which never changes.",
            "Feed each layer the previous output: A = sigmoid(A @ W + b), starting from A = X.",
        ),
    ),
    Mistake(
        "last-layer-linear",
        lambda X, weights, biases: _layers(X, weights, biases, last_linear=True),
        Hint(
            "Your output layer returns its weighted input Z: the sigmoid of the last layer is missing.",
            "Look at the last layer: the output layer is a layer of sigmoid neurons too.",
            "Apply sigmoid after the last weighted input as well: every layer computes A = sigmoid(A @ W + b).",
        ),
    ),
    Mistake(
        "no-activation",
        lambda X, weights, biases: _layers(X, weights, biases, activation=False),
        Hint(
            "No layer applied the sigmoid: your result is a chain of weighted inputs.",
            "Look at the line inside the loop: A = A @ W + b has no activation.",
            "Every layer computes A = sigmoid(A @ W + b). (Without sigmoid a stack of layers is just one linear map.)",
        ),
    ),
]


@saves("network_forward")
def network_forward(fn: Callable | None) -> Verdict:
    """Check ``network_forward(X, weights, biases) -> A^L`` (a float array) with sigmoid in every layer.

    Networks of up to four layers, with non-square weights; the lists of weights and
    biases must be left as they were.
    """
    return core.check_function(
        EXERCISES["network_forward"],
        fn,
        network_forward_reference,
        NETWORK_CASES,
        NETWORK_MISTAKES,
        arg_names=["X", "weights", "biases"],
        raised_hints=[("matmul", "matmul-shapes", _MATMUL_SHAPES_HINT)],
        returns=core.float_array,
    )


# --- ex-forward-init: scaled Gaussian initialisation -----------------------------------

INIT_SHAPE = (400, 300)  # (n_in, n_out): 120 000 weights, so the sample std is within ~0.5 %
KS_LIMIT = 3.0  # sqrt(N) * D of a true Gaussian sample exceeds 3 with probability 3e-8
CORR_LIMIT = 0.05  # neighbours of independent draws: |correlation| ~ 0.003, this is 17 sigma


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.frompyfunc(math.erf, 1, 1)(x / math.sqrt(2.0)).astype(float)


def ks_distance(W: np.ndarray, std: float) -> float:
    """Kolmogorov-Smirnov distance D between the entries of ``W`` and N(0, std^2)."""
    x = np.sort(W.ravel())
    F = _normal_cdf(x / std)
    n = x.size
    return float(max((np.arange(1, n + 1) / n - F).max(), (F - np.arange(n) / n).max()))


def _neighbour_correlation(W: np.ndarray) -> float:
    """The largest |correlation| between neighbouring entries, down the columns and along the rows."""
    out = 0.0
    for a, b in ((W[:-1, :], W[1:, :]), (W[:, :-1], W[:, 1:])):
        a, b = a.ravel() - a.mean(), b.ravel() - b.mean()
        denom = math.sqrt(float(a @ a) * float(b @ b))
        out = max(out, abs(float(a @ b)) / denom if denom > 0 else 1.0)
    return out


_GAUSSIAN_FIX = (
    "Draw from a Gaussian with the rng you are given: rng.standard_normal((n_in, n_out)) / "
    "np.sqrt(n_in), or rng.normal(0, 1 / np.sqrt(n_in), size=(n_in, n_out))."
)


@saves("scaled_gaussian")
def scaled_gaussian(fn: Callable | None) -> Verdict:
    """Check ``scaled_gaussian(n_in, n_out, rng)``: N(0, 1/n_in) weights of shape ``(n_in, n_out)``.

    A statistical check with fixed seeds (any correct way of drawing the numbers
    passes, and the limits are far enough out that a correct answer never fails): a
    float array of the right shape; the generator honoured (the same seed gives the
    same matrix, two different seeds different ones); independent draws (no repeated
    values, no correlation between neighbours); standard deviation within 3 % of
    ``1/sqrt(n_in)``; mean within 6 standard errors of 0; and the distribution itself
    Gaussian (Kolmogorov-Smirnov distance to N(0, 1/n_in) below ``3 / sqrt(N)``), so a
    uniform or +-1 draw with the right variance does not pass.
    """
    ex = EXERCISES["scaled_gaussian"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    n_in, n_out = INIT_SHAPE
    case = f"n_in = {n_in}, n_out = {n_out}, rng = np.random.default_rng(0)"
    out = core.call(fn, (n_in, n_out, np.random.default_rng(0)), {}, ["n_in", "n_out", "rng"])
    unfinished = core.unfinished_call(ex, fn, out, case)
    if unfinished is not None:
        return unfinished
    W = out.value
    if W is None:
        hint_id, hint = core.none_hint(fn)
        return core.wrong(ex, "Your function returned None.", hint, hint_id, case=case)
    problem = core.float_array(W)
    if problem:
        return core.wrong(ex, problem[1], problem[2], problem[0], case=case, received=_summary(W))
    if W.shape != (n_in, n_out):
        if W.shape == (n_out, n_in):
            return core.wrong(
                ex,
                f"The matrix has shape {W.shape}, expected {(n_in, n_out)}.",
                Hint(
                    f"Your matrix is transposed: shape {W.shape} instead of (n_in, n_out) = {(n_in, n_out)}.",
                    "Look at the shape you pass to the generator.",
                    "W has one row per input and one column per neuron: draw an array of shape (n_in, n_out).",
                ),
                "transposed",
                case=case,
            )
        return core.wrong(
            ex,
            f"The matrix has shape {W.shape}, expected {(n_in, n_out)}.",
            Hint(
                f"Your matrix has shape {W.shape}, not (n_in, n_out) = {(n_in, n_out)}.",
                "Look at the shape you pass to the generator.",
                "Pass the shape to the generator, e.g. rng.standard_normal((n_in, n_out)).",
            ),
            "shape",
            case=case,
        )
    again = core.call(fn, (n_in, n_out, np.random.default_rng(0)), {}).value
    if not (isinstance(again, np.ndarray) and again.shape == W.shape and np.array_equal(W, again)):
        return core.wrong(
            ex,
            "Two calls with the same seed gave different matrices.",
            Hint(
                "Your function gives a different matrix each time, even for generators with the same "
                "seed: it does not draw from the `rng` it is given.",
                "Look at where the numbers come from: np.random.randn, np.random.normal or a new "
                "np.random.default_rng() use another generator.",
                "Draw from the argument: rng.standard_normal((n_in, n_out)) or rng.normal(...). "
                "Then the same seed always gives the same network.",
            ),
            "global-rng",
            case=case,
        )
    other = core.call(fn, (n_in, n_out, np.random.default_rng(1)), {}).value
    if isinstance(other, np.ndarray) and other.shape == W.shape and np.array_equal(W, other):
        return core.wrong(
            ex,
            "Two different generators (seeds 0 and 1) gave the same matrix.",
            Hint(
                "Your function gives the same matrix whatever generator it is given: it ignores `rng`.",
                "Look at where the numbers come from: a generator you create yourself "
                "(np.random.default_rng(42), np.random.seed) or no random numbers at all.",
                "Draw from the argument: rng.standard_normal((n_in, n_out)) or rng.normal(...).",
            ),
            "ignores-rng",
            case=case + "\nand again with rng = np.random.default_rng(1)",
        )
    distinct = np.unique(W).size
    if distinct < 0.99 * W.size:
        return core.wrong(
            ex,
            f"Only {distinct} different values among the {W.size} weights.",
            Hint(
                f"Your weights repeat: only {distinct} different values among {W.size}, where "
                "independent Gaussian draws are all different.",
                "Look for a draw of fewer numbers that are then repeated (np.tile, np.repeat, "
                "broadcasting a row or a column), for rounding (np.round), or for a generator "
                "method that draws from a few values only (rng.choice, rng.integers).",
                "Draw a fresh number for every entry: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
            "repeated-values",
            case=case,
            received=_summary(W),
        )
    corr = _neighbour_correlation(W)
    if corr > CORR_LIMIT:
        return core.wrong(
            ex,
            f"Neighbouring weights are correlated (|correlation| = {corr:.2f}).",
            Hint(
                f"Your weights are not independent: neighbouring entries have a correlation of {corr:.2f} "
                "(independent draws give about 0.00).",
                "Look for a step that orders or accumulates the draws: np.sort, np.cumsum, or a "
                "matrix built from a few rows or columns.",
                "Draw every entry independently: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
            "not-independent",
            case=case,
        )
    target = 1.0 / math.sqrt(n_in)
    mean, std = float(W.mean()), float(W.std())
    if abs(std - target) > 0.03 * target:
        return _wrong_std(ex, case, n_in, n_out, mean, std, target)
    if abs(mean) > 6 * target / math.sqrt(W.size):  # six standard errors of the mean
        return core.wrong(
            ex,
            f"The standard deviation is right ({std:.4f}) but the weights are not centred on 0: "
            "their mean is shown below.",
            Hint(
                f"Your weights have mean {mean:.4f}, not 0.",
                "Look at the generator method: rng.random and rng.uniform(0, ...) give only "
                "positive numbers, and a shift (+ c) moves the mean.",
                _GAUSSIAN_FIX,
            ),
            "not-centred",
            case=case,
            expected=0.0,
            received=mean,
        )
    d = ks_distance(W, target)
    if d * math.sqrt(W.size) > KS_LIMIT:
        limit = KS_LIMIT / math.sqrt(W.size)
        return core.wrong(
            ex,
            "The mean and the standard deviation are right, but the weights are not Gaussian.",
            Hint(
                f"Your weights have mean 0 and standard deviation 1/sqrt(n_in), but another "
                f"distribution: their Kolmogorov-Smirnov distance to N(0, 1/n_in) is {d:.3f}, where "
                f"a Gaussian sample of this size stays below {limit:.4f}.",
                "Look at the generator method: rng.uniform, rng.random, rng.choice and rng.integers "
                "draw from other distributions, even when rescaled to the right variance.",
                _GAUSSIAN_FIX,
            ),
            "not-gaussian",
            case=case,
            expected=f"Kolmogorov-Smirnov distance < {limit:.4f}",
            received=f"Kolmogorov-Smirnov distance {d:.4f}",
        )
    return core.correct(
        ex,
        f"Well done: shape {W.shape}, mean {mean:.4f}, std {std:.4f} (target {target:.4f}), "
        "Gaussian, independent, and drawn from the rng you are given.",
    )


def _summary(W: np.ndarray) -> str:
    try:
        A = np.asarray(W, dtype=float)
        return f"{type(W).__name__}, shape {A.shape}, first entries {np.array2string(A.ravel()[:4], precision=4)}"
    except (TypeError, ValueError):
        return repr(W)[:200]


def _wrong_std(ex: Exercise, case: str, n_in: int, n_out: int, mean: float, std: float, target: float) -> Verdict:
    guesses = [
        (
            "not-scaled",
            1.0,
            Hint(
                "Your weights have standard deviation 1: they are not scaled.",
                "Look at the scale of the draw: rng.standard_normal gives N(0, 1).",
                "Divide by sqrt(n_in): rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
        ),
        (
            "variance-as-std",
            1.0 / n_in,
            Hint(
                "Your weights have standard deviation 1/n_in: you used the variance as the standard deviation.",
                "Look at the scale you pass: rng.normal's `scale` is the standard deviation.",
                "The variance is 1/n_in, so the standard deviation is 1/sqrt(n_in): "
                "rng.normal(0, 1 / np.sqrt(n_in), ...).",
            ),
        ),
        (
            "scaled-by-n-out",
            1.0 / math.sqrt(n_out),
            Hint(
                "Your weights have standard deviation 1/sqrt(n_out): you scaled by the number of neurons.",
                "Look at what keeps z = sum_i w_i x_i of order 1: the number of *inputs* each neuron adds up.",
                "Scale by n_in: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
        ),
        (
            "glorot",
            math.sqrt(2.0 / (n_in + n_out)),
            Hint(
                "Your weights have standard deviation sqrt(2 / (n_in + n_out)): Glorot's scale, not this exercise's.",
                "Look at the scale: this exercise uses only n_in.",
                "Divide by sqrt(n_in): rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
        ),
        (
            "he",
            math.sqrt(2.0 / n_in),
            Hint(
                "Your weights have standard deviation sqrt(2 / n_in): He's scale (for ReLU), not this exercise's.",
                "Look at the factor 2 in your scale.",
                "Divide by sqrt(n_in), without the 2: rng.standard_normal((n_in, n_out)) / np.sqrt(n_in).",
            ),
        ),
        (
            "uniform",
            1.0 / math.sqrt(12.0 * n_in),
            Hint(
                "Your weights have standard deviation 1/sqrt(12 n_in), that of a uniform draw on an "
                "interval of length 1/sqrt(n_in).",
                "Look at the generator method: rng.random and rng.uniform draw uniformly, not from a Gaussian.",
                _GAUSSIAN_FIX,
            ),
        ),
    ]
    for guess_id, s, hint in guesses:
        if abs(std - s) < 0.03 * s:
            return core.wrong(
                ex,
                f"The standard deviation of the weights is not right yet (their mean is {mean:.4f}).",
                hint,
                guess_id,
                case=case,
                expected=target,
                received=std,
            )
    return core.wrong(
        ex,
        f"The standard deviation of the weights is not right yet (their mean is {mean:.4f}).",
        Hint(
            f"Your weights have standard deviation {std:.4f}; the task asks for 1/sqrt(n_in) = {target:.4f}.",
            "Look at the scale of your draw: the standard deviation of rng.standard_normal(...) * c is |c|.",
            _GAUSSIAN_FIX,
        ),
        "wrong-std",
        case=case,
        expected=target,
        received=std,
    )
