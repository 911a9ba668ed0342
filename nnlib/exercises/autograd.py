"""Checks for the chapter *Automatic differentiation*.

In the chapter::

    from nnlib.exercises import autograd as check
    check.local_rules(mul_rule, power_rule, tanh_rule)
    check.topological_order(topological_order)
    check.backward(backward)
    check.neuron(neuron)
    check.mlp(mlp)
    check.update(update)
    topological_order = check.keep(topological_order)   # yours once correct, nnlib's until then

The learner's functions are run on graphs of :class:`nnlib.autograd.Value` nodes that
the checks build. Only the attributes the chapter's own ``Value`` has are used
(``data``, ``grad``, ``parents``, ``local_grads``), so a function written for that class
works on these. Expected numbers are **finite differences** of the computation, never a
copy of a formula: any correct way of writing an answer passes. Known wrong answers are
used only to choose the hint.

Two checks judge one exercise at a time even when the learner's function calls another
exercise's function: ``backward`` calls the learner's ``topological_order`` and ``mlp``
calls their ``neuron``. When that other function is not correct yet, the check runs the
learner's code with nnlib's version in its place, and says so.

:func:`keep` is how the chapter keeps accepted answers: it returns the learner's function
if its check says *correct*, and nnlib's reference otherwise, so an unsolved notebook still
runs from top to bottom on a working engine.

The module reads in the chapter's order: the local rules, the topological order, the
backward pass, a neuron, a network, a gradient-descent update; then :func:`keep`.
"""

from __future__ import annotations

import math
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import autograd
from ..autograd import Value
from . import core
from .core import Verdict

RTOL, ATOL = 1e-6, 1e-8  # finite differences in float64 are good to about 1e-9
H = 1e-6


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


def _is_node(x: Any) -> bool:
    """A Value of any class with the attributes the backward pass uses."""
    return all(hasattr(x, name) for name in ("data", "grad", "parents", "local_grads"))


def _close(received: Any, expected: Any) -> bool:
    return core.close(received, expected, RTOL, ATOL)


