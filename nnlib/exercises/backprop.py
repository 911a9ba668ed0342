"""Checks for chapter 5, *Backpropagation* (``book/backprop/backprop.ipynb``).

In the chapter::

    from nnlib.exercises import backprop as check
    check.sigmoid_backward(sigmoid_backward)
    check.output_delta(output_delta)
    check.dense_backward(dense_backward)
    check.backprop(backprop)

Every expected value here is a **numerical gradient** (central differences,
:func:`nnlib.gradcheck.numerical_gradient`) of the cost the exercise talks
about, never a copy of our formula: any correct way of writing the gradient
passes. Known wrong formulas are used only to pick the hint, and only when the
learner's result equals theirs on every case.

Conventions (``book/notation.md``): rows are examples; ``W`` has shape
``(n_in, n_out)``; the cost ``C`` is the batch mean of the per-example costs
``C_x``; ``delta = dC_x/dZ`` holds one row per example, so
``dC/dW = X^T delta / n`` and ``dC/db = mean(delta, axis=0)``. The cases use
non-square weights with ``n``, ``n_in`` and ``n_out`` all different, so a
missing transpose cannot pass. Every gradient must be a float array, the
containers what the task names (a tuple ``(dW, db, dX)``; two lists
``grads_W, grads_b``), and no input may be changed.

The module reads top to bottom: first ``_check_gradients``, the part-by-part
comparison of several returned gradients (``(dW, db, dX)`` or ``(grads_W, grads_b)``)
that ``dense_backward`` and ``backprop`` share; then the per-layer exercises
(``sigmoid_backward``, ``output_delta`` for BP1, ``dense_backward``); last the
whole network, ``backprop``, with BP1-BP4 together.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..gradcheck import numerical_gradient
from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "sigmoid_backward": Exercise("ex-backprop-sigmoid", "Backward through a sigmoid layer", "sigmoid_backward"),
    "output_delta": Exercise("ex-backprop-bp1", "The output error (BP1)", "output_delta"),
    "dense_backward": Exercise("ex-backprop-dense", "Backward through a dense layer", "dense_backward"),
    "backprop": Exercise("ex-backprop-network", "Backpropagation through a whole network", "backprop"),
}

# --- comparing several gradients, part by part, with numerical ones ------------------------
RTOL, ATOL = 1e-5, 1e-7  # central differences in float64 are good to ~1e-9


class Structure(ValueError):
    """The learner's result is not the container the task names: ``hint_id`` and ``hint`` say why."""

    def __init__(self, message: str, hint_id: str, hint: Hint):
        super().__init__(message)
        self.hint_id, self.hint = hint_id, hint


