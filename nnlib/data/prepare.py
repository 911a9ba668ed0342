"""Preparing arrays for training: a shuffled train/test split, and one-hot targets.

Rows are examples: ``X`` has shape ``(n_samples, n_features)``.
"""

from __future__ import annotations

import numpy as np

from .. import checks
from ..initializers import as_rng


def is_positive_int(value) -> bool:
    """True for a Python or numpy integer >= 1 (and not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and bool(value >= 1)


def train_test_split(
    X, y, test_fraction: float = 0.5, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows and cut off ``test_fraction`` of them as a test set.

    ``X`` has shape ``(n_samples, n_features)``, ``y`` has ``n_samples`` rows (any shape
    after that). The Playground's default keeps half of the points for testing.
    Returns ``(X_train, y_train, X_test, y_test)``; no row is in both parts.
    """
    X, y = checks.array(X, "X", "train_test_split"), checks.array(y, "y", "train_test_split")
    if X.ndim != 2:
        raise ValueError(f"train_test_split expected X of shape (n_samples, n_features), got array of shape {X.shape}")
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(
            f"train_test_split expected y with {X.shape[0]} rows (one per row of X), got array of shape {y.shape}"
        )
    if (
        isinstance(test_fraction, (bool, np.bool_))
        or not isinstance(test_fraction, (float, int, np.floating, np.integer))
        or not 0.0 < test_fraction < 1.0
    ):
        raise ValueError(f"train_test_split expected test_fraction strictly between 0 and 1, got {test_fraction!r}")
    rng = as_rng(rng, "train_test_split")
    n = X.shape[0]
    n_test = int(round(n * test_fraction))
    if not 0 < n_test < n:
        raise ValueError(
            f"train_test_split: {n} samples with test_fraction={test_fraction} gives "
            f"{n_test} test and {n - n_test} training samples; both must be at least 1"
        )
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Class labels ``(n_samples,)`` -> one-hot rows of shape ``(n_samples, n_classes)``.

    Row ``i`` is all zeros except a 1.0 in column ``labels[i]``. Labels may be integers
    or integer-valued floats (e.g. ``y`` from :func:`~nnlib.data.synthetic.playground`, of shape ``(n, 1)``).
    ``n_classes`` defaults to ``max(labels) + 1``.
    """
    try:
        a = np.asarray(labels)
    except (ValueError, TypeError):
        raise ValueError("one_hot expected labels of shape (n_samples,), got a ragged nested sequence") from None
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"one_hot expected labels of shape (n_samples,), got array of shape {a.shape}")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"one_hot expected integer class labels, got dtype {a.dtype}")
    bad = np.flatnonzero(~np.isfinite(a) | (a != np.round(a))) if a.dtype.kind == "f" else np.array([], int)
    if len(bad):
        raise ValueError(f"one_hot expected integer class labels, got {a[bad[0]].item()!r} at index {bad[0]}")
    if n_classes is not None and not is_positive_int(n_classes):
        raise ValueError(f"one_hot expected a positive integer n_classes, got {n_classes!r}")
    huge = np.flatnonzero(np.abs(a) > 2**31) if a.size else np.array([], int)  # before a cast could wrap around
    if len(huge):
        raise ValueError(
            f"one_hot: labels must be class numbers 0, 1, 2, ... (a network has one output per class); "
            f"got label {a[huge[0]].item()!r} at index {huge[0]}, which is out of range"
        )
    a = a.astype(np.int64)
    if n_classes is None:
        if a.size == 0:
            raise ValueError("one_hot got no labels, so it cannot guess n_classes: pass n_classes")
        n_classes = int(a.max()) + 1
    bad = np.flatnonzero((a < 0) | (a >= n_classes))
    if len(bad):
        raise ValueError(
            f"one_hot: label {a[bad[0]]} at index {bad[0]} is out of range; "
            f"with n_classes={n_classes} the labels must be 0 to {n_classes - 1}"
        )
    Y = np.zeros((a.size, n_classes))
    Y[np.arange(a.size), a] = 1.0
    return Y