def _run(fn: Callable, *args: Any) -> tuple[str, Any]:
    """``("ok", value)``, ``("stub", None)`` or ``("raised", exception)``; warnings are silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = fn(*args)
        except NotImplementedError:
            return "stub", None
        except Exception as e:  # the learner's code may raise anything
            return "raised", e
    return ("stub", None) if value is Ellipsis else ("ok", value)


def _raised(exercise: str, error: Exception, case: str, hint: str | None = None, hint_id: str = "raised") -> Verdict:
    return core.wrong(
        exercise,
        f"Your function raised {type(error).__name__}: {error}",
        case=case,
        hint_id=hint_id,
        hint=hint or "Run it on the input shown to reproduce the error.",
    )


def _quietly(check: Callable[[Callable], Verdict], fn: Callable) -> Verdict:
    """A verdict without raising, even in strict mode (for :func:`keep` and the stand-ins)."""
    try:
        return check(fn)
    except core.ExerciseNotPassed as e:
        return Verdict("", core.WRONG, str(e))


def _stand_in(
    fn: Callable, name: str, check: Callable[[Callable], Verdict], reference: Callable
) -> tuple[Callable, str]:
    """``fn`` with nnlib's ``name`` in place of the learner's, if theirs is not correct yet.

    ``backward`` calls ``topological_order`` and ``mlp`` calls ``neuron`` by their global
    names. To judge only the function under test, a copy of it is made whose globals
    hold the reference under that name. Returns the function to run and a note for the
    verdict ("" when the learner's own was used).
    """
    if not isinstance(fn, types.FunctionType) or not _uses_name(fn.__code__, name):
        return fn, ""
    glob = fn.__globals__
    theirs = glob.get(name)
    if not callable(theirs) or theirs is reference:
        return fn, ""
    verdict = _quietly(check, theirs)
    if verdict.passed:
        return fn, ""
    patched = types.FunctionType(fn.__code__, {**glob, name: reference}, fn.__name__, fn.__defaults__, fn.__closure__)
    patched.__kwdefaults__ = fn.__kwdefaults__
    state = "not attempted yet" if verdict.status == core.NOT_ATTEMPTED else "not correct yet"
    return patched, f" (Checked with nnlib's `{name}` in place of yours, which is {state}.)"


def _uses_name(code: types.CodeType, name: str) -> bool:
    """Does this code (or a function or comprehension inside it) read the global ``name``?"""
    return name in code.co_names or any(_uses_name(c, name) for c in code.co_consts if isinstance(c, types.CodeType))


def _sig(x: float) -> float:
    """``x`` to 8 significant digits: a finite difference shown without its last digits of noise."""
    return float(f"{x:.8g}")


# --- graphs to check on --------------------------------------------------------------------


@dataclass
class Graph:
    """A small computation built from named leaves: ``build(**leaves) -> root``."""

    label: str
    leaves: dict[str, float]
    build: Callable[..., Value]

    def make(self, **changed: float) -> tuple[Value, dict[str, Value]]:
        leaves = {name: Value(v, label=name) for name, v in {**self.leaves, **changed}.items()}
        return self.build(**leaves), leaves

    def numerical_gradient(self) -> list[float]:
        """dC/d(leaf) for every leaf, by central differences of the root's value."""
        out = []
        for name, v in self.leaves.items():
            up = self.make(**{name: v + H})[0].data
            down = self.make(**{name: v - H})[0].data
            out.append((up - down) / (2 * H))
        return out

    def describe(self) -> str:
        return f"{self.label}, at " + ", ".join(f"{k} = {v:g}" for k, v in self.leaves.items())


def _named(value: Value, label: str) -> Value:
    value.label = label
    return value


def _shared_node(x: Value) -> Value:
    u = _named(x * 3, "u")
    p = _named(u * u, "p")
    return _named(p + u, "C")


def _neuron_cost(x: Value, w: Value, b: Value, y: Value) -> Value:
    u = _named(w * x, "u")
    z = _named(u + b, "z")
    a = _named(z.sigmoid(), "a")
    d = _named(a - y, "d")
    return _named(0.5 * _named(d**2, "s"), "C")


def _two_depths(x: Value) -> Value:
    b = _named(x.tanh(), "b")
    a = _named(b * 2, "a")
    return _named(b + a, "C")  # b is used directly by C and, one level down, through a


def _equal_numbers(a: Value, b: Value) -> Value:
    c = _named(a * b, "c")
    return _named(c + a, "C")


GRAPHS = {
    "leaf": Graph("a single leaf: C = x", {"x": 0.5}, lambda x: x),
    "chain": Graph("a chain: C = tanh(2 x)", {"x": 0.5}, lambda x: _named(_named(x * 2, "u").tanh(), "C")),
    "shared": Graph("a value used three times: u = 3 x, C = u * u + u", {"x": 2.0}, _shared_node),
    "equal": Graph("two leaves holding the same number: C = a * b + a", {"a": 2.0, "b": 2.0}, _equal_numbers),
    "depths": Graph("a value used at two depths: b = tanh(x), C = b + 2 b", {"x": 0.3}, _two_depths),
    "neuron": Graph(
        "a neuron's cost: C = 1/2 (sigmoid(w x + b) - y)^2",
        {"x": 1.5, "w": 0.8, "b": -0.5, "y": 1.0},
        _neuron_cost,
    ),
    "product": Graph("one product: C = x * y", {"x": 1.5, "y": -2.0}, lambda x, y: _named(x * y, "C")),
    "sum-tanh": Graph(
        "a chain: C = tanh(x * y + z)",
        {"x": 0.5, "y": -1.5, "z": 0.25},
        lambda x, y, z: _named(_named(_named(x * y, "p") + z, "s").tanh(), "C"),
    ),
}


def _name(node: Any) -> str:
    label = getattr(node, "label", "")
    if label:
        return str(label)
    data = getattr(node, "data", None)
    return f"{data:g}" if isinstance(data, (int, float)) else repr(node)


class _Text(str):
    """Text shown as it is in a verdict (not quoted, as a str would be)."""

    def __repr__(self) -> str:
        return str(self)


def _names(nodes: Sequence[Any]) -> _Text:
    return _Text("[" + ", ".join(_name(n) for n in nodes) + "]")


# --- 1. local rules ---------------------------------------------------------------------------


RULE_INPUTS: dict[str, list[tuple]] = {
    "mul_rule": [(2.0, -3.0), (0.5, 4.0)],
    "power_rule": [(3.0, 2), (-2.0, 3), (2.0, -1), (1.5, 0.5)],
    "tanh_rule": [(0.5,), (-1.2,), (3.0,)],
}
#: How many inputs each rule differentiates (power_rule's exponent k is a constant).
RULE_ARITY = {"mul_rule": 2, "power_rule": 1, "tanh_rule": 1}
RULE_REFERENCE = {"mul_rule": autograd.mul_rule, "power_rule": autograd.power_rule, "tanh_rule": autograd.tanh_rule}
RULE_FORMULA = {"mul_rule": "a * b", "power_rule": "a ** k", "tanh_rule": "tanh(a)"}

RULE_MISTAKES: dict[str, list[core.Mistake]] = {
    "mul_rule": [
        core.Mistake(
            "mul-swapped",
            lambda a, b: (a * b, (a, b)),
            "The local derivatives are swapped. Each factor's derivative is the *other* factor: "
            "d(ab)/da = b and d(ab)/db = a, so return (b, a).",
        ),
        core.Mistake(
            "mul-add-rule",
            lambda a, b: (a * b, (1.0, 1.0)),
            "(1, 1) is the rule of +. A product changes with a at the rate b, and with b at the rate a: return (b, a).",
        ),
    ],
    "power_rule": [
        core.Mistake(
            "power-exponent-kept",
            lambda a, k: (a**k, (k * a**k,)),
            "The exponent must drop by one: d(a^k)/da = k a^(k-1), not k a^k.",
        ),
        core.Mistake(
            "power-no-factor",
            lambda a, k: (a**k, (a ** (k - 1),)),
            "The factor k is missing: d(a^k)/da = k a^(k-1) (for k = 2, d(a^2)/da = 2a).",
        ),
    ],
    "tanh_rule": [
        core.Mistake(
            "tanh-of-input",
            lambda a: (math.tanh(a), (1 - a**2,)),
            "1 - t^2 uses the *result* t = tanh(a), not the input a: compute t first, then return (1 - t ** 2,).",
        ),
        core.Mistake(
            "tanh-sigmoid-rule",
            lambda a: (math.tanh(a), (math.tanh(a) * (1 - math.tanh(a)),)),
            "t (1 - t) is the sigmoid's derivative. For tanh it is 1 - t^2, with t = tanh(a).",
        ),
    ],
}


def _rule_expected(name: str, inputs: tuple) -> tuple[float, list[float]]:
    """The rule's result and its local derivatives by central differences of the result."""
    forward = RULE_REFERENCE[name]
    out = forward(*inputs)[0]
    local = []
    for i in range(RULE_ARITY[name]):
        up, down = list(inputs), list(inputs)
        up[i] += H
        down[i] -= H
        local.append((forward(*up)[0] - forward(*down)[0]) / (2 * H))
    return out, local


def _check_rule(name: str, fn: Callable | None, exercise: str = "ex-autograd-rules") -> Verdict:
    """One rule of :func:`local_rules`: ``name(inputs) -> (result, (local derivative, ...))``."""
    if core.is_stub(fn):
        return core.not_attempted(
            exercise, f"Complete `{name}` (replace its `raise NotImplementedError`), then run this check again."
        )
    if not callable(fn):
        return core.wrong(
            exercise, f"Pass the function `{name}` itself, not a {type(fn).__name__}.", hint_id="not-callable"
        )
    n = RULE_ARITY[name]
    for inputs in RULE_INPUTS[name]:
        shown = f"{name}({', '.join(map(repr, inputs))})"
        outcome, got = _run(fn, *inputs)
        if outcome == "stub":
            return core.not_attempted(exercise, f"Complete `{name}`, then run this check again.")
        if outcome == "raised":
            return _raised(exercise, got, shown)
        out, local = _rule_expected(name, inputs)
        expected = (_sig(out), tuple(_sig(g) for g in local))
        if _is_number(got):
            return core.wrong(
                exercise,
                f"`{name}` returned one number; a rule returns two things.",
                case=shown,
                expected=expected,
                received=got,
                hint_id="result-only",
                hint="Return the result *and* its local derivatives: `return result, (...)`, e.g. "
                "`return a + b, (1.0, 1.0)` for +.",
            )
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            return core.wrong(
                exercise,
                f"`{name}` must return a pair (result, local derivatives).",
                case=shown,
                expected=expected,
                received=got,
                hint_id="rule-structure",
                hint="Return two things, the result and a tuple: `return a + b, (1.0, 1.0)` is a pair. Without "
                "the inner parentheses, `return a + b, 1.0, 1.0` is a triple.",
            )
        result, theirs = got
        if _is_number(theirs):
            return core.wrong(
                exercise,
                f"`{name}` returned its local derivative as a bare number, not a tuple.",
                case=shown,
                expected=expected,
                received=got,
                hint_id="local-not-tuple",
                hint="Put the local derivatives in a tuple, one per input, even when there is only one: "
                "`(d,)` with a trailing comma. The backward pass zips them with the parents.",
            )
        if not isinstance(theirs, (tuple, list)) or len(theirs) != n:
            count = len(theirs) if isinstance(theirs, (tuple, list)) else "no"
            extra = " The exponent k is a constant, not an input: give d/da only." if name == "power_rule" else ""
            return core.wrong(
                exercise,
                f"`{name}` must return {n} local derivative(s), one per input; got {count}.",
                case=shown,
                expected=expected,
                received=got,
                hint_id="local-count",
                hint=f"One local derivative per input of {RULE_FORMULA[name]}.{extra}",
            )
        if not _close(result, out):
            return core.wrong(
                exercise,
                f"The result of `{name}` (the first item) is not {RULE_FORMULA[name]}.",
                case=shown,
                expected=expected,
                received=got,
                hint_id="rule-result",
                hint=f"The first item is the operation's value, {RULE_FORMULA[name]}.",
            )
        if not _close(list(theirs), local):
            hint_id, hint = None, "Compare with the rule in the table above, input by input."
            for m in RULE_MISTAKES[name]:
                if _close(list(theirs), list(m.fn(*inputs)[1])):
                    hint_id, hint = m.id, m.hint
                    break
            return core.wrong(
                exercise,
                f"The local derivatives of `{name}` are not right yet (compared with finite differences).",
                case=shown,
                expected=expected,
                received=got,
                hint_id=hint_id,
                hint=hint,
            )
    return core.correct(exercise, f"`{name}` is right on all {len(RULE_INPUTS[name])} inputs.")


def local_rules(mul_rule: Callable | None, power_rule: Callable | None, tanh_rule: Callable | None) -> Verdict:
    """Check three local derivative rules, each ``rule(inputs) -> (result, (d result/d input, ...))``.

    ``mul_rule(a, b)`` for ``a * b``, ``power_rule(a, k)`` for ``a ** k`` with a constant
    ``k`` (one local derivative, d/da), ``tanh_rule(a)`` for ``tanh(a)``. The first that is
    not right decides the verdict.
    """
    exercise = "ex-autograd-rules"
    fns = {"mul_rule": mul_rule, "power_rule": power_rule, "tanh_rule": tanh_rule}
    untouched = [name for name, fn in fns.items() if core.is_stub(fn) or _run(fn, *RULE_INPUTS[name][0])[0] == "stub"]
    if len(untouched) == len(fns):
        return core.not_attempted(
            exercise,
            "Complete `mul_rule`, `power_rule` and `tanh_rule` in the cell above (replace each "
            "`raise NotImplementedError`), run that cell, then run this check again.",
        )
    for name, fn in fns.items():
        verdict = _check_rule(name, fn, exercise)
        if not verdict.passed:
            return verdict
    return core.correct(exercise, "Well done: all three rules match finite differences on every input.")


# --- 2. the topological order -----------------------------------------------------------------

TOPO_GRAPHS = ["leaf", "chain", "shared", "equal", "depths", "neuron"]


def topological_order(fn: Callable | None) -> Verdict:
    """Check ``topological_order(root) -> list``: every node once, each after its parents, root last.

    Any valid order passes. Graphs: a single leaf, a chain, a value used three times, two
    leaves holding the same number, a value used at two depths, a neuron's cost.
    """
    exercise = "ex-autograd-topo"
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    for key in TOPO_GRAPHS:
        graph = GRAPHS[key]
        root, _ = graph.make()
        nodes = autograd.topological_order(root)  # nnlib's, to know which nodes there are
        shown = graph.describe()
        example = _Text(f"a list like {_names(nodes)}")
        outcome, got = _run(fn, root)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            recursion = isinstance(got, RecursionError)
            return _raised(
                exercise,
                got,
                shown,
                hint="Your recursion never stops. A visit calls itself on the node's *parents* (`for parent in "
                "node.parents: visit(parent)`), so that it ends at the leaves, which have none."
                if recursion
                else None,
                hint_id="recursion" if recursion else "raised",
            )
        problem = _order_problem(got, root, nodes)
        if problem is not None:
            message, hint_id, hint = problem
            received = _names(got) if isinstance(got, (list, tuple)) else got
            return core.wrong(
                exercise, message, case=shown, expected=example, received=received, hint_id=hint_id, hint=hint
            )
    return core.correct(exercise, f"Well done: a valid order on all {len(TOPO_GRAPHS)} graphs.")


def _order_problem(got: Any, root: Value, nodes: list[Value]) -> tuple[str, str, str] | None:
    """What is wrong with ``got`` as a topological order of ``nodes`` (None: nothing)."""
    if got is None:
        return "Your function returned None.", "returned-none", "Did you forget to `return` the list?"
    if isinstance(got, (set, frozenset)):
        return (
            "Your function returned a set.",
            "returned-set",
            "A set has no order (is it your set of visited nodes?). Return the list `order`, to which each "
            "node is appended after its parents.",
        )
    if not isinstance(got, (list, tuple)):
        return (
            f"Return a list of nodes, not a {type(got).__name__}.",
            "order-not-a-list",
            "Collect the nodes in a list (`order.append(node)`) and return that list.",
        )
    ids = {id(n) for n in nodes}
    foreign = [x for x in got if id(x) not in ids]
    if foreign:
        if all(_is_number(x) for x in foreign):
            return (
                "The list holds numbers, not the nodes.",
                "data-not-nodes",
                "Append the nodes themselves (`order.append(node)`), not their numbers (`node.data`): the "
                "backward pass needs each node's parents and gradient.",
            )
        return (
            f"The list holds {len(foreign)} object(s) that are not nodes of this graph, e.g. {foreign[0]!r}.",
            "foreign",
            "Return the nodes of the graph: the root and, through `.parents`, everything it was computed from.",
        )
    count: dict[int, int] = {}
    for x in got:
        count[id(x)] = count.get(id(x), 0) + 1
    repeated = [x for x in nodes if count.get(id(x), 0) > 1]
    if repeated:
        node = repeated[0]
        return (
            f"Node {_name(node)} appears {count[id(node)]} times.",
            "duplicates",
            f"Your search reached {_name(node)} along several paths, and each visit appended it again. Keep a set "
            "of the nodes you have visited (`visited = set()`) and return at once from a node that is already in it.",
        )
    missing = [x for x in nodes if id(x) not in count]
    if missing:
        node = missing[0]
        present = {n.data for n in got}
        if node.data in present:
            return (
                f"Node {_name(node)} is missing.",
                "compared-by-value",
                f"{_name(node)} holds the same number ({node.data:g}) as a node already in your list, so it "
                "was taken for a visited one. Two nodes can hold the same number: put the nodes themselves "
                "in your visited set (`visited.add(node)`), not their `.data`.",
            )
        if all(n is root or any(n is p for p in root.parents) for n in got):
            return (
                f"Node {_name(node)} is missing: your list has only the root and its parents.",
                "not-recursive",
                "Go all the way down: visit the parents of every parent too (call your visit function on each "
                "parent, which calls it on its parents, and so on).",
            )
        return (
            f"Node {_name(node)} is missing.",
            "missing",
            "Every node the root depends on must be in the list: follow `.parents` from every node you visit.",
        )
    position = {id(x): i for i, x in enumerate(got)}
    edges = [(p, n) for n in nodes for p in n.parents]
    late = [(p, n) for p, n in edges if position[id(p)] > position[id(n)]]
    if not late:
        return None
    if len(late) == len(edges):
        return (
            "The root comes first: every node comes before its parents.",
            "reversed",
            "This is the order reversed. Append a node *after* visiting its parents (post-order), so that the "
            "leaves come first and the root last.",
        )
    parent, child = late[0]
    return (
        f"{_name(child)} comes before its parent {_name(parent)}.",
        "parent-after-child",
        "A node may be appended only when all of its parents are in the list: visit every parent first, "
        "then append the node.",
    )


# --- 3. the backward pass ----------------------------------------------------------------------

BACKWARD_GRAPHS = ["product", "sum-tanh", "shared", "equal", "neuron"]


def _backward_variant(
    seed: bool = True, reverse: bool = True, accumulate: bool = True, chain: bool = True
) -> Callable[[Any], None]:
    """The backward pass with one piece left out (to recognise mistakes)."""

    def fn(root: Any) -> None:
        order = autograd.topological_order(root)
        if seed:
            root.grad = 1.0
        for node in reversed(order) if reverse else order:
            for parent, local in zip(node.parents, node.local_grads):
                g = local * node.grad if chain else local
                parent.grad = parent.grad + g if accumulate else g

    return fn


def _naive_recursion(root: Any) -> None:
    """Recursion without a topological order: a node passes its gradient on every time it grows."""

    def push(node: Any) -> None:
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad
            push(parent)

    root.grad = 1.0
    push(root)


BACKWARD_MISTAKES = [
    core.Mistake(
        "forward-order",
        _backward_variant(reverse=False),
        "The nodes were visited from the leaves up, so each node passed on its gradient before it had "
        "received it. Walk the order backwards, from the root: `for node in reversed(order)`.",
    ),
    core.Mistake(
        "no-seed",
        _backward_variant(seed=False),
        "Every gradient came out 0: the backward pass must start from dC/dC = 1. Set `root.grad = 1.0` first.",
    ),
    core.Mistake(
        "assigned",
        _backward_variant(accumulate=False),
        "A value used more than once kept only its last contribution. Each use adds its share: "
        "`parent.grad += local * node.grad`, not `=`.",
    ),
    core.Mistake(
        "no-chain",
        _backward_variant(chain=False),
        "Multiply the local derivative by the node's own gradient (the chain rule): "
        "`parent.grad += local * node.grad`.",
    ),
    core.Mistake(
        "naive-recursion",
        _naive_recursion,
        "Some gradients are too large: a node passed its gradient on before it had received all of it, and then "
        "again. Let every node pass its gradient on once, after all the nodes that use it: "
        "`for node in reversed(topological_order(root))`.",
    ),
]


def _leaf_grads(fn: Callable, graph: Graph) -> tuple[str, Any]:
    root, leaves = graph.make()
    outcome, got = _run(fn, root)
    if outcome != "ok":
        return outcome, got
    return "ok", [leaf.grad for leaf in leaves.values()]


def backward(fn: Callable | None) -> Verdict:
    """Check ``backward(root)``: afterwards every leaf's ``.grad`` is d(root)/d(leaf).

    Compared with finite differences on five graphs, among them values used more than
    once. If the learner's ``topological_order`` is not correct yet, nnlib's is used in
    its place (and the verdict says so).
    """
    exercise = "ex-autograd-backward"
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    fn, note = _stand_in(fn, "topological_order", topological_order, autograd.topological_order)
    for key in BACKWARD_GRAPHS:
        graph = GRAPHS[key]
        shown = graph.describe()
        outcome, got = _leaf_grads(fn, graph)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            return _raised(exercise, got, shown)
        expected = graph.numerical_gradient()
        if not all(_is_number(g) for g in got):
            node = any(_is_node(g) for g in got)
            return core.wrong(
                exercise,
                "Some `.grad` is not a number after your backward pass." + note,
                case=shown,
                hint_id="times-node" if node else "not-numbers",
                hint="A `.grad` became a Value: you multiplied by the node itself. Multiply by its gradient, "
                "`local * node.grad`."
                if node
                else "Each `.grad` holds one number, dC/d(node): add products of numbers to it.",
            )
        if _close(got, expected):
            continue
        hint_id, hint = None, "Compare your loop with the chain rule above, one edge at a time."
        for m in BACKWARD_MISTAKES:
            if _close(got, _leaf_grads(m.fn, graph)[1]):
                hint_id, hint = m.id, m.hint
                break
        names = ", ".join(graph.leaves)
        return core.wrong(
            exercise,
            f"The gradients of the leaves ({names}) are not right yet (compared with finite differences)." + note,
            case=shown,
            expected=[_sig(v) for v in expected],
            received=[float(g) for g in got],
            hint_id=hint_id,
            hint=hint,
        )
    return core.correct(
        exercise, f"Well done: every gradient matches finite differences on all {len(BACKWARD_GRAPHS)} graphs." + note
    )


# --- 4. a neuron ------------------------------------------------------------------------------


def neuron_reference(x: Sequence[Any], w: Sequence[Any], b: Any) -> Any:
    """``sigmoid(w . x + b)`` built from Value operations: the nodes record the neuron."""
    z = b
    for w_j, x_j in zip(w, x):
        z = z + w_j * x_j
    return z.sigmoid()


def _sigmoid(z: float) -> float:
    return 0.5 * math.tanh(0.5 * z) + 0.5


@dataclass
class NeuronCase:
    label: str
    x: list[float]
    w: list[float]
    b: float
    x_are_values: bool = False

    def make(self, x=None, w=None, b=None) -> tuple[list, list[Value], Value]:
        x, w, b = x or self.x, w or self.w, self.b if b is None else b
        xs = [Value(v, label=f"x{j}") for j, v in enumerate(x)] if self.x_are_values else list(x)
        return xs, [Value(v, label=f"w{j}") for j, v in enumerate(w)], Value(b, label="b")

    def value(self, x=None, w=None, b=None) -> float:
        x, w, b = x or self.x, w or self.w, self.b if b is None else b
        return _sigmoid(sum(wj * xj for wj, xj in zip(w, x)) + b)

    def gradient(self) -> list[float]:
        """d a/d w_j, d a/d b (and d a/d x_j when the inputs are Values), by central differences."""
        out = []
        for j in range(len(self.w)):
            up, down = list(self.w), list(self.w)
            up[j] += H
            down[j] -= H
            out.append((self.value(w=up) - self.value(w=down)) / (2 * H))
        out.append((self.value(b=self.b + H) - self.value(b=self.b - H)) / (2 * H))
        if self.x_are_values:
            for j in range(len(self.x)):
                up, down = list(self.x), list(self.x)
                up[j] += H
                down[j] -= H
                out.append((self.value(x=up) - self.value(x=down)) / (2 * H))
        return out

    def describe(self) -> str:
        kind = "Values" if self.x_are_values else "numbers"
        return f"{self.label}: x = {self.x} ({kind}), w = {self.w}, b = {self.b}"


NEURON_CASES = [
    NeuronCase("one input", [1.5], [0.8], -0.5),
    NeuronCase("three inputs", [0.5, -1.0, 2.0], [0.3, -0.6, 0.9], 0.1),
    NeuronCase("inputs that are Values (as in a network)", [0.2, -0.7], [1.1, 0.4], -0.3, x_are_values=True),
]

NEURON_MISTAKES = [
    core.Mistake(
        "no-bias",
        lambda x, w, b: sum((w_j * x_j for w_j, x_j in zip(w, x)), 0.0).sigmoid(),
        "The bias is missing: z = w . x + b, then a = sigmoid(z).",
    ),
    core.Mistake(
        "no-activation",
        lambda x, w, b: sum((w_j * x_j for w_j, x_j in zip(w, x)), 0.0) + b,
        "You returned the weighted input z. The neuron's output is a = sigmoid(z): call `.sigmoid()` on it.",
    ),
    core.Mistake(
        "tanh",
        lambda x, w, b: (sum((w_j * x_j for w_j, x_j in zip(w, x)), 0.0) + b).tanh(),
        "You used tanh; this neuron's activation is the sigmoid: `.sigmoid()`.",
    ),
]


def _neuron_grads(a: Any, x: list, w: list[Value], b: Value, x_are_values: bool) -> list[float]:
    autograd.backward(a)
    return [w_j.grad for w_j in w] + [b.grad] + ([x_j.grad for x_j in x] if x_are_values else [])


def neuron(fn: Callable | None) -> Verdict:
    """Check ``neuron(x, w, b) -> Value``: ``sigmoid(w . x + b)`` built from Values, so that it has gradients.

    ``x`` is a list of numbers or of Values, ``w`` a list of Values, ``b`` a Value. The value
    is compared with the formula, then the gradients (from nnlib's backward pass through the
    returned node) with finite differences.
    """
    exercise = "ex-autograd-neuron"
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    for case in NEURON_CASES:
        shown = case.describe()
        x, w, b = case.make()
        outcome, got = _run(fn, x, w, b)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            return _raised(exercise, got, shown)
        expected = case.value()
        if not _is_node(got):
            number = _is_number(got)
            return core.wrong(
                exercise,
                f"Your neuron returned a {type(got).__name__}, not a Value.",
                case=shown,
                expected=_sig(expected),
                received=got,
                hint_id="not-a-value" if number else "neuron-structure",
                hint="Compute with the Values themselves (`w[j] * x[j]`, `+`, `.sigmoid()`), not with their "
                "`.data`: only then does the result remember how it was made."
                if number
                else "Return one Value: the neuron's output a.",
            )
        if not _close(got.data, expected):
            hint_id, hint = None, "Compare with a = sigmoid(w . x + b), term by term."
            for m in NEURON_MISTAKES:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    theirs = m.fn(*case.make())
                if _close(got.data, theirs.data):
                    hint_id, hint = m.id, m.hint
                    break
            return core.wrong(
                exercise,
                "The neuron's output is not right yet.",
                case=shown,
                expected=_sig(expected),
                received=got.data,
                hint_id=hint_id,
                hint=hint,
            )
        try:
            grads = _neuron_grads(got, x, w, b, case.x_are_values)
        except Exception as e:  # a graph of unexpected objects
            return _raised(exercise, e, shown)
        expected_grads = case.gradient()
        if not _close(grads, expected_grads):
            cut = all(g == 0 for g in grads)
            return core.wrong(
                exercise,
                "The output is right, but its gradients are not."
                if not cut
                else "The output is right, but no gradient reaches w and b.",
                case=shown,
                expected=[_sig(v) for v in expected_grads],
                received=[float(g) for g in grads],
                hint_id="graph-cut" if cut else "neuron-gradients",
                hint="The result was computed from numbers (`.data`) and wrapped in a new Value, which has no "
                "parents, so the graph is cut. Build it from the Values themselves: `w[j] * x[j]`, `+`, "
                "`.sigmoid()`."
                if cut
                else "Build the output from the Values themselves with +, * and .sigmoid(), so that the graph "
                "records every step.",
            )
    return core.correct(exercise, f"Well done: the right output and gradients on all {len(NEURON_CASES)} cases.")


# --- 5. a network -----------------------------------------------------------------------------


def mlp_reference(x: Sequence[Any], params: Sequence[tuple[Sequence[Sequence[Any]], Sequence[Any]]]) -> list:
    """The outputs of a network of sigmoid neurons: layer by layer, neuron ``k`` gets column ``k`` of ``W``."""
    a = list(x)
    for W, b in params:
        a = [neuron_reference(a, [row[k] for row in W], b[k]) for k in range(len(b))]
    return a


@dataclass
class MLPCase:
    label: str
    sizes: list[int]
    seed: int

    def arrays(self) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray], np.ndarray]:
        rng = np.random.default_rng(self.seed)
        x = np.round(rng.normal(size=self.sizes[0]), 2)
        Ws = [np.round(rng.normal(size=(m, n)), 2) for m, n in zip(self.sizes[:-1], self.sizes[1:])]
        bs = [np.round(rng.normal(size=n), 2) for n in self.sizes[1:]]
        c = np.round(rng.normal(size=self.sizes[-1]), 2)  # the check differentiates sum_k c_k a_k
        return x, Ws, bs, c

    def make(self) -> tuple[list[float], list[tuple[list[list[Value]], list[Value]]]]:
        x, Ws, bs, _ = self.arrays()
        params = [
            (
                [[Value(float(v), label=f"W{l + 1}[{j}][{k}]") for k, v in enumerate(row)] for j, row in enumerate(W)],
                [Value(float(v), label=f"b{l + 1}[{k}]") for k, v in enumerate(b)],
            )
            for l, (W, b) in enumerate(zip(Ws, bs))
        ]
        return x.tolist(), params

    def forward(self, Ws: list[np.ndarray], bs: list[np.ndarray]) -> np.ndarray:
        a = self.arrays()[0]
        for W, b in zip(Ws, bs):
            a = 0.5 * np.tanh(0.5 * (a @ W + b)) + 0.5
        return a

    def gradient(self) -> list[np.ndarray]:
        """d(sum_k c_k a_k)/d(every W and b), by central differences: [dW1, db1, dW2, ...]."""
        _, Ws, bs, c = self.arrays()
        out = []
        for p in [p for pair in zip(Ws, bs) for p in pair]:
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + H
                up = float(self.forward(Ws, bs) @ c)
                p[i] = old - H
                down = float(self.forward(Ws, bs) @ c)
                p[i] = old
                g[i] = (up - down) / (2 * H)
            out.append(g)
        return out

    def describe(self) -> str:
        x, Ws, bs, _ = self.arrays()
        return f"{self.label}: sizes {self.sizes}, x = {x.tolist()}"


