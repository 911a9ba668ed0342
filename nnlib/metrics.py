"""Metrics: how often a network is right.

The loss is what training minimises; a metric is what we report. :func:`accuracy`
is the share of examples a classifier labels correctly.
"""

from __future__ import annotations

import numpy as np

from . import checks


def _threshold(output_activation: str) -> float:
    return 0.0 if output_activation in ("tanh", "identity") else 0.5


def classes(A: np.ndarray, output_activation: str) -> np.ndarray:
    """The predicted class of each row of outputs ``A``: argmax, or one output above the threshold."""
    if A.shape[1] == 1:
        return (A[:, 0] > _threshold(output_activation)).astype(int)
    return A.argmax(axis=1)


def accuracy(A: np.ndarray, Y: np.ndarray) -> float:
    """Fraction of examples classified correctly.

    Several outputs: argmax of ``A`` against argmax of one-hot ``Y``. One output:
    labels may be 0/1 (threshold 0.5) or -1/+1 (threshold 0), and ``A`` is compared
    with the same threshold. Targets that are not class labels (regression) give NaN.
    """
    A, Y = checks.array(A, "A", "accuracy"), checks.array(Y, "Y", "accuracy")
    if A.ndim != 2 or A.shape != Y.shape or A.shape[0] == 0:
        raise ValueError(
            f"accuracy expected outputs A and targets Y of the same shape (n_samples, n_outputs) with "
            f"n_samples >= 1, got A of shape {A.shape} and Y of shape {Y.shape}"
        )
    if A.shape[1] == 1:
        y = Y[:, 0]
        labels = np.unique(y)
        if not (set(labels.tolist()) <= {0.0, 1.0} or set(labels.tolist()) <= {-1.0, 1.0}):
            return float("nan")
        thr = 0.0 if labels.min() < 0 else 0.5
        return float(np.mean((A[:, 0] > thr) == (y > thr)))
    return float(np.mean(A.argmax(axis=1) == Y.argmax(axis=1)))
