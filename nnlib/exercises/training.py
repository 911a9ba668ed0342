"""Checks for the exercises of chapter 6, *Epochs, mini-batches and learning rates*.

In the chapter::

    from nnlib.exercises import training as check
    check.sgd_step(sgd_step)
    check.iterate_minibatches(iterate_minibatches)
    check.choose_learning_rate(choose_learning_rate)
    check.early_stopping_epoch(early_stopping_epoch)

Each function prints one verdict (not attempted yet / correct / wrong with a
hint) and never raises in a normal run.

The first two check the mechanics of a training loop (1. one gradient-descent
step, 2. the mini-batches of one epoch); the last two the choices a
practitioner makes by reading the validation loss (3. which learning rate to
keep, 4. at which epoch early stopping ends a run).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Sequence

import numpy as np

from ..callbacks import History
from ..training import TrainingDiverged
from . import core
from .core import Case, Mistake, Verdict

# --- 1. one gradient-descent step ------------------------------------------------


def sgd_step_reference(params: Sequence[np.ndarray], grads: Sequence[np.ndarray], lr: float) -> list[np.ndarray]:
    """One step of gradient descent, ``p' = p - lr * g`` for every parameter, as new arrays."""
    return [p - lr * g for p, g in zip(params, grads)]


_SGD_MISTAKES = [
    Mistake(
        "added-gradient",
        lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)],
        "You moved *up* the slope: the gradient points towards larger cost, so gradient "
        "descent subtracts it, p - lr * g.",
    ),
    Mistake(
        "forgot-lr",
        lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)],
        "The step is the whole gradient: multiply it by the learning rate, p - lr * g.",
    ),
    Mistake(
        "divided-by-lr",
        lambda ps, gs, lr: [p - g / lr for p, g in zip(ps, gs)],
        "Multiply the gradient by the learning rate (p - lr * g), do not divide by it.",
    ),
    Mistake(
        "return-in-loop",
        lambda ps, gs, lr: [ps[0] - lr * gs[0]],
        "Only the first parameter came back: is the `return` inside the `for` loop? "
        "Build the whole list first, then return it.",
    ),
]


def _sgd_cases() -> list[Case]:
    rng = np.random.default_rng(6)
    W, b = rng.normal(size=(2, 3)).round(2), rng.normal(size=3).round(2)
    dW, db = rng.normal(size=(2, 3)).round(2), rng.normal(size=3).round(2)
    return [
        Case(([np.array([1.0, -2.0])], [np.array([0.5, -1.0])], 0.1), label="one parameter array"),
        Case(([W, b], [dW, db], 0.5), label="a layer's W and b"),
    ]


