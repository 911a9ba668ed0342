"""Handwritten digits: the MNIST subset shipped with nnlib, and the full MNIST.

* :func:`load_digits` reads the small subset shipped inside the package (15,000 / 2,000 /
  5,000 images, class-balanced; see ``nnlib/data/README.md`` for its source and licence:
  MNIST by LeCun, Cortes and Burges, CC BY-SA 3.0).
* :func:`load_mnist` reads the full MNIST (50,000 / 10,000 / 10,000) downloaded once into a
  cache, or from a file you already have.

Import both from :mod:`nnlib.data`.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .. import checks
from .prepare import is_positive_int, one_hot

#: Where :func:`load_mnist` downloads Nielsen's ``mnist.pkl.gz`` from.
MNIST_URL = "https://github.com/mnielsen/neural-networks-and-deep-learning/raw/master/data/mnist.pkl.gz"

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
        return (
            f"Digits(train={len(self.y_train)}, val={len(self.y_val)}, test={len(self.y_test)}; "
            f"X of {self.X_train.shape[1]} pixels, {self.X_train.dtype})"
        )


_SPLITS = {"train": "train", "training": "train", "validation": "val", "val": "val", "test": "test"}


def _check_dtype(who: str, dtype) -> np.dtype:
    return checks.float_dtype(dtype, "dtype", who)


def load_digits(
    split: str | None = None, *, n_train: int | None = None, dtype=np.float64
) -> Digits | tuple[np.ndarray, np.ndarray]:
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
    if split is not None and not isinstance(split, str):
        raise TypeError(f"load_digits: split must be None, 'train', 'validation' or 'test', got {checks.shown(split)}")
    key = _SPLITS.get(split.strip().lower()) if split is not None else None
    if split is not None and key is None:
        raise ValueError(f"load_digits: unknown split {split!r}; valid splits are None, 'train', 'validation', 'test'")
    if n_train is not None:
        if key not in (None, "train"):
            raise ValueError(f"load_digits: n_train applies to the training images, not to split={split!r}")
        if not is_positive_int(n_train):
            raise ValueError(f"load_digits: n_train must be a positive integer, got {n_train!r}")
    parts = {}
    with resources.as_file(resources.files(__package__) / "digits.npz") as path:
        with np.load(path, allow_pickle=False) as data:
            for part in [key] if key else ["train", "val", "test"]:
                X, y = data[f"X_{part}"], data[f"y_{part}"]  # (n, 784) uint8, (n,) uint8
                if part == "train" and n_train is not None:
                    if n_train > len(y):
                        raise ValueError(f"load_digits: n_train={n_train} but only {len(y)} training images exist")
                    X, y = X[:n_train], y[:n_train]
                parts[part] = (X.astype(dtype) / 256, y.astype(np.int64))  # pixels were stored * 256
    if key:
        return parts[key]
    return Digits(*parts["train"], *parts["val"], *parts["test"])


class MNISTUnavailable(OSError):
    """The full MNIST could not be downloaded (no internet connection, or the URL failed)."""


try:  # where numpy >= 2 (and 1.26) keeps it
    from numpy._core.multiarray import _reconstruct
except ImportError:  # pragma: no cover - older numpy
    from numpy.core.multiarray import _reconstruct  # type: ignore[no-redef]


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """Unpickle numpy arrays and nothing else.

    A pickle can name any function for the loader to call; this one refuses every name
    but the few that rebuild an array, so a tampered file raises instead of running code.
    """

    _ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("_codecs", "encode"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module: str, name: str):
        if (module, name) not in self._ALLOWED:
            raise pickle.UnpicklingError(
                f"load_mnist refuses to unpickle {module}.{name}: an MNIST file holds numpy arrays only"
            )
        return _reconstruct if name == "_reconstruct" else super().find_class(module, name)


def _parse_hash(known_hash) -> tuple[str, str]:
    """``(algorithm, hex digest)`` of "sha256:...", "md5:..." or a bare sha256; a clear error otherwise."""
    if not isinstance(known_hash, str):
        raise TypeError(f"load_mnist: known_hash must be a str such as 'sha256:<hex>', got {checks.shown(known_hash)}")
    algorithm, _, expected = known_hash.strip().rpartition(":")
    algorithm = algorithm.lower() or "sha256"
    if algorithm not in hashlib.algorithms_available or not re.fullmatch(r"[0-9a-fA-F]+", expected):
        raise ValueError(
            f"load_mnist: known_hash must be '<algorithm>:<hex digest>' such as 'sha256:3f1a...', with an "
            f"algorithm of hashlib ({', '.join(sorted(hashlib.algorithms_guaranteed))}), got {known_hash!r}"
        )
    return algorithm, expected


def _check_hash(path: str, known_hash: str) -> None:
    """Raise ValueError unless the file's hash is ``known_hash`` ("sha256:...", "md5:..." or bare sha256)."""
    algorithm, expected = _parse_hash(known_hash)
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != expected.lower():
        raise ValueError(
            f"load_mnist: {path} has {h.name} {h.hexdigest()}, expected {expected} "
            f"(known_hash): the file is corrupted or a different file"
        )


def load_mnist(
    path: str | os.PathLike | None = None,
    *,
    url: str = MNIST_URL,
    known_hash: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    dtype=np.float64,
) -> Digits:
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
    for name, value in (("path", path), ("cache_dir", cache_dir)):
        if value is not None and not isinstance(value, (str, os.PathLike)):
            raise TypeError(
                f"load_mnist: {name} must be a file or folder name (str or Path), got {checks.shown(value)}"
            )
    if not isinstance(url, str) or not url.strip():
        raise TypeError(f"load_mnist: url must be a URL (str), got {checks.shown(url)}")
    if known_hash is not None:
        _parse_hash(known_hash)
    if path is None:
        import pooch

        try:
            path = pooch.retrieve(
                url,
                known_hash=known_hash,
                fname="mnist.pkl.gz",
                path=cache_dir if cache_dir is not None else pooch.os_cache("nnlib"),
            )
        except OSError as e:  # requests' connection errors are OSErrors
            raise MNISTUnavailable(
                f"load_mnist could not download MNIST from {url} ({type(e).__name__}). Connect to the "
                f"internet and try again, or pass path= to a copy of mnist.pkl.gz you already have, "
                f"or use nnlib.data.load_digits(), the 22,000-image subset shipped with nnlib."
            ) from e
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
        raise ValueError(f"load_mnist: {path} should hold (training, validation, test), got {type(parts).__name__}")
    arrays = []
    for part, pair in zip(("training", "validation", "test"), parts):
        try:
            X, y = (np.asarray(a) for a in pair)
        except (TypeError, ValueError):  # not a pair
            X = y = np.empty(0)
        if X.ndim != 2 or X.shape[1] != 784 or X.dtype.kind not in "fiu" or y.shape != (X.shape[0],):
            raise ValueError(
                f"load_mnist: the {part} part of {path} should be a pair "
                f"(X: numbers of shape (n, 784), y of shape (n,))"
            )
        if y.dtype.kind not in "iu" or (y.size and not 0 <= y.min() <= y.max() <= 9):
            raise ValueError(f"load_mnist: the {part} labels of {path} should be integers 0-9")
        arrays += [X.astype(dtype), y.astype(np.int64)]
    return Digits(*arrays)
