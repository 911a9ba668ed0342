"""Data sets: TensorFlow Playground's 2-D problems and handwritten digits.

Every loader returns ``X`` of shape ``(n_samples, n_features)`` (rows are examples).

* :func:`playground` re-implements the six data sets of the TensorFlow Playground
  (https://playground.tensorflow.org): points in the square ``[-6, 6]^2`` with a 0/1
  class label (circle, xor, gaussian, spiral) or a target in ``[-1, 1]`` (reg-plane,
  reg-gauss). :func:`train_test_split` and :func:`one_hot` prepare them for training.
* :func:`load_digits` reads the small MNIST subset shipped with nnlib (15,000 / 2,000 /
  5,000 images, class-balanced; see ``nnlib/data/README.md``); :func:`load_mnist` the full
  MNIST (50,000 / 10,000 / 10,000) downloaded once into a cache, or from a file you have.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import pickle
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .initializers import as_rng

CLASSIFICATION_SETS = ("circle", "xor", "gaussian", "spiral")
REGRESSION_SETS = ("reg-plane", "reg-gauss")
ALIASES = {"gauss": "gaussian", "two-gauss": "gaussian", "plane": "reg-plane",
           "regress-plane": "reg-plane", "reg-gaussian": "reg-gauss", "regress-gaussian": "reg-gauss"}
MAX_NOISE = 0.5
MNIST_URL = "https://github.com/mnielsen/neural-networks-and-deep-learning/raw/master/data/mnist.pkl.gz"


def _is_positive_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool) and value >= 1


# --- TensorFlow Playground ---------------------------------------------------------------
# Each generator returns X of shape (n, 2) and y of shape (n,). Circle, xor and the regression
# sets add noise the Playground's way: a point keeps its position but takes the label (or
# target) of the point (x + noise * u_x, y + noise * u_y), u uniform over the data's range.

def _circle(n, noise, rng):
    radius = 5.0
    n_in = n // 2                                     # class 1 inside r < 2.5, class 0 in 3.5 < r < 5
    r = np.concatenate([rng.uniform(0.0, 0.5 * radius, n_in), rng.uniform(0.7 * radius, radius, n - n_in)])
    angle = rng.uniform(0.0, 2 * np.pi, n)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])            # (n, 2)
    moved = X + noise * rng.uniform(-radius, radius, (n, 2))
    return X, np.hypot(moved[:, 0], moved[:, 1]) < 0.5 * radius


def _xor(n, noise, rng):
    X = rng.uniform(-5.0, 5.0, (n, 2))
    X += np.where(X > 0, 0.3, -0.3)                   # a 0.3 gap along both axes
    moved = X + noise * rng.uniform(-5.0, 5.0, (n, 2))
    return X, moved[:, 0] * moved[:, 1] >= 0          # 1 in quadrants I and III


def _gaussian(n, noise, rng):
    std = np.sqrt(0.5 + 7.0 * noise)                  # variance 0.5 at noise 0, 4 at noise 0.5
    y = np.arange(n) < n // 2                          # class 1 around (2, 2), class 0 around (-2, -2)
    centre = np.where(y, 2.0, -2.0)[:, None]           # (n, 1)
    X = centre + std * rng.standard_normal((n, 2))
    out = np.abs(X) > 6.0                              # keep the square: redraw the rare outliers
    while out.any():
        X[out] = (np.broadcast_to(centre, X.shape)[out] + std * rng.standard_normal(out.sum()))
        out = np.abs(X) > 6.0
    return X, y


def _spiral(n, noise, rng):
    def arm(m, phase):                                 # m points along r = 5t, angle 3.5 pi t + phase
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


_BUMPS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1],          # centre x, centre y, sign
                   [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]], dtype=float)


def _reg_gauss(n, noise, rng):
    X = rng.uniform(-6.0, 6.0, (n, 2))
    moved = X + noise * rng.uniform(-6.0, 6.0, (n, 2))
    dist = np.linalg.norm(moved[:, None, :] - _BUMPS[None, :, :2], axis=2)     # (n, 6)
    values = _BUMPS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)                  # cones of radius 2
    return X, values[np.arange(n), np.abs(values).argmax(axis=1)]              # the strongest bump


_GENERATORS = {"circle": _circle, "xor": _xor, "gaussian": _gaussian, "spiral": _spiral,
               "reg-plane": _reg_plane, "reg-gauss": _reg_gauss}


def playground(name: str, n: int = 500, noise: float = 0.0,
               rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, np.ndarray]:
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
    key = str(name).strip().lower().replace("_", "-")
    key = ALIASES.get(key, key)
    if key not in _GENERATORS:
        raise ValueError(f"playground: unknown data set {name!r}; valid names are "
                         f"{', '.join(CLASSIFICATION_SETS + REGRESSION_SETS)} "
                         f"(aliases: {', '.join(ALIASES)})")
    if not _is_positive_int(n):
        raise ValueError(f"playground({key!r}): n must be a positive integer, got {n!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise TypeError(f"playground({key!r}): noise must be a number from 0 to {MAX_NOISE}, "
                        f"got {noise!r}")
    if not 0.0 <= noise <= MAX_NOISE:
        hint = (f" (noise is a fraction: the Playground's slider value {noise:g} is noise={noise / 100:g})"
                if 1 <= noise <= 100 * MAX_NOISE else "")
        raise ValueError(f"playground({key!r}): noise must be from 0 to {MAX_NOISE}, got {noise!r}{hint}")
    rng = as_rng(rng)
    X, y = _GENERATORS[key](int(n), float(noise), rng)
    order = rng.permutation(int(n))                    # the generators emit one class after the other
    return X[order].astype(np.float64), y[order].astype(np.float64)[:, None]


def train_test_split(X, y, test_fraction: float = 0.5, rng: np.random.Generator | int | None = None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the rows and cut off ``test_fraction`` of them as a test set.

    ``X`` has shape ``(n_samples, n_features)``, ``y`` has ``n_samples`` rows (any shape
    after that). The Playground's default keeps half of the points for testing.
    Returns ``(X_train, y_train, X_test, y_test)``; no row is in both parts.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"train_test_split expected X of shape (n_samples, n_features), "
                         f"got array of shape {X.shape}")
    if y.ndim == 0 or y.shape[0] != X.shape[0]:
        raise ValueError(f"train_test_split expected y with {X.shape[0]} rows (one per row of X), "
                         f"got array of shape {y.shape}")
    if not isinstance(test_fraction, (float, int, np.floating)) or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"train_test_split expected test_fraction strictly between 0 and 1, "
                         f"got {test_fraction!r}")
    n = X.shape[0]
    n_test = int(round(n * test_fraction))
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: {n} samples with test_fraction={test_fraction} gives "
                         f"{n_test} test and {n - n_test} training samples; both must be at least 1")
    order = as_rng(rng).permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], y[train], X[test], y[test]


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Class labels ``(n_samples,)`` -> one-hot rows of shape ``(n_samples, n_classes)``.

    Row ``i`` is all zeros except a 1.0 in column ``labels[i]``. Labels may be integers
    or integer-valued floats (e.g. ``y`` from :func:`playground`, of shape ``(n, 1)``).
    ``n_classes`` defaults to ``max(labels) + 1``.
    """
    a = np.asarray(labels)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise ValueError(f"one_hot expected labels of shape (n_samples,), got array of shape {a.shape}")
    if a.dtype.kind not in "biuf":
        raise TypeError(f"one_hot expected integer class labels, got dtype {a.dtype}")
    bad = np.flatnonzero(~np.isfinite(a) | (a != np.round(a))) if a.dtype.kind == "f" else []
    if len(bad):
        raise ValueError(f"one_hot expected integer class labels, "
                         f"got {a[bad[0]].item()!r} at index {bad[0]}")
    a = a.astype(np.int64)
    if n_classes is None:
        if a.size == 0:
            raise ValueError("one_hot got no labels, so it cannot guess n_classes: pass n_classes")
        n_classes = int(a.max()) + 1
    elif not _is_positive_int(n_classes):
        raise ValueError(f"one_hot expected a positive integer n_classes, got {n_classes!r}")
    bad = np.flatnonzero((a < 0) | (a >= n_classes))
    if len(bad):
        raise ValueError(f"one_hot: label {a[bad[0]]} at index {bad[0]} is out of range; "
                         f"with n_classes={n_classes} the labels must be 0 to {n_classes - 1}")
    Y = np.zeros((a.size, n_classes))
    Y[np.arange(a.size), a] = 1.0
    return Y