def sgd_step(fn: Callable | None) -> Verdict:
    """Check ``sgd_step(params, grads, lr)``: a list of new arrays ``p - lr * g``, inputs untouched."""
    name = "sgd_step"
    if core.is_stub(fn):
        return core.not_attempted(name)
    for case in _sgd_cases():
        params, grads, lr = case.args
        shown = case.label + "\n" + core.describe_args(case.args, {}, ["params", "grads", "lr"])
        p_copy, g_copy = copy.deepcopy(params), copy.deepcopy(grads)
        try:
            got = fn(p_copy, g_copy, lr)
        except NotImplementedError:
            return core.not_attempted(name)
        except Exception as e:  # the learner's code may raise anything
            return core.wrong(
                name,
                f"Your function raised {type(e).__name__}: {e}",
                case=shown,
                hint_id="raised",
                hint="Run it on the input shown to reproduce the error.",
            )
        if got is Ellipsis:
            return core.not_attempted(name)
        expected = sgd_step_reference(params, grads, lr)
        params_changed = not all(np.array_equal(a, b) for a, b in zip(p_copy, params))
        grads_changed = not all(np.array_equal(a, b) for a, b in zip(g_copy, grads))
        if got is None:
            if params_changed and all(core.close(a, e) for a, e in zip(p_copy, expected)):
                return core.wrong(
                    name,
                    "Your function updated `params` in place and returned None.",
                    case=shown,
                    hint_id="in-place-returned-none",
                    hint="The update itself is right. Return a *new* list, "
                    "[p - lr * g for ...], and leave the inputs unchanged.",
                )
            return core.wrong(
                name,
                "Your function returned None.",
                case=shown,
                hint_id="returned-none",
                hint="Did you forget the `return` statement?",
            )
        if grads_changed:
            return core.wrong(
                name,
                "Your function changed the arrays in `grads`.",
                case=shown,
                hint_id="modified-grads",
                hint="Scaling a gradient in place (g *= lr) changes the caller's "
                "gradients: compute lr * g as a new array instead.",
            )
        if params_changed:
            return core.wrong(
                name,
                "Your function changed the arrays in `params` in place.",
                case=shown,
                hint_id="in-place",
                hint="p -= lr * g writes into the caller's arrays. Compute new arrays, "
                "p - lr * g, and return them in a list.",
            )
        if isinstance(got, np.ndarray) or not hasattr(got, "__iter__"):
            return core.wrong(
                name,
                f"Return a list of arrays (one per parameter), not a {type(got).__name__}.",
                case=shown,
                received=got,
                hint_id="not-a-list",
                hint="params is a list such as [W, b]; return [new_W, new_b].",
            )
        got = list(got)
        ok = len(got) == len(expected) and all(core.close(a, e) for a, e in zip(got, expected))
        if ok:
            continue
        for m in _SGD_MISTAKES:
            theirs = m.fn(params, grads, lr)
            if len(theirs) == len(got) and all(core.close(a, t) for a, t in zip(got, theirs)):
                return core.wrong(
                    name,
                    "Not yet: the first input where your result differs is shown below.",
                    case=shown,
                    expected=expected,
                    received=got,
                    hint_id=m.id,
                    hint=m.hint,
                )
        if len(got) != len(expected):
            return core.wrong(
                name,
                f"You returned {len(got)} arrays for {len(expected)} parameters.",
                case=shown,
                expected=expected,
                received=got,
                hint_id="length",
                hint="Return one updated array per parameter, in the same order.",
            )
        return core.wrong(
            name,
            "Not yet: the first input where your result differs is shown below.",
            case=shown,
            expected=expected,
            received=got,
            hint_id=None,
            hint="Each new parameter is p - lr * g, elementwise.",
        )
    return core.correct(name, "Well done: both test cases match, and the inputs were left unchanged.")


# --- 2. the mini-batches of one epoch ----------------------------------------------