MLP_CASES = [
    MLPCase("one neuron", [1, 1], 60),
    MLPCase("3 inputs, 2 hidden neurons, 1 output", [3, 2, 1], 61),
    MLPCase("2 inputs, 3 and 4 hidden neurons, 2 outputs", [2, 3, 4, 2], 62),
]


def _rows_not_columns(x: Sequence[Any], params: Sequence[Any]) -> list:
    a = list(x)
    for W, b in params:
        a = [neuron_reference(a, W[k], b[k]) for k in range(len(b))]
    return a


def _same_input(x: Sequence[Any], params: Sequence[Any]) -> list:
    out: list = list(x)
    for W, b in params:
        out = [neuron_reference(list(x), [row[k] for row in W], b[k]) for k in range(len(b))]
    return out


def _column_length_from_b(x: Sequence[Any], params: Sequence[Any]) -> list:
    a = list(x)
    for W, b in params:
        a = [neuron_reference(a, [W[j][k] for j in range(len(b))], b[k]) for k in range(len(b))]
    return a


def _first_layer_only(x: Sequence[Any], params: Sequence[Any]) -> list:
    W, b = params[0]
    return [neuron_reference(list(x), [row[k] for row in W], b[k]) for k in range(len(b))]


MLP_MISTAKES = [
    core.Mistake(
        "rows-not-columns",
        _rows_not_columns,
        "Neuron k's weights are column k of W, `[W[j][k] for j in range(len(W))]` (W[j][k] connects input j to "
        "neuron k). `W[k]` is row k: the weights *from* input k to every neuron.",
    ),
    core.Mistake(
        "column-length",
        _column_length_from_b,
        "Column k of W has one entry per *input*, len(W) of them: `[W[j][k] for j in range(len(W))]`. "
        "len(b) counts the neurons.",
    ),
    core.Mistake(
        "same-input",
        _same_input,
        "Every layer received the network's input x. Each layer's input is the previous layer's output: "
        "`a = [neuron(a, ...) ...]`, starting from a = x.",
    ),
    core.Mistake(
        "first-layer-only",
        _first_layer_only,
        "These are the first layer's outputs: is the `return` inside the loop over the layers? Return after it.",
    ),
]