# --- handwritten digits ------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Digits:
    """Handwritten digits in three parts: train, validation (``val``) and test.

    ``X_*`` have shape ``(n, 784)``: one 28 x 28 image per row, read row by row, with
    pixel values in ``[0, 1)`` (0 is the background). ``y_*`` hold the digits as integers
    0-9, shape ``(n,)``; ``Y_*`` are the same labels one-hot, shape ``(n, 10)``: the
    targets of a network with 10 outputs.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    Y_train = property(lambda self: one_hot(self.y_train, 10), doc="one-hot y_train, (n, 10)")
    Y_val = property(lambda self: one_hot(self.y_val, 10), doc="one-hot y_val, (n, 10)")
    Y_test = property(lambda self: one_hot(self.y_test, 10), doc="one-hot y_test, (n, 10)")

    def __repr__(self) -> str:
        return (f"Digits(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)}; "
                f"X of {self.X_train.shape[1]} pixels, {self.X_train.dtype})")


_SPLITS = {"train": "train", "training": "train", "validation": "val", "val": "val", "test": "test"}


def _check_dtype(who: str, dtype) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.float32, np.float64):
        raise TypeError(f"{who}: dtype must be float32 or float64, got {dtype}")
    return dtype


def load_digits(split: str | None = None, *, n_train: int | None = None,
                dtype=np.float64) -> Digits | tuple[np.ndarray, np.ndarray]:
    """The MNIST subset shipped with nnlib: 15,000 train, 2,000 validation, 5,000 test images.

    Parameters
    ----------
    split : {None, "train", "validation", "test"}
        None returns every part as a :class:`Digits`; a name returns that part's
        ``(X, y)``: ``X`` of shape ``(n, 784)`` in ``[0, 1)``, integer labels ``y`` of shape ``(n,)``.
    n_train : int, optional
        Keep only the first ``n_train`` training images (they are in random order and
        each digit is about equally frequent).
    dtype : float64 or float32
        Of ``X``. The pixels are multiples of 1/256, exact in both.

    Examples
    --------
    >>> digits = load_digits()
    >>> digits.X_train.shape, digits.Y_train.shape
    ((15000, 784), (15000, 10))
    >>> X, y = load_digits("test")
    >>> X.shape, y[:5]
    ((5000, 784), array([4, 7, 8, 0, 6]))
    """
    dtype = _check_dtype("load_digits", dtype)
    key = _SPLITS.get(str(split).strip().lower()) if split is not None else None
    if split is not None and key is None:
        raise ValueError(f"load_digits: unknown split {split!r}; "
                         f"valid splits are None, 'train', 'validation', 'test'")
    if n_train is not None:
        if key not in (None, "train"):
            raise ValueError(f"load_digits: n_train applies to the training images, not to split={split!r}")
        if not _is_positive_int(n_train):
            raise ValueError(f"load_digits: n_train must be a positive integer, got {n_train!r}")
    parts = {}
    with resources.as_file(resources.files(__package__) / "data" / "digits.npz") as path:
        with np.load(path, allow_pickle=False) as data:
            for part in ([key] if key else ["train", "val", "test"]):
                X, y = data[f"X_{part}"], data[f"y_{part}"]          # (n, 784) uint8, (n,) uint8
                if part == "train" and n_train is not None:
                    if n_train > len(y):
                        raise ValueError(f"load_digits: n_train={n_train} but only {len(y)} "
                                         f"training images exist")
                    X, y = X[:n_train], y[:n_train]
                parts[part] = (X.astype(dtype) / 256, y.astype(np.int64))   # pixels were stored * 256
    if key:
        return parts[key]
    return Digits(*parts["train"], *parts["val"], *parts["test"])


class MNISTUnavailable(OSError):
    """The full MNIST could not be downloaded (no internet connection, or the URL failed)."""


try:                                                   # where numpy >= 2 (and 1.26) keeps it
    from numpy._core.multiarray import _reconstruct
except ImportError:                                    # pragma: no cover - older numpy
    from numpy.core.multiarray import _reconstruct


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """Unpickle numpy arrays and nothing else.

    A pickle can name any function for the loader to call; this one refuses every name
    but the few that rebuild an array, so a tampered file raises instead of running code.
    """

    _ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
                ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct")}

    def find_class(self, module: str, name: str):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(f"load_mnist refuses to unpickle {module}.{name}: "
                                         f"an MNIST file holds numpy arrays only")
        return _reconstruct if name == "_reconstruct" else super().find_class(module, name)


def _check_hash(path: str, known_hash: str) -> None:
    """Raise ValueError unless the file's hash is ``known_hash`` ("sha256:...", "md5:..." or bare sha256)."""
    algorithm, _, expected = known_hash.rpartition(":")
    h = hashlib.new(algorithm or "sha256")
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != expected.lower():
        raise ValueError(f"load_mnist: {path} has {h.name} {h.hexdigest()}, expected {expected} "
                         f"(known_hash): the file is corrupted or a different file")


