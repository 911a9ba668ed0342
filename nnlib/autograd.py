"""Automatic differentiation in reverse mode: what ``loss.backward()`` does.

Every operation on a :class:`Value` returns a new Value that remembers its inputs (its
``parents``) and the operation's **local derivatives** ``d(out)/d(parent)``. Computing
the cost therefore records a graph. :func:`backward` walks that graph from the root
(the cost ``C``) back to the leaves (the weights and the data) and applies the chain
rule once per edge::

    parent.grad += local * node.grad        # dC/d(parent) += d(node)/d(parent) * dC/d(node)

It visits the nodes in reverse :func:`topological_order`, so that a node passes its
gradient on only once it is complete, and it adds (``+=``) because a value used by
several operations receives a contribution from each of them.

Two engines share that one idea:

* :class:`Value`, one number per node (the scalar engine, in the spirit of Karpathy's
  micrograd). Each operation has a **rule** (:data:`RULES`) that returns its result and
  its local derivatives, e.g. ``mul_rule(a, b) == (a * b, (b, a))``.
* :class:`Tensor`, one array per node. The local derivative of an array operation is a
  Jacobian, far too big to store, so each operation keeps instead a function that
  multiplies the incoming gradient by it. For ``Z = A @ W`` those are ``G @ W.T`` (for
  ``A``) and ``A.T @ G`` (for ``W``): the products of BP2 and BP4 in :mod:`nnlib.network`.
  A bias added to every row receives the sum of the rows' gradients: BP3.

Gradients accumulate: :func:`backward` adds to ``.grad`` and never clears it. Between
two training steps, set the parameters' gradients back to zero (:func:`zero_grad`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .activations import sigmoid

# --- the local derivative rules of the scalar engine ---------------------------------------
# Each takes the inputs' numbers and returns (result, (d result / d input, ...)), one local
# derivative per input. power_rule's exponent k is a constant, not an input.


def add_rule(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    """a + b; d/da = 1, d/db = 1."""
    return a + b, (1.0, 1.0)


def sub_rule(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    """a - b; d/da = 1, d/db = -1."""
    return a - b, (1.0, -1.0)


def mul_rule(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    """a * b; d/da = b, d/db = a (each factor's derivative is the other factor)."""
    return a * b, (b, a)


def div_rule(a: float, b: float) -> tuple[float, tuple[float, ...]]:
    """a / b; d/da = 1/b, d/db = -a/b^2."""
    return a / b, (1.0 / b, -a / b**2)


def power_rule(a: float, k: float) -> tuple[float, tuple[float, ...]]:
    """a ** k for a constant k; d/da = k a^(k-1)."""
    return a**k, (k * a ** (k - 1),)


def exp_rule(a: float) -> tuple[float, tuple[float, ...]]:
    """e^a; d/da = e^a, the result itself."""
    e = math.exp(a)
    return e, (e,)


def log_rule(a: float) -> tuple[float, tuple[float, ...]]:
    """ln a; d/da = 1/a."""
    return math.log(a), (1.0 / a,)


def tanh_rule(a: float) -> tuple[float, tuple[float, ...]]:
    """t = tanh a; d/da = 1 - t^2, written with the result."""
    t = math.tanh(a)
    return t, (1.0 - t * t,)


def sigmoid_rule(a: float) -> tuple[float, tuple[float, ...]]:
    """s = sigma(a); d/da = s (1 - s), written with the result.

    Exact on both tails and never overflows: 1 / (1 + e^-a) for a >= 0, and e^a / (1 + e^a)
    for a < 0, where e^a <= 1 (``sigmoid(-40)`` is 4.2e-18, not 0 as the identity
    0.5 tanh(a/2) + 0.5 would round it).
    """
    if a >= 0:
        s = 1.0 / (1.0 + math.exp(-a))
    else:
        e = math.exp(a)
        s = e / (1.0 + e)
    return s, (s * (1.0 - s),)


def relu_rule(a: float) -> tuple[float, tuple[float, ...]]:
    """max(a, 0); d/da = 1 where a > 0, else 0 (0 at the kink)."""
    return max(a, 0.0), (1.0 if a > 0 else 0.0,)


Rule = Callable[..., tuple[float, tuple[float, ...]]]
#: Every operation of :class:`Value` and its rule, by the name a node's ``op`` shows.
RULES: dict[str, Rule] = {
    "+": add_rule,
    "-": sub_rule,
    "*": mul_rule,
    "/": div_rule,
    "**": power_rule,
    "exp": exp_rule,
    "log": log_rule,
    "tanh": tanh_rule,
    "sigmoid": sigmoid_rule,
    "relu": relu_rule,
}

_EXP_MAX = math.log(np.finfo(float).max)  # about 709.78: exp of more is inf


def _is_number(x: object) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _is_node(x: object) -> bool:
    """A Value, or any object with the same four attributes (so that engines written
    in a notebook and this one can be mixed in one graph)."""
    return all(hasattr(x, name) for name in ("data", "grad", "parents", "local_grads"))


# --- the scalar engine ------------------------------------------------------------------------


class Value:
    """A number that remembers how it was computed: a node of the computation graph.

    After :func:`backward` (or ``root.backward()``), ``grad`` holds ``dC/d(this)`` for
    the root ``C``. Operations: ``+ - * /`` with Values or numbers, ``** k`` with a
    number ``k``, unary ``-``, and :meth:`exp`, :meth:`log`, :meth:`tanh`,
    :meth:`sigmoid`, :meth:`relu`.

    Parameters
    ----------
    data : float
        The number (from the forward pass).
    parents : sequence of Value
        The Values it was computed from; empty for a leaf (an input or a parameter).
    local_grads : sequence of float
        ``d(this)/d(parent)`` for each parent, in the same order.
    op : str
        The operation that made it (``"+"``, ``"tanh"``, ...), for printing and drawing.
    label : str
        A name such as ``"w"``, for printing and drawing.
    """

    def __init__(
        self, data: float, parents: Sequence[Any] = (), local_grads: Sequence[float] = (), op: str = "", label: str = ""
    ) -> None:
        if not _is_number(data):
            raise TypeError(f"Value expected a real number as data, got {type(data).__name__} {data!r}")
        parents, local_grads = tuple(parents), tuple(local_grads)
        if len(parents) != len(local_grads):
            raise ValueError(
                f"Value expected one local derivative per parent, got {len(parents)} parent(s) "
                f"and {len(local_grads)} local derivative(s)"
            )
        for i, p in enumerate(parents):
            if not _is_node(p):
                raise TypeError(f"Value expected parents that are Values, got {type(p).__name__} at position {i}")
        for i, g in enumerate(local_grads):
            if not _is_number(g):
                raise TypeError(f"Value expected numbers as local_grads, got {type(g).__name__} at position {i}")
        for name, text in (("op", op), ("label", label)):
            if not isinstance(text, str):
                raise TypeError(f"Value expected a str as {name}, got {type(text).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = tuple(float(g) for g in local_grads)
        self.op = op
        self.label = label

    @classmethod
    def _node(cls, op: str, rule: Rule, parents: tuple, *constants: float) -> Value:
        """The result of an operation: its number and local derivatives come from ``rule``."""
        data, local = rule(*(p.data for p in parents), *constants)
        out = cls.__new__(cls)  # inputs already checked by the operation: skip __init__'s checks
        out.data, out.grad, out.parents, out.local_grads, out.op, out.label = float(data), 0.0, parents, local, op, ""
        return out

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.6g}, grad={self.grad:.6g})"

    # --- operations: each is one rule of RULES ----------------------------------------
    def __add__(self, other: Any) -> Value:
        return Value._node("+", add_rule, (self, _as_value(other, "+")))

    def __radd__(self, other: Any) -> Value:
        return Value._node("+", add_rule, (_as_value(other, "+"), self))

    def __sub__(self, other: Any) -> Value:
        return Value._node("-", sub_rule, (self, _as_value(other, "-")))

    def __rsub__(self, other: Any) -> Value:
        return Value._node("-", sub_rule, (_as_value(other, "-"), self))

    def __mul__(self, other: Any) -> Value:
        return Value._node("*", mul_rule, (self, _as_value(other, "*")))

    def __rmul__(self, other: Any) -> Value:
        return Value._node("*", mul_rule, (_as_value(other, "*"), self))

    def __truediv__(self, other: Any) -> Value:
        return _divide(self, _as_value(other, "/"))

    def __rtruediv__(self, other: Any) -> Value:
        return _divide(_as_value(other, "/"), self)

    def __neg__(self) -> Value:
        return self * -1.0

    def __pow__(self, k: float) -> Value:
        if not _is_number(k):
            raise TypeError(
                f"Value ** k expected a number k (a constant exponent), got {type(k).__name__}; "
                "for a Value in the exponent write (k * x.log()).exp()"
            )
        a = self.data
        if not math.isfinite(k):
            raise ValueError(f"Value ** k expected a finite exponent k, got {k!r}")
        if a == 0 and k < 1:
            raise ValueError(f"Value ** {k!r}: at 0 the derivative {k!r} * 0 ** {k - 1!r} is not finite")
        if a < 0 and not float(k).is_integer():
            raise ValueError(f"Value ** {k!r}: a negative number ({a!r}) to a fractional power is not a real number")
        return Value._node(f"**{k:g}", power_rule, (self,), k)

    def exp(self) -> Value:
        """e to the power of this Value (exp_rule)."""
        if self.data > _EXP_MAX:
            raise OverflowError(f"Value.exp: exp({self.data!r}) is larger than the largest float (input <= 709.78)")
        return Value._node("exp", exp_rule, (self,))

    def log(self) -> Value:
        """The natural logarithm of this positive Value (log_rule)."""
        if self.data <= 0:
            raise ValueError(f"Value.log expected a positive number, got {self.data!r}")
        return Value._node("log", log_rule, (self,))

    def tanh(self) -> Value:
        """The hyperbolic tangent of this Value (tanh_rule)."""
        return Value._node("tanh", tanh_rule, (self,))

    def sigmoid(self) -> Value:
        """The logistic sigmoid of this Value (sigmoid_rule)."""
        return Value._node("sigmoid", sigmoid_rule, (self,))

    def relu(self) -> Value:
        """max(this Value, 0) (relu_rule)."""
        return Value._node("relu", relu_rule, (self,))

    def backward(self) -> None:
        """Fill in ``.grad = d(self)/d(node)`` of every node this Value depends on (see :func:`backward`)."""
        backward(self)


