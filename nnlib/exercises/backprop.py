"""Checks for chapter 5, *Backpropagation*.

In the chapter::

    from nnlib.exercises import backprop as check
    check.dense_backward(dense_backward)

Every expected value here is a **numerical gradient** (central differences,
:func:`nnlib.gradcheck.numerical_gradient`) of the cost the exercise talks
about, never a copy of our formula: any correct way of writing the gradient
passes. Known wrong formulas are used only to pick the hint.

Conventions (``book/notation.md``): rows are examples; ``W`` has shape
``(n_in, n_out)``; the cost ``C`` is the batch mean of the per-example costs
``C_x``; ``delta = dC_x/dZ`` holds one row per example, so
``dC/dW = X^T delta / n`` and ``dC/db = mean(delta, axis=0)``.

The module reads top to bottom: first ``_check_gradients``, the part-by-part
comparison of several returned gradients (``(dW, db, dX)`` or ``(grads_W, grads_b)``)
that ``dense_backward`` and ``backprop`` share; then the per-layer exercises
(``sigmoid_backward``, ``output_delta`` for BP1, ``dense_backward``); last the
whole network, ``backprop``, with BP1-BP4 together.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..activations import sigmoid, sigmoid_prime
from ..gradcheck import numerical_gradient
from . import core
from .core import Case, Mistake, Verdict

# --- comparing several gradients, part by part, with numerical ones ------------------------
RTOL, ATOL = 1e-5, 1e-7  # central differences in float64 are good to ~1e-9


def _kind(value: Any) -> str:
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of length {len(value)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _check_gradients(
    exercise: str,
    fn: Callable | None,
    reference: Callable[..., Sequence[np.ndarray]],
    cases: Sequence[Case],
    unpack: Callable[[Any, Sequence[np.ndarray]], list],
    names: Callable[[Case], list[str]],
    mistakes: Sequence[Mistake],
    arg_names: Sequence[str],
) -> Verdict:
    """Compare several returned gradients with numerical ones, case by case, part by part.

    The first part that differs decides the verdict. Its hint comes from the
    first mistake whose same part matches what the learner returned, else
    from the generic diagnosis (shape, transposed, NaN).
    """
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    for case in cases:
        described = f"{case.label}\n{core.describe_args(case.args, case.kwargs, arg_names)}"
        outcome, got, caught = core.call(fn, case.args, case.kwargs)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            matmul = "matmul" in str(got)
            return core.wrong(
                exercise,
                f"Your function raised {type(got).__name__}: {got}",
                case=described,
                hint_id="matmul-shapes" if matmul else "raised",
                hint=(
                    "A matrix product got incompatible shapes: print the shape of each array and "
                    "compare with the shapes in the equations (rows are examples, W is (n_in, n_out))."
                    if matmul
                    else "Run it on the input shown to reproduce the error."
                ),
            )
        if outcome == "modified":
            return core.wrong(
                exercise,
                "Your function changed its input arrays in place.",
                case=described,
                hint_id="in-place",
                hint="Compute new arrays instead of writing into the arguments.",
            )
        expected = reference(*copy.deepcopy(case.args))
        try:
            parts = unpack(got, expected)
        except ValueError as e:
            return core.wrong(exercise, str(e), case=described, hint_id="structure")
        for i, (name, r, e) in enumerate(zip(names(case), parts, expected)):
            if core.close(r, e, RTOL, ATOL):
                continue
            hint_id, hint = _diagnose_part(i, r, expected, case, unpack, mistakes, caught)
            return core.wrong(
                exercise,
                f"{name} is not right yet (compared with a numerical gradient).",
                case=described,
                expected=e,
                received=core._as_shown(r),
                hint_id=hint_id,
                hint=hint,
            )
    return core.correct(
        exercise, f"Well done: every gradient matches the numerical gradient on all {len(cases)} test cases."
    )


def _diagnose_part(
    i: int, received: Any, expected: Sequence[np.ndarray], case: Case, unpack, mistakes: Sequence[Mistake], caught: list
) -> tuple[str | None, str | None]:
    """Hint for part ``i``: a mistake whose part ``i`` equals ``received``, else a generic one."""
    for m in mistakes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                theirs = unpack(m.fn(*copy.deepcopy(case.args)), expected)
            except Exception:
                continue
        if i < len(theirs) and core.close(received, theirs[i], RTOL, ATOL):
            return m.id, m.hint
    return core.diagnose(received, expected[i], case, (), caught, RTOL, ATOL)


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
        "You passed dC/dA through unchanged. The chain rule multiplies by the activation's "
        "derivative: dC/dZ = dC/dA * sigma'(Z).",
    ),
    Mistake(
        "used-sigma",
        lambda Z, grad_A: grad_A * sigmoid(Z),
        "You multiplied by sigma(Z). The chain rule needs the *derivative* sigma'(Z) = sigma(Z) * (1 - sigma(Z)).",
    ),
    Mistake(
        "prime-of-z",
        lambda Z, grad_A: grad_A * Z * (1 - Z),
        "You computed Z * (1 - Z). The formula sigma(z)(1 - sigma(z)) is in terms of "
        "sigma(z): apply sigmoid first, s = sigmoid(Z), then s * (1 - s).",
    ),
    Mistake(
        "divided",
        lambda Z, grad_A: grad_A / sigmoid_prime(Z),
        "You divided by sigma'(Z); the chain rule multiplies: dC/dZ = dC/dA * sigma'(Z).",
    ),
]


def sigmoid_backward(fn: Callable | None) -> Verdict:
    """Check ``sigmoid_backward(Z, grad_A) -> grad_A * sigma'(Z)`` (elementwise)."""
    return core.check_function(
        "ex-backprop-sigmoid",
        fn,
        _sigmoid_backward,
        SIGMOID_CASES,
        SIGMOID_MISTAKES,
        arg_names=["Z", "grad_A"],
        rtol=RTOL,
        atol=ATOL,
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
        "You returned dC_x/da = a - y. BP1 multiplies it by the output layer's sigma'(z^L): "
        "delta^L = (a - y) * sigma'(z). (Only with cross-entropy does sigma' cancel out.)",
    ),
    Mistake(
        "used-sigma",
        lambda Z, A, Y: (A - Y) * A,
        "You multiplied by sigma(z) = a. BP1 needs the derivative sigma'(z) = a (1 - a).",
    ),
    Mistake(
        "wrong-sign",
        lambda Z, A, Y: (Y - A) * sigmoid_prime(Z),
        "The sign is flipped: the cost 1/2 (a - y)^2 has derivative (a - y), not (y - a).",
    ),
    Mistake(
        "averaged",
        lambda Z, A, Y: (A - Y) * sigmoid_prime(Z) / Z.shape[0],
        "delta is per example (dC_x/dz), so do not divide by the batch size here. The 1/n "
        "of the mean cost is applied once, in BP3 and BP4.",
    ),
    Mistake(
        "prime-of-a",
        lambda Z, A, Y: (A - Y) * sigmoid_prime(A),
        "You evaluated sigma' at a instead of at z: sigma'(z) = sigma(z)(1 - sigma(z)) = a (1 - a).",
    ),
]


