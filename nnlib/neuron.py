"""One artificial neuron: weights, a bias and an activation.

.. math:: z = w \\cdot x + b, \\qquad a = \\sigma(z)

This is chapter 1's unit, kept deliberately plain. A :class:`~nnlib.layers.Dense`
layer is many of these side by side, computed with one matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

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
        self.w = np.asarray(self.w, dtype=float)
        if self.w.ndim != 1:
            raise ValueError(f"Neuron weights must be a 1-D vector, got shape {self.w.shape}")
        self.b = float(self.b)
        self._act = get_activation(self.activation)

    def weighted_input(self, x: np.ndarray) -> np.ndarray:
        """z = w . x + b, for one input ``(n_inputs,)`` or a batch ``(n_samples, n_inputs)``."""
        x = np.asarray(x, dtype=float)
        if x.shape[-1] != self.w.shape[0]:
            raise ValueError(
                f"Neuron with {self.w.shape[0]} weights expected input with {self.w.shape[0]} features, "
                f"got array of shape {x.shape}"
            )
        return x @ self.w + self.b

    def __call__(self, x: np.ndarray):
        """a = sigma(z); a float for one input, an array of shape (n_samples,) for a batch."""
        a = self._act(self.weighted_input(x))
        return float(a) if np.ndim(a) == 0 else a
