"""Checkers of chapter 6 (training): references pass, stubs are not attempted, realistic wrong
answers (a generator or a tuple where a new list is asked for, list entries reassigned, a
`break` on a diverged run, batches drawn with replacement) are rejected with the hint meant for
them, and only with it."""

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, stub  # noqa: F401

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
        return new

    assert check.sgd_step(loop).passed

    def copies_first(params, grads, lr):
        new = [p.copy() for p in params]
        for p, g in zip(new, grads):
            p -= lr * g
        return new

    assert check.sgd_step(copies_first).passed


def _break_in_loop(params, grads, lr):
    new = []
    for p, g in zip(params, grads):
        new.append(p - lr * g)
        break
    return new


def _return_in_loop(params, grads, lr):
    for p, g in zip(params, grads):
        return [p - lr * g]


def _in_place_returned(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g
    return params


def _in_place_none(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g


def _scales_grads(params, grads, lr):
    out = []
    for p, g in zip(params, grads):
        g *= lr
        out.append(p - g)
    return out


def _reassigns_entries(params, grads, lr):
    for i in range(len(params)):
        params[i] = params[i] - lr * grads[i]
    return params


def _forgot_return(params, grads, lr):
    [p - lr * g for p, g in zip(params, grads)]


SGD_WRONG = [
    (lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)], "added-gradient"),
    (lambda ps, gs, lr: [p - g for p, g in zip(ps, gs)], "forgot-lr"),
    (lambda ps, gs, lr: [p - g / lr for p, g in zip(ps, gs)], "divided-by-lr"),
    (_return_in_loop, "first-param-only"),
    (_break_in_loop, "first-param-only"),
    (lambda ps, gs, lr: [p - lr * g for p, g in zip(ps[:-1], gs[:-1])], "missed-last-param"),
    (_in_place_returned, "in-place"),
    (_in_place_none, "in-place-returned-none"),
    (_scales_grads, "in-place"),
    # reassigning the list's entries leaves the arrays alone: not "changed arrays in place"
    (_reassigns_entries, "list-entries-replaced"),
    (_forgot_return, "returned-none"),
    # the right arrays in a generator, a tuple or one array
    (lambda ps, gs, lr: (p - lr * g for p, g in zip(ps, gs)), "generator"),
    (lambda ps, gs, lr: tuple(p - lr * g for p, g in zip(ps, gs)), "tuple-not-list"),
    (lambda ps, gs, lr: ps[0] - lr * gs[0], "not-a-list"),
    (lambda ps, gs, lr: [(p - lr * g).tolist() for p, g in zip(ps, gs)], "list-not-array"),
]


def test_sgd_step_wrong_answers():
    assert_hints(check.sgd_step, SGD_WRONG)
    assert_covers(check._SGD_MISTAKES, SGD_WRONG)


def test_sgd_step_hints_name_the_input():
    assert "`grads[0]`" in check.sgd_step(_scales_grads).message
    assert "`params[0]`" in check.sgd_step(_in_place_returned).message
    v = check.sgd_step(_reassigns_entries)
    assert "`params`" in v.message and "arrays you were given are unchanged" in v.hint


def test_sgd_step_first_param_only_is_shown_on_the_smallest_case():
    v = check.sgd_step(_return_in_loop)
    assert v.case.startswith("a layer's W and b")


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


def _unshuffled(X, Y, batch_size, rng):
    return [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]


def _drop_last(X, Y, batch_size, rng):
    order = rng.permutation(len(X))
    return [
        (X[order[s : s + batch_size]], Y[order[s : s + batch_size]])
        for s in range(0, len(X) - batch_size + 1, batch_size)
    ]


def _two_perms(X, Y, batch_size, rng):
    Xs, Ys = X[rng.permutation(len(X))], Y[rng.permutation(len(Y))]
    return [(Xs[s : s + batch_size], Ys[s : s + batch_size]) for s in range(0, len(X), batch_size)]


