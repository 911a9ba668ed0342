"""The input features, what each playground setting may hold, and how it is read from text.

The vocabulary and rules behind :class:`~nnlib.playground_settings.Settings`:

* :data:`FEATURES`: the input features a run may switch on, with their formulas,
  and :func:`feature_matrix`, which computes them (the network's input);
* the allowed activations, regularisations and network size
  (:data:`ACTIVATION_NAMES`, :data:`REGULARIZATIONS`, :data:`MAX_LAYERS`, :data:`MAX_NEURONS`);
* ``_CHECKS``: one check per field, returning ``None`` or what the value must be;
* ``_PARSERS``: one parser per field, from the text of a settings string or URL;
* :class:`SettingsWarning`, raised for every value skipped while reading text.
"""
from __future__ import annotations

import math
import re
import sys
import warnings
import zlib
from typing import Callable

import numpy as np

from .datasets import CLASSIFICATION_SETS, REGRESSION_SETS

# --- input features ------------------------------------------------------------
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


# --- allowed values and the check of each field -------------------------------------
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
MAX_LAYERS, MAX_NEURONS = 6, 8


class SettingsWarning(UserWarning):
    """A setting that was ignored or replaced while reading a settings string or URL."""


def _number(v, integer=False) -> bool:
    ok = isinstance(v, (int, np.integer)) if integer else isinstance(v, (int, float, np.number))
    return ok and not isinstance(v, bool) and math.isfinite(v)


def _in(options):
    return lambda v: None if v in options else f"must be one of {', '.join(options)}"


def _range(lo, hi, integer=False):
    kind = "an integer" if integer else "a number"
    return lambda v: None if _number(v, integer) and lo <= v <= hi else f"must be {kind} in [{lo}, {hi}]"


def _check_features(v):
    bad = [f for f in v if f not in FEATURES]
    if bad:
        return f"has unknown feature(s) {bad}; valid: {', '.join(FEATURES)}"
    if not v or len(set(v)) != len(v):
        return "must name at least one feature, each once"


def _check_hidden(v):
    if len(v) > MAX_LAYERS:
        return f"may have at most {MAX_LAYERS} hidden layers"
    for i, n in enumerate(v):
        if not (_number(n, integer=True) and 1 <= n <= MAX_NEURONS):
            return f"layer {i + 1} has {n!r} neurons; each hidden layer needs 1 to {MAX_NEURONS}"


_CHECKS = {
    "dataset": _in(CLASSIFICATION_SETS + REGRESSION_SETS),
    "noise": _range(0, 50, integer=True),
    "train_percent": _range(10, 90, integer=True),
    "seed": _range(0, 2**32 - 1, integer=True),
    "features": _check_features,
    "hidden": _check_hidden,
    "activation": _in(ACTIVATION_NAMES),
    "learning_rate": lambda v: None if _number(v) and v > 0 else "must be a positive number",
    "batch_size": _range(1, 1000, integer=True),
    "regularization": _in(REGULARIZATIONS),
    "regularization_rate": lambda v: None if _number(v) and v >= 0 else "must be a number >= 0",
    "show_test_data": lambda v: None if isinstance(v, bool) else "must be True or False",
    "discretize": lambda v: None if isinstance(v, bool) else "must be True or False",
    "init_zero": lambda v: None if isinstance(v, bool) else "must be True or False",
    "n_samples": _range(20, 5000, integer=True),
}


# --- reading text: warnings, formatting and parsers -----------------------------------
def _warn(message: str) -> None:
    """Warn, pointing at the first caller outside the playground modules (the user's line)."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(f"{__package__}.playground"):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, SettingsWarning, stacklevel=level)


def _format(value) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_bool(text: str) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get(str(text).strip().lower())


def _parse_seed(text: str) -> int:
    text = text.strip()
    m = re.fullmatch(r"0?\.(\d+)|(\d+)", text)
    if m:
        return int(m.group(1) or m.group(2)) % 2**32
    value = zlib.crc32(text.encode())
    _warn(f"seed {text!r} is not a number; using {value}, a hash of it")
    return value


def _parse_number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


_PARSERS = {
    "features": lambda s: tuple(f.strip() for f in s.split(",") if f.strip()),
    "hidden": lambda s: tuple(int(n) for n in s.split(",") if n.strip()),
    "seed": _parse_seed,
    "show_test_data": _parse_bool, "discretize": _parse_bool, "init_zero": _parse_bool,
    "noise": _parse_number, "learning_rate": _parse_number, "regularization_rate": _parse_number,
    "train_percent": _parse_number, "batch_size": _parse_number, "n_samples": _parse_number,
}