def _mlp_param_grads(params: list) -> list[np.ndarray]:
    out = []
    for W, b in params:
        out += [np.array([[w.grad for w in row] for row in W]), np.array([v.grad for v in b])]
    return out


def mlp(fn: Callable | None) -> Verdict:
    """Check ``mlp(x, params) -> list of Values``: the outputs of a network of sigmoid neurons.

    ``params`` is a list of ``(W, b)`` per layer, ``W[j][k]`` the Value connecting input
    ``j`` to neuron ``k`` (rows are inputs, as ``nnlib``'s ``W`` of shape ``(n_in, n_out)``)
    and ``b[k]`` neuron ``k``'s bias. The outputs are compared with a NumPy forward pass,
    and the gradients of ``sum_k c_k a_k`` (nnlib's backward pass through the returned
    nodes) with finite differences. If the learner's ``neuron`` is not correct yet, nnlib's
    is used in its place.
    """
    exercise = "ex-autograd-mlp"
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    fn, note = _stand_in(fn, "neuron", neuron, neuron_reference)
    for case in MLP_CASES:
        shown = case.describe()
        x, params = case.make()
        outcome, got = _run(fn, x, params)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            index = isinstance(got, IndexError)
            return _raised(
                exercise,
                got,
                shown,
                hint="An index went out of range. In W[j][k], j counts the layer's inputs (the rows, len(W)) and k "
                "its neurons (the columns, len(b)); b[k] has one entry per neuron."
                if index
                else None,
                hint_id="index" if index else "raised",
            )
        _, Ws, bs, c = case.arrays()
        expected = case.forward(Ws, bs)
        if _is_node(got) and case.sizes[-1] == 1:
            return core.wrong(
                exercise,
                "Your network returned one Value, not a list." + note,
                case=shown,
                expected=[_sig(v) for v in expected],
                received=got.data,
                hint_id="not-a-list",
                hint="Return the list of the last layer's outputs, even when that layer has one neuron.",
            )
        if not isinstance(got, (list, tuple)) or not all(_is_node(a) for a in got):
            what = type(got).__name__
            if isinstance(got, (list, tuple)) and got:
                what += f" of {type(got[0]).__name__}s"
            return core.wrong(
                exercise,
                f"Return a list of Values, one per output neuron; got a {what}." + note,
                case=shown,
                expected=[_sig(v) for v in expected],
                received=got,
                hint_id="mlp-structure",
                hint="Each layer makes a list of Values; return the last layer's list (not a list of every "
                "layer's lists).",
            )
        data = [a.data for a in got]
        if not _close(data, expected):
            hint_id, hint = None, "Go layer by layer: a = x, then for each (W, b): a = [one neuron per column of W]."
            for m in MLP_MISTAKES:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        theirs = [a.data for a in m.fn(*case.make())]
                    except Exception:
                        continue
                if _close(data, theirs):
                    hint_id, hint = m.id, m.hint
                    break
            return core.wrong(
                exercise,
                "The network's outputs are not right yet." + note,
                case=shown,
                expected=[_sig(v) for v in expected],
                received=[float(v) for v in data],
                hint_id=hint_id,
                hint=hint,
            )
        try:
            autograd.backward(sum((float(ck) * a for ck, a in zip(c, got)), Value(0.0)))
        except Exception as e:
            return _raised(exercise, e, shown)
        grads, expected_grads = _mlp_param_grads(params), case.gradient()
        if not all(_close(g, e) for g, e in zip(grads, expected_grads)):
            return core.wrong(
                exercise,
                "The outputs are right, but the gradients of the weights are not." + note,
                case=shown,
                hint_id="mlp-gradients",
                hint="Build every output from the weight and bias Values with Value operations (your neuron), "
                "so that the backward pass can reach them.",
            )
    return core.correct(
        exercise, f"Well done: the right outputs and gradients on all {len(MLP_CASES)} networks." + note
    )


