"""Checkers of chapter 8 (capstone): references pass, stubs are not attempted, realistic wrong
answers (integer division, a float matrix of counts, a list where a pair is asked for) are
rejected with the hint meant for them, and only with it."""

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, hint_of, stub  # noqa: F401

from nnlib.exercises import capstone as check
from nnlib.exercises import core
from nnlib.plot import confusion_matrix as plotting_confusion_matrix

# --- accuracy ---------------------------------------------------------------------------


def test_accuracy_reference_stub_and_other_correct_forms():
    assert check.accuracy(check.accuracy_reference).passed
    assert check.accuracy(stub).status == core.NOT_ATTEMPTED
    assert check.accuracy(lambda P, y: (np.argmax(P, axis=-1) == y).sum() / len(y)).passed
    assert check.accuracy(lambda P, y: np.mean(P.argmax(axis=1) == y)).passed  # a numpy float


def test_accuracy_reference_agrees_with_nnlib():
    from nnlib.data import one_hot
    from nnlib.metrics import accuracy as nnlib_accuracy

    for case in check._accuracy_cases():
        P, y = case.args
        assert check.accuracy_reference(P, y) == pytest.approx(nnlib_accuracy(P, one_hot(y, P.shape[1])))


ACCURACY_WRONG = [
    (lambda P, y: np.mean(np.argmax(P, axis=0) == y), "argmax-wrong-axis"),
    (lambda P, y: np.mean(P == y), "compared-outputs-to-labels"),
    (lambda P, y: np.mean(P.round() == y), "compared-rounded-outputs"),
    (lambda P, y: np.sum(P.argmax(1) == y), "count-not-fraction"),
    # integer division: not told that it compared the outputs with the labels
    (lambda P, y: np.sum(P.argmax(1) == y) // len(y), "integer-division"),
    (lambda P, y: float(np.sum(P.argmax(1) == y) // len(y)), "integer-division"),
    (lambda P, y: 100 * np.mean(P.argmax(1) == y), "percent"),
    (lambda P, y: np.mean(P.argmax(1) != y), "error-rate"),
    # the right fraction in an array, a bool where a float is asked for
    (lambda P, y: np.mean(P.argmax(1) == y, keepdims=True), "array-not-number"),
    (lambda P, y: np.all(P.argmax(1) == y), "bool"),
    (lambda P, y: int(np.sum(P.argmax(1) == y)), "count-not-fraction"),
]


def test_accuracy_wrong_answers():
    assert_hints(check.accuracy, ACCURACY_WRONG)
    assert_covers(check._ACCURACY_MISTAKES, ACCURACY_WRONG)


def test_accuracy_wrong_axis_is_shown_on_the_first_case():
    v = check.accuracy(lambda P, y: np.mean(np.argmax(P, axis=0) == y))
    assert v.case.startswith("4 examples")


# --- confusion matrix ------------------------------------------------------------------------


def test_confusion_matrix_reference_and_stub():
    assert check.confusion_matrix(check.confusion_matrix_reference).passed
    assert check.confusion_matrix(stub).status == core.NOT_ATTEMPTED


def _loop(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def test_confusion_matrix_loop_passes_and_matches_plotting():
    assert check.confusion_matrix(_loop).passed
    for case in check._cm_cases():
        np.testing.assert_array_equal(
            check.confusion_matrix_reference(*case.args),
            plotting_confusion_matrix(case.args[0], case.args[1], case.args[2]),
        )


def _transposed(y_true, y_pred, k):
    return _loop(y_true, y_pred, k).T


def _fancy(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    C[y_true, y_pred] += 1
    return C


def _size_from_data(y_true, y_pred, k):
    n = max(y_true.max(), y_pred.max()) + 1
    C = np.zeros((n, n), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def _float_counts(y_true, y_pred, k):
    C = np.zeros((k, k))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C


def _sorts_labels(y_true, y_pred, k):
    y_true.sort()
    return _loop(y_true, y_pred, k)


CM_WRONG = [
    (_transposed, "transposed"),
    (_fancy, "repeats-not-counted"),
    (_size_from_data, "size-from-labels"),
    # a float matrix where counts are asked for
    (_float_counts, "not-int-array"),
    (lambda t, p, k: _loop(t, p, k).tolist(), "list-not-array"),
    (_sorts_labels, "in-place"),
]


def test_confusion_matrix_wrong_answers():
    assert_hints(check.confusion_matrix, CM_WRONG)
    assert_covers(check._CM_MISTAKES, CM_WRONG)
    assert check.confusion_matrix(_transposed).case.startswith("3 examples")
    assert "occur twice" in check.confusion_matrix(_fancy).case


# --- most confused pair ------------------------------------------------------------------------


def test_most_confused_reference_and_stub():
    assert check.most_confused_pair(check.most_confused_pair_reference).passed
    assert check.most_confused_pair(stub).status == core.NOT_ATTEMPTED

    def with_divmod(cm):
        off = cm - np.diag(np.diag(cm))
        return divmod(int(off.argmax()), cm.shape[1])

    assert check.most_confused_pair(with_divmod).passed

    def unravel(cm):  # a tuple of numpy ints is a pair of ints
        off = cm - np.diag(np.diag(cm))
        return np.unravel_index(off.argmax(), off.shape)

    assert check.most_confused_pair(unravel).passed


def _whole(cm):
    return np.unravel_index(cm.argmax(), cm.shape)


def _swapped(cm):
    off = cm - np.diag(np.diag(cm))
    i, j = np.unravel_index(off.argmax(), off.shape)
    return j, i


def _flat(cm):
    off = cm - np.diag(np.diag(cm))
    return off.argmax()


def _lower(cm):
    return np.unravel_index(np.tril(cm, -1).argmax(), cm.shape)


def _zero_diagonal_in_place(cm):
    np.fill_diagonal(cm, 0)
    return np.unravel_index(cm.argmax(), cm.shape)


MC_WRONG = [
    (_whole, "included-diagonal"),
    (_swapped, "swapped"),
    (_flat, "flat-index"),
    (_lower, "lower-triangle-only"),
    (_zero_diagonal_in_place, "in-place"),
    # the right pair, as a list, as floats, as an array
    (lambda cm: list(check.most_confused_pair_reference(cm)), "list-not-tuple"),
    (lambda cm: tuple(float(v) for v in check.most_confused_pair_reference(cm)), "pair-not-ints"),
    (lambda cm: np.array(check.most_confused_pair_reference(cm)), "array-not-tuple"),
]


def test_most_confused_wrong_answers():
    assert_hints(check.most_confused_pair, MC_WRONG)
    assert_covers(check._MC_MISTAKES, MC_WRONG)
    assert check.most_confused_pair(_whole).case.startswith("3 classes")


def test_most_confused_pair_is_shown_as_a_tuple():
    v = check.most_confused_pair(_swapped)
    assert v.expected == (2, 0) and "expected: (2, 0)" in str(v) and "received: (0, 2)" in str(v)
    assert hint_of(v) == "swapped"