def output_delta(fn: Callable | None) -> Verdict:
    """Check ``output_delta(Z, A, Y) -> (A - Y) * sigma'(Z)`` (BP1, quadratic cost, sigmoid)."""
    return core.check_function(
        "ex-backprop-bp1", fn, _output_delta, BP1_CASES, BP1_MISTAKES, arg_names=["Z", "A", "Y"], rtol=RTOL, atol=ATOL
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
        "dW is exactly n times too large: the cost is the *mean* over the batch, so dC/dW = X^T delta / n (BP4).",
    ),
    Mistake(
        "dW-transposed",
        _dense_mistake(0, lambda X, W, d: d.T @ X / X.shape[0]),
        "dW is transposed: it must have the shape of W, (n_in, n_out). Compute X.T @ delta, not delta.T @ X.",
    ),
    Mistake(
        "db-summed",
        _dense_mistake(1, lambda X, W, d: d.sum(axis=0)),
        "db is exactly n times too large: BP3 averages delta over the batch, db = delta.mean(axis=0).",
    ),
    Mistake(
        "db-wrong-axis",
        _dense_mistake(1, lambda X, W, d: d.mean(axis=1)),
        "db was averaged over the wrong axis: axis=1 runs across neurons. Average down the "
        "examples, delta.mean(axis=0), to get one number per neuron, shape (n_out,).",
    ),
    Mistake(
        "db-keepdims",
        _dense_mistake(1, lambda X, W, d: d.mean(axis=0, keepdims=True)),
        "db must have the shape of b, (n_out,): drop keepdims=True.",
    ),
    Mistake(
        "db-all",
        _dense_mistake(1, lambda X, W, d: np.mean(d)),
        "db came out as a single number: average over the examples only (axis=0), one value per neuron.",
    ),
    Mistake(
        "dX-missing-transpose",
        _dense_mistake(2, lambda X, W, d: d @ W),
        "dX needs W transposed: dC_x/dX = delta W^T, shape (n, n_in). This is the W^T of BP2 "
        "that carries the error one layer down.",
    ),
    Mistake(
        "dX-averaged",
        _dense_mistake(2, lambda X, W, d: d @ W.T / X.shape[0]),
        "dX is per example, like delta (it becomes the next delta down): do not divide it by n. "
        "Only the parameter gradients dW and db are averaged.",
    ),
]


