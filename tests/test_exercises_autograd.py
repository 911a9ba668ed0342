"""Checkers of the chapter on automatic differentiation: the references pass, other correct
formulations pass (everything is compared with finite differences or, for orders, checked
for its properties), stubs are "not attempted", and realistic wrong answers get the hint
written for them. Each hint is tested both ways: the wrong answer it names triggers it, and
no other wrong answer of this file does (test_each_hint_belongs_to_one_mistake)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _checkers import assert_covers, assert_hints, fresh_attempts, hint_of, stub  # noqa: F401

from nnlib import autograd
from nnlib.exercises import autograd as check
from nnlib.exercises import core


class NotebookValue:
    """The chapter's own Value, written in the notebook: the same attributes as nnlib's, but
    another class. The learner's code may create these while the checks pass nnlib's."""

    def __init__(self, data, parents=(), local_grads=(), op=""):
        self.data, self.grad, self.parents, self.local_grads, self.op = float(data), 0.0, parents, local_grads, op

    def _make(self, other, rule, op):
        other = other if hasattr(other, "grad") else NotebookValue(other)
        data, local = rule(self.data, other.data)
        return NotebookValue(data, (self, other), local, op)

    def __add__(self, other):
        return self._make(other, autograd.add_rule, "+")

    __radd__ = __add__

    def __mul__(self, other):
        return self._make(other, autograd.mul_rule, "*")

    __rmul__ = __mul__

    def sigmoid(self):
        s, local = autograd.sigmoid_rule(self.data)
        return NotebookValue(s, (self,), local, "sigmoid")


# --- the learner's correct answers -----------------------------------------------------------


def mul_rule(a, b):
    return a * b, (b, a)


def power_rule(a, k):
    return a**k, (k * a ** (k - 1),)


def tanh_rule(a):
    t = math.tanh(a)
    return t, (1 - t**2,)


def topological_order(root):
    order, visited = [], set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def backward(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def neuron(x, w, b):
    z = b
    for w_j, x_j in zip(w, x):
        z = z + w_j * x_j
    return z.sigmoid()


def mlp(x, params):
    a = x
    for W, b in params:
        a = [neuron(a, [row[k] for row in W], b[k]) for k in range(len(b))]
    return a


def update(params, lr):
    for p in params:
        p.data -= lr * p.grad
        p.grad = 0.0


# --- the learner's wrong answers, each with the hint it must get -----------------------------


def _topo_without_visited(root):
    order = []

    def visit(node):
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _topo_preorder(root):
    order, visited = [], set()

    def visit(node):
        if node in visited:
            return
        visited.add(node)
        order.append(node)
        for parent in node.parents:
            visit(parent)

    visit(root)
    return order


def _topo_visited_by_value(root):
    order, visited = [], set()

    def visit(node):
        if node.data in visited:
            return
        visited.add(node.data)
        for parent in node.parents:
            visit(parent)
        order.append(node)

    visit(root)
    return order


def _topo_breadth_first_reversed(root):
    order, seen, queue = [], {root}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                queue.append(parent)
    return order[::-1]


def _topo_without_return(root):
    order = []
    for node in autograd.topological_order(root):
        order.append(node)


def _topo_recursion_without_end(root):
    order = []

    def visit(node):
        visit(node)  # forgot to go to the parents
        order.append(node)

    visit(root)
    return order


def _backward_variant(*, seed=True, reverse=True, accumulate=True, chain=True):
    def backward(root):
        order = topological_order(root)
        if seed:
            root.grad = 1.0
        for node in reversed(order) if reverse else order:
            for parent, local in zip(node.parents, node.local_grads):
                step = local * node.grad if chain else local
                if accumulate:
                    parent.grad += step
                else:
                    parent.grad = step

    return backward


def _backward_naive_recursion(root):
    def send(node):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
            send(parent)

    root.grad = 1.0
    send(root)


def _neuron_variant(*, bias=True, activation="sigmoid"):
    def neuron(x, w, b):
        z = sum(w_j * x_j for w_j, x_j in zip(w, x))
        if bias:
            z = z + b
        return getattr(z, activation)() if activation else z

    return neuron


def _neuron_from_numbers(x, w, b):
    z = sum(w_j.data * (x_j.data if hasattr(x_j, "data") else x_j) for w_j, x_j in zip(w, x)) + b.data
    return autograd.Value(1 / (1 + math.exp(-z)))


def _neuron_returns_float(x, w, b):
    return _neuron_from_numbers(x, w, b).data


def _mlp_rows(x, params):
    a = x
    for W, b in params:
        a = [neuron(a, W[k], b[k]) for k in range(len(b))]
    return a


def _mlp_same_input(x, params):
    for W, b in params:
        a = [neuron(x, [row[k] for row in W], b[k]) for k in range(len(b))]
    return a


def _mlp_return_in_loop(x, params):
    a = x
    for W, b in params:
        a = [neuron(a, [row[k] for row in W], b[k]) for k in range(len(b))]
        return a


def _mlp_one_output_unwrapped(x, params):
    a = mlp(x, params)
    return a[0] if len(a) == 1 else a


def _mlp_columns_by_output_count(x, params):
    a = x
    for W, b in params:
        a = [neuron(a, [W[j][k] for j in range(len(b))], b[k]) for k in range(len(b))]
    return a


def _mlp_indices_swapped(x, params):
    a = x
    for W, b in params:
        a = [neuron(a, [W[k][j] for j in range(len(W))], b[k]) for k in range(len(b))]
    return a


def _topo_returns_visited(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return visited


def _topo_first_parent_only(root):
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents[:1]:
                visit(parent)
            order.append(node)

    visit(root)
    return order


def _backward_times_node(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node


def _backward_numpy_grad(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += np.array([local * node.grad])


def _neuron_numbers_for_weights(x, w, b):
    z = b
    for w_j, x_j in zip(w, x):
        z = z + w_j.data * x_j
    return z.sigmoid()


def _mlp_every_layer(x, params):
    a, outputs = x, []
    for W, b in params:
        a = [neuron(a, [row[k] for row in W], b[k]) for k in range(len(b))]
        outputs.append(a)
    return outputs


def _mlp_rewrapped(x, params):
    return [autograd.Value(a.data) for a in mlp(x, params)]


def _update_variant(*, zero=True, zero_first=False, sign=-1.0, with_lr=True):
    def update(params, lr):
        for p in params:
            if zero_first:
                p.grad = 0.0
            p.data = p.data + sign * (lr if with_lr else 1.0) * p.grad
            if zero:
                p.grad = 0.0

    return update


def _update_replaces_entries(params, lr):
    for i, p in enumerate(params):
        params[i] = autograd.Value(p.data - lr * p.grad)


def _update_new_values(params, lr):
    return [autograd.Value(p.data - lr * p.grad) for p in params]


def _rules(mul=mul_rule, power=power_rule, tanh=tanh_rule):
    return (mul, power, tanh)


def check_rules(fns):
    return check.local_rules(*fns)


RULES_WRONG = [
    (_rules(mul=lambda a, b: (a * b, (a, b))), "mul-swapped"),
    (_rules(mul=lambda a, b: (a * b, (1.0, 1.0))), "mul-add-rule"),
    (_rules(power=lambda a, k: (a**k, (k * a**k,))), "power-exponent-kept"),
    (_rules(power=lambda a, k: (a**k, (a ** (k - 1),))), "power-no-factor"),
    (_rules(tanh=lambda a: (math.tanh(a), (1 - a**2,))), "tanh-of-input"),
    (_rules(tanh=lambda a: (math.tanh(a), (math.tanh(a) * (1 - math.tanh(a)),))), "tanh-sigmoid-rule"),
    (_rules(tanh=lambda a: (math.tanh(a), 1 - math.tanh(a) ** 2)), "local-not-tuple"),
    (_rules(power=lambda a, k: a**k), "result-only"),
    (_rules(power=lambda a, k: (a**k, (k * a ** (k - 1), a**k * math.log(abs(a))))), "local-count"),
    (_rules(mul=lambda a, b: (a * b, b, a)), "rule-structure"),
    (_rules(mul=lambda a, b: (a + b, (b, a))), "rule-result"),
]

TOPO_WRONG = [
    (_topo_without_visited, "duplicates"),
    (_topo_preorder, "reversed"),
    (_topo_visited_by_value, "compared-by-value"),
    (_topo_breadth_first_reversed, "parent-after-child"),
    (lambda root: list(root.parents) + [root], "not-recursive"),
    (lambda root: [n.data for n in topological_order(root)], "data-not-nodes"),
    (_topo_without_return, "returned-none"),
    (_topo_recursion_without_end, "recursion"),
    (_topo_returns_visited, "returned-set"),
    (lambda root: reversed(topological_order(root)), "order-not-a-list"),
    (lambda root: [n.label for n in topological_order(root)], "foreign"),
    (_topo_first_parent_only, "missing"),
    (lambda root: root.children, "raised"),
]

BACKWARD_WRONG = [
    (_backward_variant(reverse=False), "forward-order"),
    (_backward_variant(seed=False), "no-seed"),
    (_backward_variant(accumulate=False), "assigned"),
    (_backward_variant(chain=False), "no-chain"),
    (_backward_naive_recursion, "naive-recursion"),
    (_backward_times_node, "times-node"),
    (_backward_numpy_grad, "not-numbers"),
    ("backward", "not-callable"),
]

UPDATE_WRONG = [
    (_update_variant(zero=False), "not-zeroed"),
    (_update_variant(zero_first=True), "zeroed-first"),
    (_update_variant(sign=1.0), "ascent"),
    (_update_variant(with_lr=False), "no-lr"),
    (_update_new_values, "new-values"),
    (lambda params, lr: None, "unchanged"),
    (_update_replaces_entries, "list-entries-replaced"),
]

NEURON_WRONG = [
    (_neuron_variant(bias=False), "no-bias"),
    (_neuron_variant(activation=None), "no-activation"),
    (_neuron_variant(activation="tanh"), "tanh"),
    (_neuron_from_numbers, "graph-cut"),
    (_neuron_returns_float, "not-a-value"),
    (_neuron_numbers_for_weights, "neuron-gradients"),
    (lambda x, w, b: (neuron(x, w, b).parents[0], neuron(x, w, b)), "neuron-structure"),
]

MLP_WRONG = [
    (_mlp_rows, "rows-not-columns"),
    (_mlp_same_input, "same-input"),
    (_mlp_return_in_loop, "first-layer-only"),
    (_mlp_one_output_unwrapped, "not-a-list"),
    (_mlp_columns_by_output_count, "column-length"),
    (_mlp_indices_swapped, "index"),
    (_mlp_every_layer, "mlp-structure"),
    (_mlp_rewrapped, "mlp-gradients"),
]

TABLES = [
    (check_rules, RULES_WRONG),
    (check.topological_order, TOPO_WRONG),
    (check.backward, BACKWARD_WRONG),
    (check.update, UPDATE_WRONG),
    (check.neuron, NEURON_WRONG),
    (check.mlp, MLP_WRONG),
]


@pytest.mark.parametrize("checker, table", TABLES, ids=["rules", "topo", "backward", "update", "neuron", "mlp"])
def test_each_wrong_answer_gets_the_hint_written_for_it(checker, table):
    assert_hints(checker, table)  # and so none of the other hints of its table


def test_every_known_mistake_has_a_wrong_answer_here():
    assert_covers([m for ms in check.RULE_MISTAKES.values() for m in ms], RULES_WRONG)
    assert_covers(check.BACKWARD_MISTAKES, BACKWARD_WRONG)
    assert_covers(check.UPDATE_MISTAKES, UPDATE_WRONG)
    assert_covers(check.NEURON_MISTAKES, NEURON_WRONG)
    assert_covers(check.MLP_MISTAKES, MLP_WRONG)


def test_no_hint_is_shared_between_exercises():
    ids = [hint_id for _, table in TABLES for _, hint_id in table]
    shared = {i for i in ids if ids.count(i) > 1}
    assert not shared, f"hints given in two tables (so to two different mistakes): {shared}"


def test_a_repeated_mistake_gets_more_of_its_hint():
    wrong = _backward_variant(accumulate=False)
    levels = [check.backward(wrong) for _ in range(4)]
    assert [v.hint_level for v in levels] == [1, 2, 3, 3]
    assert [k for k, _ in levels[2].hint_rows] == ["hint", "where", "fix"]
    assert "+=" in levels[2].hint_rows[2][1]


def test_keep_counts_no_attempt():
    wrong = _backward_variant(accumulate=False)
    assert check.backward(wrong).hint_level == 1
    wrong.__name__ = "backward"
    check.keep(wrong)
    check.keep(wrong)
    assert check.backward(wrong).hint_level == 2


def test_the_backward_check_names_an_unfinished_helper():
    def backward(root):
        return helper(root)

    def helper(root):
        raise NotImplementedError

    v = check.backward(backward)
    assert v.status == core.NOT_ATTEMPTED and "`helper`" in v.message


# --- the references and other correct answers pass -------------------------------------------


def test_the_learner_solutions_and_nnlib_pass():
    assert check.local_rules(mul_rule, power_rule, tanh_rule).passed
    assert check.local_rules(autograd.mul_rule, autograd.power_rule, autograd.tanh_rule).passed
    assert check.topological_order(topological_order).passed
    assert check.topological_order(autograd.topological_order).passed
    assert check.backward(backward).passed
    assert check.backward(autograd.backward).passed
    assert check.neuron(neuron).passed
    assert check.neuron(check.neuron_reference).passed
    assert check.mlp(mlp).passed
    assert check.mlp(check.mlp_reference).passed
    assert check.update(update).passed
    assert check.update(check.update_reference).passed


def test_other_correct_formulations_pass():
    # rules with other formulas and lists instead of tuples
    assert check.local_rules(
        lambda a, b: [b * a, [b, a]],
        lambda a, k: (math.pow(a, k), (k * math.pow(a, k) / a,)),
        lambda a: (math.tanh(a), (1 / math.cosh(a) ** 2,)),
    ).passed

    def topo_iterative(root):  # any valid order: breadth-first by depth from the leaves
        nodes, stack = {}, [root]
        while stack:
            node = stack.pop()
            if id(node) not in nodes:
                nodes[id(node)] = node
                stack.extend(node.parents)

        def depth(n):
            return 1 + max((depth(p) for p in n.parents), default=0)

        return sorted(nodes.values(), key=depth)

    assert check.topological_order(topo_iterative).passed

    def neuron_from_zero(x, w, b):  # starts from a Value of the learner's own class
        total = NotebookValue(0.0)
        for w_j, x_j in zip(w, x):
            total = total + w_j * x_j
        return (total + b).sigmoid()

    assert check.neuron(neuron_from_zero).passed

    def neuron_with_sum(x, w, b):
        return (sum(w_j * x_j for w_j, x_j in zip(w, x)) + b).sigmoid()

    assert check.neuron(neuron_with_sum).passed

    def update_with_setattr(params, lr):
        for p in params:
            p.data = p.data - lr * p.grad
        for p in params:
            p.grad = 0

    assert check.update(update_with_setattr).passed


def test_stubs_are_not_attempted():
    assert check.local_rules(stub, stub, stub).status == core.NOT_ATTEMPTED
    v = check.local_rules(mul_rule, stub, stub)
    assert v.status == core.NOT_ATTEMPTED and "power_rule" in v.message
    for checker in (check.topological_order, check.backward, check.neuron, check.mlp, check.update):
        assert checker(stub).status == core.NOT_ATTEMPTED, checker.__name__
    assert check.neuron(lambda x, w, b: ...).status == core.NOT_ATTEMPTED


def test_a_wrong_rule_is_reported_before_a_later_stub():
    v = check.local_rules(lambda a, b: (a * b, (a, b)), stub, stub)
    assert hint_of(v) == "mul-swapped" and v.case == "mul_rule(2.0, -3.0)"


def test_verdicts_show_the_failing_graph_and_the_numbers():
    v = check.backward(_backward_variant(accumulate=False))
    assert "used three times" in v.case and v.expected == [39.0] and v.received == [18.0]
    v = check.topological_order(_topo_preorder)
    assert str(v.received) == "[C, u, x, 2]" and str(v.expected) == "a list like [x, 2, u, C]"


# --- one exercise at a time: the stand-ins ----------------------------------------------------


def _learner_function(source: str, name: str, **namespace):
    """A function defined as in a notebook cell, with its own globals."""
    exec(source, namespace)
    return namespace[name]


BACKWARD_SOURCE = """
def backward(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
"""


def test_backward_is_judged_with_nnlib_order_when_the_learners_is_wrong():
    theirs = _learner_function(BACKWARD_SOURCE, "backward", topological_order=_topo_without_visited)
    v = check.backward(theirs)
    assert v.passed and "nnlib's `topological_order` in place of yours, which is not correct yet" in v.message
    theirs = _learner_function(BACKWARD_SOURCE, "backward", topological_order=stub)
    assert "which is not attempted yet" in check.backward(theirs).message
    theirs = _learner_function(BACKWARD_SOURCE, "backward", topological_order=topological_order)
    v = check.backward(theirs)
    assert v.passed and "in place of yours" not in v.message


def test_mlp_is_judged_with_nnlib_neuron_when_the_learners_is_wrong():
    source = (
        "def mlp(x, params):\n    a = x\n    for W, b in params:\n"
        "        a = [neuron(a, [row[k] for row in W], b[k]) for k in range(len(b))]\n    return a\n"
    )
    theirs = _learner_function(source, "mlp", neuron=_neuron_variant(bias=False))
    v = check.mlp(theirs)
    assert v.passed and "nnlib's `neuron` in place of yours" in v.message  # found inside the comprehension
    assert "in place of yours" not in check.mlp(_learner_function(source, "mlp", neuron=neuron)).message


# --- keep: accepted answers stay, nnlib's stand in for the others ----------------------------------


def test_keep_returns_yours_when_correct_and_nnlibs_otherwise(capsys):
    assert check.keep(topological_order) is topological_order
    assert "topological_order: yours" in capsys.readouterr().out

    def topological_order_stub(root):
        raise NotImplementedError

    topological_order_stub.__name__ = "topological_order"
    assert check.keep(topological_order_stub) is autograd.topological_order
    assert "nnlib's version, until yours passes its check" in capsys.readouterr().out

    kept = check.keep(mul_rule, _named("power_rule", lambda a, k: (a**k, (a**k,))), tanh_rule)
    assert kept == (mul_rule, autograd.power_rule, tanh_rule)
    capsys.readouterr()
    assert check.keep(autograd.mul_rule) is autograd.mul_rule  # a stand-in kept again stays nnlib's
    assert "mul_rule: nnlib's version (it stands in for yours)" in capsys.readouterr().out


def _named(name, fn):
    fn.__name__ = name
    return fn


def test_keep_works_in_strict_mode(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    assert check.keep(_named("update", stub)) is check.update_reference


@pytest.mark.parametrize(
    "args, error, words",
    [
        ((), TypeError, "keep expected one or more of your functions"),
        ((lambda x: x,), ValueError, "got a function named '<lambda>'"),
        (
            (3,),
            ValueError,
            "(mul_rule, power_rule, tanh_rule, topological_order, backward, update, neuron, mlp), "
            "got an object of type int",
        ),
    ],
)
def test_keep_refuses_what_it_does_not_know(args, error, words):
    with pytest.raises(error, match=None) as info:
        check.keep(*args)
    assert words in str(info.value)


def test_the_stand_ins_drive_a_notebook_value_class():
    """keep's references work on the learner's own Value class (their operators build the graph)."""
    w = [NotebookValue(0.5), NotebookValue(-1.0)]
    b = NotebookValue(0.25)
    a = check.mlp_reference([1.0, 2.0], [([[w[0]], [w[1]]], [b])])[0]
    autograd.backward(a)
    s = 1 / (1 + math.exp(-(0.5 - 2.0 + 0.25)))
    assert a.data == pytest.approx(s) and w[1].grad == pytest.approx(s * (1 - s) * 2.0)
    check.update_reference(w, 0.1)
    assert w[1].grad == 0.0 and w[1].data == pytest.approx(-1.0 - 0.1 * s * (1 - s) * 2.0)


def test_the_network_case_gradients_are_finite_differences_of_the_forward_pass():
    case = check.MLP_CASES[-1]
    x, params = case.make()
    _, Ws, bs, c = case.arrays()
    outputs = mlp(x, params)
    np.testing.assert_allclose([a.data for a in outputs], case.forward(Ws, bs), rtol=1e-12)
    autograd.backward(sum((float(ck) * a for ck, a in zip(c, outputs)), autograd.Value(0.0)))
    for got, expected in zip(check._mlp_param_grads(params), case.gradient()):
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)
