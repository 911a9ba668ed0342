"""nnlib.autograd: every operation of both engines against finite differences, the order of
the backward pass, accumulation, agreement with the four equations (Network.gradients) to
1e-12, and clear errors for bad input."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import Network, activations
from nnlib.autograd import (
    RULES,
    Tensor,
    Value,
    backward,
    backward_steps,
    topological_order,
    zero_grad,
)
from nnlib.data import playground
from nnlib.gradcheck import numerical_gradient, relative_error

H = 1e-6


def numerical(f, xs: list[float]) -> list[float]:
    """Central differences of the float function f at xs."""
    out = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += H
        down[i] -= H
        out.append((f(*up) - f(*down)) / (2 * H))
    return out


def engine_grads(build, xs: list[float]) -> tuple[float, list[float]]:
    leaves = [Value(x) for x in xs]
    root = build(*leaves)
    root.backward()
    return root.data, [leaf.grad for leaf in leaves]


# --- the scalar engine: every operation -------------------------------------------------------

# (name, the expression with Values, the same with floats, inputs away from kinks and poles)
SCALAR_OPS = [
    ("a + b", lambda a, b: a + b, lambda a, b: a + b, [0.7, -1.3]),
    ("a + 2", lambda a: a + 2, lambda a: a + 2, [0.7]),
    ("2 + a", lambda a: 2 + a, lambda a: 2 + a, [0.7]),
    ("a - b", lambda a, b: a - b, lambda a, b: a - b, [0.7, -1.3]),
    ("a - 2", lambda a: a - 2, lambda a: a - 2, [0.7]),
    ("2 - a", lambda a: 2 - a, lambda a: 2 - a, [0.7]),
    ("a * b", lambda a, b: a * b, lambda a, b: a * b, [0.7, -1.3]),
    ("3 * a", lambda a: 3 * a, lambda a: 3 * a, [0.7]),
    ("a * 3", lambda a: a * 3, lambda a: a * 3, [0.7]),
    ("a / b", lambda a, b: a / b, lambda a, b: a / b, [0.7, -1.3]),
    ("a / 4", lambda a: a / 4, lambda a: a / 4, [0.7]),
    ("4 / a", lambda a: 4 / a, lambda a: 4 / a, [0.7]),
    ("-a", lambda a: -a, lambda a: -a, [0.7]),
    ("a ** 2", lambda a: a**2, lambda a: a**2, [-1.3]),
    ("a ** 3", lambda a: a**3, lambda a: a**3, [-1.3]),
    ("a ** -1", lambda a: a**-1, lambda a: a**-1, [-1.3]),
    ("a ** 0.5", lambda a: a**0.5, lambda a: a**0.5, [1.7]),
    ("a ** 1", lambda a: a**1, lambda a: a**1, [0.0]),
    ("exp", lambda a: a.exp(), math.exp, [0.7]),
    ("log", lambda a: a.log(), math.log, [0.7]),
    ("tanh", lambda a: a.tanh(), math.tanh, [0.7]),
    ("sigmoid", lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), [0.7]),
    ("sigmoid, saturated", lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), [-8.0]),
    ("relu, active", lambda a: a.relu(), lambda a: max(a, 0.0), [0.7]),
    ("relu, inactive", lambda a: a.relu(), lambda a: max(a, 0.0), [-0.7]),
]


@pytest.mark.parametrize("name, build, f, xs", SCALAR_OPS, ids=[op[0] for op in SCALAR_OPS])
def test_every_scalar_operation_matches_finite_differences(name, build, f, xs):
    data, grads = engine_grads(build, xs)
    assert data == pytest.approx(f(*xs), rel=1e-12, abs=1e-15)
    assert grads == pytest.approx(numerical(f, xs), rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("op, rule", RULES.items())
def test_every_rule_returns_the_result_and_one_local_derivative_per_input(op, rule):
    xs = {"**": [1.7, 3]}.get(op, [0.7, -1.3] if op in "+-*/" else [0.7])
    out, local = rule(*xs)
    inputs = xs[:1] if op == "**" else xs
    assert isinstance(local, tuple) and len(local) == len(inputs)
    f = (lambda a: rule(a, xs[1])[0]) if op == "**" else (lambda *a: rule(*a)[0])
    assert list(local) == pytest.approx(numerical(f, inputs), rel=1e-7)


def test_a_composite_expression_and_its_graph():
    # C = 1/2 (sigmoid(w x + b) - y)^2, the neuron of the backprop chapter
    x, w, b, y = Value(1.5, label="x"), Value(0.8, label="w"), Value(-0.5, label="b"), Value(1.0, label="y")
    z = w * x + b
    C = 0.5 * (z.sigmoid() - y) ** 2
    C.backward()
    a = 1 / (1 + math.exp(-0.7))
    dz = (a - 1.0) * a * (1 - a)
    assert C.data == pytest.approx(0.5 * (a - 1) ** 2, rel=1e-14)
    assert (w.grad, x.grad, b.grad, y.grad) == pytest.approx((dz * 1.5, dz * 0.8, dz, -(a - 1)), rel=1e-13)
    assert z.op == "+" and z.parents[1] is b and z.local_grads == (1.0, 1.0)
    assert repr(w).startswith("Value(w=0.8, grad=")


# --- the order of the backward pass ------------------------------------------------------------


def shared_node_example():
    """u = 3x is used three times: C = u * u + u. dC/du = 2u + 1 = 13, dC/dx = 39 at x = 2."""
    x = Value(2.0, label="x")
    u = x * 3
    C = u * u + u
    return x, u, C


def test_a_value_used_several_times_collects_every_contribution():
    x, u, C = shared_node_example()
    C.backward()
    assert (C.data, u.grad, x.grad) == (42.0, 13.0, 39.0)


def test_naive_recursion_double_counts_and_assignment_misses():
    """What the chapter shows: both shortcuts go wrong on a node that is used twice."""

    def naive(node):  # passes its gradient on every time it changes
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
            naive(parent)

    x, u, C = shared_node_example()
    C.grad = 1.0
    naive(C)
    assert x.grad == 93.0  # instead of 39

    x, u, C = shared_node_example()
    C.grad = 1.0
    for node in reversed(topological_order(C)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = local * node.grad  # = instead of +=
    assert u.grad == 6.0 and x.grad == 18.0  # only the last use counted, instead of 13 and 39


def _is_topological(order, root) -> bool:
    position = {id(n): i for i, n in enumerate(order)}
    return (
        order[-1] is root
        and len(position) == len(order)
        and all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    )


def test_topological_order_lists_every_node_once_after_its_parents():
    x, u, C = shared_node_example()
    order = topological_order(C)
    assert _is_topological(order, C)
    assert len(order) == 5  # x, the constant 3, u, u * u, C
    # two distinct nodes holding the same number are both listed
    a, b = Value(2.0), Value(2.0)
    assert len(topological_order(a * b)) == 3


def test_topological_order_of_a_deep_graph_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(3 * sys.getrecursionlimit()):
        y = y + x
    order = topological_order(y)
    assert order[0] is x and order[-1] is y and len(order) == 3 * sys.getrecursionlimit() + 1
    backward(y)
    assert x.grad == 3 * sys.getrecursionlimit() + 1


def test_backward_steps_record_the_same_pass_without_changing_grad():
    x, u, C = shared_node_example()
    steps = backward_steps(C)
    assert [node for node, _, _ in steps] == list(reversed(topological_order(C)))
    assert all(node.grad == 0.0 for node in topological_order(C))  # nothing written
    # u receives 6 + 6 from u * u and 1 from + before it passes 13 on to x
    to_u = [sent for _, _, sends in steps for parent, _, sent in sends if parent is u]
    assert sorted(to_u) == [1.0, 6.0, 6.0]
    (u_step,) = [(g, sends) for node, g, sends in steps if node is u]
    assert u_step[0] == 13.0 and u_step[1][0][0] is x and u_step[1][0][2] == 39.0
    C.backward()
    assert {id(n): g for n, g, _ in steps} == {id(n): n.grad for n in topological_order(C)}


def test_gradients_accumulate_until_zeroed():
    w = Value(0.5)
    for _ in range(3):
        (w * 4).backward()
    assert w.grad == 12.0  # three backward passes added up
    zero_grad([w])
    assert w.grad == 0.0
    (w * 4).backward()
    assert w.grad == 4.0


# --- the array engine: every operation -----------------------------------------------------------

RNG = np.random.default_rng(7)
A23, B23, W34 = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))
ROW, COL, POS = RNG.normal(size=3), RNG.normal(size=(2, 1)), RNG.uniform(0.5, 2.0, size=(2, 3))

# (name, Tensor expression of the inputs, inputs); the cost is sum(result * R) for a fixed R
TENSOR_OPS = [
    ("matmul", lambda a, w: a @ w, [A23, W34]),
    ("add", lambda a, b: a + b, [A23, B23]),
    ("add a row to every row (bias)", lambda a, r: a + r, [A23, ROW]),
    ("add a column", lambda a, c: a + c, [A23, COL]),
    ("add a number", lambda a: 2.5 + a + 1, [A23]),
    ("sub with broadcasting", lambda a, r: a - r, [A23, ROW]),
    ("rsub", lambda a: 1.0 - a, [A23]),
    ("mul with broadcasting", lambda a, c: a * c, [A23, COL]),
    ("rmul", lambda a: 3.0 * a, [A23]),
    ("div", lambda a, p: a / p, [A23, POS]),
    ("rdiv", lambda p: 2.0 / p, [POS]),
    ("neg", lambda a: -a, [A23]),
    ("pow 2", lambda a: a**2, [A23]),
    ("pow 0.5", lambda p: p**0.5, [POS]),
    ("exp", lambda a: a.exp(), [A23]),
    ("log", lambda p: p.log(), [POS]),
    ("tanh", lambda a: a.tanh(), [A23]),
    ("sigmoid", lambda a: a.sigmoid(), [A23]),
    ("relu", lambda a: (a + 0.013).relu(), [A23]),
    ("sum of all", lambda a: a.sum() * 1.0, [A23]),
    ("sum of rows", lambda a: a.sum(axis=0), [A23]),
    ("sum along the last axis", lambda a: a.sum(axis=-1), [A23]),
    ("mean of all", lambda a: a.mean(), [A23]),
    ("mean of rows", lambda a: a.mean(axis=0), [A23]),
    ("a layer", lambda a, w, b: (a @ w + b).sigmoid(), [A23, W34, RNG.normal(size=4)]),
]


@pytest.mark.parametrize("name, build, arrays", TENSOR_OPS, ids=[op[0] for op in TENSOR_OPS])
def test_every_tensor_operation_matches_finite_differences(name, build, arrays):
    arrays = [np.array(a, dtype=float) for a in arrays]
    R = np.random.default_rng(1).normal(size=np.shape(build(*[Tensor(a) for a in arrays]).data))
    tensors = [Tensor(a) for a in arrays]
    out = build(*tensors)
    (out * R).sum().backward()

    def cost():  # reads the arrays, which numerical_gradient nudges in place
        return float(np.sum(build(*[Tensor(x) for x in arrays]).data * R))

    for tensor, array in zip(tensors, arrays):
        num = numerical_gradient(cost, array, h=1e-6)
        assert tensor.grad.shape == array.shape
        assert relative_error(tensor.grad, num) < 1e-8, name


def test_a_bias_added_to_every_row_gets_the_sum_of_the_rows_gradients():
    b = Tensor(np.zeros(3))
    (Tensor(np.ones((4, 3))) + b).sum().backward()
    np.testing.assert_array_equal(b.grad, [4.0, 4.0, 4.0])


def test_tensor_gradients_accumulate_and_zero():
    W = Tensor(np.ones((2, 2)))
    for _ in range(2):
        (Tensor(np.eye(2)) @ W).sum().backward()
    np.testing.assert_array_equal(W.grad, np.full((2, 2), 2.0))
    zero_grad([W])
    np.testing.assert_array_equal(W.grad, np.zeros((2, 2)))


# --- the payoff: both engines equal the four equations ---------------------------------------------


def _network_and_batch(sizes=(2, 3, 2), n=6):
    X, y = playground("xor", n=n, noise=0.1, rng=3)
    X = X / 5
    Y = np.hstack([y, 1 - y])[:, : sizes[-1]]
    return Network(list(sizes), loss="quadratic", rng=0), X, Y


def test_the_scalar_engine_equals_network_gradients_to_1e_12():
    net, X, Y = _network_and_batch()
    params = [([[Value(w) for w in row] for row in W], [Value(v) for v in b]) for W, b in zip(net.weights, net.biases)]
    cost = 0
    for x, y in zip(X.tolist(), Y.tolist()):
        a = x
        for W, b in params:
            a = [(sum(W[j][k] * a[j] for j in range(len(a))) + b[k]).sigmoid() for k in range(len(b))]
        cost = cost + 0.5 * sum((ak - yk) ** 2 for ak, yk in zip(a, y))
    cost = cost / len(X)
    cost.backward()
    assert cost.data == pytest.approx(net.loss_value(X, Y), rel=1e-13)
    for (W, b), dW, db in zip(params, net.gradients(X, Y)[::2], net.gradients(X, Y)[1::2]):
        np.testing.assert_allclose([[w.grad for w in row] for row in W], dW, rtol=0, atol=1e-12)
        np.testing.assert_allclose([v.grad for v in b], db, rtol=0, atol=1e-12)


def test_the_array_engine_equals_network_gradients_and_its_deltas():
    net, X, Y = _network_and_batch((2, 4, 3, 2), n=7)
    Ws = [Tensor(W) for W in net.weights]
    bs = [Tensor(b) for b in net.biases]
    A, Zs = Tensor(X), []
    for W, b in zip(Ws, bs):
        Zs.append(A @ W + b)
        A = Zs[-1].sigmoid()
    C = 0.5 * ((A - Y) ** 2).sum(axis=1).mean()
    C.backward()
    grads = net.gradients(X, Y)
    assert float(C.data) == pytest.approx(net.loss_value(X, Y), rel=1e-13)
    for l, (W, b) in enumerate(zip(Ws, bs)):
        np.testing.assert_allclose(W.grad, grads[2 * l], rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.grad, grads[2 * l + 1], rtol=0, atol=1e-12)
        # the gradient that reaches Z^l is delta^l / n: the cost is the batch mean
        np.testing.assert_allclose(Zs[l].grad * len(X), net.layers[l].delta, rtol=0, atol=1e-12)


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: Value("1.0"), TypeError, "Value expected a real number as data, got str"),
        (lambda: Value(True), TypeError, "got bool"),
        (lambda: Value(1.0, parents=(Value(1.0),)), ValueError, "one local derivative per parent"),
        (lambda: Value(1.0, parents=(1.0,), local_grads=(1.0,)), TypeError, "parents that are Values, got float"),
        (lambda: Value(1.0, label=3), TypeError, "a str as label"),
        (lambda: Value(1.0) + "a", TypeError, "Value + expected a Value or a real number, got str"),
        (lambda: Value(1.0) ** Value(2.0), TypeError, "a number k (a constant exponent), got Value"),
        (lambda: Value(0.0) ** 0.5, ValueError, "not finite"),
        (lambda: Value(-2.0) ** 0.5, ValueError, "fractional power"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division by zero"),
        (lambda: Value(0.0).log(), ValueError, "positive number, got 0.0"),
        (lambda: Value(800.0).exp(), OverflowError, "largest float"),
        (lambda: backward(3.0), TypeError, "backward expected a Value"),
        (lambda: backward(Tensor([1.0, 2.0])), TypeError, "backward expected a Value"),
        (lambda: topological_order([1]), TypeError, "topological_order expected a Value or a Tensor, got list"),
        (
            lambda: zero_grad([Value(1.0), 2.0]),
            TypeError,
            "zero_grad expected Values or Tensors, got float at position 1",
        ),
        (lambda: Tensor(["a"]), TypeError, "Tensor expected an array of numbers"),
        (lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))), ValueError, "(2, 3) @ (2, 3)"),
        (lambda: Tensor(np.ones(3)) @ Tensor(np.ones((3, 1))), ValueError, "expected shapes (n, k) @ (k, m)"),
        (lambda: Tensor(np.ones((2, 3))) + np.ones((3, 2)), ValueError, "(2, 3) and (3, 2) do not broadcast"),
        (lambda: Tensor(np.ones(2)) + "a", TypeError, "Tensor + expected a Tensor, an array or a number, got str"),
        (lambda: Tensor(np.ones(2)).sum(axis=1), ValueError, "axis None or an integer from -1 to 0, got 1"),
        (lambda: Tensor(np.zeros(2)).log(), ValueError, "positive entries"),
        (lambda: Tensor(np.ones(2)).backward(), ValueError, "needs a scalar"),
        (lambda: Tensor(np.ones(2)) / Tensor(np.zeros(2)), ZeroDivisionError, "divisor"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(make, error, words):
    with pytest.raises(error, match=None) as info:
        make()
    assert words in str(info.value), str(info.value)


def test_a_refused_zero_grad_changes_nothing():
    w = Value(1.0)
    w.grad = 5.0
    with pytest.raises(TypeError):
        zero_grad([w, "not a value"])
    assert w.grad == 5.0


@settings(database=None)  # no .hypothesis folder in the working tree
@given(st.one_of(st.text(), st.none(), st.lists(st.floats()), st.booleans(), st.complex_numbers()))
def test_anything_but_a_real_number_is_refused_as_data(data):
    with pytest.raises(TypeError, match="Value expected a real number"):
        Value(data)


@settings(database=None)
@given(
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
    st.tuples(st.integers(1, 4), st.integers(1, 4)),
)
def test_a_product_of_incompatible_shapes_is_refused_before_any_work(shape_a, shape_b):
    a, b = Tensor(np.ones(shape_a)), Tensor(np.ones(shape_b))
    if shape_a[1] == shape_b[0]:
        assert (a @ b).shape == (shape_a[0], shape_b[1])
    else:
        with pytest.raises(ValueError, match=r"expected shapes \(n, k\) @ \(k, m\)"):
            a @ b


def test_the_tensor_copies_its_data():
    array = np.ones(3)
    t = Tensor(array)
    array[0] = 5.0
    assert t.data[0] == 1.0


@pytest.mark.parametrize("z", [-40.0, -700.0, -745.0, 40.0])
def test_sigmoid_keeps_every_digit_on_both_tails(z):
    """Value and Tensor give nnlib's exact sigmoid far out on the tails (the identity
    0.5 tanh(z/2) + 0.5 rounds sigmoid(-40) = 4.2e-18 to 0), and its derivative s (1 - s)."""
    exact = float(activations.sigmoid(np.array([z]))[0])
    v = Value(z)
    s = v.sigmoid()
    s.backward()
    assert s.data == pytest.approx(exact, rel=2e-16, abs=0) and (z > 0 or s.data > 0)
    assert v.grad == pytest.approx(exact * (1 - exact), rel=4e-16, abs=0)
    t = Tensor(np.array([z]))
    assert t.sigmoid().data[0] == exact
