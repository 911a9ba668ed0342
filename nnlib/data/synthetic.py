"""TensorFlow Playground's six 2-D data sets.

:func:`playground` re-implements the data sets of the TensorFlow Playground
(https://playground.tensorflow.org): points in the square ``[-6, 6]^2`` with a 0/1
class label (circle, xor, gaussian, spiral) or a target in ``[-1, 1]`` (reg-plane,
reg-gauss). ``X`` has shape ``(n_samples, 2)``: rows are examples.
:func:`~nnlib.data.prepare.train_test_split` prepares them for training.
"""

from __future__ import annotations

import numpy as np

from ..initializers import as_rng
from .prepare import is_positive_int

CLASSIFICATION_SETS = ("circle", "xor", "gaussian", "spiral")
REGRESSION_SETS = ("reg-plane", "reg-gauss")
#: Other names for the data sets, as TF Playground and its URLs write them.
ALIASES = {
    "gauss": "gaussian",
    "two-gauss": "gaussian",
    "plane": "reg-plane",
    "regress-plane": "reg-plane",
    "reg-gaussian": "reg-gauss",
    "regress-gaussian": "reg-gauss",
}
MAX_NOISE = 0.5


# --- TensorFlow Playground ---------------------------------------------------------------
# Each generator returns X of shape (n, 2) and y of shape (n,). Circle, xor and the regression
# sets add noise the Playground's way: a point keeps its position but takes the label (or
# target) of the point (x + noise * u_x, y + noise * u_y), u uniform over the data's range.


def _circle(n, noise, rng):
    radius = 5.0
    n_in = n // 2  # class 1 inside r < 2.5, class 0 in 3.5 < r < 5
    r = np.concatenate([rng.uniform(0.0, 0.5 * radius, n_in), rng.uniform(0.7 * radius, radius, n - n_in)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])  # (n, 2)
    moved = X + noise * rng.uniform(-radius, radius, (n, 2))
    return X, np.hypot(moved[:, 0], moved[:, 1]) < 0.5 * radius


def _xor(n, noise, rng):
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)  # a 0.3 gap along both axes
    moved = X + noise * rng.uniform(-5.0, 5.0, (n, 2))
    return X, moved[:, 0] * moved[:, 1] >= 0  # 1 in quadrants I and III


def _gaussian(n, noise, rng):
    std = np.sqrt(0.5 + 7.0 * noise)  # variance 0.5 at noise 0, 4 at noise 0.5
    y = np.arange(n) < n // 2  # class 1 around (2, 2), class 0 around (-2, -2)
    centre = np.where(y, 2.0, -2.0)[:, None]  # (n, 1)
    X = centre + std * rng.standard_normal((n, 2))
    out = np.abs(X) > 6.0  # keep the square: redraw the rare outliers
    while out.any():
        X[out] = np.broadcast_to(centre, X.shape)[out] + std * rng.standard_normal(out.sum())
        out = np.abs(X) > 6.0
    return X, y


def _spiral(n, noise, rng):
    def arm(m, phase):  # m points along r = 5t, angle 3.5 pi t + phase
        t = np.arange(m) / m
        r, angle = 5.0 * t, 1.75 * 2 * np.pi * t + phase
        return np.column_stack([r * np.sin(angle), r * np.cos(angle)]) + noise * rng.uniform(-1, 1, (m, 2))

    X = np.concatenate([arm(n // 2, 0.0), arm(n - n // 2, np.pi)])
    return X, np.arange(n) < n // 2


def _reg_plane(n, noise, rng):
    X = rng.uniform(-6.0, 6.0, (n, 2))
    moved = X + noise * rng.uniform(-6.0, 6.0, (n, 2))
    # The Playground divides x1 + x2 by 10, so its targets reach +-1.2 in the corners; we
    # divide by 12, so noise-free targets are exactly linear and fill [-1, 1].
    return X, np.clip(moved.sum(axis=1) / 12.0, -1.0, 1.0)


_BUMPS = np.array(
    [
        [-4, 2.5, 1],
        [0, 2.5, -1],
        [4, 2.5, 1],  # centre x, centre y, sign
        [-4, -2.5, -1],
        [0, -2.5, 1],
        [4, -2.5, -1],
    ],
    dtype=float,
)


def _reg_gauss(n, noise, rng):
    X = rng.uniform(-6.0, 6.0, (n, 2))
    moved = X + noise * rng.uniform(-6.0, 6.0, (n, 2))
    dist = np.linalg.norm(moved[:, None, :] - _BUMPS[None, :, :2], axis=2)  # (n, 6)
    values = _BUMPS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)  # cones of radius 2
    return X, values[np.arange(n), np.abs(values).argmax(axis=1)]  # the strongest bump


_GENERATORS = {
    "circle": _circle,
    "xor": _xor,
    "gaussian": _gaussian,
    "spiral": _spiral,
    "reg-plane": _reg_plane,
    "reg-gauss": _reg_gauss,
}


def playground(
    name: str, n: int = 500, noise: float = 0.0, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """One of TensorFlow Playground's data sets, shuffled.

    Parameters
    ----------
    name : str
        ``"circle"``, ``"xor"``, ``"gaussian"``, ``"spiral"`` (classification) or
        ``"reg-plane"``, ``"reg-gauss"`` (regression). The Playground's own names
        ``"gauss"`` and ``"two-gauss"`` also work (see :data:`ALIASES`).
    n : int
        Number of points (the Playground's default is 500).
    noise : float
        From 0 to 0.5: the Playground's noise slider divided by 100 (its 25 is 0.25).
        Class sets flip labels near the boundary; ``spiral`` jitters the points; the
        Gaussian clusters widen; regression targets are taken at a jittered point.
    rng : numpy Generator or int seed
        The same seed gives the same points, bit for bit.

    Returns
    -------
    X : array of shape (n, 2)
        Points in ``[-6, 6]^2``.
    y : array of shape (n, 1)
        Class labels 0.0 / 1.0, or regression targets in ``[-1, 1]``. For a tanh output
        unit use the labels ``2 * y - 1`` (the Playground's -1 / +1).
    """
    if not isinstance(name, str):
        raise TypeError(
            f"playground: name must be a data set name (str) such as 'circle', got {name!r} ({type(name).__name__})"
        )
    key = name.strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in _GENERATORS:
        raise ValueError(
            f"playground: unknown data set {name!r}; valid names are "
            f"{', '.join(CLASSIFICATION_SETS + REGRESSION_SETS)} "
            f"(aliases: {', '.join(ALIASES)})"
        )
    if not is_positive_int(n):
        raise ValueError(f"playground({key!r}): n must be a positive integer, got {n!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise TypeError(f"playground({key!r}): noise must be a number from 0 to {MAX_NOISE}, got {noise!r}")
    if not 0.0 <= noise <= MAX_NOISE:  # (False for NaN too)
        hint = (
            f" (noise is a fraction: the Playground's slider value {noise:g} is noise={noise / 100:g})"
            if 1 <= noise <= 100 * MAX_NOISE
            else ""
        )
        raise ValueError(f"playground({key!r}): noise must be from 0 to {MAX_NOISE}, got {noise!r}{hint}")
    rng = as_rng(rng, f"playground({key!r})")
    X, y = _GENERATORS[key](int(n), float(noise), rng)
    order = rng.permutation(int(n))  # the generators emit one class after the other
    return X[order].astype(np.float64), y[order].astype(np.float64)[:, None]
