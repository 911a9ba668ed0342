"""Activation functions and their derivatives.

An activation turns a neuron's weighted input ``z`` into its output
``a = sigma(z)``. Every function here works elementwise on arrays of any
shape, except :func:`softmax`, which works along the last axis (one row per
example, see ``book/notation.md``).

All of them are numerically stable at large ``|z|``: no overflow warnings,
no NaN, even for ``z = +-1000``.

The table :data:`ACTIVATIONS` maps a name to an :class:`Activation`, which
bundles the function, its derivative and the rule backpropagation uses to go
from ``dC/da`` to ``dC/dz``. Look one up with :func:`get_activation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .lookup import lookup

LEAKY_SLOPE = 0.01


# --- the functions ---------------------------------------------------------


def identity(z: np.ndarray) -> np.ndarray:
    """a = z (a "linear" unit)."""
    return np.asarray(z)


def identity_prime(z: np.ndarray) -> np.ndarray:
    return np.ones_like(z)


def step(z: np.ndarray) -> np.ndarray:
    """Heaviside step: 1 where z > 0, else 0 (the perceptron's activation)."""
    z = np.asarray(z)
    return (z > 0).astype(np.result_type(z.dtype, np.float32))


def step_prime(z: np.ndarray) -> np.ndarray:
    """Zero everywhere (undefined at 0; we use 0): why perceptrons cannot use gradients."""
    return np.zeros_like(z, dtype=np.result_type(np.asarray(z).dtype, np.float32))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid 1 / (1 + exp(-z)), to one or two units in the last place for every z.

    The textbook formula keeps full relative precision on both tails. For z >> 0,
    exp(-z) is tiny and 1 / (1 + tiny) keeps every digit; for z << 0, exp(-z) is huge
    and 1 / huge is just as exact: ``sigmoid(-40)`` is 4.2e-18 to the last digit (the
    identity ``0.5 * tanh(z / 2) + 0.5`` rounds it to exactly 0, by cancellation). Each
    step rounds monotonically, so the result never decreases as z grows. The formula
    fails only below z = -707 (float64; -86 in float32), where exp(-z) overflows or the
    result is no longer a normal float. There 1 + e^z rounds to 1, so

        sigma(z) = e^z / (1 + e^z) = e^z   (to the last digit)

    and that is what is computed, with no overflow warning.
    """
    # The usual case first, with as little Python as possible (this runs twice per training
    # step, on small arrays): a float32/64 array whose values are not far out on the left tail
    # (a NaN fails the test, and gives NaN as it should).
    edge = _SIGMOID_EDGE.get(z.dtype) if type(z) is np.ndarray and z.ndim else None
    if edge is not None and z.min(initial=0.0) >= -edge:
        return _reciprocal_sigmoid(z)
    # Convert lists, ints and float16 to float arrays.
    if not (isinstance(z, np.ndarray) and z.dtype.kind == "f" and z.dtype.itemsize >= 4):
        z = np.asarray(z, dtype=np.result_type(np.asarray(z).dtype, np.float32))
    if z.ndim == 0:  # a number: numpy returns scalars for 0-d arrays, which cannot be updated in place
        return sigmoid(z.reshape(1))[0]
    edge = _SIGMOID_EDGE.get(z.dtype) or _sigmoid_edge(z.dtype)
    if z.size == 0 or z.min() >= -edge:
        return _reciprocal_sigmoid(z)
    with np.errstate(over="ignore"):  # exp(-z) = inf below z = -709.8 (float64): replaced next
        s = _reciprocal_sigmoid(z)
    np.exp(z, out=s, where=z < -edge)  # far out on the left tail, sigma(z) = e^z
    return s


def _reciprocal_sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)), in place on one new array (the last argument of each ufunc is its output).

    Four ufunc calls: this runs twice per training step, on small arrays.
    """
    s = np.negative(z)
    np.exp(s, s)
    np.add(s, 1.0, s)
    np.reciprocal(s, s)
    return s


def _sigmoid_edge(dtype: np.dtype) -> float:
    """Below -edge, 1 / (1 + exp(-z)) overflows or is no longer a normal float: 707 in float64, 86 in float32."""
    return float(np.floor(-np.log(np.finfo(dtype).tiny)) - 1)


_SIGMOID_EDGE = {t: _sigmoid_edge(t) for t in (np.dtype(np.float64), np.dtype(np.float32))}


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """sigma'(z) = sigma(z) * (1 - sigma(z)) = sigma(z) * sigma(-z).

    Written with sigma(-z) rather than 1 - sigma(z): for large z, sigma(z) rounds to
    1 and 1 - sigma(z) to 0, while sigma(-z) keeps every digit of the tiny derivative.
    """
    return sigmoid(z) * sigmoid(np.negative(z))


def sigmoid_prime_from_a(a: np.ndarray) -> np.ndarray:
    """sigma'(z) written with the output a = sigma(z): a * (1 - a).

    Backpropagation already has ``a`` from the forward pass, so this saves
    computing sigma(z) a second time (the same numbers, bit for bit).
    """
    return a * (1.0 - a)


def tanh(z: np.ndarray) -> np.ndarray:
    return np.tanh(z)


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)^2."""
    t = np.tanh(z)
    return 1.0 - t * t


def tanh_prime_from_a(a: np.ndarray) -> np.ndarray:
    """tanh'(z) written with the output a = tanh(z): 1 - a^2."""
    return 1.0 - a * a


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit max(0, z)."""
    return np.maximum(z, 0.0)


def relu_prime(z: np.ndarray) -> np.ndarray:
    """1 where z > 0, else 0 (we take 0 at z = 0)."""
    z = np.asarray(z)
    return (z > 0).astype(np.result_type(z.dtype, np.float32))


def leaky_relu(z: np.ndarray, slope: float = LEAKY_SLOPE) -> np.ndarray:
    """z where z > 0, else ``slope * z``: a ReLU that never goes fully dead."""
    z = np.asarray(z)
    return np.where(z > 0, z, slope * z)


def leaky_relu_prime(z: np.ndarray, slope: float = LEAKY_SLOPE) -> np.ndarray:
    z = np.asarray(z)
    return np.where(z > 0, 1.0, slope).astype(np.result_type(z.dtype, np.float32))


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax along the last axis: exp(z_j) / sum_k exp(z_k).

    Subtracting the row maximum first changes nothing mathematically (the
    factor exp(-max) cancels) but keeps every exp() at most 1, so it never
    overflows.
    """
    z = np.asarray(z, dtype=np.result_type(np.asarray(z).dtype, np.float32))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_prime(z: np.ndarray) -> np.ndarray:
    """The diagonal of softmax's Jacobian, a_j (1 - a_j).

    Softmax mixes its inputs, so this diagonal is not the whole story;
    backpropagation uses :func:`softmax_backward` instead.
    """
    s = softmax(z)
    return s * (1.0 - s)


