"""Weight initialisers.

Each returns a weight matrix of shape ``(n_in, n_out)`` (rows are inputs,
columns are neurons, so that ``Z = X @ W + b``). Every one takes an explicit
random generator: pass ``rng=np.random.default_rng(seed)``, or a seed.
Biases start from the same distribution as the classic textbook network
(standard Gaussian) with ``gaussian`` and at zero otherwise.

===================  ===========================  ===================================
name                 std of each weight           when
===================  ===========================  ===================================
``gaussian``         1                            Nielsen's chapter 1 network
``scaled_gaussian``  1 / sqrt(n_in)               keeps z = w . x of order 1
``xavier``           sqrt(2 / (n_in + n_out))     sigmoid / tanh (Glorot & Bengio 2010)
``he``               sqrt(2 / n_in)               ReLU (He et al. 2015)
===================  ===========================  ===================================
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .lookup import lookup


def as_rng(rng: np.random.Generator | int | None, who: str = "") -> np.random.Generator:
    """Turn a seed (or None) into a Generator; pass a Generator through unchanged.

    A seed is an integer >= 0. ``who`` names the caller in the error message.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    prefix = f"{who}: " if who else ""
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)):
        raise TypeError(
            f"{prefix}rng must be a numpy Generator, an int seed >= 0 or None, got {rng!r} ({type(rng).__name__})"
        )
    if rng < 0:
        raise ValueError(f"{prefix}rng must be a numpy Generator, an int seed >= 0 or None, got {rng!r}")
    return np.random.default_rng(int(rng))


def gaussian(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """Standard Gaussian N(0, 1): the classic textbook choice."""
    return as_rng(rng).standard_normal((n_in, n_out)).astype(dtype, copy=False)


def scaled_gaussian(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """N(0, 1/n_in): Nielsen's chapter 3 'improved' initialisation."""
    return (as_rng(rng).standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(dtype, copy=False)


def xavier(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """Xavier/Glorot normal: N(0, 2/(n_in + n_out))."""
    std = np.sqrt(2.0 / (n_in + n_out))
    return (as_rng(rng).standard_normal((n_in, n_out)) * std).astype(dtype, copy=False)


def he(n_in: int, n_out: int, rng=None, dtype=np.float64) -> np.ndarray:
    """He normal: N(0, 2/n_in), for ReLU layers."""
    return (as_rng(rng).standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype, copy=False)


INITIALIZERS: dict[str, Callable[..., np.ndarray]] = {
    "gaussian": gaussian,
    "scaled_gaussian": scaled_gaussian,
    "xavier": xavier,
    "glorot": xavier,
    "he": he,
}


def get_initializer(name: str | Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """Look up an initialiser by name; an unknown name lists the valid ones."""
    if callable(name):
        return name
    return lookup("initializer", name, INITIALIZERS, example="gaussian")
