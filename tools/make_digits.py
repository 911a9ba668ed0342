"""Build ``nnlib/data/digits.npz``, the small MNIST subset shipped with nnlib.

Usage (from the repository root)::

    python tools/make_digits.py path/to/mnist.pkl.gz            # writes nnlib/data/digits.npz
    python tools/make_digits.py path/to/mnist.pkl.gz --evaluate # ... and trains two networks on it

The source is MNIST in the layout of Nielsen's *Neural Networks and Deep
Learning* (a gzipped pickle of ``(training, validation, test)`` pairs, pixels
``uint8 / 256`` as float32). The subset is class-balanced and drawn with a
fixed seed, so rebuilding from the same source gives the same arrays:

==============  ==================================================  ===============
split           drawn from                                          images
==============  ==================================================  ===============
``train``       Nielsen's training part (official 0-49,999)         1,500 per digit
``validation``  Nielsen's validation part (official 50,000-59,999)  200 per digit
``test``        the official MNIST test set                         500 per digit
==============  ==================================================  ===============

Pixels are stored as ``uint8`` (``value * 256``, exact), labels as ``uint8``,
and ``idx_<split>`` records where each image came from in its source part.

This script is the only part of the project that reads the full MNIST file;
nnlib itself reads only the ``.npz`` it writes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import pickle
import time
from pathlib import Path

import numpy as np

SEED = 784  # fixed: the subset must not change between builds
PER_CLASS = {"train": 1500, "validation": 200, "test": 500}
SOURCE_PART = {"train": 0, "validation": 1, "test": 2}  # index into (training, validation, test)
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "nnlib" / "data" / "digits.npz"
KEYS = {"train": "train", "validation": "val", "test": "test"}  # suffixes in the .npz


def load_source(path: Path) -> tuple:
    """Read Nielsen's ``mnist.pkl.gz`` (a trusted file: unpickling runs code)."""
    with gzip.open(path, "rb") as f:
        return pickle.load(f, encoding="latin1")


def to_uint8(X: np.ndarray) -> np.ndarray:
    """Pixels ``k / 256`` (float) -> ``k`` (uint8), refusing anything that would not round-trip."""
    k = np.rint(np.asarray(X, dtype=np.float64) * 256.0)
    if k.min() < 0 or k.max() > 255 or not np.array_equal(k / 256.0, X):
        raise ValueError("expected pixels of the form k / 256 with k in 0..255 (Nielsen's layout)")
    return k.astype(np.uint8)


def balanced_subset(y: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_class`` random examples of each digit, in random order."""
    picks = []
    for digit in range(10):
        candidates = np.flatnonzero(y == digit)
        if len(candidates) < per_class:
            raise ValueError(f"only {len(candidates)} images of digit {digit}, need {per_class}")
        picks.append(rng.choice(candidates, size=per_class, replace=False))
    return rng.permutation(np.concatenate(picks))


def build(source: tuple) -> dict[str, np.ndarray]:
    """The arrays of ``digits.npz``: ``X_<split>``, ``y_<split>`` and ``idx_<split>``."""
    rng = np.random.default_rng(SEED)
    arrays = {}
    for split, per_class in PER_CLASS.items():
        X, y = source[SOURCE_PART[split]]
        idx = balanced_subset(np.asarray(y), per_class, rng)
        key = KEYS[split]
        arrays[f"X_{key}"] = to_uint8(X[idx])  # (n, 784) uint8
        arrays[f"y_{key}"] = np.asarray(y)[idx].astype(np.uint8)  # (n,) uint8
        arrays[f"idx_{key}"] = idx.astype(np.uint16)  # (n,) position in the source part
    return arrays


def content_digest(arrays: dict[str, np.ndarray]) -> str:
    """sha256 of the arrays themselves (the .npz bytes also hold zip timestamps)."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        h.update(name.encode())
        h.update(np.ascontiguousarray(arrays[name]).tobytes())
    return h.hexdigest()


def evaluate(arrays: dict[str, np.ndarray]) -> None:
    """Train the book's two reference networks on the subset and print accuracy and time."""
    import nnlib
    from nnlib.data import one_hot

    X = {k: arrays[f"X_{k}"] / 256.0 for k in ("train", "test")}
    y = {k: arrays[f"y_{k}"].astype(np.int64) for k in ("train", "test")}
    runs = [
        (
            "[784, 30, 10] sigmoid, quadratic, eta 3.0, batch 10",
            dict(sizes=[784, 30, 10], activation="sigmoid", loss="quadratic"),
            dict(lr=3.0),
            10,
            10,
        ),
        (
            "[784, 100, 10] relu + softmax, cross-entropy, eta 0.05, momentum 0.9, batch 32",
            dict(sizes=[784, 100, 10], activation="relu", loss="categorical_cross_entropy", init="he"),
            dict(lr=0.05, momentum=0.9),
            32,
            10,
        ),
    ]
    for title, net_kw, opt_kw, batch_size, epochs in runs:
        print(title)
        net = nnlib.Network(**net_kw, rng=0)
        opt = nnlib.SGD(**opt_kw)
        start = time.perf_counter()
        for epoch in range(1, epochs + 1):
            nnlib.fit(
                net,
                X["train"],
                one_hot(y["train"], 10),
                epochs=1,
                batch_size=batch_size,
                optimizer=opt,
                progress=False,
                rng=epoch,
            )
            acc = np.mean(net.classify(X["test"]) == y["test"])
            print(f"  epoch {epoch:2d}: test accuracy {acc:.4f}  ({time.perf_counter() - start:5.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="Nielsen-layout mnist.pkl.gz")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output (default {DEFAULT_OUT})")
    parser.add_argument("--evaluate", action="store_true", help="train two reference networks on the result")
    args = parser.parse_args()

    print(f"source {args.source}: sha256 {hashlib.sha256(args.source.read_bytes()).hexdigest()}")
    arrays = build(load_source(args.source))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(f"wrote {args.out}: {args.out.stat().st_size:,} bytes; content sha256 {content_digest(arrays)}")
    for split, key in KEYS.items():
        counts = np.bincount(arrays[f"y_{key}"], minlength=10)
        print(f"  {split:<10} {len(arrays[f'y_{key}']):6,} images; per digit {counts.tolist()}")
    if args.evaluate:
        with np.load(io.BytesIO(args.out.read_bytes()), allow_pickle=False) as data:
            evaluate({name: data[name] for name in data.files})


if __name__ == "__main__":
    main()
