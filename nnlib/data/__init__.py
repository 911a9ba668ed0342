"""Data: TensorFlow Playground's 2-D data sets, handwritten digits, and preparing arrays.

A layer on top of nnlib's core (it imports the core, never the other way round):

- :mod:`nnlib.data.synthetic`: :func:`~nnlib.data.synthetic.playground`, the six TF Playground data sets;
- :mod:`nnlib.data.digits`: :func:`~nnlib.data.digits.load_digits` (the MNIST subset shipped in this
  folder as ``digits.npz``; sources and licence in ``README.md``) and :func:`~nnlib.data.digits.load_mnist`;
- :mod:`nnlib.data.prepare`: :func:`~nnlib.data.prepare.train_test_split` and :func:`~nnlib.data.prepare.one_hot`.

Every loader returns ``X`` of shape ``(n_samples, n_features)``: rows are examples.
"""

from .digits import Digits, MNISTUnavailable, load_digits, load_mnist
from .prepare import one_hot, train_test_split
from .synthetic import ALIASES, CLASSIFICATION_SETS, MAX_NOISE, REGRESSION_SETS, playground

__all__ = [
    "ALIASES",
    "CLASSIFICATION_SETS",
    "MAX_NOISE",
    "REGRESSION_SETS",
    "Digits",
    "MNISTUnavailable",
    "load_digits",
    "load_mnist",
    "one_hot",
    "playground",
    "train_test_split",
]