def _sliding(X, Y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[i : i + batch_size]], Y[order[i : i + batch_size]]) for i in range(len(X) // batch_size + 1)]


def _with_replacement(X, Y, batch_size, rng):
    order = rng.integers(0, len(X), len(X))
    return [(X[order[s : s + batch_size]], Y[order[s : s + batch_size]]) for s in range(0, len(X), batch_size)]


def _shuffles_inputs(X, Y, batch_size, rng):
    rng.shuffle(X)
    rng.shuffle(Y)
    return [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]


def _fixed_seed(X, Y, batch_size, rng):
    return check.iterate_minibatches_reference(X, Y, batch_size, np.random.default_rng(123))


def _global_rng(X, Y, batch_size, rng):
    order = np.random.permutation(len(X))
    return [(X[order[s : s + batch_size]], Y[order[s : s + batch_size]]) for s in range(0, len(X), batch_size)]


def _batch_order(X, Y, batch_size, rng):
    batches = [(X[s : s + batch_size], Y[s : s + batch_size]) for s in range(0, len(X), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


MB_WRONG = [
    (_unshuffled, "not-shuffled"),
    (_drop_last, "dropped-last"),
    (_two_perms, "pairs-broken"),
    (_sliding, "overlap"),
    (_with_replacement, "with-replacement"),
    (_shuffles_inputs, "in-place"),
    (_fixed_seed, "ignores-rng"),
    (_global_rng, "ignores-rng"),
    (_batch_order, "shuffled-batches-only"),
    (lambda X, Y, bs, rng: [list(p) for p in check.iterate_minibatches_reference(X, Y, bs, rng)], "pair-not-tuple"),
    (lambda X, Y, bs, rng: [xb for xb, _ in check.iterate_minibatches_reference(X, Y, bs, rng)], "not-pairs"),
    (
        lambda X, Y, bs, rng: [(list(xb), yb) for xb, yb in check.iterate_minibatches_reference(X, Y, bs, rng)],
        "batch-not-array",
    ),
    (lambda X, Y, bs, rng: tuple(check.iterate_minibatches_reference(X, Y, bs, rng)), "not-a-list"),
    (lambda X, Y, bs, rng: None, "returned-none"),
]


def test_minibatches_wrong_answers():
    assert_hints(check.iterate_minibatches, MB_WRONG)


def test_minibatches_overlap_hint_is_not_given_for_a_draw_with_replacement():
    for _ in range(3):
        v = check.iterate_minibatches(_with_replacement)
    assert "batch_size apart" not in v.hint and "rng.permutation(n)" in v.hint


# --- choose_learning_rate ---------------------------------------------------------------


def _by(key, pick=min):
    """Choose by ``key`` of each History, a diverged run scoring inf (a correct way to skip it)."""
    return _choose_by(key, pick=pick, on_diverge="inf")


def test_choose_lr_reference_and_stub():
    assert check.choose_learning_rate(check.choose_learning_rate_reference).passed
    assert check.choose_learning_rate(_by(lambda h: h.val_loss[-1])).passed  # inf for diverged is fine
    assert check.choose_learning_rate(stub).status == core.NOT_ATTEMPTED


def _uncaught(lrs, train_with):
    losses = [train_with(lr).val_loss[-1] for lr in lrs]
    return lrs[int(np.argmin(losses))]


def _nan_score(lrs, train_with):
    losses = []
    for lr in lrs:
        try:
            losses.append(train_with(lr).val_loss[-1])
        except TrainingDiverged:
            losses.append(float("nan"))
    return lrs[int(np.argmin(losses))]


def _break_on_divergence(lrs, train_with):
    best_lr, best = None, float("inf")
    for lr in lrs:
        try:
            history = train_with(lr)
        except TrainingDiverged:
            break
        if history.val_loss[-1] < best:
            best_lr, best = lr, history.val_loss[-1]
    return best_lr


def _break_starting_from_first(lrs, train_with):
    best_lr, best = lrs[0], float("inf")
    for lr in lrs:
        try:
            history = train_with(lr)
        except TrainingDiverged:
            break
        if history.val_loss[-1] < best:
            best_lr, best = lr, history.val_loss[-1]
    return best_lr


def _sorts_lrs(lrs, train_with):
    lrs.sort()
    return check.choose_learning_rate_reference(lrs, train_with)


LR_WRONG = [
    (_by(lambda h: h.loss[-1]), "used-training-loss"),
    (_choose_by(lambda h: h.val_loss[-1], pick=max), "picked-largest"),
    (_by(lambda h: h.val_loss[0]), "first-epoch"),
    # max with diverged runs scored inf picks a diverged rate: two mistakes, no known hint
    (_by(lambda h: h.val_loss[-1], pick=max), "values-differ"),
    (_uncaught, "not-caught"),
    (_nan_score, "nan-for-diverged"),
    # a `break` on a diverged run is not told that it forgot `return`
    (_break_on_divergence, "stopped-at-divergence"),
    (_break_starting_from_first, "chose-diverged"),
    (
        lambda lrs, tw: lrs.index(check.choose_learning_rate_reference(lrs, tw)),
        "returned-index",
    ),
    (lambda lrs, tw: tw(check.choose_learning_rate_reference(lrs, tw)).val_loss[-1], "returned-loss"),
    (_sorts_lrs, "list-reordered"),
    (lambda lrs, tw: [check.choose_learning_rate_reference(lrs, tw)], "list-not-array"),
]


def test_choose_lr_wrong_answers():
    assert_hints(check.choose_learning_rate, LR_WRONG)
    assert_covers(check._lr_mistakes(), LR_WRONG)


def test_choose_lr_case_and_hint_texts():
    v = check.choose_learning_rate(_by(lambda h: h.loss[-1]))
    assert v.case.startswith("overfitting") and "lr = 3: loss" in v.case
    v = check.choose_learning_rate(_uncaught)
    assert "diverges" in v.case
    for _ in range(2):
        v = check.choose_learning_rate(_break_on_divergence)
    assert "return` statement" not in v.hint and "break" in v.hint


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

    def with_break(val_losses, patience):
        best, best_epoch = float("inf"), 0
        for epoch, loss in enumerate(val_losses, start=1):
            if loss < best:
                best, best_epoch = loss, epoch
            elif epoch - best_epoch >= patience:
                break
        return best_epoch, epoch

    assert check.early_stopping_epoch(with_break).passed


def _first_increase(val_losses, patience):
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] > val_losses[epoch - 1]:
            return epoch, epoch + 1
    return len(val_losses), len(val_losses)


def _zero_based(val_losses, patience):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses) - 1


def _clears(val_losses, patience):
    result = check.early_stopping_epoch_reference(val_losses, patience)
    val_losses.clear()
    return result


ES_WRONG = [(m.fn, m.id) for m in check._ES_MISTAKES] + [
    (_first_increase, "no-patience"),
    (_zero_based, "zero-based"),
    # the right pair, as a list or as floats; the caller's list emptied
    (lambda v, p: list(check.early_stopping_epoch_reference(v, p)), "list-not-tuple"),
    (lambda v, p: tuple(float(e) for e in check.early_stopping_epoch_reference(v, p)), "pair-not-ints"),
    (_clears, "list-resized"),
]


def test_early_stopping_wrong_answers():
    assert_hints(check.early_stopping_epoch, ES_WRONG)


def test_strict_mode_raises_on_wrong(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="One step of gradient descent"):
        check.sgd_step(lambda ps, gs, lr: [p + lr * g for p, g in zip(ps, gs)])
    assert check.iterate_minibatches(check.iterate_minibatches_reference).passed


# --- train: the training loop -----------------------------------------------------------
# The learner's loop calls the notebook's functions by name: here they are the references.
backprop = check.backprop_reference
sgd_step = check.sgd_step_reference
iterate_minibatches = check.iterate_minibatches_reference


def test_train_reference_and_stub():
    assert check.train(check.train_reference).passed
    assert check.train(stub).status == core.NOT_ATTEMPTED


def test_train_accepts_another_correct_form():
    def train(X, Y, weights, biases, epochs, batch_size, lr, rng):
        L = len(weights)
        for _epoch in range(epochs):
            for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, rng):
                grads_W, grads_b = backprop(X_batch, Y_batch, weights, biases)
                params = sgd_step(list(weights) + list(biases), list(grads_W) + list(grads_b), lr)
                weights, biases = params[:L], params[L:]
        return weights, biases

    assert check.train(train).passed