def _kind(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {core.plural(len(value), 'item')}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


_MATMUL_HINT = Hint(
    "A matrix product got shapes that do not fit together.",
    "Look at the shape of each array you multiply (print them) and compare with the shapes in "
    "the equations: rows are examples, W is (n_in, n_out), delta is (n, n_out).",
    "Write each product so that the inner sizes match, e.g. X.T (n_in, n) @ delta (n, n_out) -> (n_in, n_out).",
)


def _check_gradients(
    ex: Exercise,
    fn: Callable | None,
    reference: Callable[..., Sequence[np.ndarray]],
    cases: Sequence[Case],
    unpack: Callable[[Any, Case], list],
    names: Callable[[Case], list[str]],
    mistakes: Sequence[Mistake],
    arg_names: Sequence[str],
) -> Verdict:
    """Compare several returned gradients with numerical ones, case by case, part by part.

    The first part that differs decides the verdict. Its hint comes from the first
    mistake whose same part matches what the learner returned on every case, else from
    the type asked for (a float array), else from the generic diagnosis (shape,
    transposed, NaN).
    """
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for case in cases:
        described = f"{case.label}\n{core.describe_args(case.args, case.kwargs, arg_names)}"
        out = core.call(fn, case.args, case.kwargs, arg_names)
        unfinished = core.unfinished_call(ex, fn, out, described, [("matmul", "matmul-shapes", _MATMUL_HINT)])
        if unfinished is not None:
            return unfinished
        expected = reference(*copy.deepcopy(case.args))
        if out.value is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your function returned None.", hint, hint_id, case=described)
        try:
            parts = unpack(out.value, case)
        except Structure as e:
            return core.wrong(ex, str(e), e.hint, e.hint_id, case=described, received=out.value)
        for i, (name, r, e) in enumerate(zip(names(case), parts, expected)):
            problem = core.float_array(r)
            if core.close(r, e, RTOL, ATOL) and problem is None:
                continue
            if core.close(r, e, RTOL, ATOL) and problem is not None:
                hint_id, message, hint = problem
                return core.wrong(
                    ex,
                    f"{name}: the values are right, but {message[0].lower()}{message[1:]}",
                    hint,
                    hint_id,
                    case=described,
                    received=r,
                )
            hint_id, hint = _diagnose_part(fn, i, r, e, cases, unpack, mistakes, out.warnings)
            return core.wrong(
                ex,
                f"{name} is not right yet (compared with a numerical gradient).",
                hint,
                hint_id,
                case=described,
                expected=e,
                received=r,
            )
    return core.correct(
        ex,
        f"Well done: every gradient matches the numerical gradient on {core.plural(len(cases), 'test case')}.",
    )


def _part(result: Any, i: int, unpack: Callable[[Any, Case], list], case: Case) -> Any:
    """Part ``i`` of a result (``_RAISED`` when the function raised or the result has no such part)."""
    if result is core._RAISED:
        return core._RAISED
    try:
        parts = unpack(result, case)
    except Exception:
        return core._RAISED
    return parts[i] if i < len(parts) else core._RAISED


def _diagnose_part(
    fn: Callable,
    i: int,
    received: Any,
    expected_i: np.ndarray,
    cases: Sequence[Case],
    unpack: Callable[[Any, Case], list],
    mistakes: Sequence[Mistake],
    caught: list,
) -> tuple[str, Hint]:
    """Hint for part ``i``: a mistake whose part ``i`` equals the learner's on every case, else a generic one."""
    mine = [_part(r, i, unpack, case) for r, case in zip(core.learner_outputs(fn, cases), cases)]
    for m in mistakes:
        if all(
            core.same_results(own, _part(core._quiet(m.fn, case), i, unpack, case), RTOL, ATOL)
            for own, case in zip(mine, cases)
        ):
            return m.id, m.hint
    problem = core.float_array(received)
    if problem:
        return problem[0], problem[2]
    return core.generic_hint(fn, received, expected_i, caught)


def _data(seed: int, *shapes: tuple[int, ...]) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(np.round(rng.normal(size=s), 2) for s in shapes)


# --- ex-backprop-sigmoid: through an activation -------------------------------------


def _sigmoid_backward(Z: np.ndarray, grad_A: np.ndarray) -> np.ndarray:
    """dC_x/dZ from dC_x/dA, numerically: the gradient of sum(grad_A * sigmoid(Z)) in Z."""
    Z = np.array(Z, dtype=float)
    return numerical_gradient(lambda: float(np.sum(grad_A * sigmoid(Z))), Z)


SIGMOID_CASES = [
    Case(_data(20, (1, 1), (1, 1)), label="one example, one neuron"),
    Case(_data(21, (2, 3), (2, 3)), label="2 examples, 3 neurons"),
    Case((np.array([[-30.0, 0.0, 30.0]]), np.array([[1.0, 1.0, 1.0]])), label="large |z|"),
]

SIGMOID_MISTAKES = [
    Mistake(
        "forgot-derivative",
        lambda Z, grad_A: grad_A,
        Hint(
            "Your result is grad_A unchanged: dC/dA was passed through without the activation's derivative.",
            "Look at the chain rule: going back through A = sigma(Z) multiplies by sigma'(Z).",
            "dC/dZ = grad_A * s * (1 - s), with s = sigmoid(Z).",
        ),
    ),
    Mistake(
        "used-sigma",
        lambda Z, grad_A: grad_A * sigmoid(Z),
        Hint(
            "Your result is grad_A * sigma(Z): you multiplied by the sigmoid, not by its derivative.",
            "Look at the factor: the chain rule needs sigma'(Z) = sigma(Z) * (1 - sigma(Z)).",
            "dC/dZ = grad_A * s * (1 - s), with s = sigmoid(Z).",
        ),
    ),
    Mistake(
        "prime-of-z",
        lambda Z, grad_A: grad_A * Z * (1 - Z),
        Hint(
            "Your result is grad_A * Z * (1 - Z): the formula s (1 - s) was applied to Z itself.",
            "Look at what s is in s * (1 - s): it is sigma(Z).",
            "Compute s = sigmoid(Z) first, then grad_A * s * (1 - s).",
        ),
    ),
    Mistake(
        "divided",
        lambda Z, grad_A: grad_A / sigmoid_prime(Z),
        Hint(
            "Your result is grad_A / sigma'(Z): you divided by the derivative.",
            "Look at the operator: the chain rule multiplies.",
            "dC/dZ = grad_A * sigma'(Z).",
        ),
    ),
    Mistake(
        "matrix-product",
        lambda Z, grad_A: grad_A @ sigmoid_prime(Z).T,
        Hint(
            "Your result is a matrix product, grad_A @ sigma'(Z).T: the chain rule through an "
            "elementwise activation is elementwise.",
            "Look at the operator between grad_A and sigma'(Z): @ (or np.dot) mixes the neurons.",
            "Multiply elementwise: grad_A * sigma'(Z), shape (n, n_out).",
        ),
    ),
]


@saves("sigmoid_backward")
def sigmoid_backward(fn: Callable | None) -> Verdict:
    """Check ``sigmoid_backward(Z, grad_A) -> grad_A * sigma'(Z)`` (elementwise, a float array)."""
    return core.check_function(
        EXERCISES["sigmoid_backward"],
        fn,
        _sigmoid_backward,
        SIGMOID_CASES,
        SIGMOID_MISTAKES,
        arg_names=["Z", "grad_A"],
        rtol=RTOL,
        atol=ATOL,
        raised_hints=[("matmul", "matmul-shapes", _MATMUL_HINT)],
        returns=core.float_array,
    )


# --- ex-backprop-bp1: the output error -------------------------------------------------


def _output_delta(Z: np.ndarray, A: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """delta^L = dC_x/dZ^L for the quadratic cost, numerically: d(sum_x C_x)/dZ.

    ``A`` is ignored on purpose: the cost is recomputed from ``Z`` as
    ``sum_x 1/2 ||sigmoid(z_x) - y_x||^2``.
    """
    Z = np.array(Z, dtype=float)
    return numerical_gradient(lambda: float(0.5 * np.sum((sigmoid(Z) - Y) ** 2)), Z)


def _bp1_case(seed: int, n: int, n_out: int, label: str) -> Case:
    rng = np.random.default_rng(seed)
    Z = np.round(rng.normal(size=(n, n_out)), 2)
    Y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    return Case((Z, sigmoid(Z), Y), label=label)


BP1_CASES = [
    _bp1_case(30, 1, 1, "one example, one output"),
    _bp1_case(31, 3, 1, "3 examples, one output"),
    _bp1_case(32, 4, 3, "4 examples, 3 outputs"),
]

BP1_MISTAKES = [
    Mistake(
        "forgot-prime",
        lambda Z, A, Y: A - Y,
        Hint(
            "Your result is dC_x/da = a - y: the factor sigma'(z^L) of BP1 is missing.",
            "Look at BP1: delta^L = dC_x/da (.) sigma'(z^L).",
            "delta^L = (A - Y) * sigma'(Z). (Only with cross-entropy does sigma' cancel out.)",
        ),
    ),
    Mistake(
        "used-sigma",
        lambda Z, A, Y: (A - Y) * A,
        Hint(
            "Your result is (a - y) * a: you multiplied by sigma(z) = a, not by its derivative.",
            "Look at the second factor: BP1 needs sigma'(z) = a (1 - a).",
            "delta^L = (A - Y) * A * (1 - A).",
        ),
    ),
    Mistake(
        "wrong-sign",
        lambda Z, A, Y: (Y - A) * sigmoid_prime(Z),
        Hint(
            "Your result has the wrong sign: it is (y - a) * sigma'(z).",
            "Look at the order of the subtraction: the cost 1/2 (a - y)^2 has derivative (a - y).",
            "delta^L = (A - Y) * sigma'(Z).",
        ),
    ),
    Mistake(
        "averaged",
        lambda Z, A, Y: (A - Y) * sigmoid_prime(Z) / Z.shape[0],
        Hint(
            "Your result is n times too small: you divided by the batch size.",
            "Look at what delta is: dC_x/dz of one example, one row per example.",
            "Do not divide by n here; the 1/n of the mean cost is applied once, in BP3 and BP4.",
        ),
    ),
    Mistake(
        "prime-of-a",
        lambda Z, A, Y: (A - Y) * sigmoid_prime(A),
        Hint(
            "Your result uses sigma'(a): the derivative was evaluated at the output a instead of at z.",
            "Look at the argument of sigmoid_prime.",
            "sigma'(z) = sigma(z)(1 - sigma(z)) = a (1 - a): use sigmoid_prime(Z), or A * (1 - A).",
        ),
    ),
]


@saves("output_delta")
def output_delta(fn: Callable | None) -> Verdict:
    """Check ``output_delta(Z, A, Y) -> (A - Y) * sigma'(Z)`` (BP1, quadratic cost, sigmoid): a float array."""
    return core.check_function(
        EXERCISES["output_delta"],
        fn,
        _output_delta,
        BP1_CASES,
        BP1_MISTAKES,
        arg_names=["Z", "A", "Y"],
        rtol=RTOL,
        atol=ATOL,
        raised_hints=[("matmul", "matmul-shapes", _MATMUL_HINT)],
        returns=core.float_array,
    )


# --- ex-backprop-dense: one layer backward --------------------------------------------


def _dense_backward(X: np.ndarray, W: np.ndarray, delta: np.ndarray):
    """(dW, db, dX) numerically, from a cost whose dC_x/dZ is ``delta``.

    With ``Z = X W + b`` and the cost ``C = (1/n) sum_x delta_x . z_x`` (``delta``
    held fixed), ``dC_x/dZ = delta`` exactly, so the gradients of ``C`` in ``W`` and
    ``b`` are the layer's gradients of the mean cost, and the gradient of ``n C`` in
    ``X`` is the per-example ``dC_x/dX``.
    """
    X, W = np.array(X, dtype=float), np.array(W, dtype=float)
    b = np.zeros(W.shape[1])
    n = X.shape[0]

    def cost() -> float:
        return float(np.sum(delta * (X @ W + b)) / n)

    dX = numerical_gradient(lambda: n * cost(), X)
    return numerical_gradient(cost, W), numerical_gradient(cost, b), dX


DENSE_CASES = [
    Case(_data(40, (1, 2), (2, 2), (1, 2)), label="one example, 2 inputs, 2 neurons"),
    Case(_data(41, (3, 2), (2, 2), (3, 2)), label="3 examples, 2 inputs, 2 neurons"),
    Case(_data(42, (4, 3), (3, 2), (4, 2)), label="4 examples, 3 inputs, 2 neurons"),
    Case(_data(43, (2, 5), (5, 3), (2, 3)), label="2 examples, 5 inputs, 3 neurons"),
]


def _dense_ref(X, W, d):
    """The analytic answer, used only to build the wrong answers below."""
    return X.T @ d / X.shape[0], d.mean(axis=0), d @ W.T


def _dense_mistake(part: int, wrong: Callable[[np.ndarray, np.ndarray, np.ndarray], Any]):
    """(dW, db, dX) with component ``part`` replaced by a wrong formula."""

    def fn(X, W, d):
        out = list(_dense_ref(X, W, d))
        out[part] = wrong(X, W, d)
        return tuple(out)

    return fn


DENSE_MISTAKES = [
    Mistake(
        "dW-not-averaged",
        _dense_mistake(0, lambda X, W, d: X.T @ d),
        Hint(
            "dW is exactly n times too large: it is the sum over the batch, not the mean.",
            "Look at BP4: the cost is the *mean* over the batch.",
            "dC/dW = X.T @ delta / n, with n = X.shape[0].",
        ),
    ),
    Mistake(
        "dW-transposed",
        _dense_mistake(0, lambda X, W, d: d.T @ X / X.shape[0]),
        Hint(
            "dW is transposed: shape (n_out, n_in) instead of W's (n_in, n_out).",
            "Look at the order of the product: delta.T @ X puts the neurons in the rows.",
            "Compute X.T @ delta / n, which has the shape of W.",
        ),
    ),
    Mistake(
        "db-summed",
        _dense_mistake(1, lambda X, W, d: d.sum(axis=0)),
        Hint(
            "db is exactly n times too large: it is the sum of delta over the batch, not the mean.",
            "Look at BP3: the cost is the mean over the batch.",
            "db = delta.mean(axis=0).",
        ),
    ),
    Mistake(
        "db-wrong-axis",
        _dense_mistake(1, lambda X, W, d: d.mean(axis=1)),
        Hint(
            "db has one number per example: you averaged across the neurons (axis=1).",
            "Look at the axis of the mean: rows are examples, columns are neurons.",
            "Average down the examples, delta.mean(axis=0): one number per neuron, shape (n_out,).",
        ),
    ),
    Mistake(
        "db-keepdims",
        _dense_mistake(1, lambda X, W, d: d.mean(axis=0, keepdims=True)),
        Hint(
            "db has the right values but shape (1, n_out) instead of b's (n_out,).",
            "Look at the mean: keepdims=True keeps the averaged axis.",
            "db = delta.mean(axis=0), without keepdims.",
        ),
    ),
    Mistake(
        "db-all",
        _dense_mistake(1, lambda X, W, d: np.mean(d)),
        Hint(
            "db is a single number: you averaged over the whole of delta.",
            "Look at the mean: it has no axis.",
            "Average over the examples only, delta.mean(axis=0): one value per neuron.",
        ),
    ),
    Mistake(
        "dX-missing-transpose",
        _dense_mistake(2, lambda X, W, d: d @ W),
        Hint(
            "dX uses W where it needs W transposed.",
            "Look at the shapes: delta (n, n_out) times W^T (n_out, n_in) gives dX (n, n_in).",
            "dX = delta @ W.T: the W^T of BP2 that carries the error one layer down.",
        ),
    ),
    Mistake(
        "dX-averaged",
        _dense_mistake(2, lambda X, W, d: d @ W.T / X.shape[0]),
        Hint(
            "dX is n times too small: you divided it by the batch size.",
            "Look at what dX is: per example, like delta (it becomes the next delta down).",
            "dX = delta @ W.T, not divided by n; only dW and db are averaged.",
        ),
    ),
]


def _unpack_dense(got: Any, case: Case) -> list:
    if isinstance(got, list) and len(got) == 3:
        raise Structure(
            "Return a tuple (dW, db, dX), not a list.",
            "list-not-tuple",
            Hint(
                "Your function returns a list; the task asks for a tuple (dW, db, dX).",
                "Look at the return line: [dW, db, dX] builds a list.",
                "Return a tuple: `return dW, db, dX` (the commas make the tuple).",
            ),
        )
    if not isinstance(got, tuple) or len(got) != 3:
        raise Structure(
            f"Return a tuple of three arrays (dW, db, dX), got {_kind(got)}.",
            "structure",
            Hint(
                f"Your function returns {_kind(got)}; the task asks for three arrays, (dW, db, dX).",
                "Look at the return line: it should list dW, db and dX, in that order.",
                "End with `return dW, db, dX`.",
            ),
        )
    return list(got)


@saves("dense_backward")
def dense_backward(fn: Callable | None) -> Verdict:
    """Check ``dense_backward(X, W, delta) -> (dW, db, dX)`` against numerical gradients.

    ``dW = dC/dW`` and ``db = dC/db`` of the batch-mean cost, ``dX = dC_x/dX``
    per example (what the layer below receives); a tuple of three float arrays.
    """
    return _check_gradients(
        EXERCISES["dense_backward"],
        fn,
        _dense_backward,
        DENSE_CASES,
        _unpack_dense,
        lambda case: ["dW", "db", "dX"],
        DENSE_MISTAKES,
        ["X", "W", "delta"],
    )


# --- ex-backprop-network: the four equations together ------------------------------------


def _forward(X, weights, biases):
    activations, zs = [X], []
    for W, b in zip(weights, biases):
        zs.append(activations[-1] @ W + b)  # (n, n_out)
        activations.append(sigmoid(zs[-1]))  # (n, n_out)
    return activations, zs


def _backprop_numerical(X, Y, weights, biases) -> list[np.ndarray]:
    """[dC/dW^L, dC/db^L, dC/dW^{L-1}, ...] of the mean quadratic cost, numerically."""
    weights = [np.array(W, dtype=float) for W in weights]
    biases = [np.array(b, dtype=float) for b in biases]

    def cost() -> float:
        return float(0.5 * np.sum((_forward(X, weights, biases)[0][-1] - Y) ** 2) / X.shape[0])

    out = []
    for W, b in reversed(list(zip(weights, biases))):
        out += [numerical_gradient(cost, W), numerical_gradient(cost, b)]
    return out


def _backprop_variant(
    bp1_prime: bool = True,
    bp2_prime: bool = True,
    average: bool = True,
    prime_at_a: bool = False,
    prime_of_layer_above: bool = False,
    reversed_lists: bool = False,
):
    """The four equations, with one piece optionally left out (to recognise mistakes)."""

    def fn(X, Y, weights, biases):
        activations, zs = _forward(X, weights, biases)
        n, L = X.shape[0], len(weights)
        prime = (lambda l: sigmoid_prime(activations[l + 1])) if prime_at_a else (lambda l: sigmoid_prime(zs[l]))
        delta = (activations[-1] - Y) * (prime(L - 1) if bp1_prime else 1.0)  # BP1
        grads_W, grads_b = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            grads_b[l] = delta.mean(axis=0) * (1 if average else n)  # BP3
            grads_W[l] = activations[l].T @ delta / (n if average else 1)  # BP4
            if l > 0:
                factor = prime(l) if prime_of_layer_above else prime(l - 1)
                delta = (delta @ weights[l].T) * (factor if bp2_prime else 1.0)  # BP2
        if reversed_lists:
            return grads_W[::-1], grads_b[::-1]
        return grads_W, grads_b

    return fn


def _network_case(seed: int, n: int, sizes: list[int], label: str) -> Case:
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=(n, sizes[0])), 2)
    Y = rng.integers(0, 2, size=(n, sizes[-1])).astype(float)
    weights = [np.round(rng.normal(size=(a, b)), 2) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [np.round(rng.normal(size=b), 2) for b in sizes[1:]]
    return Case((X, Y, weights, biases), label=label)


NETWORK_CASES = [
    _network_case(50, 1, [2, 2, 1], "one example, sizes [2, 2, 1]"),
    _network_case(51, 3, [2, 3, 2], "3 examples, sizes [2, 3, 2]"),
    _network_case(52, 4, [3, 4, 3, 2], "4 examples, sizes [3, 4, 3, 2]"),
    _network_case(53, 2, [5, 3, 4, 1], "2 examples, sizes [5, 3, 4, 1]"),
]

_BACKPROP = _backprop_variant()


def backprop_reference(X: np.ndarray, Y: np.ndarray, weights: list, biases: list) -> tuple[list, list]:
    """``(grads_W, grads_b)``: the four equations, nothing left out (sigmoid layers, quadratic cost).

    What later chapters run where the learner's ``backprop`` is not saved yet.
    """
    return _BACKPROP(X, Y, weights, biases)


NETWORK_MISTAKES = [
    Mistake(
        "bp1-forgot-prime",
        _backprop_variant(bp1_prime=False),
        Hint(
            "The output layer's gradients are off: delta^L is missing the factor sigma'(z^L).",
            "Look at BP1: delta^L = (a^L - y) (.) sigma'(z^L).",
            "delta = (activations[-1] - Y) * sigmoid_prime(zs[-1]).",
        ),
    ),
    Mistake(
        "not-averaged",
        _backprop_variant(average=False),
        Hint(
            "The gradients are exactly n times too large: sums over the batch, not means.",
            "Look at BP3 and BP4: the cost is the batch mean.",
            "dC/dW^l = A^{l-1 T} delta^l / n and dC/db^l = the mean of delta^l over the examples.",
        ),
    ),
    Mistake(
        "bp2-forgot-prime",
        _backprop_variant(bp2_prime=False),
        Hint(
            "The output layer is right but the layers below are not: their delta is missing sigma'.",
            "Look at BP2: it multiplies by the derivative of the layer below.",
            "delta^l = (delta^{l+1} W^{l+1 T}) (.) sigma'(z^l): "
            "delta = (delta @ weights[l].T) * sigmoid_prime(zs[l - 1]).",
        ),
    ),
    Mistake(
        "bp2-wrong-layer",
        _backprop_variant(prime_of_layer_above=True),
        Hint(
            "The output layer is right but the layers below are not: BP2 used sigma' of the wrong layer.",
            "Look at the index in BP2: zs[l] is the weighted input of the layer above, zs[l - 1] "
            "that of the layer whose delta you compute.",
            "delta = (delta @ weights[l].T) * sigmoid_prime(zs[l - 1]).",
        ),
    ),
    Mistake(
        "prime-of-a",
        _backprop_variant(prime_at_a=True),
        Hint(
            "Your gradients use sigma'(a): the derivative was evaluated at the activations "
            "instead of the weighted inputs.",
            "Look at the arguments of sigmoid_prime: activations[...] instead of zs[...].",
            "Use sigmoid_prime(zs[l]), or a * (1 - a) written with the activations directly.",
        ),
    ),
    Mistake(
        "reversed-lists",
        _backprop_variant(reversed_lists=True),
        Hint(
            "Your lists are in reverse order: grads_W[0] holds the output layer's gradient.",
            "Look at how you fill the lists while walking from the output layer down: append puts "
            "the output layer first.",
            "Store each layer at its own index, grads_W[l] = ... (the lists are already [None] * L), "
            "or reverse the lists at the end.",
        ),
    ),
]


def _unpack_network(got: Any, case: Case) -> list:
    L = len(case.args[2])
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Structure(
            f"Return a pair of lists (grads_W, grads_b), got {_kind(got)}.",
            "structure",
            Hint(
                f"Your function returns {_kind(got)}; the task asks for two lists, grads_W and grads_b.",
                "Look at the return line of the stub: `return grads_W, grads_b`.",
                "Keep the stub's last line, `return grads_W, grads_b`.",
            ),
        )
    grads_W, grads_b = got
    for name, grads in (("grads_W", grads_W), ("grads_b", grads_b)):
        if not isinstance(grads, list):
            raise Structure(
                f"{name} must be a list, got {_kind(grads)}.",
                "not-a-list",
                Hint(
                    f"Your {name} is {_kind(grads)}; the task asks for a list with one array per layer.",
                    f"Look at how {name} is made: the stub starts it as [None] * L.",
                    f"Fill the stub's list, {name}[l] = ..., and return it.",
                ),
            )
        if len(grads) != L:
            raise Structure(
                f"{name} must have one array per layer ({L} here), got {_kind(grads)}.",
                "list-length",
                Hint(
                    f"Your {name} has {len(grads)} {'entry' if len(grads) == 1 else 'entries'}; "
                    f"the network has {L} layers.",
                    f"Look at how entries get into {name}: one per layer, for l from L - 1 down to 0.",
                    f"Assign {name}[l] = ... for every l in range(L - 1, -1, -1) in the stub's list of length L.",
                ),
            )
        for l, g in enumerate(grads):
            if g is None:
                raise Structure(
                    f"{name}[{l}] is still None: the loop must fill in every layer, from l = {L - 1} down to 0.",
                    "layer-missing",
                    Hint(
                        f"Your {name}[{l}] is still None: that layer never got its gradient.",
                        "Look at the loop over the layers: does it run for every l from L - 1 down to 0, "
                        "and assign both lists each time?",
                        "for l in range(L - 1, -1, -1): set grads_b[l] and grads_W[l], then BP2 if l > 0.",
                    ),
                )
    out = []
    for l in range(L - 1, -1, -1):
        out += [grads_W[l], grads_b[l]]
    return out


def _network_names(case: Case) -> list[str]:
    L = len(case.args[2])
    names = []
    for l in range(L - 1, -1, -1):
        names += [f"grads_W[{l}] (dC/dW^{l + 1})", f"grads_b[{l}] (dC/db^{l + 1})"]
    return names


@saves("backprop")
def backprop(fn: Callable | None) -> Verdict:
    """Check ``backprop(X, Y, weights, biases) -> (grads_W, grads_b)`` against numerical gradients.

    The network: sigmoid in every layer, quadratic cost averaged over the batch.
    The output layer is compared first, then each layer below. ``grads_W`` and
    ``grads_b`` are lists of float arrays, one per layer.
    """
    return _check_gradients(
        EXERCISES["backprop"],
        fn,
        _backprop_numerical,
        NETWORK_CASES,
        _unpack_network,
        _network_names,
        NETWORK_MISTAKES,
        ["X", "Y", "weights", "biases"],
    )