def softmax_backward(z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
    """dC/dz from dC/da through softmax: a * (grad_a - sum(grad_a * a)), row by row."""
    return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


# --- the table -------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative.

    ``backward(z, a, grad_a)`` returns dC/dz given dC/da. For elementwise
    functions this is ``grad_a * prime(z)`` (the Hadamard product in BP1 and
    BP2); softmax overrides it because its Jacobian is not diagonal.
    Where the derivative is a simple function of the output ``a`` (sigmoid,
    tanh), ``prime_from_a`` gives it and ``backward`` uses the stored ``a``
    instead of evaluating the activation again.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    jacobian_backward: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    prime_from_a: Callable[[np.ndarray], np.ndarray] | None = None

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.f(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        if self.jacobian_backward is not None:
            return self.jacobian_backward(z, a, grad_a)
        if self.prime_from_a is not None:  # sigma'(z) from a = sigma(z), kept by forward
            return grad_a * self.prime_from_a(a)
        return grad_a * self.prime(z)

    def __repr__(self) -> str:
        return f"Activation({self.name!r})"


#: Every activation by name: ``ACTIVATIONS["sigmoid"]`` is an :class:`Activation`.
ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", identity, identity_prime),
    "step": Activation("step", step, step_prime),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, prime_from_a=sigmoid_prime_from_a),
    "tanh": Activation("tanh", tanh, tanh_prime, prime_from_a=tanh_prime_from_a),
    "relu": Activation("relu", relu, relu_prime),
    "leaky_relu": Activation("leaky_relu", leaky_relu, leaky_relu_prime),
    "softmax": Activation("softmax", softmax, softmax_prime, softmax_backward),
}
_ALIASES = {"linear": "identity", "logistic": "sigmoid", "leakyrelu": "leaky_relu", "heaviside": "step"}


def get_activation(name: str | Activation) -> Activation:
    """Return the :class:`Activation` called ``name`` (case-insensitive).

    >>> get_activation("tanh")
    Activation('tanh')

    An unknown name raises ``ValueError`` listing the valid ones.
    """
    if isinstance(name, Activation):
        return name
    return lookup("activation", name, ACTIVATIONS, _ALIASES, example="sigmoid")
