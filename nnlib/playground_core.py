"""The plain logic of the playground: settings, input features and a training state machine.

No widgets here, so everything can be driven and tested from plain Python;
:mod:`nnlib.playground` puts controls and pictures on top.

Choices, as in TensorFlow Playground:

* Classification labels are turned into targets ``-1`` / ``+1``; the output
  neuron is ``tanh`` and the loss is the quadratic cost
  ``C = (1/n) sum_x 1/2 (a - y)^2``, so the reported train and test losses are
  the numbers TF Playground shows. Regression uses a linear output and the
  same loss on targets in ``[-1, 1]``.
* Weights start uniform in ``[-0.5, 0.5]`` and biases at ``0.1`` (all weights
  zero with ``init_zero``). One *epoch* is one pass over the shuffled training
  set in mini-batches of ``batch_size``: ``net.forward``, ``net.backward`` and
  ``SGD.step`` for each batch.
"""
from __future__ import annotations

import dataclasses
import math
import re
import sys
import threading
import warnings
import zlib
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qsl, urlsplit

import numpy as np

from .datasets import CLASSIFICATION_SETS, REGRESSION_SETS, playground, train_test_split
from .network import Network
from .optimizers import SGD

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


# --- settings --------------------------------------------------------------------
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


@dataclass(frozen=True)
class Settings:
    """Everything that defines a playground run; invalid values raise ``ValueError``.

    ``noise`` is a whole percentage (0-50) as in TF Playground, ``train_percent`` the
    share of points used for training (10-90), ``hidden`` the neurons per hidden
    layer (at most 6 layers of 1-8 neurons; ``()`` for none). ``features`` are kept
    in the order of :data:`FEATURES` (the order of the network's inputs). The
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
            if isinstance(value, str) or not hasattr(value, "__iter__"):
                raise TypeError(f"Settings.{name} must be a sequence, got {value!r}")
            object.__setattr__(self, name, tuple(value))
        if set(self.features) <= set(FEATURES):                  # one order: the network's input order
            object.__setattr__(self, "features", tuple(sorted(self.features, key=list(FEATURES).index)))
        problems = [f"Settings.{k} {msg}, got {getattr(self, k)!r}" for k, check in _CHECKS.items()
                    if (msg := check(getattr(self, k)))]
        if problems:
            raise ValueError("; ".join(problems))

    @property
    def problem(self) -> str:
        """``"classification"`` or ``"regression"`` (from the data set)."""
        return "regression" if self.dataset in REGRESSION_SETS else "classification"

    def replace(self, **changes) -> "Settings":
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)

    # --- the compact settings string ----------------------------------------------
    def to_string(self) -> str:
        """``key=value`` pairs joined by ``;``, e.g. ``dataset=circle;noise=0;...;hidden=4,2``."""
        return ";".join(f"{f.name}={_format(getattr(self, f.name))}" for f in dataclasses.fields(self))

    @classmethod
    def from_string(cls, text: str) -> "Settings":
        """Read :meth:`to_string` output; missing keys keep their defaults.

        Unknown keys and bad values are skipped with a :class:`SettingsWarning`
        that names them, so a half-broken string still loads.
        """
        pairs = [p.partition("=") for p in str(text).strip().split(";") if p.strip()]
        return _build(cls, {k.strip(): v.strip() for k, _, v in pairs}, "settings string")

    # --- TensorFlow Playground URLs ---------------------------------------------
    @classmethod
    def from_tf_url(cls, url: str) -> "Settings":
        """Reproduce the set-up of a ``https://playground.tensorflow.org/#...`` URL.

        Unknown or malformed parameters are skipped with a :class:`SettingsWarning`.
        The seed string (``0.72031``) becomes the integer of its digits (``72031``).
        """
        text = str(url).strip()
        query = text.split("#", 1)[1] if "#" in text else (urlsplit(text).query or text)
        params = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
        raw, unknown = {}, []
        problem = params.get("problem", "classification")
        if problem not in ("classification", "regression"):
            _warn(f"TF URL: problem={problem!r} is not classification or regression; using classification")
            problem = "classification"
        key, valid = (("regDataset", REGRESSION_SETS) if problem == "regression"
                      else ("dataset", CLASSIFICATION_SETS))
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
            "activation": self.activation, "batchSize": self.batch_size,
            "dataset": "circle" if reg else {"gaussian": "gauss"}.get(self.dataset, self.dataset),
            "regDataset": self.dataset if reg else "reg-plane",
            "learningRate": _format(self.learning_rate), "regularizationRate": _format(self.regularization_rate),
            "noise": _format(self.noise), "networkShape": ",".join(map(str, self.hidden)),
            "seed": f"0.{self.seed:05d}", "showTestData": self.show_test_data,
            "discretize": self.discretize, "percTrainData": self.train_percent,
            **{k: f in self.features for k, f in _TF_FEATURES.items()},
            "problem": self.problem, "initZero": self.init_zero,
            "regularization": self.regularization,
        }
        text = "&".join(f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in params.items())
        return "https://playground.tensorflow.org/#" + text


_TF_FEATURES = {"x": "x1", "y": "x2", "xSquared": "x1^2", "ySquared": "x2^2", "xTimesY": "x1*x2",
                "sinX": "sin(x1)", "sinY": "sin(x2)", "cosX": "cos(x1)", "cosY": "cos(x2)"}
_TF_NAMES = {"activation": "activation", "regularization": "regularization", "batchSize": "batch_size",
             "learningRate": "learning_rate", "regularizationRate": "regularization_rate",
             "noise": "noise", "networkShape": "hidden", "seed": "seed", "percTrainData": "train_percent",
             "showTestData": "show_test_data", "discretize": "discretize", "initZero": "init_zero"}
_TF_IGNORED = {"problem", "dataset", "regDataset", "collectStats", "hideText", "tutorial"}


def _warn(message: str) -> None:
    """Warn, pointing at the first caller outside this module (the user's line)."""
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


def load_settings(text: str) -> Settings:
    """Read either a TF Playground URL (anything with ``#`` or ``://``) or a settings string."""
    text = str(text).strip()
    if "#" in text or "://" in text or "networkShape=" in text:
        return Settings.from_tf_url(text)
    return Settings.from_string(text)


# --- the training state machine ------------------------------------------------------
def tf_uniform(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """TF Playground's initial weights: uniform in [-0.5, 0.5], shape ``(n_in, n_out)``."""
    return np.random.default_rng(rng).uniform(-0.5, 0.5, (n_in, n_out)).astype(dtype)


class PlaygroundCore:
    """Data, network, optimiser and loss history of one playground, with no widgets.

    Every public method takes a lock, so a training loop, a button handler or a
    second thread can never see (or leave) a half-updated network. The same
    seed always gives the same data, the same initial weights and the same
    shuffling, so :meth:`reset` replays a run exactly.

    Parameters
    ----------
    settings : Settings, optional
    resolution : int
        Grid points per axis for the decision map and the neuron maps.
    """

    EXTENT = (-6.0, 6.0)

    def __init__(self, settings: Settings | None = None, resolution: int = 50) -> None:
        self._lock = threading.RLock()
        axis = np.linspace(*self.EXTENT, resolution)
        gx, gy = np.meshgrid(axis, axis)                       # row i is x2 = axis[i]
        self.grid = np.column_stack([gx.ravel(), gy.ravel()])  # (resolution^2, 2)
        self.resolution = resolution
        self.settings = settings if settings is not None else Settings()
        self.message = ""
        self._make_data()
        self.reset()

    # --- building ----------------------------------------------------------------------
    def _seeds(self) -> list[np.random.SeedSequence]:
        return np.random.SeedSequence(self.settings.seed).spawn(3)   # data, weights, shuffling

    def _make_data(self) -> None:
        s = self.settings
        data_rng = np.random.default_rng(self._seeds()[0])
        X, y = playground(s.dataset, n=s.n_samples, noise=s.noise / 100, rng=data_rng)
        if s.problem == "classification":
            y = 2.0 * y - 1.0                                     # labels 0/1 -> targets -1/+1
        self.X_train, self.y_train, self.X_test, self.y_test = train_test_split(
            X, y, test_fraction=1 - s.train_percent / 100, rng=data_rng)
        self._features_for_data()

    def _features_for_data(self) -> None:
        f = self.settings.features
        self.F_train = feature_matrix(self.X_train, f)          # (n_train, n_features)
        self.F_test = feature_matrix(self.X_test, f)
        self.F_grid = feature_matrix(self.grid, f)

    def _make_network(self) -> Network:
        s = self.settings
        out = "tanh" if s.problem == "classification" else "identity"
        net = Network([len(s.features), *s.hidden, 1], activation=s.activation, output_activation=out,
                      loss="quadratic", init=tf_uniform, rng=np.random.default_rng(self._seeds()[1]))
        for layer in net.layers:
            layer.b[:] = 0.1
            if s.init_zero:
                layer.W[:] = 0.0
        return net

    def _make_optimizer(self) -> SGD:
        s = self.settings
        rate = s.regularization_rate
        return SGD(lr=s.learning_rate, l1=rate if s.regularization == "L1" else 0.0,
                   l2=rate if s.regularization == "L2" else 0.0)

    # --- the state machine ----------------------------------------------------------------
    def reset(self) -> None:
        """A fresh network with this seed's initial weights; epoch 0, empty history."""
        with self._lock:
            self.net = self._make_network()
            self.optimizer = self._make_optimizer()
            self._shuffle_rng = np.random.default_rng(self._seeds()[2])
            self.epoch = 0
            self.history: dict[str, list] = {"epoch": [], "train_loss": [], "test_loss": []}
            self.message = ""
            self._record()

    def apply(self, settings: Settings) -> str:
        """Switch to new settings, rebuilding only what they change.

        Returns ``"data"`` (new data and a fresh network), ``"network"`` (a
        fresh network), ``"optimizer"`` (same network, new learning rate, batch
        size or regularisation: training continues) or ``"view"``.
        """
        if not isinstance(settings, Settings):
            raise TypeError(f"PlaygroundCore.apply expected Settings, got {type(settings).__name__}")
        with self._lock:
            old, self.settings = self.settings, settings
            changed = {f.name for f in dataclasses.fields(Settings)
                       if getattr(old, f.name) != getattr(settings, f.name)}
            if changed & {"dataset", "noise", "train_percent", "seed", "n_samples"}:
                self._make_data()
                self.reset()
                return "data"
            if changed & {"features", "hidden", "activation", "init_zero"}:
                self._features_for_data()
                self.reset()
                return "network"
            if changed & {"learning_rate", "regularization", "regularization_rate", "batch_size"}:
                new = self._make_optimizer()
                self.optimizer.lr, self.optimizer.l1, self.optimizer.l2 = new.lr, new.l1, new.l2
                return "optimizer"
            return "view"

    def regenerate(self) -> str:
        """New data: the next seed (so a regenerated set can be shared by its seed)."""
        with self._lock:
            return self.apply(self.settings.replace(seed=(self.settings.seed + 1) % 2**32))

    def step(self, epochs: int = 1) -> int:
        """Train ``epochs`` epochs; returns how many ran (fewer if training diverged).

        One epoch shuffles the training set and, for each mini-batch, runs
        ``net.forward``, ``net.backward`` and ``optimizer.step``. If the loss
        stops being finite, the weights of the last good epoch come back and
        :attr:`message` says what happened.
        """
        with self._lock, np.errstate(over="ignore", invalid="ignore"):
            self.message = ""
            net, opt, layers = self.net, self.optimizer, self.net.layers
            n, bs = len(self.F_train), self.settings.batch_size
            for done in range(int(epochs)):
                before = net.get_params()
                order = self._shuffle_rng.permutation(n)
                F, Y = self.F_train[order], self.y_train[order]   # one copy per epoch
                for start in range(0, n, bs):
                    net.forward(F[start:start + bs])
                    net.backward(Y[start:start + bs])
                    opt.step(layers)
                self.epoch += 1
                if not self._record():
                    net.set_params(before)
                    self.epoch -= 1
                    self.message = (f"training diverged in epoch {self.epoch + 1} with learning rate "
                                    f"{opt.lr:g}: the loss became NaN or infinite. The weights of epoch "
                                    f"{self.epoch} are kept; try a smaller learning rate.")
                    return done
            return int(epochs)

    def _record(self) -> bool:
        """Append this epoch's losses to the history; False (nothing appended) if not finite."""
        net = self.net
        train = net.loss(net.forward(self.F_train), self.y_train)
        test = net.loss(net.forward(self.F_test), self.y_test)
        if not (math.isfinite(train) and math.isfinite(test)):
            return False
        self.history["epoch"].append(self.epoch)
        self.history["train_loss"].append(train)
        self.history["test_loss"].append(test)
        return True

    # --- what the views show ---------------------------------------------------------------
    @property
    def train_loss(self) -> float:
        return self.history["train_loss"][-1]

    @property
    def test_loss(self) -> float:
        return self.history["test_loss"][-1]

    def grid_outputs(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """The output over the grid, and every hidden layer's activations over it.

        Returns
        -------
        output : array of shape (resolution, resolution)
            Row ``i`` is ``x2 = grid value i`` (draw with ``origin="lower"``).
        hidden : list of arrays of shape (resolution, resolution, n_neurons)
        """
        r = self.resolution
        with self._lock:
            out = self.net.forward(self.F_grid)
            hidden = [layer.A.reshape(r, r, -1) for layer in self.net.layers[:-1]]
        return out.reshape(r, r), hidden

    def feature_maps(self) -> np.ndarray:
        """Each input feature over the grid, scaled to [-1, 1]: shape (resolution, resolution, n_features)."""
        F = self.F_grid / np.maximum(np.abs(self.F_grid).max(axis=0), 1e-12)
        return F.reshape(self.resolution, self.resolution, -1)

    def predict(self, points) -> np.ndarray:
        """The network's output for raw points of shape ``(n, 2)``, through the input features."""
        return self.net.predict(feature_matrix(points, self.settings.features))

    def record(self, epochs: int, every: int = 1) -> list:
        """Train ``epochs`` epochs, keeping an :class:`~nnlib.animation.Frame` every ``every`` epochs."""
        from .animation import Frame

        with self._lock:
            frames = [Frame(self.epoch, self.net.get_params(), self.train_loss, self.test_loss)]
            for start in range(0, epochs, every):
                n = min(every, epochs - start)
                if self.step(n) < n:
                    break
                frames.append(Frame(self.epoch, self.net.get_params(), self.train_loss, self.test_loss))
            return frames

    def animation(self, epochs: int = 200, every: int = 5, **kwargs):
        """Train and return an HTML animation of the decision map and the losses (for the website)."""
        from .animation import animate_frames

        frames = self.record(epochs, every)
        s = self.settings
        return animate_frames(self.net, frames, self.X_train, self.y_train, predict=self.predict,
                              X_test=self.X_test if s.show_test_data else None,
                              y_test=self.y_test if s.show_test_data else None, **kwargs)