def test_train_waits_for_an_unfinished_function_it_calls():
    def unfinished_step(params, grads, lr):
        raise NotImplementedError

    def train(X, Y, weights, biases, epochs, batch_size, lr, rng):
        for _ in range(epochs):
            for X_batch, Y_batch in iterate_minibatches(X, Y, batch_size, rng):
                grads_W, grads_b = backprop(X_batch, Y_batch, weights, biases)
                unfinished_step(weights + biases, grads_W + grads_b, lr)
        return weights, biases

    verdict = check.train(train)
    assert verdict.status == core.NOT_ATTEMPTED and verdict.waiting_for == "`unfinished_step`"


def _loop(early_return=False, shuffle_once=False, whole=False, keep_b=False, forget=False, in_place=False, pair=True):
    def train(X, Y, weights, biases, epochs, batch_size, lr, rng):
        once = iterate_minibatches(X, Y, batch_size, rng) if shuffle_once else None  # shuffled once only
        for _ in range(epochs):
            batches = once if once is not None else iterate_minibatches(X, Y, batch_size, rng)
            for X_batch, Y_batch in batches:
                if whole:
                    X_batch, Y_batch = X, Y
                grads_W, grads_b = backprop(X_batch, Y_batch, weights, biases)
                if in_place:
                    for W, g in zip(weights, grads_W):
                        W -= lr * g
                    continue
                params = sgd_step(weights + biases, grads_W + grads_b, lr)
                if not forget:
                    weights = params[: len(weights)]
                    if not keep_b:
                        biases = params[len(weights) :]
            if early_return:
                return weights, biases
        return (weights, biases) if pair else weights + biases

    return train


def test_train_rejects_wrong_loops_with_their_hints():
    table = [
        (_loop(early_return=True), "one-epoch"),
        (_loop(shuffle_once=True), "same-order"),
        (_loop(whole=True), "whole-set"),
        (_loop(keep_b=True), "biases-fixed"),
        (_loop(forget=True), "never-assigned"),
        (_loop(in_place=True), "in-place"),
        (_loop(pair=False), "not-a-pair"),
        (lambda X, Y, weights, biases, epochs, batch_size, lr, rng: None, "returned-none"),
    ]
    assert_covers(check._TRAIN_MISTAKES, table)
    assert_hints(check.train, table)
