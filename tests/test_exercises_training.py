"""Checkers of chapter 6 (training): references pass, stubs are not attempted, realistic mistakes get their hint."""

import numpy as np
import pytest
from _checkers import hint_of, stub

from nnlib.exercises import core
from nnlib.exercises import training as check
from nnlib.exercises.training import _choose_by
from nnlib.training import TrainingDiverged

# --- sgd_step -----------------------------------------------------------------------


def test_sgd_step_reference_and_stub():
    assert check.sgd_step(check.sgd_step_reference).passed
    assert check.sgd_step(stub).status == core.NOT_ATTEMPTED
    assert check.sgd_step(lambda params, grads, lr: ...).status == core.NOT_ATTEMPTED


def test_sgd_step_accepts_other_correct_forms():
    def loop(params, grads, lr):
        new = []
        for p, g in zip(params, grads):
            new.append(p - lr * g)
        return tuple(new)

    assert check.sgd_step(loop).passed


def test_sgd_step_added_gradient():
    v = check.sgd_step(lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)])
    assert hint_of(v) == "added-gradient" and v.case.startswith("one parameter array")


def test_sgd_step_forgot_lr():
    assert hint_of(check.sgd_step(lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)])) == "forgot-lr"


def test_sgd_step_return_inside_loop():
    def early(params, grads, lr):
        for p, g in zip(params, grads):
            return [p - lr * g]

    v = check.sgd_step(early)
    assert hint_of(v) == "return-in-loop" and v.case.startswith("a layer's W and b")


def test_sgd_step_in_place_variants():
    def in_place_none(params, grads, lr):
        for p, g in zip(params, grads):
            p -= lr * g

    assert hint_of(check.sgd_step(in_place_none)) == "in-place-returned-none"

    def in_place_returned(params, grads, lr):
        for p, g in zip(params, grads):
            p -= lr * g
        return params

    assert hint_of(check.sgd_step(in_place_returned)) == "in-place"

    def scaled_grads(params, grads, lr):
        out = []
        for p, g in zip(params, grads):
            g *= lr
            out.append(p - g)
        return out

    assert hint_of(check.sgd_step(scaled_grads)) == "modified-grads"

    def forgot_return(params, grads, lr):
        [p - lr * g for p, g in zip(params, grads)]

    assert hint_of(check.sgd_step(forgot_return)) == "returned-none"


def test_sgd_step_single_array_is_not_a_list():
    v = check.sgd_step(lambda ps, gs, lr: ps[0] - lr * gs[0])
    assert hint_of(v) == "not-a-list"


# --- iterate_minibatches ----------------------------------------------------------------


def test_minibatches_reference_and_stub():
    assert check.iterate_minibatches(check.iterate_minibatches_reference).passed
    assert check.iterate_minibatches(stub).status == core.NOT_ATTEMPTED


def test_minibatches_generator_with_shuffled_indices_passes():
    def gen(X, Y, batch_size, rng):
        idx = np.arange(len(X))
        rng.shuffle(idx)
        for start in range(0, len(X), batch_size):
            b = idx[start : start + batch_size]
            yield X[b], Y[b]

    assert check.iterate_minibatches(gen).passed


def test_minibatches_forgot_to_shuffle():
    def unshuffled(X, Y, batch_size, rng):
        return [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]

    v = check.iterate_minibatches(unshuffled)
    assert hint_of(v) == "not-shuffled" and "original order" in v.message


def test_minibatches_dropped_last_partial_batch():
    def drop_last(X, Y, batch_size, rng):
        order = rng.permutation(len(X))
        return [
            (X[order[s : s + batch_size]], Y[order[s : s + batch_size]])
            for s in range(0, len(X) - batch_size + 1, batch_size)
        ]

    assert hint_of(check.iterate_minibatches(drop_last)) == "dropped-last"


def test_minibatches_different_permutations_break_pairs():
    def two_perms(X, Y, batch_size, rng):
        Xs, Ys = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
        return [(Xs[s : s + batch_size], Ys[s : s + batch_size]) for s in range(0, len(X), batch_size)]

    assert hint_of(check.iterate_minibatches(two_perms)) == "pairs-broken"