def _as_value(x: Any, op: str) -> Any:
    """A node stays as it is; a plain number becomes a leaf (a constant)."""
    if _is_node(x):
        return x
    if _is_number(x):
        return Value(x)
    raise TypeError(f"Value {op} expected a Value or a real number, got {type(x).__name__}")


def _divide(a: Any, b: Any) -> Value:
    if b.data == 0:
        raise ZeroDivisionError(f"Value / Value: division by zero ({a.data!r} / 0)")
    return Value._node("/", div_rule, (a, b))


def topological_order(root: Any) -> list:
    """Every node ``root`` depends on, each one after all of its parents; ``root`` comes last.

    A depth-first search that appends a node once its parents are done (post-order).
    Nodes are told apart by identity, so two nodes holding the same number both count,
    and a node used several times is listed once. Written with an explicit stack rather
    than recursion, so deep graphs do not hit Python's recursion limit. Works for
    :class:`Value` and :class:`Tensor` (it reads only ``.parents``).
    """
    if not hasattr(root, "parents"):
        raise TypeError(f"topological_order expected a Value or a Tensor, got {type(root).__name__}")
    order: list = []
    seen: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)  # post-order: after all of its parents
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if id(p) not in seen)
    return order


def backward(root: Any) -> None:
    """Reverse mode: ``node.grad = d(root)/d(node)`` for every node below ``root``.

    ::

        root.grad = 1                                  dC/dC = 1
        for node in reversed(topological_order(root)):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * node.grad       the chain rule, summed over every use

    In reverse topological order each node has received the contributions of every node
    that uses it before it passes its own gradient on. The leaves' gradients add to what
    they held (call :func:`zero_grad` between training steps).
    """
    if not _is_node(root) or not _is_number(root.data):
        raise TypeError(f"backward expected a Value (a scalar node), got {type(root).__name__}")
    order = topological_order(root)
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def backward_steps(root: Any) -> list[tuple[Any, float, list[tuple[Any, float, float]]]]:
    """The backward pass of ``root`` one node at a time, without changing any ``.grad``.

    Returns ``[(node, dC/d(node), [(parent, local, local * dC/d(node)), ...]), ...]`` in the
    order :func:`backward` visits the nodes: the same loop, recording what each node sends
    to each parent instead of adding it to ``parent.grad``. For drawing and stepping
    through a backward pass (``nnlib.widgets.graph``).
    """
    if not _is_node(root) or not _is_number(root.data):
        raise TypeError(f"backward_steps expected a Value (a scalar node), got {type(root).__name__}")
    grads = {id(root): 1.0}
    steps = []
    for node in reversed(topological_order(root)):
        g = grads.get(id(node), 0.0)
        sent = []
        for parent, local in zip(node.parents, node.local_grads):
            grads[id(parent)] = grads.get(id(parent), 0.0) + local * g
            sent.append((parent, local, local * g))
        steps.append((node, g, sent))
    return steps


