"""The settings of a playground run, written down and read back.

* :class:`Settings`: a frozen dataclass of everything that defines a run (data,
  input features, network shape, training). Every field is checked on creation:
  a bad value raises ``ValueError`` naming the field, what it must be and what it got.
* The compact settings string: :meth:`Settings.to_string` / :meth:`Settings.from_string`.
* TensorFlow Playground URLs: :meth:`Settings.from_tf_url` / :meth:`Settings.to_tf_url`.
* :func:`load_settings` reads either of the two.

Reading text never fails on one bad value: it is skipped with a
:class:`SettingsWarning` that names it, and the field keeps its default. The first half of
this module says what each field may hold (``_CHECKS``) and how its text is parsed
(``_PARSERS``); the second half is :class:`Settings` itself.
"""

from __future__ import annotations

import dataclasses
import math
import re
import sys
import warnings
import zlib
from dataclasses import dataclass
from types import FrameType
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from ...data import CLASSIFICATION_SETS, REGRESSION_SETS
from .features import FEATURES

__all__ = [
    "ACTIVATION_NAMES",
    "MAX_LAYERS",
    "MAX_NEURONS",
    "REGULARIZATIONS",
    "Settings",
    "SettingsWarning",
    "load_settings",
]


# --- allowed values and the check of each field -------------------------------------
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")
REGULARIZATIONS = ("none", "L1", "L2")
MAX_LAYERS, MAX_NEURONS = 6, 8


class SettingsWarning(UserWarning):
    """A setting that was ignored or replaced while reading a settings string or URL."""


def _number(v, integer=False) -> bool:
    """A finite number (an integer if ``integer``); never raises, whatever ``v`` is."""
    if isinstance(v, (bool, np.bool_)):
        return False
    if isinstance(v, (int, np.integer)):
        return True  # integers are finite, however large (float(10**400) would overflow)
    if integer or not isinstance(v, (float, np.floating)):
        return False
    return math.isfinite(v)


def _in(options):
    return lambda v: None if isinstance(v, str) and v in options else f"must be one of {', '.join(options)}"


def _range(lo, hi, integer=False):
    kind = "an integer" if integer else "a number"
    return lambda v: None if _number(v, integer) and lo <= v <= hi else f"must be {kind} in [{lo}, {hi}]"


def _check_features(v):
    bad = [f for f in v if not isinstance(f, str) or f not in FEATURES]
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
    "learning_rate": lambda v: None if _number(v) and 0 < v < 1e300 else "must be a positive number below 1e300",
    "batch_size": _range(1, 1000, integer=True),
    "regularization": _in(REGULARIZATIONS),
    "regularization_rate": lambda v: None if _number(v) and 0 <= v < 1e300 else "must be a number >= 0 below 1e300",
    "show_test_data": lambda v: None if isinstance(v, bool) else "must be True or False",
    "discretize": lambda v: None if isinstance(v, bool) else "must be True or False",
    "init_zero": lambda v: None if isinstance(v, bool) else "must be True or False",
    "n_samples": _range(20, 5000, integer=True),
}


# --- reading text: warnings, formatting and parsers -----------------------------------
def _warn(message: str) -> None:
    """Warn, pointing at the first caller outside the playground modules (the user's line)."""
    frame: FrameType | None = sys._getframe(0)
    level = 1
    while frame is not None and frame.f_globals.get("__name__", "").startswith(__package__):
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
    "show_test_data": _parse_bool,
    "discretize": _parse_bool,
    "init_zero": _parse_bool,
    "noise": _parse_number,
    "learning_rate": _parse_number,
    "regularization_rate": _parse_number,
    "train_percent": _parse_number,
    "batch_size": _parse_number,
    "n_samples": _parse_number,
}


