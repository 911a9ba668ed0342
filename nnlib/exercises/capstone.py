"""Checks for the exercises of chapter 8, *Capstone: reading handwritten digits*.

In the chapter::

    from nnlib.exercises import capstone as check
    check.accuracy(accuracy)
    check.confusion_matrix(confusion_matrix)
    check.most_confused_pair(most_confused_pair)

Each function prints one verdict (not attempted yet / correct / wrong with a
hint) and never raises in a normal run. Each checks the type the task names:
the accuracy is a float (not an int, which integer division gives), the
confusion matrix an integer array (counts), the most confused pair a tuple of
two ints; and no input may be changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import core
from .core import Case, Exercise, Hint, Mistake, Verdict
from .library import saves

EXERCISES = {
    "accuracy": Exercise("ex-capstone-accuracy", "Accuracy", "accuracy"),
    "confusion_matrix": Exercise("ex-capstone-confusion", "The confusion matrix", "confusion_matrix"),
    "most_confused_pair": Exercise("ex-capstone-most-confused", "The most confused pair", "most_confused_pair"),
}

# --- 1. accuracy -------------------------------------------------------------------------


def accuracy_reference(predictions: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of rows whose largest output is at the position of the true label."""
    return float(np.mean(predictions.argmax(axis=1) == labels))


def _accuracy_cases() -> list[Case]:
    # 4 examples, 4 classes: square, so the classic slips give a number instead of an error
    P4 = np.array(
        [[0.56, 0.11, 0.22, 0.11], [0.10, 0.33, 0.29, 0.28], [0.53, 0.27, 0.07, 0.13], [0.20, 0.40, 0.20, 0.20]]
    )
    y4 = np.array([0, 2, 0, 1])  # 3 of 4 right: accuracy 0.75
    # hard (one-hot) outputs: comparing the outputs themselves with the labels now gives a number
    # other than 0, so it cannot be mistaken for an integer division
    hard = np.eye(4)[[0, 2, 1, 3]]
    rng = np.random.default_rng(8)
    P = rng.dirichlet(np.ones(10), size=12)  # 12 softmax-like rows of 10 outputs
    y = np.where(rng.random(12) < 0.6, P.argmax(axis=1), rng.integers(0, 10, 12))
    return [
        Case((P4, y4), label="4 examples, 4 classes"),
        Case((hard, np.array([0, 1, 2, 3])), label="4 examples, one-hot outputs"),
        Case((P4[:3, :3] / P4[:3, :3].sum(axis=1, keepdims=True), np.array([0, 2, 2])), label="3 examples, 3 classes"),
        Case((P, y), label="12 examples, 10 classes"),
    ]


_ACCURACY_MISTAKES = [
    Mistake(
        "argmax-wrong-axis",
        lambda P, y: float(np.mean(P.argmax(axis=0) == y)),
        Hint(
            "Your predicted classes are one per *class*, not one per example: argmax(axis=0) runs down the examples.",
            "Look at the axis of argmax: each example is a row.",
            "The predicted class of each example is predictions.argmax(axis=1).",
        ),
    ),
    Mistake(
        "compared-outputs-to-labels",
        lambda P, y: float(np.mean(P == y)),
        Hint(
            "You compared the outputs themselves with the labels, number by number.",
            "Look at the comparison: each row holds one output per class, not a class.",
            "Turn each row into a predicted class with argmax(axis=1), then compare with the labels.",
        ),
    ),
    Mistake(
        "compared-rounded-outputs",
        lambda P, y: float(np.mean(np.round(P) == y)),
        Hint(
            "You compared the rounded outputs with the labels: rounding an output does not give a class.",
            "Look at the comparison: each row holds one output per class.",
            "Take argmax(axis=1) of each row, then compare with the labels.",
        ),
    ),
    Mistake(
        "count-not-fraction",
        lambda P, y: float(np.sum(P.argmax(axis=1) == y)),
        Hint(
            "Your result is the number of correct examples, not the fraction.",
            "Look at the last step: the count is not divided by the number of examples.",
            "Divide by the number of examples (len(labels)), or use np.mean of the comparison.",
        ),
    ),
    Mistake(
        "integer-division",
        lambda P, y: np.sum(P.argmax(axis=1) == y) // len(y),
        Hint(
            "Your result is 0 (or 1): the fraction was rounded down to a whole number by integer division.",
            "Look at the division: `//` divides and rounds down.",
            "Divide with `/` (or use np.mean of the comparison), which keeps the fraction.",
        ),
    ),
    Mistake(
        "percent",
        lambda P, y: 100.0 * float(np.mean(P.argmax(axis=1) == y)),
        Hint(
            "Your result is a percentage; the task asks for a fraction between 0 and 1.",
            "Look for a factor 100.",
            "Return the fraction itself: np.mean(predicted == labels).",
        ),
    ),
    Mistake(
        "error-rate",
        lambda P, y: float(np.mean(P.argmax(axis=1) != y)),
        Hint(
            "Your result is the fraction of *wrong* examples (the error rate).",
            "Look at the comparison: != counts the mistakes.",
            "Accuracy counts the right ones: np.mean(predicted == labels).",
        ),
    ),
]