def zero_grad(params: Iterable[Any]) -> None:
    """Set ``.grad`` of every Value (or Tensor) in ``params`` back to zero, before the next backward pass."""
    params = list(params)
    for i, p in enumerate(params):
        if not hasattr(p, "grad"):
            raise TypeError(f"zero_grad expected Values or Tensors, got {type(p).__name__} at position {i}")
    for p in params:
        p.grad = np.zeros_like(p.grad) if isinstance(p.grad, np.ndarray) else 0.0


# --- the array engine ---------------------------------------------------------------------------

BackwardRule = Callable[[np.ndarray], np.ndarray]


def _unbroadcast(G: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum the gradient ``G`` back down to ``shape``: an entry that broadcasting copied to
    many places receives the sum of their gradients (a bias added to every row: BP3)."""
    while G.ndim > len(shape):
        G = G.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and G.shape[axis] != 1:
            G = G.sum(axis=axis, keepdims=True)
    return G


class Tensor:
    """An array that remembers how it was computed: the array version of :class:`Value`.

    Each operation keeps, for each parent, a function ``rule(G) -> dC/d(parent)`` that
    receives the gradient ``G = dC/d(result)`` (the shape of the result) and returns the
    parent's share (the shape of the parent)::

        Z = A @ W        dC/dA = G @ W.T            dC/dW = A.T @ G
        Z = A + b        dC/dA = G                  dC/db = G summed over the broadcast axes
        A = sigmoid(Z)   dC/dZ = G * A * (1 - A)    (elementwise)
        C = A.mean()     dC/dA = G / A.size         (the same for every entry)

    Operations: ``@`` (2-D), ``+ - * /`` with broadcasting (Tensors, arrays or numbers),
    ``** k`` with a number ``k``, unary ``-``, :meth:`exp`, :meth:`log`, :meth:`tanh`,
    :meth:`sigmoid`, :meth:`relu`, :meth:`sum` and :meth:`mean` (of all entries or along
    one axis).

    Parameters
    ----------
    data : array_like of numbers
        The array (copied, as float64).
    label : str
        A name such as ``"W1"``, for printing.
    """

    def __init__(self, data: Any, label: str = "") -> None:
        array = np.asarray(data)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"Tensor expected an array of numbers, got dtype {array.dtype} from {type(data).__name__}")
        if not isinstance(label, str):
            raise TypeError(f"Tensor expected a str as label, got {type(label).__name__}")
        self.data = np.array(array, dtype=np.float64)  # a copy: later changes to `data` do not reach the graph
        self.grad = np.zeros_like(self.data)
        self.parents: tuple[Tensor, ...] = ()
        self.backward_rules: tuple[BackwardRule, ...] = ()
        self.op = ""
        self.label = label

    @classmethod
    def _node(cls, op: str, data: np.ndarray, parents: tuple, rules: tuple) -> Tensor:
        out = cls.__new__(cls)
        out.data = np.asarray(data, dtype=np.float64)
        out.grad = np.zeros_like(out.data)
        out.parents, out.backward_rules, out.op, out.label = parents, rules, op, ""
        return out

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    def __repr__(self) -> str:
        name = f"{self.label}, " if self.label else ""
        return f"Tensor({name}shape={self.shape}, op={self.op!r})"

    # --- operations ----------------------------------------------------------------------
    def __matmul__(self, other: Any) -> Tensor:
        A, W = self, _as_tensor(other, "@")
        _check_product(A.shape, W.shape)

        def to_A(G: np.ndarray) -> np.ndarray:  # dC/dA = G W^T: the product in BP2
            return G @ W.data.T

        def to_W(G: np.ndarray) -> np.ndarray:  # dC/dW = A^T G: BP4
            return A.data.T @ G

        return Tensor._node("@", A.data @ W.data, (A, W), (to_A, to_W))

    def __add__(self, other: Any) -> Tensor:
        return _elementwise("+", self, _as_tensor(other, "+"), np.add, lambda G, a, b: G, lambda G, a, b: G)

    def __radd__(self, other: Any) -> Tensor:
        return _as_tensor(other, "+") + self

    def __sub__(self, other: Any) -> Tensor:
        return _elementwise("-", self, _as_tensor(other, "-"), np.subtract, lambda G, a, b: G, lambda G, a, b: -G)

    def __rsub__(self, other: Any) -> Tensor:
        return _as_tensor(other, "-") - self

    def __mul__(self, other: Any) -> Tensor:
        return _elementwise(
            "*", self, _as_tensor(other, "*"), np.multiply, lambda G, a, b: G * b, lambda G, a, b: G * a
        )

    def __rmul__(self, other: Any) -> Tensor:
        return _as_tensor(other, "*") * self

    def __truediv__(self, other: Any) -> Tensor:
        other = _as_tensor(other, "/")
        if np.any(other.data == 0):
            raise ZeroDivisionError("Tensor / Tensor: the divisor holds a zero")
        return _elementwise("/", self, other, np.divide, lambda G, a, b: G / b, lambda G, a, b: -G * a / b**2)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _as_tensor(other, "/") / self

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __pow__(self, k: float) -> Tensor:
        if not _is_number(k):
            raise TypeError(f"Tensor ** k expected a number k (a constant exponent), got {type(k).__name__}")
        A = self.data
        if not math.isfinite(k):
            raise ValueError(f"Tensor ** k expected a finite exponent k, got {k!r}")
        if k < 1 and np.any(A == 0):
            raise ValueError(f"Tensor ** {k!r}: at 0 the derivative is not finite")
        if not float(k).is_integer() and np.any(A < 0):
            raise ValueError(f"Tensor ** {k!r}: a negative entry to a fractional power is not a real number")
        return self._unary(f"**{k:g}", A**k, lambda G, out: G * k * A ** (k - 1))

    def _unary(self, op: str, out: np.ndarray, rule: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Tensor:
        return Tensor._node(op, out, (self,), (lambda G: rule(G, out),))

    def exp(self) -> Tensor:
        """e to the power of every entry; each entry receives G * exp(entry)."""
        if np.any(self.data > _EXP_MAX):
            raise OverflowError("Tensor.exp: an entry is above 709.78, whose exp is larger than the largest float")
        return self._unary("exp", np.exp(self.data), lambda G, out: G * out)

    def log(self) -> Tensor:
        """The natural logarithm of every (positive) entry; each entry receives G / entry."""
        if np.any(self.data <= 0):
            raise ValueError(f"Tensor.log expected positive entries, got a minimum of {self.data.min()!r}")
        A = self.data
        return self._unary("log", np.log(A), lambda G, out: G / A)

    def tanh(self) -> Tensor:
        """tanh of every entry; each entry receives G * (1 - tanh(entry)^2)."""
        return self._unary("tanh", np.tanh(self.data), lambda G, out: G * (1.0 - out**2))

    def sigmoid(self) -> Tensor:
        """The sigmoid of every entry; each entry receives G * s * (1 - s), s its sigmoid."""
        return self._unary("sigmoid", sigmoid(self.data), lambda G, out: G * out * (1.0 - out))

    def relu(self) -> Tensor:
        """max(entry, 0) for every entry; an entry receives G where it is positive, else 0."""
        A = self.data
        return self._unary("relu", np.maximum(A, 0.0), lambda G, out: G * (A > 0))

    def sum(self, axis: int | None = None) -> Tensor:
        """Sum of all entries (``axis=None``, a scalar Tensor) or along one axis.

        Each entry contributes to the sum with a factor 1, so each gets the sum's gradient.
        """
        return self._reduce("sum", axis, mean=False)

    def mean(self, axis: int | None = None) -> Tensor:
        """Mean of all entries (``axis=None``) or along one axis.

        Each of the ``count`` entries contributes with a factor ``1/count``, so each gets
        the mean's gradient divided by ``count``: the ``1/n`` of BP3 and BP4.
        """
        return self._reduce("mean", axis, mean=True)

    def _reduce(self, op: str, axis: int | None, mean: bool) -> Tensor:
        axis = _check_axis(axis, self.data.ndim, op)
        count = self.data.size if axis is None else self.shape[axis]
        if mean and count == 0:
            raise ValueError(f"Tensor.mean of an empty array (shape {self.shape})")
        scale = 1.0 / count if mean else 1.0
        shape = self.shape

        def rule(G: np.ndarray) -> np.ndarray:
            G = G if axis is None else np.expand_dims(G, axis)
            return np.broadcast_to(G * scale, shape).copy()  # the same share for every entry

        return Tensor._node(op, self.data.sum(axis=axis) * scale, (self,), (rule,))

    def backward(self) -> None:
        """Reverse mode from this scalar Tensor: ``node.grad = d(self)/d(node)`` for every node below.

        The same loop as :func:`backward` for Values, with each rule applied to the
        node's gradient array instead of a local derivative multiplied by it::

            parent.grad += rule(node.grad)
        """
        if self.data.size != 1:
            raise ValueError(
                f"Tensor.backward needs a scalar (one number, such as the mean cost), got shape {self.shape}"
            )
        order = topological_order(self)
        self.grad = np.ones_like(self.data)
        for node in reversed(order):
            for parent, rule in zip(node.parents, node.backward_rules):
                parent.grad = parent.grad + rule(node.grad)


def _as_tensor(x: Any, op: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    try:
        return Tensor(x)
    except TypeError:
        raise TypeError(f"Tensor {op} expected a Tensor, an array or a number, got {type(x).__name__}") from None


def _check_product(a: tuple[int, ...], b: tuple[int, ...]) -> None:
    if len(a) != 2 or len(b) != 2 or a[1] != b[0]:
        raise ValueError(f"Tensor @ Tensor expected shapes (n, k) @ (k, m), got {a} @ {b}")


def _check_axis(axis: int | None, ndim: int, who: str) -> int | None:
    if axis is None:
        return None
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -ndim <= axis < ndim:
        raise ValueError(f"Tensor.{who} expected axis None or an integer from {-ndim} to {ndim - 1}, got {axis!r}")
    return int(axis) % ndim


def _elementwise(
    op: str,
    a: Tensor,
    b: Tensor,
    forward: Callable[[np.ndarray, np.ndarray], np.ndarray],
    rule_a: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    rule_b: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
) -> Tensor:
    """An elementwise operation with NumPy broadcasting; each input gets its gradient summed back to its shape."""
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"Tensor {op} Tensor: shapes {a.shape} and {b.shape} do not broadcast") from None
    A, B = a.data, b.data
    return Tensor._node(
        op,
        forward(A, B),
        (a, b),
        (lambda G: _unbroadcast(rule_a(G, A, B), A.shape), lambda G: _unbroadcast(rule_b(G, A, B), B.shape)),
    )