def _unpack_dense(got: Any, expected: Sequence[np.ndarray]) -> list:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise ValueError(f"Return a tuple of three arrays (dW, db, dX), got {_kind(got)}.")
    return list(got)


def dense_backward(fn: Callable | None) -> Verdict:
    """Check ``dense_backward(X, W, delta) -> (dW, db, dX)`` against numerical gradients.

    ``dW = dC/dW`` and ``db = dC/db`` of the batch-mean cost, ``dX = dC_x/dX``
    per example (what the layer below receives).
    """
    return _check_gradients(
        "ex-backprop-dense",
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


def _backprop_variant(bp1_prime: bool = True, bp2_prime: bool = True, average: bool = True, prime_at_a: bool = False):
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
                delta = (delta @ weights[l].T) * (prime(l - 1) if bp2_prime else 1.0)  # BP2
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
]

NETWORK_MISTAKES = [
    Mistake(
        "bp1-forgot-prime",
        _backprop_variant(bp1_prime=False),
        "The output layer's gradients are off: BP1 is delta^L = (a^L - y) * sigma'(z^L); "
        "did you leave out sigma'(z^L)?",
    ),
    Mistake(
        "not-averaged",
        _backprop_variant(average=False),
        "The gradients are exactly n times too large: the cost is the batch mean, so "
        "dC/dW^l = A^{l-1 T} delta^l / n and dC/db^l = mean of delta^l over the examples.",
    ),
    Mistake(
        "bp2-forgot-prime",
        _backprop_variant(bp2_prime=False),
        "The output layer is right but the layers below are not: BP2 multiplies by the "
        "derivative of the layer below, delta^l = (delta^{l+1} W^{l+1 T}) * sigma'(z^l).",
    ),
    Mistake(
        "prime-of-a",
        _backprop_variant(prime_at_a=True),
        "You evaluated sigma' at the activations a instead of the weighted inputs z: use "
        "sigmoid_prime(zs[l]), or a * (1 - a) written with the activations directly.",
    ),
]


def _unpack_network(got: Any, expected: Sequence[np.ndarray]) -> list:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise ValueError(f"Return a pair of lists (grads_W, grads_b), got {_kind(got)}.")
    grads_W, grads_b = got
    L = len(expected) // 2
    for name, grads in (("grads_W", grads_W), ("grads_b", grads_b)):
        if not isinstance(grads, (tuple, list)) or len(grads) != L:
            raise ValueError(f"{name} must be a list with one array per layer ({L} here), got {_kind(grads)}.")
        for l, g in enumerate(grads):
            if g is None:
                raise ValueError(
                    f"{name}[{l}] is still None: the loop must fill in every layer, from l = {L - 1} down to 0."
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


def backprop(fn: Callable | None) -> Verdict:
    """Check ``backprop(X, Y, weights, biases) -> (grads_W, grads_b)`` against numerical gradients.

    The network: sigmoid in every layer, quadratic cost averaged over the batch.
    The output layer is compared first, then each layer below.
    """
    return _check_gradients(
        "ex-backprop-network",
        fn,
        _backprop_numerical,
        NETWORK_CASES,
        _unpack_network,
        _network_names,
        NETWORK_MISTAKES,
        ["X", "Y", "weights", "biases"],
    )