# --- 6. a gradient-descent update ----------------------------------------------------------------


def update_reference(params: Sequence[Any], lr: float) -> None:
    """One step of gradient descent on Values, in place, then their gradients back to zero."""
    for p in params:
        p.data -= lr * p.grad
        p.grad = 0.0


UPDATE_CASES = [
    ("one parameter", [(1.0, 0.5)], 0.1),
    ("three parameters", [(0.3, -2.0), (-1.2, 0.75), (2.0, 4.0)], 0.5),
]


def _update_state(fn: Callable, pairs: list[tuple[float, float]], lr: float) -> tuple[str, Any]:
    params = []
    for j, (d, g) in enumerate(pairs):
        p = Value(d, label=f"p{j}")
        p.grad = g
        params.append(p)
    outcome, got = _run(fn, params, lr)
    if outcome != "ok":
        return outcome, got
    return "ok", ([p.data for p in params], [p.grad for p in params], got)


def _update_variant(
    zero: bool = True, zero_first: bool = False, sign: float = -1.0, use_lr: bool = True
) -> Callable[[Sequence[Any], float], None]:
    """The update with one piece wrong (to recognise mistakes)."""

    def fn(params: Sequence[Any], lr: float) -> None:
        for p in params:
            if zero_first:
                p.grad = 0.0
            p.data += sign * (lr if use_lr else 1.0) * p.grad
            if zero:
                p.grad = 0.0

    return fn


