"""One artificial neuron: weights, a bias and an activation.

.. math:: z = w \\cdot x + b, \\qquad a = \\sigma(z)

This is chapter 1's unit, kept deliberately plain. A :class:`~nnlib.layers.Dense`
layer is many of these side by side, computed with one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import checks
from .activations import Activation, get_activation


@dataclass
class Neuron:
    """A single neuron with weights ``w`` (shape ``(n_inputs,)``), bias ``b`` and an activation.

    >>> n = Neuron(w=[1.0, 1.0], b=-1.5, activation="step")   # an AND gate
    >>> n([1, 1]), n([1, 0])
    (1.0, 0.0)
    """

    w: np.ndarray
    b: float = 0.0
    activation: str | Activation = "sigmoid"
    _act: Activation = field(init=False, repr=False)

    def __post_init__(self) -> None:
        w = checks.array(self.w, "w", "Neuron")
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"Neuron weights w must be a 1-D vector of at least one number, got shape {w.shape}")
        if checks.first_non_finite(w.astype(float)) is not None:
            raise ValueError(f"Neuron weights w must be finite numbers, got {w.tolist()}")
        self.w = w.astype(float)
        self.b = checks.number(self.b, "bias b", "Neuron")
        try:
            self._act = get_activation(self.activation)
        except (TypeError, ValueError) as e:
            raise type(e)(f"Neuron: {e}") from None

    def weighted_input(self, x: np.ndarray) -> np.ndarray:
        """z = w . x + b, for one input ``(n_inputs,)`` or a batch ``(n_samples, n_inputs)``."""
        x = checks.array(x, "x", "Neuron").astype(float)
        if x.ndim not in (1, 2) or x.shape[-1] != self.w.shape[0]:
            raise ValueError(
                f"Neuron with {self.w.shape[0]} weights expected input with {self.w.shape[0]} features, "
                f"got array of shape {x.shape}"
            )
        if checks.first_non_finite(x) is not None:
            raise ValueError(f"Neuron: the input x contains NaN or inf: {x.tolist()}")
        with np.errstate(over="ignore", invalid="ignore"):
            z = x @ self.w + self.b
        if checks.first_non_finite(np.asarray(z)) is not None:
            raise ValueError(
                f"Neuron: z = w . x + b overflowed (largest |x| = {np.abs(x).max():.3g}, "
                f"largest |w| = {np.abs(self.w).max():.3g}); scale the inputs to values of order 1"
            )
        return z

    def __call__(self, x: np.ndarray):
        """a = sigma(z); a float for one input, an array of shape (n_samples,) for a batch."""
        a = self._act(self.weighted_input(x))
        return float(a) if np.ndim(a) == 0 else a
