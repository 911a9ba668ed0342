"""Checks for the last two exercises of chapter 6: the choices a practitioner makes.

Where :mod:`nnlib.exercises.training` checks the mechanics of a training loop
(``sgd_step``, ``iterate_minibatches``), this module checks two decisions
taken by reading the validation loss: 3. which learning rate to keep and
4. at which epoch early stopping ends a run. The chapter reaches them
through the training checks, which import them::

    from nnlib.exercises import training as check
    check.choose_learning_rate(choose_learning_rate)
    check.early_stopping_epoch(early_stopping_epoch)

Each function prints one verdict (not attempted yet / correct / wrong with a
hint) and never raises in a normal run.
"""
from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np

from ..training import History, TrainingDiverged
from . import core
from .core import Case, Mistake, Verdict

# --- 3. choosing a learning rate ------------------------------------------------------


def choose_learning_rate_reference(lrs: Sequence[float], train_with: Callable[[float], History]) -> float:
    """The learning rate whose run ends with the lowest validation loss; diverged runs are skipped."""
    final_val_loss = {}
    for lr in lrs:
        try:
            history = train_with(lr)
        except TrainingDiverged:
            continue                                   # too large: this run blew up
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
            raise TrainingDiverged(f"training diverged at epoch 2, batch 3: the loss became NaN or "
                                   f"infinite with learning rate {lr:g}.")
        return _history(*run)
    return train_with


_LR_CASES = [
    # plain: the middle rate wins on both training and validation loss
    ("three rates", {0.01: ([0.9, 0.8, 0.7], [0.95, 0.85, 0.75]),
                     0.1: ([0.6, 0.4, 0.3], [0.65, 0.45, 0.35]),
                     1.0: ([0.7, 0.5, 0.45], [0.75, 0.55, 0.5])}),
    # the largest rate fits the training set best but generalises worst; epoch 1 favours 0.03
    ("overfitting", {0.03: ([0.5, 0.45, 0.4], [0.52, 0.48, 0.44]),
                     0.3: ([0.7, 0.3, 0.2], [0.72, 0.35, 0.3]),
                     3.0: ([0.6, 0.1, 0.02], [0.65, 0.5, 0.6])}),
    # the largest rate, tried first, blows up
    ("one run diverges", {10.0: "diverges",
                          1.0: ([0.5, 0.3, 0.25], [0.52, 0.33, 0.3]),
                          0.1: ([0.8, 0.6, 0.5], [0.82, 0.63, 0.55])}),
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
        Mistake("used-training-loss", by(lambda h: h.loss[-1]),
                "You chose by the *training* loss. A large learning rate can fit the training set "
                "best and still generalise worst: compare history.val_loss[-1]."),
        Mistake("picked-largest", by(lambda h: h.val_loss[-1], pick=max),
                "You picked the rate with the *largest* validation loss: lower loss is better (min, not max)."),
        Mistake("first-epoch", by(lambda h: h.val_loss[0]),
                "history.val_loss[0] is the first epoch; the final validation loss is history.val_loss[-1]."),
        Mistake("nan-for-diverged", by(lambda h: h.val_loss[-1], on_diverge="nan"),
                "A diverged run scored as NaN confuses min(): every comparison with NaN is False. "
                "Skip that rate, or score it as float('inf')."),
    ]


def choose_learning_rate(fn: Callable | None) -> Verdict:
    """Check ``choose_learning_rate(lrs, train_with)`` on made-up training runs."""
    name = "choose_learning_rate"
    if core.is_stub(fn):
        return core.not_attempted(name)
    for label, runs in _LR_CASES:
        lrs = list(runs)
        desc = "\n".join(f"  lr = {lr:g}: " + ("raises TrainingDiverged" if run == "diverges" else
                         f"loss {run[0]}, val_loss {run[1]}") for lr, run in runs.items())
        shown = f"{label}\nlrs = {lrs}\ntrain_with(lr) returns a History with\n{desc}"
        expected = choose_learning_rate_reference(lrs, _fake_trainer(runs))
        try:
            got = fn(list(lrs), _fake_trainer(runs))
        except NotImplementedError:
            return core.not_attempted(name)
        except TrainingDiverged as e:
            return core.wrong(name, f"Your function let TrainingDiverged escape: {e}", case=shown,
                              hint_id="not-caught",
                              hint="Wrap the call in try: ... except nnlib.TrainingDiverged: and skip "
                                   "that learning rate (its loss is effectively infinite).")
        except Exception as e:  # the learner's code may raise anything
            return core.wrong(name, f"Your function raised {type(e).__name__}: {e}", case=shown,
                              hint_id="raised", hint="Run it on the input shown to reproduce the error.")
        if got is Ellipsis:
            return core.not_attempted(name)
        if isinstance(got, (int, float, np.number)) and not isinstance(got, bool) and got == expected:
            continue
        if got is None:
            hint_id, hint = "returned-none", "Did you forget the `return` statement?"
        elif isinstance(got, (tuple, list, dict)):
            hint_id, hint = "not-a-number", "Return just the best learning rate (a number), not a " \
                                            f"{type(got).__name__}."
        elif isinstance(got, (int, np.integer)) and not isinstance(got, bool) and 0 <= got < len(lrs) \
                and lrs[int(got)] == expected:
            hint_id, hint = "returned-index", f"You returned the position {got} in the list; return the " \
                                              f"learning rate itself, lrs[{got}]."
        elif isinstance(got, (float, np.floating)) and got not in lrs:
            hint_id, hint = "returned-loss", "That number is not one of the learning rates: did you " \
                                             "return the best loss instead of the learning rate that reached it?"
        else:
            hint_id, hint = None, "Train once per learning rate, read each run's final validation loss, " \
                                  "and return the learning rate with the smallest one."
            for m in _lr_mistakes():
                try:
                    if m.fn(list(lrs), _fake_trainer(runs)) == got:
                        hint_id, hint = m.id, m.hint
                        break
                except Exception:
                    continue
        return core.wrong(name, "Not yet: the first set of runs where your choice differs is shown below.",
                          case=shown, expected=expected, received=got, hint_id=hint_id, hint=hint)
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
    Mistake("no-patience", _es_no_patience,
            "You stopped at the first epoch that did not improve. Patience means waiting: stop only "
            "when `patience` epochs have passed since the best one."),
    Mistake("one-epoch-late", _es_one_late,
            "You stop one epoch late: stop as soon as epoch - best_epoch >= patience."),
    Mistake("zero-based", _es_zero_based,
            "Count epochs from 1, as History.epoch does: enumerate(val_losses, start=1)."),
    Mistake("looked-ahead", _es_looked_ahead,
            "Your best epoch comes after the stop: early stopping cannot see the future. The best "
            "epoch is the best among the epochs it actually ran."),
    Mistake("tie-improves", _es_tie_improves,
            "An equal loss is not an improvement: use loss < best, not <=."),
]


def early_stopping_epoch(fn: Callable | None) -> Verdict:
    """Check ``early_stopping_epoch(val_losses, patience) -> (best_epoch, stop_epoch)``."""
    return core.check_function("early_stopping_epoch", fn, early_stopping_epoch_reference, _es_cases(),
                               _ES_MISTAKES, arg_names=["val_losses", "patience"])


__all__ = ["choose_learning_rate", "early_stopping_epoch"]