UPDATE_MISTAKES = [
    core.Mistake(
        "not-zeroed",
        _update_variant(zero=False),
        "The update is right, but the gradients were not set back to 0. The backward pass *adds* to `.grad`, "
        "so the next step would use this step's gradient plus the next one. Set `p.grad = 0.0` after the update.",
    ),
    core.Mistake(
        "zeroed-first",
        _update_variant(zero_first=True),
        "The parameters did not move: the gradient was set to 0 before it was used. Update first "
        "(`p.data -= lr * p.grad`), then zero.",
    ),
    core.Mistake(
        "ascent",
        _update_variant(sign=1.0),
        "You moved *up* the slope: gradient descent subtracts the gradient, `p.data -= lr * p.grad`.",
    ),
    core.Mistake(
        "no-lr",
        _update_variant(use_lr=False),
        "The step is the whole gradient: multiply it by the learning rate, `p.data -= lr * p.grad`.",
    ),
]


def update(fn: Callable | None) -> Verdict:
    """Check ``update(params, lr)``: every Value ``p`` gets ``p.data -= lr * p.grad``, then ``p.grad = 0``, in place."""
    exercise = "ex-autograd-update"
    if core.is_stub(fn):
        return core.not_attempted(exercise)
    if not callable(fn):
        return core.wrong(exercise, f"Pass the function itself, not a {type(fn).__name__}.", hint_id="not-callable")
    for label, pairs, lr in UPDATE_CASES:
        shown = f"{label}, lr = {lr}: (data, grad) = {pairs}"
        outcome, got = _update_state(fn, pairs, lr)
        if outcome == "stub":
            return core.not_attempted(exercise)
        if outcome == "raised":
            return _raised(exercise, got, shown)
        data, grads, returned = got
        expected_data = [d - lr * g for d, g in pairs]
        if _close(data, expected_data) and all(g == 0 for g in grads):
            continue
        if _close(data, [d for d, _ in pairs]) and _close(grads, [g for _, g in pairs]):
            new = isinstance(returned, (list, tuple)) and len(returned) > 0
            return core.wrong(
                exercise,
                "Nothing changed: the parameters hold their old numbers and gradients.",
                case=shown,
                expected=[_sig(v) for v in expected_data],
                received=[float(v) for v in data],
                hint_id="new-values" if new else "unchanged",
                hint="You returned new Values, but the network still holds the old ones: change each parameter in "
                "place, `p.data -= lr * p.grad`."
                if new
                else "Change each parameter in place: `p.data -= lr * p.grad`, then `p.grad = 0.0`.",
            )
        hint_id, hint = None, "For each parameter: `p.data -= lr * p.grad`, then `p.grad = 0.0`."
        for m in UPDATE_MISTAKES:
            theirs = _update_state(m.fn, pairs, lr)[1]
            if _close(data, theirs[0]) and _close(grads, theirs[1]):
                hint_id, hint = m.id, m.hint
                break
        return core.wrong(
            exercise,
            "The parameters after your update are not right yet (first the numbers, then the gradients).",
            case=shown,
            expected=[_sig(v) for v in expected_data] + [0.0] * len(pairs),
            received=[float(v) for v in data + grads],
            hint_id=hint_id,
            hint=hint,
        )
    return core.correct(exercise, f"Well done: the right update on all {len(UPDATE_CASES)} cases.")