def test_minibatches_overlapping_windows():
    def sliding(X, Y, batch_size, rng):
        order = rng.permutation(len(X))
        return [(X[order[i : i + batch_size]], Y[order[i : i + batch_size]]) for i in range(len(X) // batch_size + 1)]

    assert hint_of(check.iterate_minibatches(sliding)) == "overlap"


def test_minibatches_shuffle_in_place_and_global_rng():
    def shuffles_inputs(X, Y, batch_size, rng):
        rng.shuffle(X)
        rng.shuffle(Y)
        return [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]

    assert hint_of(check.iterate_minibatches(shuffles_inputs)) == "in-place"

    def fixed_seed(X, Y, batch_size, rng):
        return check.iterate_minibatches_reference(X, Y, batch_size, np.random.default_rng(123))

    assert hint_of(check.iterate_minibatches(fixed_seed)) == "ignores-rng"


def test_minibatches_shuffled_batch_order_only():
    def batch_order(X, Y, batch_size, rng):
        batches = [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]
        return [batches[i] for i in rng.permutation(len(batches))]

    assert hint_of(check.iterate_minibatches(batch_order)) == "shuffled-batches-only"


# --- choose_learning_rate ---------------------------------------------------------------


def _by(key, pick=min):
    """Choose by ``key`` of each History, a diverged run scoring inf (a correct way to skip it)."""
    return _choose_by(key, pick=pick, on_diverge="inf")


def test_choose_lr_reference_and_stub():
    assert check.choose_learning_rate(check.choose_learning_rate_reference).passed
    assert check.choose_learning_rate(_by(lambda h: h.val_loss[-1])).passed  # inf for diverged is fine
    assert check.choose_learning_rate(stub).status == core.NOT_ATTEMPTED


def test_choose_lr_training_loss_largest_first_epoch():
    v = check.choose_learning_rate(_by(lambda h: h.loss[-1]))
    assert hint_of(v) == "used-training-loss" and v.case.startswith("overfitting")
    assert hint_of(check.choose_learning_rate(_by(lambda h: h.val_loss[-1], pick=max))) == "picked-largest"
    assert hint_of(check.choose_learning_rate(_by(lambda h: h.val_loss[0]))) == "first-epoch"


def test_choose_lr_divergence_not_caught_or_nan():
    def uncaught(lrs, train_with):
        losses = [train_with(lr).val_loss[-1] for lr in lrs]
        return lrs[int(np.argmin(losses))]

    v = check.choose_learning_rate(uncaught)
    assert hint_of(v) == "not-caught" and "diverges" in v.case

    def nan_score(lrs, train_with):
        losses = []
        for lr in lrs:
            try:
                losses.append(train_with(lr).val_loss[-1])
            except TrainingDiverged:
                losses.append(float("nan"))
        return lrs[int(np.argmin(losses))]

    assert hint_of(check.choose_learning_rate(nan_score)) == "nan-for-diverged"


def test_choose_lr_returned_index_or_loss():
    def index(lrs, train_with):
        return int(np.argmin([train_with(lr).val_loss[-1] for lr in lrs]))

    assert hint_of(check.choose_learning_rate(index)) == "returned-index"

    def loss(lrs, train_with):
        return min(train_with(lr).val_loss[-1] for lr in lrs)

    assert hint_of(check.choose_learning_rate(loss)) == "returned-loss"


# --- early_stopping_epoch -------------------------------------------------------------


def test_early_stopping_reference_matches_nnlib_callback():
    """The reference agrees with nnlib.callbacks.EarlyStopping on every test case."""
    from nnlib.callbacks import EarlyStopping, History, TrainState

    for case in check._es_cases():
        losses, patience = case.args
        cb, state = EarlyStopping(patience=patience), None

        class Net:
            def get_params(self):
                return []

        state = TrainState(Net(), None, History(), len(losses), 1)
        ran = 0
        for epoch, value in enumerate(losses):
            state.epoch = epoch
            state.history.val_loss.append(value)
            cb.on_epoch_end(state)
            ran += 1
            if state.stop:
                break
        assert check.early_stopping_epoch_reference(losses, patience) == (cb.best_epoch + 1, ran)


def test_early_stopping_reference_and_stub():
    assert check.early_stopping_epoch(check.early_stopping_epoch_reference).passed
    assert check.early_stopping_epoch(stub).status == core.NOT_ATTEMPTED


@pytest.mark.parametrize("mistake", ["no-patience", "one-epoch-late", "zero-based", "looked-ahead", "tie-improves"])
def test_early_stopping_mistakes(mistake):
    fn = {m.id: m.fn for m in check._ES_MISTAKES}[mistake]
    assert hint_of(check.early_stopping_epoch(fn)) == mistake


def test_early_stopping_hand_written_mistakes():
    def first_increase(val_losses, patience):
        for epoch in range(1, len(val_losses)):
            if val_losses[epoch] > val_losses[epoch - 1]:
                return epoch, epoch + 1
        return len(val_losses), len(val_losses)

    assert hint_of(check.early_stopping_epoch(first_increase)) == "no-patience"

    def zero_based(val_losses, patience):
        best, best_epoch = float("inf"), 0
        for epoch, loss in enumerate(val_losses):
            if loss < best:
                best, best_epoch = loss, epoch
            elif epoch - best_epoch >= patience:
                return best_epoch, epoch
        return best_epoch, len(val_losses) - 1

    assert hint_of(check.early_stopping_epoch(zero_based)) == "zero-based"


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed):
        check.sgd_step(lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)])
    assert check.iterate_minibatches(check.iterate_minibatches_reference).passed
