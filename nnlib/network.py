"""A feed-forward network: a stack of :class:`~nnlib.layers.Dense` layers and a loss.

``Network([2, 4, 2, 1])`` has 2 inputs, hidden layers of 4 and 2 neurons and
one output. ``forward`` runs a batch through every layer; ``backward``
computes every gradient with the four equations of backpropagation::

    BP1   delta^L = dC_x/da^L (.) sigma'(z^L)                 output error
    BP2   delta^l = (delta^{l+1} W^{l+1 T}) (.) sigma'(z^l)   error one layer down
    BP3   dC/db^l = mean_x delta^l
    BP4   dC/dW^l = a^{l-1 T} delta^l / n

(``(.)`` is the elementwise product; rows are examples.)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .activations import Activation, get_activation
from .callbacks import History
from .initializers import as_rng
from .layers import Dense
from .losses import Loss, get_loss
from .metrics import accuracy, classes
from .training import fit

_DEFAULT_OUTPUT = {"categorical_cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}


class Network:
    """A fully connected feed-forward network.

    Parameters
    ----------
    sizes : list of int
        Neurons per layer, inputs first, e.g. ``[784, 30, 10]``.
    activation : str
        Activation of the hidden layers (see :mod:`nnlib.activations`).
    output_activation : str, optional
        Activation of the output layer. Defaults to ``softmax`` for categorical
        cross-entropy, ``sigmoid`` for binary cross-entropy, else ``activation``.
    loss : str
        ``quadratic``, ``binary_cross_entropy`` or ``categorical_cross_entropy``.
    init : str
        Weight initialiser (see :mod:`nnlib.initializers`).
    rng : numpy Generator or int seed
        Source of the initial weights; the same seed gives the same network.
    dtype : numpy dtype
        ``float64`` (default) or ``float32``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        output_activation: str | Activation | None = None,
        loss: str | Loss = "quadratic",
        init: str = "gaussian",
        rng: np.random.Generator | int | None = None,
        dtype=np.float64,
    ) -> None:
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"a network needs at least an input and an output size, got sizes={sizes}")
        for i, s in enumerate(sizes):
            if not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s < 1:
                raise ValueError(
                    f"sizes[{i}] must be a positive integer (neurons in layer {i}), got {s!r} in sizes={sizes}"
                )
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {self.dtype}")
        self.sizes = [int(s) for s in sizes]
        self.loss = get_loss(loss)
        hidden = get_activation(activation)
        out = get_activation(
            output_activation if output_activation is not None else _DEFAULT_OUTPUT.get(self.loss.name, hidden.name)
        )
        self.init = init
        rng = as_rng(rng)
        self.layers = [
            Dense(n_in, n_out, hidden if i < len(sizes) - 2 else out, init, rng, self.dtype)
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]))
        ]

    # --- description ---------------------------------------------------------
    def __repr__(self) -> str:
        acts = [layer.activation.name for layer in self.layers]
        return (
            f"Network({self.sizes}, hidden={acts[0] if len(acts) > 1 else None!r}, "
            f"output={acts[-1]!r}, loss={self.loss.name!r})"
        )

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum(layer.n_params for layer in self.layers)

    @property
    def weights(self) -> list[np.ndarray]:
        return [layer.W for layer in self.layers]

    @property
    def biases(self) -> list[np.ndarray]:
        return [layer.b for layer in self.layers]

    def get_params(self) -> list[np.ndarray]:
        """Copies of every parameter, in the order W0, b0, W1, b1, ..."""
        return [p.copy() for layer in self.layers for p in (layer.W, layer.b)]

    def set_params(self, params: Sequence[np.ndarray]) -> None:
        """Load parameters as returned by :meth:`get_params` (shapes are checked)."""
        params = list(params)
        if len(params) != 2 * len(self.layers):
            raise ValueError(f"{self!r} has {2 * len(self.layers)} parameter arrays, got {len(params)}")
        for i, layer in enumerate(self.layers):
            for name, new in (("W", params[2 * i]), ("b", params[2 * i + 1])):
                old = getattr(layer, name)
                new = np.asarray(new)
                if new.shape != old.shape:
                    raise ValueError(f"layer {i} ({layer!r}) expected {name} of shape {old.shape}, got {new.shape}")
                old[...] = new

    # --- input checks ----------------------------------------------------------
    def check_inputs(self, X, name: str = "X") -> np.ndarray:
        """Return ``X`` as a 2-D float array of this network's dtype, or raise a clear error."""
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold numbers, got dtype {X.dtype}")
        if X.ndim == 1 and self.sizes[0] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"{self!r} expected {name} of shape (n_samples, {self.sizes[0]}), got array of shape {X.shape}"
            )
        X = np.ascontiguousarray(X, dtype=self.dtype)
        # A NaN or inf anywhere makes the sum NaN or inf: one pass over X that allocates
        # nothing (twice as fast as isfinite(X) on MNIST). Only then look closer (the
        # sum of huge finite numbers can also overflow).
        with np.errstate(over="ignore"):
            total = X.sum()
        if not np.isfinite(total) and not np.isfinite(X).all():
            bad = np.argwhere(~np.isfinite(X))[0]
            raise ValueError(
                f"{name} contains NaN or inf (first at row {bad[0]}, column {bad[1]}: {X[bad[0], bad[1]]})"
            )
        return X

    def check_targets(self, Y, n_samples: int, name: str = "Y") -> np.ndarray:
        """Return targets of shape ``(n_samples, n_outputs)``, or raise a clear error."""
        Y = np.asarray(Y)
        if Y.dtype.kind not in "biuf":
            raise TypeError(f"{name} must hold numbers, got dtype {Y.dtype}")
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y[:, None]
        if Y.ndim != 2 or Y.shape != (n_samples, self.sizes[-1]):
            hint = " (for class labels use nnlib.data.one_hot(labels, n_classes))" if Y.ndim == 1 else ""
            raise ValueError(
                f"{self!r} has {self.sizes[-1]} outputs, so {name} must have shape "
                f"({n_samples}, {self.sizes[-1]}), got {Y.shape}{hint}"
            )
        Y = np.ascontiguousarray(Y, dtype=self.dtype)
        if not np.isfinite(Y).all():
            raise ValueError(f"{name} contains NaN or inf")
        return Y

    # --- forward and backward --------------------------------------------------
    def forward(self, X: np.ndarray) -> np.ndarray:
        """Output activations ``a^L`` of shape ``(n_samples, n_outputs)``.

        Each layer keeps its input, ``Z`` and ``A`` for :meth:`backward`.
        ``X`` must already be checked (use :meth:`predict` for raw input).
        """
        A = X
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def backward(self, Y: np.ndarray) -> None:
        """Backpropagate from the last :meth:`forward`; fills ``layer.dW`` and ``layer.db``."""
        out = self.layers[-1]
        if out.A.shape[0] != Y.shape[0]:
            raise ValueError(
                f"Network.backward expected targets for the {out.A.shape[0]} examples of the last forward "
                f"pass, got array of shape {Y.shape} (call net.forward(X) first, with the same batch)"
            )
        delta = self.loss.output_delta(out.activation, out.Z, out.A, Y)  # BP1
        for l in range(len(self.layers) - 1, -1, -1):
            grad_a = self.layers[l].backward(delta, need_input_grad=l > 0)  # BP3, BP4
            if grad_a is not None:  # every layer but the first (l > 0)
                below = self.layers[l - 1]
                delta = below.activation.backward(below.Z, below.A, grad_a)  # BP2

    def gradients(self, X, Y) -> list[np.ndarray]:
        """dC/dW0, dC/db0, dC/dW1, ... of the mean loss over the batch (X, Y)."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        self.forward(X)
        self.backward(Y)
        return [g.copy() for layer in self.layers for g in (layer.dW, layer.db)]

    # --- using a trained network -------------------------------------------------
    def predict(self, X) -> np.ndarray:
        """Network output for raw input ``X`` of shape ``(n_samples, n_inputs)``."""
        return self.forward(self.check_inputs(X))

    def classify(self, X) -> np.ndarray:
        """Predicted class per example: argmax of the outputs, or output > threshold for one output."""
        return classes(self.predict(X), self.layers[-1].activation.name)

    def loss_value(self, X, Y) -> float:
        """Mean loss over (X, Y)."""
        X = self.check_inputs(X)
        return self.loss(self.forward(X), self.check_targets(Y, X.shape[0]))

    def evaluate(self, X, Y) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` on (X, Y). Accuracy is NaN for regression targets."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        A = self.forward(X)
        return {"loss": self.loss(A, Y), "accuracy": accuracy(A, Y)}

    def fit(self, X, Y, **kwargs) -> History:
        """Train with :func:`nnlib.training.fit`; returns its :class:`~nnlib.callbacks.History`."""
        return fit(self, X, Y, **kwargs)