@dataclass(frozen=True)
class Settings:
    """Everything that defines a playground run; invalid values raise ``ValueError``.

    ``noise`` is a whole percentage (0-50) as in TF Playground, ``train_percent`` the
    share of points used for training (10-90), ``hidden`` the neurons per hidden
    layer (at most 6 layers of 1-8 neurons; ``()`` for none). ``features`` are kept
    in the order of :data:`~nnlib.widgets.playground.features.FEATURES` (the order of the network's inputs). The
    problem type follows from the data set: ``reg-plane`` and ``reg-gauss`` are
    regression.
    """

    dataset: str = "circle"
    noise: int = 0
    train_percent: int = 50
    seed: int = 0
    features: tuple[str, ...] = ("x1", "x2")
    hidden: tuple[int, ...] = (4, 2)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 10
    regularization: str = "none"
    regularization_rate: float = 0.0
    show_test_data: bool = False
    discretize: bool = False
    init_zero: bool = False
    n_samples: int = 500

    def __post_init__(self) -> None:
        for name in ("features", "hidden"):
            value = getattr(self, name)
            try:
                if isinstance(value, (str, bytes)):
                    raise TypeError
                value = tuple(value)
            except TypeError:  # not iterable (a number, a 0-d array, ...)
                raise TypeError(f"Settings.{name} must be a sequence, got {value!r}") from None
            object.__setattr__(self, name, value)
        if all(isinstance(f, str) and f in FEATURES for f in self.features):  # one order: the network's input order
            object.__setattr__(self, "features", tuple(sorted(self.features, key=list(FEATURES).index)))
        problems = [
            f"Settings.{k} {msg}, got {getattr(self, k)!r}"
            for k, check in _CHECKS.items()
            if (msg := check(getattr(self, k)))
        ]
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def problem(self) -> str:
        """``"classification"`` or ``"regression"`` (from the data set)."""
        return "regression" if self.dataset in REGRESSION_SETS else "classification"

    def replace(self, **changes) -> Settings:
        """A copy with some fields changed (validated)."""
        unknown = sorted(set(changes) - set(_CHECKS))
        if unknown:
            raise TypeError(f"Settings.replace: unknown setting(s) {', '.join(unknown)}; known: {', '.join(_CHECKS)}")
        return dataclasses.replace(self, **changes)

    # --- the compact settings string ----------------------------------------------
    def to_string(self) -> str:
        """``key=value`` pairs joined by ``;``, e.g. ``dataset=circle;noise=0;...;hidden=4,2``."""
        return ";".join(f"{f.name}={_format(getattr(self, f.name))}" for f in dataclasses.fields(self))

    @classmethod
    def from_string(cls, text: str) -> Settings:
        """Read :meth:`to_string` output; missing keys keep their defaults.

        Unknown keys and bad values are skipped with a :class:`SettingsWarning`
        that names them, so a half-broken string still loads.
        """
        text = _text(text, "Settings.from_string")
        pairs = [p.partition("=") for p in text.strip().split(";") if p.strip()]
        return _build(cls, {k.strip(): v.strip() for k, _, v in pairs}, "settings string")

    # --- TensorFlow Playground URLs ---------------------------------------------
    @classmethod
    def from_tf_url(cls, url: str) -> Settings:
        """Reproduce the set-up of a ``https://playground.tensorflow.org/#...`` URL.

        Unknown or malformed parameters are skipped with a :class:`SettingsWarning`.
        The seed string (``0.72031``) becomes the integer of its digits (``72031``).
        """
        text = _text(url, "Settings.from_tf_url").strip()
        if "#" in text:
            query = text.split("#", 1)[1]
        else:
            try:
                query = urlsplit(text).query or text
            except ValueError as e:  # e.g. "Invalid IPv6 URL": read what follows the "?"
                _warn(f"TF URL: could not read it as a URL ({e}); reading its parameters anyway")
                query = text.split("?", 1)[-1]
        try:
            params = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        except ValueError as e:
            _warn(f"TF URL: could not read its parameters ({e}); using the defaults")
            params = {}
        raw, unknown = {}, []
        problem = params.get("problem", "classification")
        if problem not in ("classification", "regression"):
            _warn(f"TF URL: problem={problem!r} is not classification or regression; using classification")
            problem = "classification"
        key, valid = ("regDataset", REGRESSION_SETS) if problem == "regression" else ("dataset", CLASSIFICATION_SETS)
        name = {"gauss": "gaussian"}.get(params.get(key, valid[0]), params.get(key, valid[0]))
        if name not in valid:
            _warn(f"TF URL: {key}={name!r} is not one of {', '.join(valid)}; using {valid[0]}")
            name = valid[0]
        raw["dataset"] = name
        features = []
        for key, value in params.items():
            if key in _TF_FEATURES:
                flag = _parse_bool(value)
                if flag is None:
                    _warn(f"TF URL: {key}={value!r} is not true/false; feature left off")
                elif flag:
                    features.append(_TF_FEATURES[key])
            elif key in _TF_NAMES:
                raw[_TF_NAMES[key]] = value
            elif key not in _TF_IGNORED and not key.endswith("_hide"):
                unknown.append(f"{key}={value!r}")
        if unknown:
            _warn(f"TF URL: ignored unknown parameter(s) {', '.join(unknown)}")
        raw["features"] = ",".join(features) if features else "x1,x2"
        if not features and any(k in params for k in _TF_FEATURES):
            _warn("TF URL: no input feature switched on; using x1 and x2")
        return _build(cls, raw, "TF URL", {v: k for k, v in _TF_NAMES.items()})

    def to_tf_url(self) -> str:
        """The TensorFlow Playground URL of these settings (``n_samples`` has no TF equivalent)."""
        reg = self.problem == "regression"
        params = {
            "activation": self.activation,
            "batchSize": self.batch_size,
            "dataset": "circle" if reg else {"gaussian": "gauss"}.get(self.dataset, self.dataset),
            "regDataset": self.dataset if reg else "reg-plane",
            "learningRate": _format(self.learning_rate),
            "regularizationRate": _format(self.regularization_rate),
            "noise": _format(self.noise),
            "networkShape": ",".join(map(str, self.hidden)),
            "seed": f"0.{self.seed:05d}",
            "showTestData": self.show_test_data,
            "discretize": self.discretize,
            "percTrainData": self.train_percent,
            **{k: f in self.features for k, f in _TF_FEATURES.items()},
            "problem": self.problem,
            "initZero": self.init_zero,
            "regularization": self.regularization,
        }
        text = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in params.items())
        return "https://playground.tensorflow.org/#" + text