def iterate_minibatches_reference(
    X: np.ndarray, Y: np.ndarray, batch_size: int, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The mini-batches of one epoch: shuffle the rows once, then cut into ``batch_size`` rows."""
    order = rng.permutation(X.shape[0])  # one order for X and Y: pairs stay together
    return [
        (X[order[start : start + batch_size]], Y[order[start : start + batch_size]])
        for start in range(0, X.shape[0], batch_size)
    ]


def _numbered_data(n: int) -> tuple[np.ndarray, np.ndarray]:
    """X whose first column is the row number, Y = -row number: any broken pair shows."""
    i = np.arange(n, dtype=float)
    X = np.column_stack([i, 100 + i])  # (n, 2)
    Y = -i[:, None]  # (n, 1)
    return X, Y


_MB_CASES = [(10, 4), (12, 4), (5, 1), (3, 5)]  # (n, batch_size): partial last batch first
_MB_HINTS = {
    "not-shuffled": "The batches come out in the original order. Shuffle once per epoch: "
    "order = rng.permutation(n), then take X[order[...]] and Y[order[...]].",
    "shuffled-batches-only": "Each batch holds consecutive rows: you shuffled the order of the "
    "batches, not the examples. Permute the row indices, then cut.",
    "dropped-last": "The last, smaller batch is missing, so some examples are never used in the "
    "epoch. range(0, n, batch_size) gives every start, including the last partial one.",
    "overlap": "Some examples appear in more than one batch. Consecutive batches start batch_size "
    "apart: order[start:start + batch_size] for start in range(0, n, batch_size).",
    "missing-rows": "Some examples never appear in any batch: every row must be used exactly once per epoch.",
    "pairs-broken": "An input ended up with another example's target: X and Y were shuffled with "
    "different permutations. Draw one order = rng.permutation(n) and index both with it.",
    "batch-size": "Every batch except possibly the last must have exactly batch_size rows.",
    "in-place": "Your function shuffled the caller's X or Y in place (rng.shuffle(X)?). Shuffle an "
    "index array instead: order = rng.permutation(n).",
    "ignores-rng": "Use the rng you are given (rng.permutation), not np.random or a new generator: "
    "the same seed must give the same batches, and different seeds different ones.",
    "not-pairs": "Return (or yield) pairs (X_batch, Y_batch), one per mini-batch.",
}


def _batches(fn: Callable, X, Y, batch_size: int, seed: int):
    """Run the learner's function; returns (outcome, value, X_after, Y_after)."""
    Xc, Yc = X.copy(), Y.copy()
    try:
        out = fn(Xc, Yc, batch_size, np.random.default_rng(seed))
        if out is not None and out is not Ellipsis:
            out = list(out)  # a generator runs here
    except NotImplementedError:
        return "stub", None, Xc, Yc
    except Exception as e:  # the learner's code may raise anything
        return "raised", e, Xc, Yc
    if out is Ellipsis:
        return "stub", None, Xc, Yc
    return "ok", out, Xc, Yc


def _order(batches) -> list[int] | None:
    try:
        return [int(r) for xb, _ in batches for r in np.asarray(xb)[:, 0]]
    except (TypeError, ValueError, IndexError):
        return None


def iterate_minibatches(fn: Callable | None) -> Verdict:
    """Check ``iterate_minibatches(X, Y, batch_size, rng)``: shuffled, complete, non-overlapping, paired."""
    name = "iterate_minibatches"
    if core.is_stub(fn):
        return core.not_attempted(name)
    for n, bs in _MB_CASES:
        X, Y = _numbered_data(n)
        shown = (
            f"X: {n} rows, row i = [i, 100 + i]; Y: {n} rows, row i = [-i]\n"
            f"batch_size = {bs}\nrng = np.random.default_rng(0)"
        )
        outcome, got, Xa, Ya = _batches(fn, X, Y, bs, seed=0)

        def bad(hint_id: str, message: str, **kw) -> Verdict:
            return core.wrong(
                name,
                message,
                case=shown,  # noqa: B023 (called within this iteration)
                hint_id=hint_id,
                hint=_MB_HINTS.get(hint_id),
                **kw,
            )

        if outcome == "stub":
            return core.not_attempted(name)
        if outcome == "raised":
            return core.wrong(
                name,
                f"Your function raised {type(got).__name__}: {got}",
                case=shown,
                hint_id="raised",
                hint="Run it on the input shown to reproduce the error.",
            )
        if not (np.array_equal(Xa, X) and np.array_equal(Ya, Y)):
            return bad("in-place", "Your function changed X or Y in place.")
        if got is None:
            return core.wrong(
                name,
                "Your function returned None.",
                case=shown,
                hint_id="returned-none",
                hint="Return a list of (X_batch, Y_batch) pairs (or `yield` each pair).",
            )
        if not all(isinstance(b, (tuple, list)) and len(b) == 2 for b in got):
            return bad("not-pairs", "Each item should be a pair (X_batch, Y_batch).")
        for xb, yb in got:
            xb, yb = np.asarray(xb), np.asarray(yb)
            if xb.ndim != 2 or xb.shape[1] != X.shape[1] or yb.ndim != 2 or yb.shape != (xb.shape[0], 1):
                return core.wrong(
                    name,
                    f"A batch has X of shape {xb.shape} and Y of shape {yb.shape}; "
                    f"expected (k, {X.shape[1]}) and (k, 1).",
                    case=shown,
                    hint_id="shape",
                    hint="Index rows, X[idx] and Y[idx], so that each batch "
                    "keeps one row per example (rows are examples).",
                )
        order = _order(got)
        sizes = [len(xb) for xb, _ in got]
        summary = f"batch sizes {sizes}, rows in the order they came out: {order}"
        expected_sizes = [bs] * (n // bs) + ([n % bs] if n % bs else [])
        if len(order) > len(set(order)):
            return bad("overlap", "Some examples appear twice in one epoch.", received=summary)
        if len(order) < n:
            if n % bs and sizes == [bs] * (n // bs):
                return bad("dropped-last", f"Only {len(order)} of the {n} examples were used.", received=summary)
            return bad("missing-rows", f"Only {len(order)} of the {n} examples were used.", received=summary)
        for xb, yb in got:
            if not np.array_equal(np.asarray(yb)[:, 0], -np.asarray(xb)[:, 0]):
                return bad("pairs-broken", "Inputs and targets no longer match.", received=summary)
        shuffle_visible = n >= 8  # a real shuffle of 8+ rows gives the identity with chance < 1/40000
        if shuffle_visible and order == list(range(n)):
            return bad("not-shuffled", "The examples come out in their original order.", received=summary)
        if shuffle_visible and all(
            np.array_equal(np.diff(np.asarray(xb)[:, 0]), np.ones(len(xb) - 1)) for xb, _ in got
        ):
            return bad("shuffled-batches-only", "Each batch is a run of consecutive examples.", received=summary)
        if sizes != expected_sizes:
            return bad("batch-size", f"Expected batch sizes {expected_sizes}.", received=summary)
        if shuffle_visible:
            again = _order(_batches(fn, X, Y, bs, seed=0)[1] or [])
            other = _order(_batches(fn, X, Y, bs, seed=1)[1] or [])
            if again != order or other == order:
                return bad("ignores-rng", "The same seed gave different batches, or different seeds the same batches.")
    return core.correct(
        name,
        f"Well done: all {len(_MB_CASES)} test cases give shuffled, complete, "
        "non-overlapping batches with inputs and targets kept together.",
    )


# --- 3. and 4. are in nnlib.exercises.tuning (imported above) -----------------------

__all__ = ["choose_learning_rate", "early_stopping_epoch", "iterate_minibatches", "sgd_step"]


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


_LR_CASES = [
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
]


def _choose_by(key, pick=min, on_diverge="skip"):
    """A ``choose_learning_rate`` that scores each run's History with ``key`` and picks with
    ``pick``; a diverged run is skipped, or scored ``"nan"`` or ``"inf"`` (``on_diverge``)."""

    def choose(lrs, train_with):
        scores = {}
        for lr in lrs:
            try:
                scores[lr] = key(train_with(lr))
            except TrainingDiverged:
                if on_diverge != "skip":
                    scores[lr] = float(on_diverge)
        return pick(scores, key=scores.get)

    return choose


def _lr_mistakes() -> list[Mistake]:
    by = _choose_by
    return [
        Mistake(
            "used-training-loss",
            by(lambda h: h.loss[-1]),
            "You chose by the *training* loss. A large learning rate can fit the training set "
            "best and still generalise worst: compare history.val_loss[-1].",
        ),
        Mistake(
            "picked-largest",
            by(lambda h: h.val_loss[-1], pick=max),
            "You picked the rate with the *largest* validation loss: lower loss is better (min, not max).",
        ),
        Mistake(
            "first-epoch",
            by(lambda h: h.val_loss[0]),
            "history.val_loss[0] is the first epoch; the final validation loss is history.val_loss[-1].",
        ),
        Mistake(
            "nan-for-diverged",
            by(lambda h: h.val_loss[-1], on_diverge="nan"),
            "A diverged run scored as NaN confuses min(): every comparison with NaN is False. "
            "Skip that rate, or score it as float('inf').",
        ),
    ]


def choose_learning_rate(fn: Callable | None) -> Verdict:
    """Check ``choose_learning_rate(lrs, train_with)`` on made-up training runs."""
    name = "choose_learning_rate"
    if core.is_stub(fn):
        return core.not_attempted(name)
    for label, runs in _LR_CASES:
        lrs = list(runs)
        desc = "\n".join(
            f"  lr = {lr:g}: "
            + ("raises TrainingDiverged" if run == "diverges" else f"loss {run[0]}, val_loss {run[1]}")
            for lr, run in runs.items()
        )
        shown = f"{label}\nlrs = {lrs}\ntrain_with(lr) returns a History with\n{desc}"
        expected = choose_learning_rate_reference(lrs, _fake_trainer(runs))
        try:
            got = fn(list(lrs), _fake_trainer(runs))
        except NotImplementedError:
            return core.not_attempted(name)
        except TrainingDiverged as e:
            return core.wrong(
                name,
                f"Your function let TrainingDiverged escape: {e}",
                case=shown,
                hint_id="not-caught",
                hint="Wrap the call in try: ... except nnlib.TrainingDiverged: and skip "
                "that learning rate (its loss is effectively infinite).",
            )
        except Exception as e:  # the learner's code may raise anything
            return core.wrong(
                name,
                f"Your function raised {type(e).__name__}: {e}",
                case=shown,
                hint_id="raised",
                hint="Run it on the input shown to reproduce the error.",
            )
        if got is Ellipsis:
            return core.not_attempted(name)
        if isinstance(got, (int, float, np.number)) and not isinstance(got, bool) and got == expected:
            continue
        if got is None:
            hint_id, hint = "returned-none", "Did you forget the `return` statement?"
        elif isinstance(got, (tuple, list, dict)):
            hint_id, hint = (
                "not-a-number",
                f"Return just the best learning rate (a number), not a {type(got).__name__}.",
            )
        elif (
            isinstance(got, (int, np.integer))
            and not isinstance(got, bool)
            and 0 <= got < len(lrs)
            and lrs[int(got)] == expected
        ):
            hint_id, hint = (
                "returned-index",
                f"You returned the position {got} in the list; return the learning rate itself, lrs[{got}].",
            )
        elif isinstance(got, (float, np.floating)) and got not in lrs:
            hint_id, hint = (
                "returned-loss",
                "That number is not one of the learning rates: did you "
                "return the best loss instead of the learning rate that reached it?",
            )
        else:
            hint_id, hint = (
                None,
                "Train once per learning rate, read each run's final validation loss, "
                "and return the learning rate with the smallest one.",
            )
            for m in _lr_mistakes():
                try:
                    if m.fn(list(lrs), _fake_trainer(runs)) == got:
                        hint_id, hint = m.id, m.hint
                        break
                except Exception:
                    continue
        return core.wrong(
            name,
            "Not yet: the first set of runs where your choice differs is shown below.",
            case=shown,
            expected=expected,
            received=got,
            hint_id=hint_id,
            hint=hint,
        )
    return core.correct(name, f"Well done: the right learning rate in all {len(_LR_CASES)} sets of runs.")


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
        "You stopped at the first epoch that did not improve. Patience means waiting: stop only "
        "when `patience` epochs have passed since the best one.",
    ),
    Mistake("one-epoch-late", _es_one_late, "You stop one epoch late: stop as soon as epoch - best_epoch >= patience."),
    Mistake(
        "zero-based", _es_zero_based, "Count epochs from 1, as History.epoch does: enumerate(val_losses, start=1)."
    ),
    Mistake(
        "looked-ahead",
        _es_looked_ahead,
        "Your best epoch comes after the stop: early stopping cannot see the future. The best "
        "epoch is the best among the epochs it actually ran.",
    ),
    Mistake("tie-improves", _es_tie_improves, "An equal loss is not an improvement: use loss < best, not <=."),
]


def early_stopping_epoch(fn: Callable | None) -> Verdict:
    """Check ``early_stopping_epoch(val_losses, patience) -> (best_epoch, stop_epoch)``."""
    return core.check_function(
        "early_stopping_epoch",
        fn,
        early_stopping_epoch_reference,
        _es_cases(),
        _ES_MISTAKES,
        arg_names=["val_losses", "patience"],
    )


__all__ = ["choose_learning_rate", "early_stopping_epoch"]