@saves("accuracy")
def accuracy(fn: Callable | None) -> Verdict:
    """Check ``accuracy(predictions, labels)``: outputs of shape (n, k), integer labels of shape (n,); a float."""
    return core.check_function(
        EXERCISES["accuracy"],
        fn,
        accuracy_reference,
        _accuracy_cases(),
        _ACCURACY_MISTAKES,
        arg_names=["predictions", "labels"],
        returns=core.number,
    )


# --- 2. the confusion matrix ------------------------------------------------------------------


def confusion_matrix_reference(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """``C[i, j]`` = how many examples of true class ``i`` were predicted as class ``j``."""
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)  # like C[y_true, y_pred] += 1, but repeats add up
    return C


def _cm_transposed(y_true, y_pred, k):
    return confusion_matrix_reference(y_pred, y_true, k)


def _cm_no_accumulate(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    C[y_true, y_pred] += 1  # a pair that occurs twice is counted once
    return C


def _cm_size_from_labels(y_true, y_pred, k):
    return confusion_matrix_reference(y_true, y_pred, int(max(y_true.max(), y_pred.max())) + 1)


def _cm_cases() -> list[Case]:
    rng = np.random.default_rng(10)
    y_true = rng.integers(0, 10, 40)
    y_pred = np.where(rng.random(40) < 0.7, y_true, rng.integers(0, 10, 40))
    return [
        Case((np.array([0, 1, 1]), np.array([0, 1, 0]), 2), label="3 examples, 2 classes"),
        Case(
            (np.array([0, 0, 1, 2, 2, 2]), np.array([0, 0, 1, 2, 1, 2]), 3),
            label="6 examples, 3 classes: some pairs occur twice",
        ),
        Case(
            (np.array([0, 1, 2, 2, 1]), np.array([0, 2, 2, 1, 1]), 4),
            label="5 examples, 4 classes: class 3 never occurs",
        ),
        Case((y_true, y_pred, 10), label="40 examples, 10 classes"),
    ]


_CM_MISTAKES = [
    Mistake(
        "transposed",
        _cm_transposed,
        Hint(
            "Your rows and columns are swapped: row i counts the examples *predicted* as i.",
            "Look at the indices you add 1 at: C[predicted, true].",
            "Row i is the true class and column j the predicted one: C[true, predicted] += 1.",
        ),
    ),
    Mistake(
        "repeats-not-counted",
        _cm_no_accumulate,
        Hint(
            "A pair (true, predicted) that occurs several times was counted only once.",
            "Look at C[y_true, y_pred] += 1: with arrays of indices, numpy adds 1 only once per distinct cell.",
            "Loop over the pairs (for t, p in zip(y_true, y_pred): C[t, p] += 1), "
            "or use np.add.at(C, (y_true, y_pred), 1).",
        ),
    ),
    Mistake(
        "size-from-labels",
        _cm_size_from_labels,
        Hint(
            "Your matrix is smaller than k x k when some class never occurs in the data.",
            "Look at where the size of the matrix comes from: the largest label + 1 misses classes that never occur.",
            "Use k for its size: np.zeros((k, k), dtype=int).",
        ),
    ),
]


@saves("confusion_matrix")
def confusion_matrix(fn: Callable | None) -> Verdict:
    """Check ``confusion_matrix(y_true, y_pred, k)`` (rows: true classes, columns: predictions): an int array."""
    return core.check_function(
        EXERCISES["confusion_matrix"],
        fn,
        confusion_matrix_reference,
        _cm_cases(),
        _CM_MISTAKES,
        arg_names=["y_true", "y_pred", "k"],
        returns=core.int_array,
    )


# --- 3. the most confused pair ------------------------------------------------------------------


def most_confused_pair_reference(cm: np.ndarray) -> tuple[int, int]:
    """``(true_class, predicted_class)`` of the largest count off the diagonal of ``cm``."""
    off = cm.copy()
    np.fill_diagonal(off, 0)  # the diagonal holds the correct predictions
    true_class, predicted_class = np.unravel_index(np.argmax(off), off.shape)
    return int(true_class), int(predicted_class)


def _mc_with_diagonal(cm):
    i, j = np.unravel_index(np.argmax(cm), cm.shape)
    return int(i), int(j)


def _mc_swapped(cm):
    i, j = most_confused_pair_reference(cm)
    return j, i


def _mc_flat_index(cm):
    off = cm.copy()
    np.fill_diagonal(off, 0)
    return int(np.argmax(off))


def _mc_lower_triangle(cm):
    i, j = np.unravel_index(np.argmax(np.tril(cm, -1)), cm.shape)
    return int(i), int(j)


def _mc_cases() -> list[Case]:
    cm3 = np.array([[5, 0, 1], [0, 6, 0], [3, 0, 4]])
    cm10 = confusion_matrix_reference(*_cm_cases()[3].args) * 3 + np.diag(np.arange(30, 40))
    cm10[4, 9] = 14  # a 4 read as a 9, the most common slip
    cm10[9, 4] = 11
    return [Case((cm3,), label="3 classes"), Case((cm10,), label="10 classes")]


_MC_MISTAKES = [
    Mistake(
        "included-diagonal",
        _mc_with_diagonal,
        Hint(
            "Your pair lies on the diagonal: the diagonal counts the *correct* predictions, "
            "usually the largest numbers.",
            "Look at which entries you search: the whole matrix, diagonal included.",
            "Search only off the diagonal: copy the matrix and set its diagonal to 0 (np.fill_diagonal).",
        ),
    ),
    Mistake(
        "swapped",
        _mc_swapped,
        Hint(
            "Your pair is the right cell with its two numbers swapped.",
            "Look at the order of the pair: rows are true classes, columns predictions.",
            "Return (true class, predicted class): the row index first, then the column index.",
        ),
    ),
    Mistake(
        "flat-index",
        _mc_flat_index,
        Hint(
            "Your result is one number, the position of the largest count in the flattened matrix.",
            "Look at np.argmax of a matrix: without an axis it counts entries row after row.",
            "Turn it back into (row, column) with np.unravel_index(index, cm.shape) or divmod(index, k).",
        ),
    ),
    Mistake(
        "lower-triangle-only",
        _mc_lower_triangle,
        Hint(
            "Your search looked only below the diagonal; mistakes above it count too.",
            "Look at np.tril (or a loop over j < i): it leaves out the upper triangle.",
            "Set only the diagonal to 0 and search the whole rest of the matrix.",
        ),
    ),
]


@saves("most_confused_pair")
def most_confused_pair(fn: Callable | None) -> Verdict:
    """Check ``most_confused_pair(cm) -> (true_class, predicted_class)``, a tuple of two ints; ``cm`` unchanged."""
    return core.check_function(
        EXERCISES["most_confused_pair"],
        fn,
        most_confused_pair_reference,
        _mc_cases(),
        _MC_MISTAKES,
        arg_names=["cm"],
        returns=core.int_pair,
    )


__all__ = ["accuracy", "confusion_matrix", "most_confused_pair"]


# --- your network and nnlib's, side by side ------------------------------------------------------


@dataclass
class SideBySide:
    """The test accuracy of the network trained on the learner's functions, next to nnlib's.

    ``whose`` maps each function the run used to True where it was the learner's own (saved
    in ``mynn``) and False where nnlib's reference stood in. In strict mode (the solved run)
    a difference in accuracy, or any reference standing in, raises.
    """

    yours: float
    nnlib: float
    whose: dict[str, bool]

    @property
    def missing(self) -> list[str]:
        return [name for name, mine in self.whose.items() if not mine]

    def __str__(self) -> str:
        same = "the same, to the digit" if self.yours == self.nnlib else "different"
        lines = [
            f"{'':28s}{'test accuracy':>14s}",
            f"{'your network':28s}{self.yours:>14.4f}",
            f"{'nnlib.fit, same seeds':28s}{self.nnlib:>14.4f}   ({same})",
        ]
        if self.missing:
            lines.append(
                "nnlib's reference stood in for: " + ", ".join(self.missing) + " (solve their exercises to run yours)"
            )
        else:
            lines.append("every function of your network is yours: " + ", ".join(self.whose))
        return "\n".join(lines)

    __repr__ = __str__


def side_by_side(yours: float, nnlib_accuracy: float, whose: dict[str, bool]) -> SideBySide:
    """Show both accuracies; in strict mode require them equal and every function the learner's."""
    result = SideBySide(float(yours), float(nnlib_accuracy), dict(whose))
    if core._strict() and (result.missing or result.yours != result.nnlib):
        raise core.ExerciseNotPassed(f"Your network:\n{result}")
    return result
