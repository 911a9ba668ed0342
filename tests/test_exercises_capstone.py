"""Checkers of chapter 8 (capstone): references pass, stubs are not attempted, realistic mistakes get their hint."""

import numpy as np
import pytest
from _checkers import hint_of, stub

from nnlib.exercises import capstone as check
from nnlib.exercises import core
from nnlib.plot import confusion_matrix as plotting_confusion_matrix

# --- accuracy ---------------------------------------------------------------------------


def test_accuracy_reference_stub_and_other_correct_forms():
    assert check.accuracy(check.accuracy_reference).passed
    assert check.accuracy(stub).status == core.NOT_ATTEMPTED
    assert check.accuracy(lambda P, y: (np.argmax(P, axis=-1) == y).sum() / len(y)).passed


def test_accuracy_reference_agrees_with_nnlib():
    from nnlib.data import one_hot
    from nnlib.metrics import accuracy as nnlib_accuracy

    for case in check._accuracy_cases():
        P, y = case.args
        assert check.accuracy_reference(P, y) == pytest.approx(nnlib_accuracy(P, one_hot(y, P.shape[1])))


def test_accuracy_wrong_axis():
    v = check.accuracy(lambda P, y: np.mean(np.argmax(P, axis=0) == y))
    assert hint_of(v) == "argmax-wrong-axis" and v.case.startswith("4 examples")


def test_accuracy_compared_outputs_with_labels():
    assert hint_of(check.accuracy(lambda P, y: np.mean(P == y))) == "compared-outputs-to-labels"
    assert hint_of(check.accuracy(lambda P, y: np.mean(P.round() == y))) == "compared-rounded-outputs"


def test_accuracy_count_and_error_rate():
    assert hint_of(check.accuracy(lambda P, y: np.sum(P.argmax(1) == y))) == "count-not-fraction"
    assert hint_of(check.accuracy(lambda P, y: np.mean(P.argmax(1) != y))) == "error-rate"


# --- confusion matrix ------------------------------------------------------------------------


def test_confusion_matrix_reference_and_stub():
    assert check.confusion_matrix(check.confusion_matrix_reference).passed
    assert check.confusion_matrix(stub).status == core.NOT_ATTEMPTED


def test_confusion_matrix_loop_passes_and_matches_plotting():
    def loop(y_true, y_pred, k):
        C = np.zeros((k, k), dtype=int)
        for t, p in zip(y_true, y_pred):
            C[t, p] += 1
        return C

    assert check.confusion_matrix(loop).passed
    for case in check._cm_cases():
        np.testing.assert_array_equal(
            check.confusion_matrix_reference(*case.args),
            plotting_confusion_matrix(case.args[0], case.args[1], case.args[2]),
        )


def test_confusion_matrix_transposed():
    def transposed(y_true, y_pred, k):
        C = np.zeros((k, k), dtype=int)
        for t, p in zip(y_true, y_pred):
            C[p, t] += 1
        return C

    v = check.confusion_matrix(transposed)
    assert hint_of(v) == "transposed" and v.case.startswith("3 examples")


def test_confusion_matrix_fancy_index_does_not_accumulate():
    def fancy(y_true, y_pred, k):
        C = np.zeros((k, k), dtype=int)
        C[y_true, y_pred] += 1
        return C

    v = check.confusion_matrix(fancy)
    assert hint_of(v) == "repeats-not-counted" and "occur twice" in v.case


def test_confusion_matrix_size_from_labels():
    def size_from_data(y_true, y_pred, k):
        n = max(y_true.max(), y_pred.max()) + 1
        C = np.zeros((n, n), dtype=int)
        np.add.at(C, (y_true, y_pred), 1)
        return C

    assert hint_of(check.confusion_matrix(size_from_data)) == "size-from-labels"


# --- most confused pair ------------------------------------------------------------------------


def test_most_confused_reference_and_stub():
    assert check.most_confused_pair(check.most_confused_pair_reference).passed
    assert check.most_confused_pair(stub).status == core.NOT_ATTEMPTED

    def with_divmod(cm):
        off = cm - np.diag(np.diag(cm))
        return divmod(int(off.argmax()), cm.shape[1])

    assert check.most_confused_pair(with_divmod).passed


def test_most_confused_included_diagonal():
    def whole(cm):
        return np.unravel_index(cm.argmax(), cm.shape)

    v = check.most_confused_pair(whole)
    assert hint_of(v) == "included-diagonal" and v.case.startswith("3 classes")


def test_most_confused_swapped_and_flat_index():
    def swapped(cm):
        off = cm - np.diag(np.diag(cm))
        i, j = np.unravel_index(off.argmax(), off.shape)
        return j, i

    assert hint_of(check.most_confused_pair(swapped)) == "swapped"

    def flat(cm):
        off = cm - np.diag(np.diag(cm))
        return off.argmax()

    assert hint_of(check.most_confused_pair(flat)) == "flat-index"


def test_most_confused_in_place_diagonal():
    def zero_diagonal_in_place(cm):
        np.fill_diagonal(cm, 0)
        return np.unravel_index(cm.argmax(), cm.shape)

    assert hint_of(check.most_confused_pair(zero_diagonal_in_place)) == "in-place"
