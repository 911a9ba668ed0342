"""Checks for the exercises of chapter 6, *Epochs, mini-batches and learning rates*.

In the chapter::

    from nnlib.exercises import training as check
    check.sgd_step(sgd_step)
    check.iterate_minibatches(iterate_minibatches)
    check.train(train)                      # your loop: your minibatches, backprop and step
    check.choose_learning_rate(choose_learning_rate)
    check.early_stopping_epoch(early_stopping_epoch)

Each function prints one verdict (not attempted yet / correct / wrong with a
hint) and never raises in a normal run.

The first three check the mechanics of a training loop (1. one gradient-descent
step, 2. the mini-batches of one epoch, 2b. the loop itself, Nielsen's SGD, which calls
the learner's own ``iterate_minibatches``, ``backprop`` and ``sgd_step``); the last two the choices a
practitioner makes by reading the validation loss (3. which learning rate to
keep, 4. at which epoch early stopping ends a run). Each checks the type the
task names (a new list of float arrays; a list, or a generator, of tuples
``(X_batch, Y_batch)``; one of the learning rates; a tuple of two ints) and that
no input is changed: neither the arrays nor the lists that hold them.
"""

from __future__ import annotations

import copy
import math
import types
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..callbacks import History
from ..training import TrainingDiverged
from . import core
from .backprop import backprop_reference
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "sgd_step": Exercise("ex-training-sgd-step", "One step of gradient descent", "sgd_step"),
    "iterate_minibatches": Exercise("ex-training-minibatches", "The mini-batches of one epoch", "iterate_minibatches"),
    "train": Exercise("ex-training-loop", "The training loop", "train"),
    "choose_learning_rate": Exercise("ex-training-lr-search", "Choosing a learning rate", "choose_learning_rate"),
    "early_stopping_epoch": Exercise(
        "ex-training-early-stopping", "When does early stopping stop?", "early_stopping_epoch"
    ),
}

# --- 1. one gradient-descent step ------------------------------------------------


def sgd_step_reference(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float) -> list[np.ndarray]:
    """One step of gradient descent, ``p' = p - lr * g`` for every parameter, as new arrays."""
    return [p - lr * g for p, g in zip(params, grads)]


_SGD_MISTAKES = [
    Mistake(
        "added-gradient",
        lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)],
        Hint(
            "Your step goes *up* the slope: you added the gradient.",
            "Look at the sign of the update: the gradient points towards larger cost.",
            "Gradient descent subtracts it: p - lr * g.",
        ),
    ),
    Mistake(
        "forgot-lr",
        lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)],
        Hint(
            "Your step is the whole gradient: the learning rate is missing.",
            "Look at the update: the gradient is scaled by lr before it is subtracted.",
            "p - lr * g.",
        ),
    ),
    Mistake(
        "divided-by-lr",
        lambda ps, gs, lr: [p - g / lr for p, g in zip(ps, gs)],
        Hint(
            "Your step is g / lr: you divided by the learning rate.",
            "Look at the operator between lr and g.",
            "Multiply: p - lr * g.",
        ),
    ),
    Mistake(
        "first-param-only",
        lambda ps, gs, lr: [ps[0] - lr * gs[0]],
        Hint(
            "Only the first parameter came back: the loop ends after its first pass.",
            "Look at what is indented inside the `for` loop: a `return` (or a `break`) there ends "
            "it after the first parameter.",
            "Build the whole list first (or use a list comprehension), then return it after the loop.",
        ),
    ),
    Mistake(
        "missed-last-param",
        lambda ps, gs, lr: [p - lr * g for p, g in zip(ps[:-1], gs[:-1])],
        Hint(
            "The last parameter is missing from your list.",
            "Look at what the loop runs over: params[:-1] or range(len(params) - 1) stops one early.",
            "Go through every pair: for p, g in zip(params, grads).",
        ),
    ),
]


def _sgd_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    W, b = rng.normal(size=(2, 3)).round(2), rng.normal(size=3).round(2)
    dW, db = rng.normal(size=(2, 3)).round(2), rng.normal(size=3).round(2)
    W1, b1, W2, b2 = (rng.normal(size=s).round(2) for s in ((3, 4), 4, (4, 2), 2))
    dW1, db1, dW2, db2 = (rng.normal(size=s).round(2) for s in ((3, 4), 4, (4, 2), 2))
    return [
        Case(([np.array([1.0, -2.0])], [np.array([0.5, -1.0])], 0.1), label="one parameter array"),
        Case(([W, b], [dW, db], 0.5), label="a layer's W and b"),
        Case(([W1, b1, W2, b2], [dW1, db1, dW2, db2], 0.05), label="two layers: [W1, b1, W2, b2]"),
    ]


