"""Layers: a fully connected (dense) layer, and dropout.

Conventions (see ``book/notation.md``): a batch is a matrix with one row per
example. A layer with ``n_in`` inputs and ``n_out`` neurons holds

* ``W`` of shape ``(n_in, n_out)``: column ``j`` is neuron ``j``'s weights;
* ``b`` of shape ``(n_out,)``.

Forward, for a batch ``X`` of shape ``(n, n_in)``::

    Z = X @ W + b          # (n, n_out)  weighted inputs
    A = sigma(Z)           # (n, n_out)  activations

Nielsen writes ``z = w a + b`` with ``w`` of shape ``(n_out, n_in)`` acting
on a column vector; our ``W`` is his ``w`` transposed, so a batch is one
matrix product.
"""

from __future__ import annotations

import numpy as np

from . import checks
from .activations import Activation, get_activation
from .initializers import as_rng, get_initializer

# Multiply-adds in X @ W above which forward uses the transposed form (benchmarks/README.md).
_BIG_PRODUCT = 10_000_000


class Dense:
    """``n_in -> n_out`` neurons with a shared activation."""

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str | Activation = "sigmoid",
        init: str = "gaussian",
        rng: np.random.Generator | int | None = None,
        dtype=np.float64,
    ) -> None:
        for name, v in (("n_in", n_in), ("n_out", n_out)):
            if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_)) or v < 1:
                raise ValueError(f"Dense layer needs a positive integer {name}, got {v!r}")
        self.n_in, self.n_out = int(n_in), int(n_out)
        self.dtype = checks.float_dtype(dtype, "dtype", f"Dense({self.n_in} -> {self.n_out})")
        checks.fits_in_memory(
            (self.n_in + 1) * self.n_out, self.dtype, f"n_in={self.n_in} and n_out={self.n_out}", "Dense"
        )
        try:
            self.activation = get_activation(activation)
            initializer = get_initializer(init)
        except (TypeError, ValueError) as e:
            raise type(e)(f"Dense({self.n_in} -> {self.n_out}): {e}") from None
        rng = as_rng(rng, f"Dense({self.n_in} -> {self.n_out})")
        try:
            W = np.asarray(initializer(self.n_in, self.n_out, rng, self.dtype))
        except MemoryError:
            raise ValueError(
                f"Dense: n_in={self.n_in} and n_out={self.n_out} need {self.n_in * self.n_out:,} weights, "
                f"more than the memory free now"
            ) from None
        except Exception as e:  # a function given as init, failing
            raise ValueError(
                f"Dense({self.n_in} -> {self.n_out}): init {init!r} must be a function (n_in, n_out, rng, dtype) "
                f"returning the weights; calling it raised {type(e).__name__}: {e}"
            ) from e
        if W.shape != (self.n_in, self.n_out) or W.dtype.kind not in "biuf" or not np.isfinite(W).all():
            raise ValueError(
                f"Dense({self.n_in} -> {self.n_out}): the initializer {init!r} must return finite numbers of shape "
                f"({self.n_in}, {self.n_out}), got an array of shape {W.shape} and dtype {W.dtype}"
            )
        self.W = W.astype(self.dtype, copy=False)
        if init == "gaussian":
            self.b = rng.standard_normal(self.n_out).astype(self.dtype)
        else:
            self.b = np.zeros(self.n_out, dtype=self.dtype)
        # The gradients of the last backward pass, worked out from X and delta when first read (dW, db).
        self._dW: np.ndarray | None = np.zeros_like(self.W)
        self._db: np.ndarray | None = np.zeros_like(self.b)
        # what forward keeps for backward (no rows until the first forward pass)
        self.X: np.ndarray = np.empty((0, self.n_in), dtype=self.dtype)
        self.Z: np.ndarray = np.empty((0, self.n_out), dtype=self.dtype)
        self.A: np.ndarray = np.empty((0, self.n_out), dtype=self.dtype)
        # what backward keeps: this layer's error delta = dC_x/dZ, (n, n_out)
        self.delta: np.ndarray = np.empty((0, self.n_out), dtype=self.dtype)

    def __repr__(self) -> str:
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation.name})"

    @property
    def n_params(self) -> int:
        return self.W.size + self.b.size

    def forward(self, X: np.ndarray) -> np.ndarray:
        """Z = X W + b, A = sigma(Z); keeps X, Z and A for :meth:`backward`."""
        if not isinstance(X, np.ndarray) or X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(f"{self!r} expected input with {self.n_in} features, got {checks.shape_of(X)}")
        self.X = X
        if X.shape[0] * self.n_in * self.n_out < _BIG_PRODUCT:
            Z = X @ self.W  # (n, n_out)
        else:
            # The same product written as (W^T X^T)^T. For a tall batch (all 50,000 MNIST
            # images at once) OpenBLAS runs this form about 1.4x faster, on one core or two.
            Z = (self.W.T @ X.T).T
        Z += self.b  # in place: Z is a fresh array
        self.Z = Z
        self.A = A = self.activation.f(Z)  # (n, n_out)
        return A

    def backward(self, delta: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Gradients from this layer's error ``delta = dC_x/dZ`` of shape ``(n, n_out)``.

        Keeps ``delta``, from which ``dW`` and ``db`` (the batch-averaged gradients)
        are worked out when first read, and returns ``dC_x/dA`` of the layer below
        (the input side), which BP2 multiplies by that layer's sigma'(z)::

            BP3   dC/db = mean over the batch of delta           # (n_out,)
            BP4   dC/dW = X^T delta / n                          # (n_in, n_out)
                  dC_x/dX = delta W^T                            # (n, n_in)

        The first layer of a network has no layer below to pass ``dC_x/dX`` to:
        :meth:`~nnlib.network.Network.backward` calls it with ``need_input_grad=False``, which
        skips that product (for MNIST's 784 inputs, a third of the arithmetic of
        a training step) and returns ``None``.
        """
        self.delta = delta  # kept for inspection (nnlib.debug), and for dW and db
        self._dW = self._db = None  # BP3 and BP4, worked out when first read
        return delta @ self.W.T if need_input_grad else None

    @property
    def dW(self) -> np.ndarray:
        """BP4, ``dC/dW = X^T delta / n`` of the last :meth:`backward`, shape ``(n_in, n_out)``."""
        if self._dW is None:
            # Divide the small (n, n_out) delta by n, rather than the (n_in, n_out) product.
            self._dW = self.X.T @ (self.delta / self.delta.shape[0])
        return self._dW

    @dW.setter
    def dW(self, value: np.ndarray) -> None:
        self._dW = value

    @property
    def db(self) -> np.ndarray:
        """BP3, ``dC/db``: the mean over the batch of ``delta``, shape ``(n_out,)``."""
        if self._db is None:
            self._db = (self.delta / self.delta.shape[0]).sum(axis=0)
        return self._db

    @db.setter
    def db(self, value: np.ndarray) -> None:
        self._db = value

    def scaled_gradients(self, c: float) -> tuple[np.ndarray, np.ndarray]:
        """``(c dW, c db)``: plain SGD's step is ``scaled_gradients(-eta)``.

        Until ``dW`` or ``db`` is read or set, the factor goes into the small delta,
        ``X^T (delta c / n)``: the product then is the step, with no pass over a
        ``dW``-sized array to scale it (for MNIST's first layer, 23,520 numbers a
        step). Equal to ``c * dW`` up to rounding; once ``dW`` or ``db`` has been read
        or set, the step is ``c * dW`` and ``c * db`` exactly, so a changed gradient counts.
        """
        if self._dW is None and self._db is None:
            s = self.delta * (c / self.delta.shape[0])
            return self.X.T @ s, s.sum(axis=0)
        return self.dW * c, self.db * c


class Dropout:
    """Inverted dropout: in training, keep each activation with probability ``1 - rate``, scaled by ``1 / (1 - rate)``.

    ::

        training     A_out = A * mask,   mask = (u >= rate) / (1 - rate),  u ~ U[0, 1)   # (n, n_features)
        evaluation   A_out = A

    The scaling keeps the expected value of every activation the same in both modes,
    E[A_out] = (1 - rate) * A / (1 - rate) = A, so the layer above sees inputs of the
    same size when training and when predicting, and evaluation needs no change.
    Backward multiplies the incoming gradient by the same ``mask``.

    Parameters
    ----------
    rate : float
        Probability of dropping each activation, in [0, 1).
    rng : numpy Generator or int seed
        Source of the masks; the same seed gives the same masks.
    """

    def __init__(self, rate: float, rng: np.random.Generator | int | None = None) -> None:
        rate = checks.number(rate, "rate", "Dropout")
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1) (the probability of dropping a unit), got {rate!r}")
        self.rate = rate
        self.rng = as_rng(rng, "Dropout")
        self.mask: np.ndarray | None = None  # the last training mask (0 or 1 / (1 - rate)), None after evaluation

    def __repr__(self) -> str:
        return f"Dropout({self.rate:g})"

    def forward(self, A: np.ndarray, training: bool = True) -> np.ndarray:
        """``A * mask`` with a fresh mask when ``training``, else ``A`` itself."""
        if not isinstance(A, np.ndarray) or A.ndim != 2:
            raise ValueError(f"{self!r} expected a 2-D array (n_samples, n_features), got {checks.shape_of(A)}")
        if not training or self.rate == 0:
            self.mask = None
            return A
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(A.shape) >= self.rate).astype(A.dtype) / A.dtype.type(keep)
        return A * self.mask

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """``dC_x/dA = dC_x/dA_out * mask`` for the last forward pass (``grad`` itself after an evaluation)."""
        if self.mask is None:
            return grad
        if not isinstance(grad, np.ndarray) or grad.shape != self.mask.shape:
            raise ValueError(
                f"{self!r}.backward expected a gradient of shape {self.mask.shape} (the last forward pass), "
                f"got {checks.shape_of(grad)}"
            )
        return grad * self.mask