def load_mnist(path: str | os.PathLike | None = None, *, url: str = MNIST_URL,
               known_hash: str | None = None, cache_dir: str | os.PathLike | None = None,
               dtype=np.float64) -> Digits:
    """The full MNIST: 50,000 train, 10,000 validation and 10,000 test images (Nielsen's layout).

    Without ``path``, the gzipped pickle is downloaded from ``url`` once, with pooch, into
    ``cache_dir`` (default: the OS cache folder ``nnlib``) and read from there afterwards.
    With ``path``, that local file is read instead (nothing is downloaded).

    Parameters
    ----------
    path : path, optional
        A copy of ``mnist.pkl.gz`` you already have (a gzipped pickle of
        ``(training, validation, test)`` pairs ``(X, y)``).
    url : str
        Where to download from; default Nielsen's copy, :data:`MNIST_URL`.
    known_hash : str, optional
        ``"sha256:<hex>"`` (or ``"md5:<hex>"``) of the file, checked after download or
        on ``path``. nnlib does not pin one: its authors could not verify the hash of
        Nielsen's copy. Without it the file is not checked; pooch logs the SHA256 of what
        it downloaded, which you can pass here next time.
    cache_dir : path, optional
    dtype : float64 or float32
        Of ``X`` (float32 halves the ~440 MB that float64 takes).

    Raises
    ------
    MNISTUnavailable
        The download failed (offline?). Connect to the internet, pass ``path=``, or use
        :func:`load_digits`, which needs no network.

    Notes
    -----
    A pickle can run code when it is loaded. nnlib's unpickler accepts numpy arrays only
    and refuses anything else, but still: only read files you trust, and pass
    ``known_hash`` when you know it.
    """
    dtype = _check_dtype("load_mnist", dtype)
    if path is None:
        import pooch
        try:
            path = pooch.retrieve(url, known_hash=known_hash, fname="mnist.pkl.gz",
                                  path=cache_dir if cache_dir is not None else pooch.os_cache("nnlib"))
        except OSError as e:                           # requests' connection errors are OSErrors
            raise MNISTUnavailable(
                f"load_mnist could not download MNIST from {url} ({type(e).__name__}). Connect to the "
                f"internet and try again, or pass path= to a copy of mnist.pkl.gz you already have, "
                f"or use nnlib.datasets.load_digits(), the 22,000-image subset shipped with nnlib.") from e
    else:
        path = os.fspath(path)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"load_mnist: no file at {path!r}")
        if known_hash is not None:
            _check_hash(path, known_hash)
    try:
        with gzip.open(path, "rb") as f:
            parts = _ArraysOnlyUnpickler(f, encoding="latin1").load()
    except (OSError, EOFError) as e:
        raise ValueError(f"load_mnist: {path} is not a gzipped pickle ({e})") from e
    if not (isinstance(parts, (tuple, list)) and len(parts) == 3):
        raise ValueError(f"load_mnist: {path} should hold (training, validation, test), "
                         f"got {type(parts).__name__}")
    arrays = []
    for part, pair in zip(("training", "validation", "test"), parts):
        try:
            X, y = (np.asarray(a) for a in pair)
        except (TypeError, ValueError):                # not a pair
            X = y = None
        if (X is None or X.ndim != 2 or X.shape[1] != 784 or X.dtype.kind not in "fiu"
                or y.shape != (X.shape[0],)):
            raise ValueError(f"load_mnist: the {part} part of {path} should be a pair "
                             f"(X: numbers of shape (n, 784), y of shape (n,))")
        if y.dtype.kind not in "iu" or (y.size and not 0 <= y.min() <= y.max() <= 9):
            raise ValueError(f"load_mnist: the {part} labels of {path} should be integers 0-9")
        arrays += [X.astype(dtype), y.astype(np.int64)]
    return Digits(*arrays)