def _list_of_float_arrays(value: Any) -> core.TypeProblem | None:
    """The task asks for a new list of numpy float arrays."""
    if isinstance(value, list):
        for i, v in enumerate(value):
            problem = core.float_array(v)
            if problem:
                hint_id, message, hint = problem
                return hint_id, f"Entry {i} of your list: {message[0].lower()}{message[1:]}", hint
        return None
    if isinstance(value, types.GeneratorType):
        return (
            "generator",
            "Your function returns a generator; the task asks for a new list.",
            Hint(
                "Your function returns a generator, not a list: it can be read only once, and has no length.",
                "Look at the return line: parentheses around `... for ... in ...` make a generator, "
                "and a `yield` turns the whole function into one.",
                "Use square brackets, [p - lr * g for p, g in zip(params, grads)], to build a list.",
            ),
        )
    if isinstance(value, tuple):
        return (
            "tuple-not-list",
            "Your function returns a tuple; the task asks for a new list.",
            Hint(
                "Your function returns a tuple, not a list.",
                "Look at the return line: tuple(...) or (a, b) makes a tuple.",
                "Return a list: [p - lr * g for p, g in zip(params, grads)].",
            ),
        )
    return (
        "not-a-list",
        f"Your function returns {_kind(value)}; the task asks for a list of arrays (one per parameter).",
        Hint(
            f"Your function returns {_kind(value)}, not a list of arrays.",
            "Look at the return line: params is a list such as [W, b], and the result is a list like it.",
            "Return one new array per parameter, in a list: [new_W, new_b].",
        ),
    )