# --- keeping accepted answers ------------------------------------------------------------------

#: The functions :func:`keep` knows: name -> (its check, nnlib's version).
KEEPABLE: dict[str, tuple[Callable[[Callable], Verdict], Callable]] = {
    "mul_rule": (lambda fn: _check_rule("mul_rule", fn), autograd.mul_rule),
    "power_rule": (lambda fn: _check_rule("power_rule", fn), autograd.power_rule),
    "tanh_rule": (lambda fn: _check_rule("tanh_rule", fn), autograd.tanh_rule),
    "topological_order": (topological_order, autograd.topological_order),
    "backward": (backward, autograd.backward),
    "neuron": (neuron, neuron_reference),
    "mlp": (mlp, mlp_reference),
    "update": (update, update_reference),
}


def keep(*fns: Callable) -> Any:
    """Your functions where their checks say *correct*; nnlib's versions where they do not.

    ``topological_order = check.keep(topological_order)`` (or several at once:
    ``a, b = check.keep(a, b)``). Prints, for each, whose version the chapter goes on
    with, so that an unsolved notebook still runs from top to bottom. Functions are
    recognised by their names: those of :data:`KEEPABLE`.
    """
    if not fns:
        raise TypeError("keep expected one or more of your functions, e.g. keep(topological_order), got none")
    for fn in fns:
        name = getattr(fn, "__name__", None)
        if not callable(fn) or name not in KEEPABLE:
            got = f"a function named {name!r}" if callable(fn) else f"an object of type {type(fn).__name__}"
            raise ValueError(f"keep expected one of the chapter's functions ({', '.join(KEEPABLE)}), got {got}")
    kept = []
    for fn in fns:
        name = fn.__name__
        check, reference = KEEPABLE[name]
        if fn is reference:
            print(f"{name}: nnlib's version (it stands in for yours)")
            kept.append(reference)
        elif _quietly(check, fn).passed:
            print(f"{name}: yours (its check says correct)")
            kept.append(fn)
        else:
            print(f"{name}: nnlib's version, until yours passes its check")
            kept.append(reference)
    return kept[0] if len(kept) == 1 else tuple(kept)