_TF_FEATURES = {
    "x": "x1",
    "y": "x2",
    "xSquared": "x1^2",
    "ySquared": "x2^2",
    "xTimesY": "x1*x2",
    "sinX": "sin(x1)",
    "sinY": "sin(x2)",
    "cosX": "cos(x1)",
    "cosY": "cos(x2)",
}
_TF_NAMES = {
    "activation": "activation",
    "regularization": "regularization",
    "batchSize": "batch_size",
    "learningRate": "learning_rate",
    "regularizationRate": "regularization_rate",
    "noise": "noise",
    "networkShape": "hidden",
    "seed": "seed",
    "percTrainData": "train_percent",
    "showTestData": "show_test_data",
    "discretize": "discretize",
    "initZero": "init_zero",
}
_TF_IGNORED = {"problem", "dataset", "regDataset", "collectStats", "hideText", "tutorial"}


def _build(cls, raw: dict[str, str], source: str, names: dict[str, str] | None = None) -> Settings:
    """Settings from text values; every bad or unknown one is skipped with a warning.

    ``names`` maps a field to the name the user wrote (a TF URL parameter), for the messages.
    """
    kwargs = {}
    for key, text in raw.items():
        shown = (names or {}).get(key, key)
        if key not in _CHECKS:
            _warn(f"{source}: ignored unknown setting {key}={text!r}; known: {', '.join(_CHECKS)}")
            continue
        try:
            value = _PARSERS.get(key, str)(text)
        except ValueError:
            value = None
        problem = "could not be read" if value is None else _CHECKS[key](value)
        if problem:
            default = _format(cls.__dataclass_fields__[key].default)
            _warn(f"{source}: {shown}={text!r} {problem}; kept the default {default}")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def _text(text, who: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{who} expected text (a str), got {text!r} ({type(text).__name__})")
    return text


def load_settings(text: str) -> Settings:
    """Read either a TF Playground URL (anything with ``#`` or ``://``) or a settings string.

    Whatever the text, this returns a :class:`Settings`: a bad or unknown value is skipped
    with a :class:`SettingsWarning` and the field keeps its default. Only a ``text`` that
    is not a str raises (``TypeError``).
    """
    text = _text(text, "load_settings").strip()
    if "#" in text or "://" in text or "networkShape=" in text:
        return Settings.from_tf_url(text)
    return Settings.from_string(text)