def _kind(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _sgd_in_place(out: core.Outcome, expected: Any) -> tuple[str, str, Hint] | None:
    """Updated the caller's arrays in place and returned None: the update itself may be right."""
    params_after = out.args[0]
    if out.value is None and core.close(params_after, expected):
        return (
            "in-place-returned-none",
            "Your function updated `params` in place and returned None.",
            Hint(
                "Your update is right, but it changed the caller's arrays and returned nothing.",
                "Look at `p -= lr * g`: it writes into the array p of the caller's list, and the "
                "function has no `return` with the result.",
                "Return a *new* list, [p - lr * g for p, g in zip(params, grads)], and leave the inputs unchanged.",
            ),
        )
    return None


@saves("sgd_step")
def sgd_step(fn: Callable | None) -> Verdict:
    """Check ``sgd_step(params, grads, lr)``: a new list of float arrays ``p - lr * g``, inputs untouched."""
    return core.check_function(
        EXERCISES["sgd_step"],
        fn,
        sgd_step_reference,
        _sgd_cases(),
        _SGD_MISTAKES,
        arg_names=["params", "grads", "lr"],
        returns=_list_of_float_arrays,
        on_modified=_sgd_in_place,
    )


# --- 2. the mini-batches of one epoch ----------------------------------------------


def _numbered_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X whose first column is the row number, Y = -row number: any broken pair shows."""
    i = np.arange(n, dtype=float)
    X = np.column_stack([i, 100 + i])  # (n, 2)
    Y = -i[:, None]  # (n, 1)
    return X, Y


_MB_CASES = [(10, 4), (12, 4), (5, 1), (3, 5)]  # (n, batch_size): partial last batch first
_PERMUTATION_FIX = (
    "Draw one order = rng.permutation(n), then cut it into consecutive pieces: "
    "(X[order[s:s + batch_size]], Y[order[s:s + batch_size]]) for s in range(0, n, batch_size)."
)
_MB_HINTS = {
    "not-shuffled": Hint(
        "Your batches come out in the original order of the examples: nothing was shuffled.",
        "Look for the shuffle: the order of the rows must come from rng.",
        _PERMUTATION_FIX,
    ),
    "shuffled-batches-only": Hint(
        "Each of your batches holds consecutive examples: you shuffled the order of the batches, not the examples.",
        "Look at what you permute: the list of batches, instead of the row indices.",
        "Permute the row indices first, then cut: " + _PERMUTATION_FIX,
    ),
    "dropped-last": Hint(
        "The last, smaller batch is missing, so some examples are never used in the epoch.",
        "Look at the range of batch starts: it stops before the leftover rows "
        "(e.g. range(0, n - batch_size + 1, ...)).",
        "range(0, n, batch_size) gives every start, including the last partial batch.",
    ),
    "overlap": Hint(
        "Your batches overlap: consecutive batches share examples.",
        "Look at the start of each batch: consecutive batches must start batch_size apart, not 1 apart.",
        "order[start:start + batch_size] for start in range(0, n, batch_size).",
    ),
    "with-replacement": Hint(
        "Some examples appear more than once in the epoch and others never: the order was drawn with replacement.",
        "Look at how you draw the order: rng.choice(n, n) and rng.integers(0, n, n) can draw the same index twice.",
        "rng.permutation(n) gives every index exactly once.",
    ),
    "duplicates": Hint(
        "Some examples appear in more than one batch.",
        "Look at how the rows of each batch are chosen: every index of the shuffled order is used exactly once.",
        _PERMUTATION_FIX,
    ),
    "missing-rows": Hint(
        "Some examples never appear in any batch.",
        "Look at the slices you take: together they must cover the whole shuffled order.",
        _PERMUTATION_FIX,
    ),
    "pairs-broken": Hint(
        "An input ended up with another example's target: X and Y were not shuffled the same way.",
        "Look at the shuffles: two calls of rng.permutation (or rng.shuffle of X and of Y) give two different orders.",
        "Draw one order = rng.permutation(n) and index both X and Y with it.",
    ),
    "batch-size": Hint(
        "Your batches do not have batch_size rows (except possibly the last).",
        "Look at the length of each slice: order[start:start + batch_size].",
        _PERMUTATION_FIX,
    ),
    "ignores-rng": Hint(
        "Your batches do not follow the `rng` you are given: the same seed gave different batches, or "
        "different seeds the same ones.",
        "Look at where the shuffle comes from: np.random.permutation, np.random.shuffle or a new "
        "np.random.default_rng(...) use another generator.",
        "Use the argument: order = rng.permutation(n).",
    ),
    "not-pairs": Hint(
        "The items of your result are not pairs (X_batch, Y_batch).",
        "Look at what you append (or yield) for each batch: both the inputs and the targets.",
        "Append (or yield) one tuple per batch: (X[idx], Y[idx]).",
    ),
    "pair-not-tuple": Hint(
        "Each of your batches is a list [X_batch, Y_batch]; the task asks for pairs, tuples (X_batch, Y_batch).",
        "Look at what you append (or yield): [a, b] builds a list.",
        "Append (or yield) a tuple: (X[idx], Y[idx]).",
    ),
    "batch-not-array": Hint(
        "A batch's X_batch or Y_batch is not a numpy array.",
        "Look at how a batch is built: a list of rows ([X[i] for i in ...]) is a list, not an array.",
        "Index with an array of row numbers, X[idx] and Y[idx]: that gives arrays with one row per example.",
    ),
    "shape": Hint(
        "A batch does not have one row per example with all the columns of X (and of Y).",
        "Look at how you index: X[idx] keeps whole rows, X[:, idx] would pick columns.",
        "Index rows, X[idx] and Y[idx], so that each batch has shape (k, n_in) and (k, n_out).",
    ),
    "not-a-list": Hint(
        "Your function returns neither a list of batches nor a generator of them.",
        "Look at the return line: the task asks for a list of pairs (or `yield` for each pair).",
        "Collect the pairs in a list and return it, or `yield` each pair.",
    ),
}


def iterate_minibatches_reference(
    X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The mini-batches of one epoch: shuffle the rows once, then cut into ``batch_size`` rows."""
    order = rng.permutation(X.shape[0])  # one order for X and Y: pairs stay together
    return [
        (X[order[start : start + batch_size]], Y[order[start : start + batch_size]])
        for start in range(0, X.shape[0], batch_size)
    ]


def _batches(fn: Callable, X: np.ndarray, Y: np.ndarray, batch_size: int, seed: int) -> core.Outcome:
    """Run the learner's function and read its batches (a generator runs here)."""
    Xc, Yc = X.copy(), Y.copy()
    try:
        out = fn(Xc, Yc, batch_size, np.random.default_rng(seed))
        if out is not Ellipsis and (isinstance(out, list) or hasattr(out, "__next__")):
            out = list(out)
    except NotImplementedError as e:
        blocker = core._unfinished_callee(fn, e)
        return core.Outcome("blocked", blocked_by=blocker) if blocker else core.Outcome("stub")
    except Exception as e:  # the learner's code may raise anything
        return core.Outcome("raised", e)
    if out is Ellipsis:
        return core.Outcome("stub")
    if not (np.array_equal(Xc, X) and np.array_equal(Yc, Y)):
        return core.Outcome("modified", out, change=("array", "X" if not np.array_equal(Xc, X) else "Y"))
    return core.Outcome("ok", out)


def _order(batches: Any) -> list[int] | None:
    try:
        return [int(r) for xb, _ in batches for r in np.asarray(xb)[:, 0]]
    except (TypeError, ValueError, IndexError):
        return None


@saves("iterate_minibatches")
def iterate_minibatches(fn: Callable | None) -> Verdict:
    """Check ``iterate_minibatches(X, Y, batch_size, rng)``: shuffled, complete, non-overlapping, paired.

    A list (or a generator) of tuples of arrays ``(X_batch, Y_batch)``; the shuffle comes from
    ``rng`` (same seed, same batches; another seed, other batches); ``X`` and ``Y`` unchanged.
    """
    ex = EXERCISES["iterate_minibatches"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for n, bs in _MB_CASES:
        X, Y = _numbered_data(n)
        shown = (
            f"X: {n} rows, row i = [i, 100 + i]; Y: {n} rows, row i = [-i]\n"
            f"batch_size = {bs}\nrng = np.random.default_rng(0)"
        )

        def bad(hint_id: str, message: str, **kw: Any) -> Verdict:
            return core.wrong(ex, message, _MB_HINTS[hint_id], hint_id, case=shown, **kw)  # noqa: B023

        out = _batches(fn, X, Y, bs, seed=0)
        unfinished = core.unfinished_call(ex, fn, out, shown)
        if unfinished is not None:
            return unfinished
        got = out.value
        if got is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your function returned None.", hint, hint_id, case=shown)
        if not isinstance(got, list):
            return bad("not-a-list", f"Your function returns {_kind(got)}; expected a list of pairs (or a generator).")
        for item in got:
            if isinstance(item, list) and len(item) == 2:
                return bad("pair-not-tuple", "Each batch should be a tuple (X_batch, Y_batch), not a list.")
            if not (isinstance(item, tuple) and len(item) == 2):
                return bad("not-pairs", f"Each item should be a pair (X_batch, Y_batch); got {_kind(item)}.")
        for xb, yb in got:
            if not (isinstance(xb, np.ndarray) and isinstance(yb, np.ndarray)):
                return bad("batch-not-array", f"A batch holds {_kind(xb)} and {_kind(yb)}; expected two numpy arrays.")
            if xb.ndim != 2 or xb.shape[1] != X.shape[1] or yb.ndim != 2 or yb.shape != (xb.shape[0], 1):
                return bad(
                    "shape",
                    f"A batch has X of shape {xb.shape} and Y of shape {yb.shape}; "
                    f"expected (k, {X.shape[1]}) and (k, 1).",
                )
        order = _order(got) or []
        batch_rows = [[int(r) for r in xb[:, 0]] for xb, _ in got]
        sizes = [len(rows) for rows in batch_rows]
        summary = f"batch sizes {sizes}, rows in the order they came out: {order}"
        expected_sizes = [bs] * (n // bs) + ([n % bs] if n % bs else [])
        if len(order) > len(set(order)):
            if len(batch_rows) > 1 and all(set(a) & set(b) for a, b in zip(batch_rows, batch_rows[1:])):
                return bad("overlap", "Consecutive batches share examples.", received=summary)
            if len(set(order)) < n:
                return bad("with-replacement", "Some examples appear twice and others never.", received=summary)
            return bad("duplicates", "Some examples appear twice in one epoch.", received=summary)
        if len(order) < n:
            if n % bs and sizes == [bs] * (n // bs):
                return bad("dropped-last", f"Only {len(order)} of the {n} examples were used.", received=summary)
            return bad("missing-rows", f"Only {len(order)} of the {n} examples were used.", received=summary)
        for xb, yb in got:
            if not np.array_equal(yb[:, 0], -xb[:, 0]):
                return bad("pairs-broken", "Inputs and targets no longer match.", received=summary)
        shuffle_visible = n >= 8  # a real shuffle of 8+ rows gives the identity with chance < 1/40000
        if shuffle_visible and order == list(range(n)):
            return bad("not-shuffled", "The examples come out in their original order.", received=summary)
        if shuffle_visible and all(np.array_equal(np.diff(rows), np.ones(len(rows) - 1)) for rows in batch_rows):
            return bad("shuffled-batches-only", "Each batch is a run of consecutive examples.", received=summary)
        if sizes != expected_sizes:
            return bad("batch-size", f"Expected batch sizes {expected_sizes}.", received=summary)
        if shuffle_visible:
            again = _order(_batches(fn, X, Y, bs, seed=0).value or [])
            other = _order(_batches(fn, X, Y, bs, seed=1).value or [])
            if again != order or other == order:
                return bad(
                    "ignores-rng",
                    "The same seed gave different batches, or different seeds the same batches.",
                    received=summary,
                )
    return core.correct(
        ex,
        f"Well done: on {core.plural(len(_MB_CASES), 'test case')} your batches are shuffled by the rng, "
        "complete and non-overlapping, with inputs and targets kept together.",
    )


# --- 2b. the training loop -------------------------------------------------------------


def train_reference(
    X: np.ndarray,
    Y: np.ndarray,
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    epochs: int,
    batch_size: int,
    lr: float,
    rng: np.random.Generator,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Nielsen's SGD: ``epochs`` passes of shuffled mini-batches, one backprop and one step per batch."""
    weights, biases = list(weights), list(biases)
    for _ in range(epochs):
        for X_batch, Y_batch in iterate_minibatches_reference(X, Y, batch_size, rng):
            grads_W, grads_b = backprop_reference(X_batch, Y_batch, weights, biases)
            params = sgd_step_reference(weights + biases, grads_W + grads_b, lr)
            weights, biases = params[: len(weights)], params[len(weights) :]
    return weights, biases


def _train_variant(
    epochs_run: Callable[[int], int] = lambda epochs: epochs,
    same_order: bool = False,
    whole_set: bool = False,
    biases_fixed: bool = False,
    never_assigned: bool = False,
) -> Callable[..., tuple[list[np.ndarray], list[np.ndarray]]]:
    """The loop with one realistic mistake (to recognise it)."""

    def fn(X, Y, weights, biases, epochs, batch_size, lr, rng):
        start = copy.deepcopy(rng)
        new_W, new_b = list(weights), list(biases)
        for _ in range(epochs_run(epochs)):
            for X_batch, Y_batch in iterate_minibatches_reference(
                X, Y, batch_size, copy.deepcopy(start) if same_order else rng
            ):
                if whole_set:
                    X_batch, Y_batch = X, Y
                grads_W, grads_b = backprop_reference(X_batch, Y_batch, new_W, new_b)
                params = sgd_step_reference(new_W + new_b, grads_W + grads_b, lr)
                if not never_assigned:
                    new_W = params[: len(new_W)]
                    if not biases_fixed:
                        new_b = params[len(new_W) :]
        return new_W, new_b

    return fn


def _train_case(seed: int, n: int, sizes: list[int], epochs: int, batch_size: int, lr: float) -> Case:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0])).round(2)
    Y = rng.uniform(size=(n, sizes[-1])).round(2)
    weights = [rng.normal(size=(a, b)).round(2) for a, b in zip(sizes[:-1], sizes[1:])]
    biases = [rng.normal(size=b).round(2) for b in sizes[1:]]
    shown = (
        f"X: {n} examples of {sizes[0]} inputs, Y: {sizes[-1]} outputs; a network {sizes} "
        f"(weights and biases of seed {seed})\nepochs = {epochs}, batch_size = {batch_size}, lr = {lr}, "
        f"rng = np.random.default_rng({seed})"
    )
    args = (X, Y, weights, biases, epochs, batch_size, lr, np.random.default_rng(seed))
    return Case(args, label=f"{epochs} epochs of batches of {batch_size}", shown=shown)


TRAIN_CASES = [
    _train_case(1, 10, [3, 4, 2], epochs=2, batch_size=4, lr=0.5),
    _train_case(2, 9, [2, 5, 3, 2], epochs=3, batch_size=3, lr=1.0),
]

_TRAIN_MISTAKES = [
    Mistake(
        "one-epoch",
        _train_variant(epochs_run=lambda epochs: 1),
        Hint(
            "Your weights are those after the first epoch only: the loop stops after one pass.",
            "Look at what is indented inside `for epoch in range(epochs):`: a `return` there ends "
            "the training after the first epoch.",
            "Return `weights, biases` after both loops, at the indentation of the first `for`.",
        ),
    ),
    Mistake(
        "same-order",
        _train_variant(same_order=True),
        Hint(
            "Every epoch visits the same mini-batches in the same order: the examples are shuffled only once.",
            "Look at where you call `iterate_minibatches`: called once before the epoch loop (or with "
            "a fresh `np.random.default_rng(...)` each epoch), it gives every epoch the same batches.",
            "Call `iterate_minibatches(X, Y, batch_size, rng)` inside the epoch loop, with the `rng` you "
            "were given: each call draws a new order.",
        ),
    ),
    Mistake(
        "whole-set",
        _train_variant(whole_set=True),
        Hint(
            "Each step used the gradient of the whole training set, not of the mini-batch.",
            "Look at the arguments of `backprop`: `X, Y` instead of the batch's `X_batch, Y_batch`.",
            "Backpropagate on the batch: `backprop(X_batch, Y_batch, weights, biases)`.",
        ),
    ),
    Mistake(
        "biases-fixed",
        _train_variant(biases_fixed=True),
        Hint(
            "Your weights are right, but the biases never change.",
            "Look at what you do with the list `sgd_step` returns: its second half holds the new biases.",
            "Split it in two: `weights, biases = params[:len(weights)], params[len(weights):]`.",
        ),
    ),
    Mistake(
        "never-assigned",
        _train_variant(never_assigned=True),
        Hint(
            "Your weights and biases came back as they went in: the new parameters are never kept.",
            "Look at the result of `sgd_step`: it returns new arrays and changes nothing, so it must "
            "be assigned back to `weights` and `biases` before the next batch.",
            "`params = sgd_step(weights + biases, grads_W + grads_b, lr)`, then "
            "`weights, biases = params[:len(weights)], params[len(weights):]`.",
        ),
    ),
]

_PAIR_HINT = Hint(
    "Your function should return a pair, `(weights, biases)`: two lists with one array per layer.",
    "Look at the return line, and at the shapes: weights[l] as the W you were given, biases[l] as the b.",
    "`return weights, biases`, after both loops.",
)


def _flat(value: Any, case: Case) -> Any:
    """``weights + biases`` as one tuple of arrays when ``value`` has the shape of an answer, else None."""
    weights, biases = case.args[2], case.args[3]
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        return None
    got_W, got_b = value
    if not (isinstance(got_W, (list, tuple)) and isinstance(got_b, (list, tuple))):
        return None
    if len(got_W) != len(weights) or len(got_b) != len(biases):
        return None
    arrays = [np.asarray(a) if isinstance(a, np.ndarray) else a for a in (*got_W, *got_b)]
    if not all(isinstance(a, np.ndarray) for a in arrays):
        return None
    if [a.shape for a in arrays] != [a.shape for a in (*weights, *biases)]:
        return None
    return tuple(arrays)


def _train_outputs(fn: Callable, cases: Sequence[Case]) -> list[Any]:
    out = []
    for case in cases:
        got = core._quiet(fn, case)
        out.append(got if got is core._RAISED else _flat(got, case))
    return out


@saves("train")
def train(fn: Callable | None) -> Verdict:
    """Check ``train(X, Y, weights, biases, epochs, batch_size, lr, rng) -> (weights, biases)``.

    The loop calls the notebook's ``iterate_minibatches``, ``backprop`` and ``sgd_step`` (the
    learner's own where they are done): a stub among them makes this *not attempted yet*,
    naming it. The result is compared with Nielsen's SGD built from the references; the
    lists and arrays given must come back unchanged.
    """
    ex = EXERCISES["train"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for case in TRAIN_CASES:
        shown = f"{case.label}\n{case.shown}"
        out = core.call(fn, case.args, {}, ["X", "Y", "weights", "biases", "epochs", "batch_size", "lr", "rng"])
        unfinished = core.unfinished_call(ex, fn, out, shown)
        if unfinished is not None:
            return unfinished
        if out.value is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your function returned None.", hint, hint_id, case=shown)
        got = _flat(out.value, case)
        if got is None:
            return core.wrong(
                ex,
                f"Your function returns {_kind(out.value)}; expected (weights, biases).",
                _PAIR_HINT,
                "not-a-pair",
                case=shown,
            )
        expected = train_reference(*copy.deepcopy(case.args))
        if core.close(list(got), [*expected[0], *expected[1]]):
            continue
        mine = _train_outputs(fn, TRAIN_CASES)
        for m in _TRAIN_MISTAKES:
            theirs = [_flat(m.fn(*copy.deepcopy(c.args)), c) for c in TRAIN_CASES]
            if all(core.same_results(a, b, 1e-6, 1e-8) for a, b in zip(mine, theirs)):
                return core.wrong(
                    ex,
                    "Not yet: your trained weights differ.",
                    m.hint,
                    m.id,
                    case=shown,
                    expected=expected[0][0],
                    received=got[0],
                )
        return core.wrong(
            ex,
            "Not yet: your trained weights differ.",
            core.CATCH_ALL,
            "values-differ",
            case=shown,
            expected=expected[0][0],
            received=got[0],
        )
    return core.correct(
        ex,
        f"Well done: on {core.plural(len(TRAIN_CASES), 'test case')} your loop trains exactly as Nielsen's SGD.",
    )


# --- 3. choosing a learning rate ------------------------------------------------------


def choose_learning_rate_reference(lrs: Sequence[float], train_with: Callable[[float], History]) -> float:
    """The learning rate whose run ends with the lowest validation loss; diverged runs are skipped."""
    final_val_loss = {}
    for lr in lrs:
        try:
            history = train_with(lr)
        except TrainingDiverged:
            continue  # too large: this run blew up
        final_val_loss[lr] = history.val_loss[-1]
    return min(final_val_loss, key=final_val_loss.get)


def _history(train: Sequence[float], val: Sequence[float]) -> History:
    h = History()
    h.epoch = list(range(1, len(train) + 1))
    h.loss, h.val_loss = list(train), list(val)
    return h


def _fake_trainer(runs: dict) -> Callable[[float], History]:
    """A stand-in for a real training run: ``runs[lr]`` is (train losses, val losses) or 'diverges'."""

    def train_with(lr: float) -> History:
        run = runs[lr]
        if run == "diverges":
            raise TrainingDiverged(
                f"training diverged at epoch 2, batch 3: the loss became NaN or infinite with learning rate {lr:g}."
            )
        return _history(*run)

    return train_with


_LR_RUNS = [
    # plain: the middle rate wins on both training and validation loss
    (
        "three rates",
        {
            0.01: ([0.9, 0.8, 0.7], [0.95, 0.85, 0.75]),
            0.1: ([0.6, 0.4, 0.3], [0.65, 0.45, 0.35]),
            1.0: ([0.7, 0.5, 0.45], [0.75, 0.55, 0.5]),
        },
    ),
    # the largest rate fits the training set best but generalises worst; epoch 1 favours 0.03
    (
        "overfitting",
        {
            0.03: ([0.5, 0.45, 0.4], [0.52, 0.48, 0.44]),
            0.3: ([0.7, 0.3, 0.2], [0.72, 0.35, 0.3]),
            3.0: ([0.6, 0.1, 0.02], [0.65, 0.5, 0.6]),
        },
    ),
    # the largest rate, tried first, blows up
    (
        "one run diverges",
        {10.0: "diverges", 1.0: ([0.5, 0.3, 0.25], [0.52, 0.33, 0.3]), 0.1: ([0.8, 0.6, 0.5], [0.82, 0.63, 0.55])},
    ),
    # a run diverges in the middle of the list, and the best rate comes after it
    (
        "a run in the middle diverges",
        {
            0.05: ([0.7, 0.5, 0.4], [0.72, 0.52, 0.42]),
            5.0: "diverges",
            0.5: ([0.6, 0.35, 0.3], [0.62, 0.38, 0.33]),
            0.01: ([0.9, 0.85, 0.8], [0.92, 0.87, 0.83]),
        },
    ),
]


def _lr_cases() -> list[Case]:
    cases = []
    for label, runs in _LR_RUNS:
        desc = "\n".join(
            f"  lr = {lr:g}: "
            + ("raises TrainingDiverged" if run == "diverges" else f"loss {run[0]}, val_loss {run[1]}")
            for lr, run in runs.items()
        )
        cases.append(
            Case(
                (list(runs), _fake_trainer(runs)),
                label=label,
                shown=f"lrs = {list(runs)}\ntrain_with(lr) returns a History with\n{desc}",
            )
        )
    return cases


def _choose_by(key, pick=min, on_diverge="skip"):
    """A ``choose_learning_rate`` that scores each run's History with ``key`` and picks with
    ``pick``; a diverged run is skipped, scored ``"nan"`` or ``"inf"``, or ends the search
    (``on_diverge="break"``, which returns None when no rate was scored yet)."""

    def choose(lrs, train_with):
        scores = {}
        for lr in lrs:
            try:
                scores[lr] = key(train_with(lr))
            except TrainingDiverged:
                if on_diverge == "break":
                    break
                if on_diverge != "skip":
                    scores[lr] = float(on_diverge)
        if not scores:
            return None
        return pick(scores, key=scores.get)

    return choose


def _argmin_with_nan(lrs, train_with):
    """Diverged runs scored NaN, then np.argmin, which returns the first NaN."""
    losses = []
    for lr in lrs:
        try:
            losses.append(train_with(lr).val_loss[-1])
        except TrainingDiverged:
            losses.append(float("nan"))
    return lrs[int(np.argmin(losses))]


def _lr_mistakes() -> list[Mistake]:
    by = _choose_by
    nan_hint = Hint(
        "A diverged run scored as NaN confuses the comparison: every comparison with NaN is "
        "False (and np.argmin returns the position of the first NaN).",
        "Look at what you record for a rate whose training raised TrainingDiverged.",
        "Skip that rate (continue), or score it as float('inf').",
    )
    return [
        Mistake(
            "used-training-loss",
            by(lambda h: h.loss[-1]),
            Hint(
                "You chose by the *training* loss: a large learning rate can fit the training set "
                "best and still generalise worst.",
                "Look at which list of the History you read: history.loss is the training loss.",
                "Compare the final validation losses, history.val_loss[-1].",
            ),
        ),
        Mistake(
            "picked-largest",
            by(lambda h: h.val_loss[-1], pick=max),
            Hint(
                "You picked the rate with the *largest* final validation loss.",
                "Look at how you pick: max instead of min, or a comparison the wrong way round.",
                "Lower loss is better: keep the rate with the smallest final validation loss (min).",
            ),
        ),
        Mistake(
            "first-epoch",
            by(lambda h: h.val_loss[0]),
            Hint(
                "You compared the validation losses after the *first* epoch.",
                "Look at the index into val_loss: [0] is the first epoch.",
                "The final validation loss is history.val_loss[-1].",
            ),
        ),
        Mistake("nan-for-diverged", by(lambda h: h.val_loss[-1], on_diverge="nan"), nan_hint),
        Mistake("nan-for-diverged", _argmin_with_nan, nan_hint),
        Mistake(
            "stopped-at-divergence",
            by(lambda h: h.val_loss[-1], on_diverge="break"),
            Hint(
                "Your search stops at the first run that diverges: the rates after it are never tried.",
                "Look at the `except TrainingDiverged:` branch: a `break` (or a `return`) there ends the whole search.",
                "Use `continue` there: it skips only the rate that diverged and goes on with the next one.",
            ),
        ),
        Mistake(
            "returned-index",
            lambda lrs, train_with: lrs.index(choose_learning_rate_reference(lrs, train_with)),
            Hint(
                "You returned the position of the best rate in the list, not the rate itself.",
                "Look at the return line: an index from argmin or enumerate.",
                "Return the learning rate: lrs[best_index].",
            ),
        ),
        Mistake(
            "returned-loss",
            lambda lrs, train_with: train_with(choose_learning_rate_reference(lrs, train_with)).val_loss[-1],
            Hint(
                "You returned the best validation loss, not the learning rate that reached it.",
                "Look at what you keep while comparing: the loss, but not its learning rate.",
                "Keep both (e.g. a dict {lr: loss}) and return the learning rate: min(losses, key=losses.get).",
            ),
        ),
    ]


def _chose_diverged(received: Any, case: Case) -> tuple[str, Hint] | None:
    lrs, train_with = case.args
    diverged = []
    for lr in lrs:
        try:
            train_with(lr)
        except TrainingDiverged:
            diverged.append(lr)
    if isinstance(received, (int, float, np.number)) and received in diverged:
        return "chose-diverged", Hint(
            f"You returned {received:g}, a learning rate whose run diverged.",
            "Look at what your function records for a rate whose training raised TrainingDiverged, "
            "and at the starting value of your 'best so far'.",
            "Skip the diverged rates (continue in the except branch) and return the best of the others.",
        )
    return None


_NOT_CAUGHT = Hint(
    "TrainingDiverged escaped from your function: one learning rate blew up and stopped the whole search.",
    "Look at the call train_with(lr): it is not inside a try block.",
    "Wrap it in try: ... except TrainingDiverged: and skip that learning rate (continue).",
)


@saves("choose_learning_rate")
def choose_learning_rate(fn: Callable | None) -> Verdict:
    """Check ``choose_learning_rate(lrs, train_with)`` on made-up training runs: one of the rates, ``lrs`` unchanged."""
    return core.check_function(
        EXERCISES["choose_learning_rate"],
        fn,
        choose_learning_rate_reference,
        _lr_cases(),
        _lr_mistakes(),
        arg_names=["lrs", "train_with"],
        rtol=0,
        atol=0,
        raised_hints=[("training diverged", "not-caught", _NOT_CAUGHT)],
        returns=core.number,
        explain=_chose_diverged,
    )


# --- 4. early stopping --------------------------------------------------------------------


def early_stopping_epoch_reference(val_losses: Sequence[float], patience: int) -> tuple[int, int]:
    """``(best_epoch, stop_epoch)``, epochs counted from 1, as :class:`nnlib.training.EarlyStopping` does.

    Training stops after the first epoch that is ``patience`` epochs past the
    best one without a new best; if that never happens it runs to the end.
    """
    best, best_epoch = math.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_no_patience(val_losses, patience):
    return early_stopping_epoch_reference(val_losses, 1)


def _es_one_late(val_losses, patience):
    best, best_epoch = math.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch > patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_zero_based(val_losses, patience):
    best_epoch, stop_epoch = early_stopping_epoch_reference(val_losses, patience)
    return best_epoch - 1, stop_epoch - 1


def _es_looked_ahead(val_losses, patience):
    stop_epoch = early_stopping_epoch_reference(val_losses, patience)[1]
    return int(np.argmin(val_losses)) + 1, stop_epoch


def _es_tie_improves(val_losses, patience):
    best, best_epoch = math.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss <= best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_previous_epoch(val_losses, patience):
    """Counts epochs without improvement over the *previous* epoch, not over the best."""
    best, best_epoch, waited, previous = math.inf, 0, 0, math.inf
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best:
            best, best_epoch = loss, epoch
        waited = 0 if loss < previous else waited + 1
        previous = loss
        if waited >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _es_cases() -> list[Case]:
    return [
        Case(([0.9, 0.7, 0.8, 0.6, 0.65, 0.7, 0.75, 0.8], 2), label="a dip, then a new best"),
        Case(([1.0, 0.8, 0.7, 0.72, 0.74, 0.71, 0.73, 0.5, 0.9], 3), label="a late best it should never see"),
        Case(([0.5, 0.4, 0.3, 0.2], 2), label="still improving at the end"),
        Case(([0.6, 0.5, 0.55, 0.5, 0.52, 0.58, 0.61], 3), label="a tie is not an improvement"),
    ]


_ES_MISTAKES = [
    Mistake(
        "no-patience",
        _es_no_patience,
        Hint(
            "You stopped at the first epoch that did not improve: patience was ignored.",
            "Look at the stopping condition: it must wait `patience` epochs after the best one.",
            "Stop when epoch - best_epoch >= patience.",
        ),
    ),
    Mistake(
        "one-epoch-late",
        _es_one_late,
        Hint(
            "You stop one epoch late.",
            "Look at the comparison in the stopping condition: > waits one epoch more than >=.",
            "Stop as soon as epoch - best_epoch >= patience.",
        ),
    ),
    Mistake(
        "zero-based",
        _es_zero_based,
        Hint(
            "Both of your epochs are one too small: they are counted from 0.",
            "Look at how you number the epochs: enumerate starts at 0 unless told otherwise.",
            "Count from 1, as History.epoch does: enumerate(val_losses, start=1).",
        ),
    ),
    Mistake(
        "looked-ahead",
        _es_looked_ahead,
        Hint(
            "Your best epoch comes after the stop: early stopping cannot see the future.",
            "Look at how you find the best epoch: an argmin over the whole list sees epochs never run.",
            "Track the best loss as you go through the epochs, and stop the loop when patience runs out.",
        ),
    ),
    Mistake(
        "tie-improves",
        _es_tie_improves,
        Hint(
            "You count an equal loss as a new best.",
            "Look at the comparison that finds a new best: <= accepts a tie.",
            "A new best is strictly lower: loss < best.",
        ),
    ),
    Mistake(
        "compared-with-previous",
        _es_previous_epoch,
        Hint(
            "Your patience counts epochs without improvement over the *previous* epoch, not over the best one.",
            "Look at what each loss is compared with when you count: the previous epoch's loss, "
            "instead of the best loss so far.",
            "Count from the best epoch: stop when epoch - best_epoch >= patience.",
        ),
    ),
]


@saves("early_stopping_epoch")
def early_stopping_epoch(fn: Callable | None) -> Verdict:
    """Check ``early_stopping_epoch(val_losses, patience) -> (best_epoch, stop_epoch)``: a tuple of two ints."""
    return core.check_function(
        EXERCISES["early_stopping_epoch"],
        fn,
        early_stopping_epoch_reference,
        _es_cases(),
        _ES_MISTAKES,
        arg_names=["val_losses", "patience"],
        rtol=0,
        atol=0,
        returns=core.int_pair,
    )


__all__ = ["choose_learning_rate", "early_stopping_epoch", "iterate_minibatches", "sgd_step"]
