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

from . import checks
from .activations import Activation, get_activation
from .callbacks import History
from .initializers import as_rng, get_initializer
from .layers import Dense, Dropout
from .losses import Loss, get_loss
from .metrics import accuracy, classes
from .training import fit

_DEFAULT_OUTPUT = {"categorical_cross_entropy": "softmax", "binary_cross_entropy": "sigmoid"}


def _named(get, value, name: str):
    """``get(value)`` (a lookup by name), with any error naming the argument of :class:`Network`."""
    try:
        return get(value)
    except (TypeError, ValueError) as e:
        raise type(e)(f"Network: {name}: {e}") from None


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
    dropout : float or list of float
        Dropout rate after every hidden layer (one number), or one per hidden layer
        (``len(sizes) - 2`` numbers), each in [0, 1); 0 (default) is no dropout. The masks
        come from ``rng``, after the initial weights, so the weights do not depend on it.

    Notes
    -----
    A network is in *evaluation* mode unless :meth:`train` was called: :meth:`forward`
    then applies no dropout. :func:`~nnlib.training.fit` runs its steps in training mode
    and its per-epoch measurements in evaluation mode; :meth:`predict`, :meth:`classify`,
    :meth:`evaluate` and :meth:`loss_value` always evaluate.
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
        dropout: float | Sequence[float] = 0.0,
    ) -> None:
        if (
            isinstance(sizes, (str, bytes))
            or not isinstance(sizes, (Sequence, np.ndarray))
            or (isinstance(sizes, np.ndarray) and sizes.ndim != 1)
        ):
            hint = f" (for several sizes pass one list: Network([{sizes}, ...]))" if isinstance(sizes, int) else ""
            raise TypeError(
                f"Network: sizes must be a list of layer sizes such as [2, 4, 1], got {checks.shown(sizes)}{hint}"
            )
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"Network: a network needs at least an input and an output size, got sizes={sizes}")
        for i, s in enumerate(sizes):
            if not isinstance(s, (int, np.integer)) or isinstance(s, (bool, np.bool_)) or s < 1:
                raise ValueError(
                    f"Network: sizes[{i}] must be a positive integer (neurons in layer {i}), got {s!r} in sizes={sizes}"
                )
        self.dtype = checks.float_dtype(dtype, "dtype", "Network")
        self.sizes = [int(s) for s in sizes]
        n_params = sum(a * b + b for a, b in zip(self.sizes[:-1], self.sizes[1:]))
        checks.fits_in_memory(n_params, self.dtype, f"sizes={self.sizes}", "Network")
        self.loss = _named(get_loss, loss, "loss")
        hidden = _named(get_activation, activation, "activation")
        out = _named(
            get_activation,
            output_activation if output_activation is not None else _DEFAULT_OUTPUT.get(self.loss.name, hidden.name),
            "output_activation",
        )
        _named(get_initializer, init, "init")
        rates = self._dropout_rates(dropout)
        self.init = init
        rng = as_rng(rng, "Network")
        self.layers = [
            Dense(n_in, n_out, hidden if i < len(sizes) - 2 else out, init, rng, self.dtype)
            for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]))
        ]
        #: One entry per hidden layer: its Dropout, or None. Empty when the network has no dropout.
        self.dropouts: list[Dropout | None] = [Dropout(r, rng) if r else None for r in rates] if any(rates) else []
        self.training = False  # evaluation mode (see train, eval)
        self._dropped = False  # the last forward pass applied dropout masks

    def _dropout_rates(self, dropout) -> list[float]:
        """One dropout rate per hidden layer, checked."""
        n_hidden = len(self.sizes) - 2
        if (isinstance(dropout, Sequence) and not isinstance(dropout, (str, bytes))) or np.ndim(dropout) == 1:
            rates = list(dropout)
            if len(rates) != n_hidden:
                raise ValueError(
                    f"Network: dropout must be one rate, or one per hidden layer ({n_hidden} for sizes={self.sizes}), "
                    f"got {len(rates)} rates"
                )
        else:
            rates = [dropout] * n_hidden
            checks.number(dropout, "dropout", "Network")
        out = []
        for r in rates:
            r = checks.number(r, "dropout", "Network")
            if not 0 <= r < 1:
                raise ValueError(f"Network: dropout rates must be in [0, 1), got {r!r}")
            out.append(r)
        return out

    def train(self, mode: bool = True) -> Network:
        """Put the network in training mode (``mode=False``: evaluation mode); returns the network.

        In training mode :meth:`forward` drops activations (when the network has dropout).
        """
        self.training = checks.boolean(mode, "mode", f"{self!r}.train")
        return self

    def eval(self) -> Network:
        """Put the network in evaluation mode: :meth:`forward` applies no dropout. Returns the network."""
        self.training = False
        return self

    # --- description ---------------------------------------------------------
    def __repr__(self) -> str:
        acts = [layer.activation.name for layer in self.layers]
        drop = f", dropout={self.dropout_rates}" if getattr(self, "dropouts", None) else ""
        return (
            f"Network({self.sizes}, hidden={acts[0] if len(acts) > 1 else None!r}, "
            f"output={acts[-1]!r}, loss={self.loss.name!r}{drop})"
        )

    @property
    def dropout_rates(self) -> list[float]:
        """The dropout rate after each hidden layer (0 where there is none)."""
        if not self.dropouts:
            return [0.0] * (len(self.layers) - 1)
        return [d.rate if d is not None else 0.0 for d in self.dropouts]

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
        """Load parameters as returned by :meth:`get_params`, copying them into the layers.

        Every array is checked before any is copied (its shape, and that it holds finite
        numbers), so a refused call changes nothing.
        """
        if isinstance(params, (str, bytes, np.ndarray)) or not isinstance(params, Sequence):
            raise TypeError(
                f"{self!r}.set_params expected a list of arrays [W0, b0, W1, b1, ...] as returned by "
                f"get_params(), got {checks.shown(params)}"
            )
        params = list(params)
        if len(params) != 2 * len(self.layers):
            raise ValueError(
                f"{self!r}.set_params expected {2 * len(self.layers)} arrays [W0, b0, W1, b1, ...], got {len(params)}"
            )
        new = []
        for i, layer in enumerate(self.layers):
            for name, value in (("W", params[2 * i]), ("b", params[2 * i + 1])):
                old = getattr(layer, name)
                who = f"{self!r}.set_params: {name}{i} (layer {i}, {layer!r})"
                arr = checks.array(value, f"{name}{i}", f"{self!r}.set_params")
                if arr.shape != old.shape:
                    raise ValueError(f"{who} must have shape {old.shape}, got {arr.shape}")
                with np.errstate(over="ignore"):
                    cast = arr.astype(self.dtype, copy=False)  # float64 -> float32 may overflow to inf
                bad = checks.first_non_finite(cast)
                if bad is not None:
                    raise ValueError(
                        f"{who} must hold finite numbers ({self.dtype.name}), got {arr[bad].item()!r} at {bad}"
                    )
                new.append((old, cast))
        for old, arr in new:
            old[...] = arr

    # --- input checks ----------------------------------------------------------
    def check_inputs(self, X, name: str = "X", allow_empty: bool = False) -> np.ndarray:
        """Return ``X`` as a 2-D float array of this network's dtype, or raise a clear error.

        ``X`` must have shape ``(n_samples, n_inputs)`` (a 1-D array is one column when the
        network has one input), hold finite numbers that fit the dtype, and have at least
        one row unless ``allow_empty``.
        """
        return self._check_inputs(X, name, allow_empty)[0]

    def _check_inputs(self, X, name: str, allow_empty: bool) -> tuple[np.ndarray, float]:
        """:meth:`check_inputs`, and ``sum(X**2)`` from the same pass over X (fit bounds its steps with it)."""
        X = checks.array(X, name, repr(self))
        if X.ndim == 1 and self.sizes[0] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"{self!r} expected {name} of shape (n_samples, {self.sizes[0]}), got array of shape {X.shape}"
            )
        if X.shape[0] == 0 and not allow_empty:
            raise ValueError(f"{self!r} expected {name} with at least one row (example), got array of shape {X.shape}")
        with np.errstate(over="ignore"):
            out = np.ascontiguousarray(X, dtype=self.dtype)  # float64 -> float32 may overflow to inf
        # One pass over X that allocates nothing: a NaN or inf makes the sum of squares NaN or inf
        # (so can a huge finite value; only then look closer).
        squares = checks.sum_of_squares(out)
        if not np.isfinite(squares):
            self._finite(X, out, name)
        return out, squares

    def check_targets(self, Y, n_samples: int, name: str = "Y") -> np.ndarray:
        """Return targets of shape ``(n_samples, n_outputs)``, or raise a clear error.

        Besides the shape, the targets must be finite and suit the loss
        (:meth:`nnlib.losses.Loss.check_targets`): probabilities for binary
        cross-entropy, rows that are probability distributions for categorical cross-entropy.
        """
        Y = checks.array(Y, name, repr(self))
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y[:, None]
        if Y.ndim != 2 or Y.shape != (n_samples, self.sizes[-1]):
            hint = " (for class labels use nnlib.data.one_hot(labels, n_classes))" if Y.ndim == 1 else ""
            raise ValueError(
                f"{self!r} has {self.sizes[-1]} outputs, so {name} must have shape "
                f"({n_samples}, {self.sizes[-1]}), got {Y.shape} (one row per example of X){hint}"
            )
        with np.errstate(over="ignore"):
            out = np.ascontiguousarray(Y, dtype=self.dtype)  # float64 -> float32 may overflow to inf
        Y = self._finite(Y, out, name)
        self.loss.check_targets(Y, f"{self!r}: {name}")
        return Y

    def _finite(self, A: np.ndarray, out: np.ndarray, name: str) -> np.ndarray:
        """``out``, ``A`` converted to the network's dtype, after checking every value is finite."""
        bad = checks.first_non_finite(out)
        if bad is not None:
            value = A[bad]
            if np.isfinite(value):
                raise ValueError(
                    f"{self!r}: {name} has a value too large for {self.dtype.name} "
                    f"(row {bad[0]}, column {bad[1]}: {value.item()!r})"
                )
            raise ValueError(
                f"{self!r}: {name} contains NaN or inf (first at row {bad[0]}, column {bad[1]}: "
                f"{A[bad[0], bad[1]]}); it must hold finite numbers"
            )
        return out

    # --- forward and backward --------------------------------------------------
    def forward(self, X: np.ndarray, training: bool | None = None) -> np.ndarray:
        """Output activations ``a^L`` of shape ``(n_samples, n_outputs)``.

        Each layer keeps its input, ``Z`` and ``A`` for :meth:`backward`.
        ``X`` must already be checked (use :meth:`predict` for raw input).
        ``training`` (default: the network's mode, see :meth:`train`) applies dropout.
        """
        A = X
        if self.dropouts and (self.training if training is None else training):
            self._dropped = True
            for layer, drop in zip(self.layers, self.dropouts):
                A = layer.forward(A)
                if drop is not None:
                    A = drop.forward(A)  # each hidden activation kept with probability 1 - rate, scaled
            return self.layers[-1].forward(A)
        self._dropped = False
        for layer in self.layers:
            A = layer.forward(A)
        return A

    def backward(self, Y: np.ndarray) -> None:
        """Backpropagate from the last :meth:`forward`; fills ``layer.dW`` and ``layer.db``.

        ``Y`` must be a checked target array (see :meth:`check_targets`) for the batch of
        the last forward pass.
        """
        out = self.layers[-1]
        if not isinstance(Y, np.ndarray) or Y.shape != out.A.shape:
            raise ValueError(
                f"{self!r}.backward expected targets of shape {out.A.shape}, one row per example of the last "
                f"forward pass, got {checks.shape_of(Y)} (call net.forward(X) first, with the same batch)"
            )
        delta = self.loss.output_delta(out.activation, out.Z, out.A, Y)  # BP1
        for l in range(len(self.layers) - 1, -1, -1):
            grad_a = self.layers[l].backward(delta, need_input_grad=l > 0)  # BP3, BP4
            if grad_a is not None:  # every layer but the first (l > 0)
                below = self.layers[l - 1]
                if self._dropped:
                    drop = self.dropouts[l - 1]
                    if drop is not None:
                        grad_a = drop.backward(grad_a)  # through the same mask
                delta = below.activation.backward(below.Z, below.A, grad_a)  # BP2

    def output_cost(self, Y: np.ndarray) -> float:
        """The mean loss of the last :meth:`forward` against checked targets ``Y``.

        With the loss's paired output activation (sigmoid and binary cross-entropy,
        softmax and categorical cross-entropy) it is computed from ``z^L``, exactly
        even where an output has saturated to 0 or 1
        (:meth:`nnlib.losses.Loss.output_value`).
        """
        out = self.layers[-1]
        return self.loss.output_value(out.activation, out.Z, out.A, Y)

    def gradients(self, X, Y) -> list[np.ndarray]:
        """dC/dW0, dC/db0, dC/dW1, ... of the mean loss over the batch (X, Y)."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow gets the clear error below
            self.forward(X)
            self.backward(Y)
        grads = [g.copy() for layer in self.layers for g in (layer.dW, layer.db)]
        for i, g in enumerate(grads):
            if checks.first_non_finite(g) is not None:
                kind = "dC/dW" if i % 2 == 0 else "dC/db"
                raise self._overflow(X, f"the gradient {kind}{i // 2}", Y)
        return grads

    # --- using a trained network -------------------------------------------------
    def predict(self, X) -> np.ndarray:
        """Network output for raw input ``X`` of shape ``(n_samples, n_inputs)``.

        ``X`` must have at least one row, like everywhere in nnlib. Inputs so large that
        the computation overflows raise ``ValueError`` instead of returning inf or NaN.
        """
        X = self.check_inputs(X)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow gets the clear error below
            A = self.forward(X, training=False)
        if checks.first_non_finite(A) is not None:
            raise self._overflow(X, "the output")
        return A

    def classify(self, X) -> np.ndarray:
        """Predicted class per example: argmax of the outputs, or output > threshold for one output."""
        return classes(self.predict(X), self.layers[-1].activation.name)

    def loss_value(self, X, Y) -> float:
        """Mean loss over (X, Y), at least one example."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow gets the clear error below
            self.forward(X, training=False)
            cost = self.output_cost(Y)
        if not np.isfinite(cost):
            raise self._overflow(X, "the loss", Y)
        return cost

    def evaluate(self, X, Y) -> dict[str, float]:
        """``{"loss": ..., "accuracy": ...}`` on (X, Y). Accuracy is NaN for regression targets."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X.shape[0])
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow gets the clear error below
            A = self.forward(X, training=False)
            cost = self.output_cost(Y)
        if not np.isfinite(cost):
            raise self._overflow(X, "the loss", Y)
        return {"loss": cost, "accuracy": accuracy(A, Y)}

    def _overflow(self, X: np.ndarray, what: str, Y: np.ndarray | None = None) -> ValueError:
        """The error for a computation that overflowed although X, Y and the weights are finite."""
        big_w = max(float(np.abs(p).max()) for layer in self.layers for p in (layer.W, layer.b))
        big_x = float(np.abs(X).max()) if X.size else 0.0
        big_y = f"largest |Y| = {float(np.abs(Y).max()):.3g}, " if Y is not None and Y.size else ""
        return ValueError(
            f"{self!r}: {what} is NaN or infinite: the numbers overflowed {self.dtype.name} "
            f"(largest |X| = {big_x:.3g}, {big_y}largest |weight| = {big_w:.3g}). Scale the inputs X"
            f"{' and targets Y' if big_y else ''} to values of order 1."
        )

    def fit(self, X, Y, **kwargs) -> History:
        """Train with :func:`nnlib.training.fit`; returns its :class:`~nnlib.callbacks.History`."""
        return fit(self, X, Y, **kwargs)
