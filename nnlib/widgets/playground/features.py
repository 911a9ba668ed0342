"""The playground's input features: what the network sees of a point (x1, x2).

TensorFlow Playground lets the network see more than the raw coordinates: squares,
their product and sines. :data:`FEATURES` maps each name to its formula and
:func:`feature_matrix` computes the chosen ones for a batch of points, giving the
network's input of shape ``(n_samples, n_features)``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: The input features by name, each a function of the coordinates ``(x1, x2)``.
FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
    "cos(x1)": lambda x1, x2: np.cos(x1),
    "cos(x2)": lambda x1, x2: np.cos(x2),
}


def feature_matrix(X: np.ndarray, features) -> np.ndarray:
    """The network's input: one column per named feature of the points ``X``.

    Parameters
    ----------
    X : array of shape (n_samples, 2)
        Points ``(x1, x2)``.
    features : sequence of str
        Names from :data:`FEATURES`, e.g. ``["x1", "x2", "x1^2"]``.

    Returns
    -------
    array of shape (n_samples, len(features))
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"feature_matrix expected points of shape (n_samples, 2), got {X.shape}")
    unknown = [f for f in features if f not in FEATURES]
    if unknown:
        raise ValueError(f"feature_matrix: unknown feature(s) {unknown}; valid: {', '.join(FEATURES)}")
    x1, x2 = X[:, 0], X[:, 1]
    return np.stack([FEATURES[f](x1, x2) for f in features], axis=1)  # (n, n_features)
