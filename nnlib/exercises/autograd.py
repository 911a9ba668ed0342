"""Checks for the chapter *Automatic differentiation* (``book/autograd/autograd.ipynb``).

In the chapter::

    from nnlib.exercises import autograd as check
    check.local_rules(mul_rule, power_rule, tanh_rule)
    check.topological_order(topological_order)
    check.backward(backward)
    check.update(update)
    check.neuron(neuron)
    check.mlp(mlp)
    topological_order = check.keep(topological_order)   # yours once correct, nnlib's until then

The learner's functions are run on graphs of :class:`nnlib.autograd.Value` nodes that
the checks build. Only the attributes the chapter's own ``Value`` has are used
(``data``, ``grad``, ``parents``, ``local_grads``), so a function written for that class
works on these. Expected numbers are **finite differences** of the computation, never a
copy of a formula: any correct way of writing an answer passes. A known mistake's hint is
shown only when the learner's function gives the mistake's result on every case; the
other hints (the structure of a result, a topological order's properties, a gradient
that cannot reach the weights) describe the result the learner's function returned.
Hints come in three parts (:class:`~nnlib.exercises.core.Hint`): what is wrong, where to
look, and the fix, one more at each repeat of the same mistake.

Two checks judge one exercise at a time even when the learner's function calls another
exercise's function: ``backward`` calls the learner's ``topological_order`` and ``mlp``
calls their ``neuron``. When that other function is not correct yet, the check runs the
learner's code with nnlib's version in its place, and says so.

:func:`keep` is how the chapter keeps accepted answers: it returns the learner's function
if its check says *correct*, and nnlib's reference otherwise, so an unsolved notebook still
runs from top to bottom on a working engine. Its own runs of the checks count no attempts.

The module reads in the chapter's order: the local rules, the topological order, the
backward pass, a gradient-descent update, a neuron, a network; then :func:`keep`.
"""

from __future__ import annotations

import copy
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
from .core import Exercise, Hint, Mistake, Verdict
from .library import saves

RULES_TITLE = "Three local rules"
RULES_EXERCISE = Exercise("ex-autograd-rules", RULES_TITLE, "mul_rule, power_rule and tanh_rule")
#: Each check's exercise, by the name of the check (and, for the rules, of each rule).
EXERCISES = {
    "local_rules": RULES_EXERCISE,
    "mul_rule": Exercise("ex-autograd-rules", RULES_TITLE, "mul_rule", several=True),
    "power_rule": Exercise("ex-autograd-rules", RULES_TITLE, "power_rule", several=True),
    "tanh_rule": Exercise("ex-autograd-rules", RULES_TITLE, "tanh_rule", several=True),
    "topological_order": Exercise("ex-autograd-topo", "A topological order", "topological_order"),
    "backward": Exercise("ex-autograd-backward", "The backward pass", "backward"),
    "update": Exercise("ex-autograd-update", "A gradient-descent step on Values", "update"),
    "neuron": Exercise("ex-autograd-neuron", "A neuron made of Values", "neuron"),
    "mlp": Exercise("ex-autograd-mlp", "A network made of Values", "mlp"),
}


RTOL, ATOL = 1e-6, 1e-8  # finite differences in float64 are good to about 1e-9
H = 1e-6
_RAISED = core._RAISED  # what a function "returned" when it raised


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


def _is_node(x: Any) -> bool:
    """A Value of any class with the attributes the backward pass uses."""
    return all(hasattr(x, name) for name in ("data", "grad", "parents", "local_grads"))


def _close(received: Any, expected: Any) -> bool:
    return core.close(received, expected, RTOL, ATOL)


def _same(mine: Any, theirs: Any) -> bool:
    """Both raised, or both gave the same numbers (lists of different lengths differ)."""
    if mine is _RAISED or theirs is _RAISED:
        return mine is theirs
    return _close(mine, theirs)


def _sig(x: float) -> float:
    """``x`` to 8 significant digits: a finite difference shown without its last digits of noise."""
    return float(f"{x:.8g}")


class _Text(str):
    """Text shown as it is in a verdict (not quoted, as a str would be)."""

    def __repr__(self) -> str:
        return str(self)


def _quietly(check: Callable[[Callable], Verdict], fn: Callable) -> Verdict:
    """A verdict for :func:`keep` and the stand-ins: it never raises (even in strict mode)
    and counts no attempt, so the learner's next hint is not one step further on."""
    saved = copy.deepcopy(core._ATTEMPTS)
    try:
        return check(fn)
    except core.ExerciseNotPassed as e:
        return Verdict("", core.WRONG, str(e))
    finally:
        core._ATTEMPTS.clear()
        core._ATTEMPTS.update(saved)


def _uses_name(code: types.CodeType, name: str) -> bool:
    """Does this code (or a function or comprehension inside it) read the global ``name``?"""
    return name in code.co_names or any(_uses_name(c, name) for c in code.co_consts if isinstance(c, types.CodeType))


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


def _matching(mistakes: Sequence[Mistake], mine: Sequence[Any], results: Callable[[Callable], list]) -> Mistake | None:
    """The first mistake whose results equal the learner's on every case."""
    for m in mistakes:
        if all(_same(a, b) for a, b in zip(mine, results(m.fn))):
            return m
    return None


CATCH_ALL = core.CATCH_ALL


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


def _names(nodes: Sequence[Any]) -> _Text:
    return _Text("[" + ", ".join(_name(n) for n in nodes) + "]")


# --- 1. local rules ---------------------------------------------------------------------------

RULE_INPUTS: dict[str, list[tuple]] = {
    "mul_rule": [(2.0, -3.0), (0.5, 4.0)],
    "power_rule": [(3.0, 2), (-2.0, 3), (2.0, -1), (1.5, 0.5)],
    "tanh_rule": [(0.5,), (-1.2,), (3.0,)],
}
RULE_ARGS = {"mul_rule": ["a", "b"], "power_rule": ["a", "k"], "tanh_rule": ["a"]}
#: How many inputs each rule differentiates (power_rule's exponent k is a constant).
RULE_ARITY = {"mul_rule": 2, "power_rule": 1, "tanh_rule": 1}
RULE_REFERENCE = {"mul_rule": autograd.mul_rule, "power_rule": autograd.power_rule, "tanh_rule": autograd.tanh_rule}
RULE_FORMULA = {"mul_rule": "a * b", "power_rule": "a ** k", "tanh_rule": "tanh(a)"}
RULE_FIX = {
    "mul_rule": "`return a * b, (b, a)`.",
    "power_rule": "`return a ** k, (k * a ** (k - 1),)`.",
    "tanh_rule": "`t = math.tanh(a)`, then `return t, (1 - t ** 2,)`.",
}

RULE_MISTAKES: dict[str, list[Mistake]] = {
    "mul_rule": [
        Mistake(
            "mul-swapped",
            lambda a, b: (a * b, (a, b)),
            Hint(
                "Your local derivatives are swapped: (a, b) says that a * b changes with a at the rate a.",
                "Look at the product's row of the table: each factor's derivative is the *other* factor.",
                RULE_FIX["mul_rule"],
            ),
        ),
        Mistake(
            "mul-add-rule",
            lambda a, b: (a * b, (1.0, 1.0)),
            Hint(
                "Your local derivatives are (1, 1): the rule of the sum, not of the product.",
                "Look at how a * b changes when a grows a little: by b times as much (and with b, by a times as much).",
                RULE_FIX["mul_rule"],
            ),
        ),
    ],
    "power_rule": [
        Mistake(
            "power-exponent-kept",
            lambda a, k: (a**k, (k * a**k,)),
            Hint(
                "Your local derivative is k a^k: the exponent did not drop by one.",
                "Look at the power rule in the table: d(a^k)/da = k a^(k-1).",
                RULE_FIX["power_rule"],
            ),
        ),
        Mistake(
            "power-no-factor",
            lambda a, k: (a**k, (a ** (k - 1),)),
            Hint(
                "Your local derivative is a^(k-1): the factor k in front is missing.",
                "Look at the rule for k = 2: d(a^2)/da = 2a, not a.",
                RULE_FIX["power_rule"],
            ),
        ),
    ],
    "tanh_rule": [
        Mistake(
            "tanh-of-input",
            lambda a: (math.tanh(a), (1 - a**2,)),
            Hint(
                "Your local derivative is 1 - a^2, with the input a; the rule uses the result t = tanh(a).",
                "Look at the table's row for tanh: 1 - t^2, where t is the result.",
                RULE_FIX["tanh_rule"],
            ),
        ),
        Mistake(
            "tanh-sigmoid-rule",
            lambda a: (math.tanh(a), (math.tanh(a) * (1 - math.tanh(a)),)),
            Hint(
                "Your local derivative is t (1 - t): the sigmoid's rule s (1 - s), not tanh's.",
                "Look at the table's row for tanh: 1 - t^2.",
                RULE_FIX["tanh_rule"],
            ),
        ),
    ],
}


def _pair(result: Any, local: Any) -> _Text:
    """A rule's pair as the learner wrote it: ``(-6, (-3, 2))``."""
    return _Text(f"({core._fmt(result)}, {core._fmt(tuple(local) if isinstance(local, list) else local)})")


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


def _rule_locals(fn: Callable, inputs: tuple) -> Any:
    """The local derivatives ``fn`` returns on ``inputs`` (``_RAISED`` if it raised or they are not a pair)."""
    got = core._quiet(fn, core.Case(inputs))
    if not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(got[1], (tuple, list)):
        return _RAISED
    return list(got[1])


def _rule_structure(name: str, got: Any) -> tuple[str, str, Hint] | None:
    """What is wrong with the shape of a rule's result: ``(hint_id, message, hint)``, or None."""
    n = RULE_ARITY[name]
    if _is_number(got):
        return (
            "result-only",
            "Your rule returned one number; a rule returns two things.",
            Hint(
                "Your rule returned only the result; a rule returns the result *and* its local derivatives.",
                "Look at the return line: it needs a second item, a tuple with one local derivative per input.",
                f"Return a pair: {RULE_FIX[name]}",
            ),
        )
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        size = f"{len(got)} items" if isinstance(got, (tuple, list)) else f"a {type(got).__name__}"
        return (
            "rule-structure",
            f"Your rule returned {size}; a rule returns a pair (result, local derivatives).",
            Hint(
                f"Your rule returned {size}, not a pair (result, local derivatives).",
                "Look at the return line: `return a * b, b, a` is a triple; the local derivatives need their "
                "own parentheses.",
                f"Return the result and one tuple: {RULE_FIX[name]}",
            ),
        )
    local = got[1]
    if _is_number(local):
        return (
            "local-not-tuple",
            "Your rule returned its local derivative as a bare number, not a tuple.",
            Hint(
                "The local derivative is a bare number; a rule returns a tuple of them, one per input, even "
                "when there is only one input.",
                "Look at the second item of your return line: `(d)` is just d in parentheses; a tuple of one "
                "needs a comma, `(d,)`. (The backward pass zips that tuple with the parents.)",
                RULE_FIX[name],
            ),
        )
    if not isinstance(local, (tuple, list)) or len(local) != n:
        count = len(local) if isinstance(local, (tuple, list)) else "no"
        inputs = " and ".join(RULE_ARGS[name][:n])
        return (
            "local-count",
            f"Your rule returned {count} local derivative(s); {name} has {core.plural(n, 'input')}.",
            Hint(
                f"Your rule returned {count} local derivative(s), but {RULE_FORMULA[name]} has "
                f"{core.plural(n, 'input')} ({inputs}), so it needs {n}.",
                "Look at which arguments are inputs of the graph: "
                + (
                    "the exponent k of power_rule is a constant that the operation keeps, not an input."
                    if name == "power_rule"
                    else "each one gets its own local derivative."
                ),
                RULE_FIX[name],
            ),
        )
    return None


def _check_rule(name: str, fn: Callable | None) -> Verdict:
    """One rule of :func:`local_rules`: ``name(inputs) -> (result, (local derivative, ...))``."""
    ex = EXERCISES[name]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for inputs in RULE_INPUTS[name]:
        shown = f"{name}({', '.join(map(repr, inputs))})"
        out = core.call(fn, inputs, {}, RULE_ARGS[name])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        got = out.value
        out_value, local = _rule_expected(name, inputs)
        expected = _pair(_sig(out_value), tuple(_sig(g) for g in local))
        if got is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your rule returned None.", hint, hint_id, case=shown, expected=expected)
        structure = _rule_structure(name, got)
        if structure is not None:
            hint_id, message, hint = structure
            return core.wrong(ex, message, hint, hint_id, case=shown, expected=expected, received=got)
        if not _close(got[0], out_value):
            return core.wrong(
                ex,
                f"The result (the first item) is not {RULE_FORMULA[name]}.",
                Hint(
                    f"The first item of your pair, the result, is not {RULE_FORMULA[name]}.",
                    "Look at the first item of your return line: it is the operation's value.",
                    RULE_FIX[name],
                ),
                "rule-result",
                case=shown,
                expected=expected,
                received=_pair(*got),
            )
        if not _close(list(got[1]), local):
            mine = [_rule_locals(fn, i) for i in RULE_INPUTS[name]]
            m = _matching(RULE_MISTAKES[name], mine, lambda f: [_rule_locals(f, i) for i in RULE_INPUTS[name]])
            return core.wrong(
                ex,
                "The local derivatives are not right yet (compared with finite differences).",
                m.hint if m else CATCH_ALL,
                m.id if m else "values-differ",
                case=shown,
                expected=expected,
                received=_pair(*got),
            )
    return core.correct(ex, f"`{name}` is right on {core.plural(len(RULE_INPUTS[name]), 'input')}.")


@saves("mul_rule", "power_rule", "tanh_rule")
def local_rules(mul_rule: Callable | None, power_rule: Callable | None, tanh_rule: Callable | None) -> Verdict:
    """Check three local derivative rules, each ``rule(inputs) -> (result, (d result/d input, ...))``.

    ``mul_rule(a, b)`` for ``a * b``, ``power_rule(a, k)`` for ``a ** k`` with a constant
    ``k`` (one local derivative, d/da), ``tanh_rule(a)`` for ``tanh(a)``. The first that is
    not right decides the verdict.
    """
    fns = {"mul_rule": mul_rule, "power_rule": power_rule, "tanh_rule": tanh_rule}

    def untouched(name: str, fn: Callable | None) -> bool:
        if core.is_stub(fn) or not callable(fn):
            return core.is_stub(fn)
        return core.call(fn, RULE_INPUTS[name][0], {}).kind == "stub"

    if all(untouched(name, fn) for name, fn in fns.items()):
        return core.not_attempted(
            RULES_EXERCISE,
            "Complete `mul_rule`, `power_rule` and `tanh_rule` in the cell above (replace each "
            "`raise NotImplementedError`), run that cell, then run this check again.",
        )
    for name, fn in fns.items():
        verdict = _check_rule(name, fn)
        if not verdict.passed:
            return verdict
    return core.correct(RULES_EXERCISE, "Well done: all three rules match finite differences on every input.")


# --- 2. the topological order -----------------------------------------------------------------

TOPO_GRAPHS = ["leaf", "chain", "shared", "equal", "depths", "neuron"]

RECURSION_HINT = Hint(
    "Your recursion never stops: Python gave up after a thousand nested calls.",
    "Look at what your visit function calls itself on: it must be the node's parents, which end at "
    "the leaves (they have none).",
    "`for parent in node.parents: visit(parent)`, after returning at once from a node already visited.",
)


@saves("topological_order")
def topological_order(fn: Callable | None) -> Verdict:
    """Check ``topological_order(root) -> list``: every node once, each after its parents, root last.

    Any valid order passes. Graphs: a single leaf, a chain, a value used three times, two
    leaves holding the same number, a value used at two depths, a neuron's cost.
    """
    ex = EXERCISES["topological_order"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for key in TOPO_GRAPHS:
        graph = GRAPHS[key]
        root, _ = graph.make()
        shown = graph.describe()
        out = core.call(fn, (root,), {}, ["root"])
        if out.kind == "raised":
            return core.raised_verdict(ex, out.value, shown, [("maximum recursion depth", "recursion", RECURSION_HINT)])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        root = out.args[0]  # the copy the function was given
        nodes = autograd.topological_order(root)  # nnlib's, to know which nodes there are
        example = _Text(f"a list like {_names(nodes)}")
        if out.value is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your function returned None.", hint, hint_id, case=shown, expected=example)
        found = _order_problem(out.value, root, nodes)
        if found is not None:
            message, hint_id, hint = found
            got = out.value
            received = _names(got) if isinstance(got, (list, tuple)) and all(map(_is_node, got)) else got
            return core.wrong(ex, message, hint, hint_id, case=shown, expected=example, received=received)
    return core.correct(ex, f"Well done: a valid order on all {len(TOPO_GRAPHS)} graphs.")


def _order_problem(got: Any, root: Value, nodes: list[Value]) -> tuple[str, str, Hint] | None:
    """What is wrong with ``got`` as a topological order of ``nodes``: ``(message, hint_id, hint)``, or None."""
    if isinstance(got, (set, frozenset)):
        return (
            "Your function returned a set.",
            "returned-set",
            Hint(
                "Your function returned a set, and a set has no order.",
                "Look at the return line: is it your set of visited nodes?",
                "Return the list `order`, to which each node is appended after its parents.",
            ),
        )
    if not isinstance(got, (list, tuple)):
        kind = type(got).__name__
        return (
            f"Return a list of nodes, not a {kind}.",
            "order-not-a-list",
            Hint(
                f"Your function returned a {kind}, not a list.",
                "Look at the return line: reversed(...), a generator or a dict view is not a list.",
                "Collect the nodes in a list (`order.append(node)`) and return that list.",
            ),
        )
    ids = {id(n) for n in nodes}
    foreign = [x for x in got if id(x) not in ids]
    if foreign:
        if all(_is_number(x) for x in foreign):
            return (
                "The list holds numbers, not the nodes.",
                "data-not-nodes",
                Hint(
                    "Your list holds numbers, not nodes.",
                    "Look at what you append: `node.data` is the node's number.",
                    "Append the nodes themselves, `order.append(node)`: the backward pass needs each node's "
                    "parents and gradient.",
                ),
            )
        return (
            f"The list holds {core.plural(len(foreign), 'object')} that are not nodes of this graph.",
            "foreign",
            Hint(
                f"Your list holds {core.plural(len(foreign), 'object')} that are not nodes of the graph, "
                f"e.g. {foreign[0]!r}.",
                "Look at what you append to the list.",
                "Append the nodes themselves: the root and, through `.parents`, everything it was computed from.",
            ),
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
            Hint(
                f"Node {_name(node)} appears {count[id(node)]} times in your list: your search reached it "
                "along several paths and appended it on every visit.",
                "Look at the start of your visit function: what happens when it reaches a node a second time?",
                "Keep a set of visited nodes: `if node in visited: return`, then `visited.add(node)`, before "
                "visiting the parents.",
            ),
        )
    missing = [x for x in nodes if id(x) not in count]
    if missing:
        node = missing[0]
        if node.data in {n.data for n in got}:
            return (
                f"Node {_name(node)} is missing.",
                "compared-by-value",
                Hint(
                    f"Node {_name(node)} is missing, and it holds the same number ({node.data:g}) as a node "
                    "in your list.",
                    "Look at what you put in your visited set: with `node.data`, two nodes holding equal "
                    "numbers look like one.",
                    "Put the nodes themselves in the set: `visited.add(node)` and `if node in visited`.",
                ),
            )
        if all(n is root or any(n is p for p in root.parents) for n in got):
            return (
                f"Node {_name(node)} is missing: your list has only the root and its parents.",
                "not-recursive",
                Hint(
                    f"Node {_name(node)} is missing: your list has only the root and its parents.",
                    "Look at how far your search goes: it stops after one level.",
                    "Visit each parent with the same function, which visits its parents in turn "
                    "(recursion), down to the leaves.",
                ),
            )
        return (
            f"Node {_name(node)} is missing.",
            "missing",
            Hint(
                f"Node {_name(node)} is missing from your list.",
                "Look at the loop over the parents: every parent of every node you visit must be visited.",
                "`for parent in node.parents: visit(parent)`.",
            ),
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
            Hint(
                "Your order is reversed: the root comes first and every node before its parents.",
                "Look at where you append a node: before visiting its parents (pre-order)?",
                "Append a node after visiting its parents (post-order), so that the leaves come first and the "
                "root last.",
            ),
        )
    parent, child = late[0]
    return (
        f"{_name(child)} comes before its parent {_name(parent)}.",
        "parent-after-child",
        Hint(
            f"{_name(child)} comes before its parent {_name(parent)} in your list.",
            "Look at when a node is appended: only once all of its parents are in the list? (A breadth-first "
            "search from the root, reversed, can break this when a node is used at two depths.)",
            "Use a depth-first search that appends a node after visiting all of its parents.",
        ),
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


_FIX_BACKWARD = (
    "`root.grad = 1.0`, then `for node in reversed(topological_order(root)):` and, for each "
    "`parent, local` in `zip(node.parents, node.local_grads)`, `parent.grad += local * node.grad`."
)

BACKWARD_MISTAKES = [
    Mistake(
        "forward-order",
        _backward_variant(reverse=False),
        Hint(
            "Your gradients are those of a walk from the leaves up: each node passed its gradient on before "
            "it had received it.",
            "Look at the loop over the nodes: which end of the topological order does it start from?",
            "Start from the root: `for node in reversed(topological_order(root)):`.",
        ),
    ),
    Mistake(
        "no-seed",
        _backward_variant(seed=False),
        Hint(
            "Every gradient came out 0: the backward pass never got started.",
            "Look at the root before the loop: dC/dC = 1 must be set there.",
            "Make `root.grad = 1.0` the first line.",
        ),
    ),
    Mistake(
        "assigned",
        _backward_variant(accumulate=False),
        Hint(
            "A value used more than once kept only its last contribution: each use overwrote the one before.",
            "Look at the line that changes `parent.grad`: `=` or `+=`?",
            "Add every contribution: `parent.grad += local * node.grad`.",
        ),
    ),
    Mistake(
        "no-chain",
        _backward_variant(chain=False),
        Hint(
            "Each parent received only the local derivative, not multiplied by the node's own gradient.",
            "Look at the product on the line that changes `parent.grad`: the chain rule has two factors.",
            "`parent.grad += local * node.grad`.",
        ),
    ),
    Mistake(
        "naive-recursion",
        _naive_recursion,
        Hint(
            "Some gradients are too large: a node passed its gradient on before it had all of it, and then again.",
            "Look at how your function walks the graph: recursion from the root reaches a node once per path, "
            "each time with the gradient it has collected so far.",
            "Visit every node once, after all the nodes that use it: " + _FIX_BACKWARD,
        ),
    ),
]


def _leaf_grads(fn: Callable, graph: Graph) -> Any:
    """The leaves' gradients after ``fn(root)`` on a fresh copy of ``graph`` (``_RAISED`` if it raised)."""
    root, leaves = graph.make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(root)
        except Exception:
            return _RAISED
    grads = [leaf.grad for leaf in leaves.values()]
    return grads if all(_is_number(g) for g in grads) else _RAISED


@saves("backward")
def backward(fn: Callable | None) -> Verdict:
    """Check ``backward(root)``: afterwards every leaf's ``.grad`` is d(root)/d(leaf).

    Compared with finite differences on five graphs, among them values used more than
    once. If the learner's ``topological_order`` is not correct yet, nnlib's is used in
    its place (and the verdict says so).
    """
    ex = EXERCISES["backward"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    fn, note = _stand_in(fn, "topological_order", topological_order, autograd.topological_order)
    for key in BACKWARD_GRAPHS:
        graph = GRAPHS[key]
        shown = graph.describe()
        root, _ = graph.make()
        out = core.call(fn, (root,), {}, ["root"])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        copied = {n.label: n for n in autograd.topological_order(out.args[0])}
        got = [copied[name].grad for name in graph.leaves]
        expected = graph.numerical_gradient()
        if not all(_is_number(g) for g in got):
            node = any(_is_node(g) for g in got)
            hint = (
                Hint(
                    "A `.grad` became a Value: you multiplied by the node itself.",
                    "Look at the product on the line that changes `parent.grad`: `node` where `node.grad` belongs?",
                    "`parent.grad += local * node.grad`.",
                )
                if node
                else Hint(
                    "Some `.grad` is not a number after your backward pass.",
                    "Look at what you add to `parent.grad`: it should be one number, a product of two numbers.",
                    "`parent.grad += local * node.grad`, with plain numbers.",
                )
            )
            return core.wrong(
                ex,
                "Some `.grad` is not a number after your backward pass." + note,
                hint,
                "times-node" if node else "not-numbers",
                case=shown,
            )
        if _close(got, expected):
            continue
        mine = [_leaf_grads(fn, GRAPHS[k]) for k in BACKWARD_GRAPHS]
        m = _matching(BACKWARD_MISTAKES, mine, lambda f: [_leaf_grads(f, GRAPHS[k]) for k in BACKWARD_GRAPHS])
        names = ", ".join(graph.leaves)
        return core.wrong(
            ex,
            f"The gradients of the leaves ({names}) are not right yet (compared with finite differences)." + note,
            m.hint if m else CATCH_ALL,
            m.id if m else "values-differ",
            case=shown,
            expected=[_sig(v) for v in expected],
            received=[float(g) for g in got],
        )
    return core.correct(
        ex, f"Well done: every gradient matches finite differences on all {len(BACKWARD_GRAPHS)} graphs." + note
    )


# --- 4. a gradient-descent update ----------------------------------------------------------------


def update_reference(params: Sequence[Any], lr: float) -> None:
    """One step of gradient descent on Values, in place, then their gradients back to zero."""
    for p in params:
        p.data -= lr * p.grad
        p.grad = 0.0


UPDATE_CASES = [
    ("one parameter", [(1.0, 0.5)], 0.1),
    ("three parameters", [(0.3, -2.0), (-1.2, 0.75), (2.0, 4.0)], 0.5),
]


def _update_params(pairs: list[tuple[float, float]]) -> list[Value]:
    params = []
    for j, (d, g) in enumerate(pairs):
        p = Value(d, label=f"p{j}")
        p.grad = g
        params.append(p)
    return params


def _update_state(fn: Callable, pairs: list[tuple[float, float]], lr: float) -> Any:
    """``(numbers, gradients)`` of the parameters after ``fn(params, lr)`` (``_RAISED`` if it raised)."""
    params = _update_params(pairs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(params, lr)
        except Exception:
            return _RAISED
    return [p.data for p in params] + [p.grad for p in params]


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


_FIX_UPDATE = "`for p in params:` then `p.data -= lr * p.grad` and `p.grad = 0.0`."

UPDATE_MISTAKES = [
    Mistake(
        "not-zeroed",
        _update_variant(zero=False),
        Hint(
            "The step is right, but the gradients were not set back to 0.",
            "The backward pass adds to `.grad`: without zeroing, the next step would use this step's gradient "
            "plus the next one.",
            "After the update, `p.grad = 0.0`.",
        ),
    ),
    Mistake(
        "zeroed-first",
        _update_variant(zero_first=True),
        Hint(
            "The parameters did not move, and their gradients are 0: each gradient was zeroed before it was used.",
            "Look at the order of your two lines.",
            "Update first, `p.data -= lr * p.grad`, then `p.grad = 0.0`.",
        ),
    ),
    Mistake(
        "ascent",
        _update_variant(sign=1.0),
        Hint(
            "Your parameters moved *up* the slope: p + lr * dC/dp.",
            "Look at the sign of the update: the gradient points to larger cost.",
            "`p.data -= lr * p.grad`.",
        ),
    ),
    Mistake(
        "no-lr",
        _update_variant(use_lr=False),
        Hint(
            "Your step is the whole gradient: the learning rate is missing.",
            "Look at the line that changes `p.data`.",
            "`p.data -= lr * p.grad`.",
        ),
    ),
]


@saves("update")
def update(fn: Callable | None) -> Verdict:
    """Check ``update(params, lr)``: every Value ``p`` gets ``p.data -= lr * p.grad``, then ``p.grad = 0``, in place."""
    ex = EXERCISES["update"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for label, pairs, lr in UPDATE_CASES:
        shown = f"{label}, lr = {lr}: (data, grad) = {pairs}"
        out = core.call(fn, (_update_params(pairs), lr), {}, ["params", "lr"])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        params = out.args[0]
        data, grads = [p.data for p in params], [p.grad for p in params]
        expected_data = [d - lr * g for d, g in pairs]
        if _close(data, expected_data) and all(g == 0 for g in grads):
            continue
        expected = [_sig(v) for v in expected_data] + [0.0] * len(pairs)
        received = [float(v) for v in data + grads]
        if _close(data, [d for d, _ in pairs]) and _close(grads, [g for _, g in pairs]):
            if isinstance(out.value, (list, tuple)) and len(out.value) > 0:
                hint_id, hint = (
                    "new-values",
                    Hint(
                        "Nothing changed in the Values you were given: you returned new Values instead.",
                        "The network, and the next forward pass, hold these very Values; a new list is never used.",
                        "Change each one in place and return nothing: " + _FIX_UPDATE,
                    ),
                )
            else:
                hint_id, hint = (
                    "unchanged",
                    Hint(
                        "Nothing changed: the parameters hold their old numbers and gradients.",
                        "Look at the loop: does it assign to `p.data` and to `p.grad`?",
                        _FIX_UPDATE,
                    ),
                )
            return core.wrong(
                ex,
                "Nothing changed: the parameters hold their old numbers and gradients.",
                hint,
                hint_id,
                case=shown,
                expected=expected,
                received=received,
            )
        mine = [_update_state(fn, p, r) for _, p, r in UPDATE_CASES]
        m = _matching(UPDATE_MISTAKES, mine, lambda f: [_update_state(f, p, r) for _, p, r in UPDATE_CASES])
        return core.wrong(
            ex,
            "The parameters after your update are not right yet (first the numbers, then the gradients).",
            m.hint if m else CATCH_ALL,
            m.id if m else "values-differ",
            case=shown,
            expected=expected,
            received=received,
        )
    return core.correct(ex, f"Well done: the right update on all {len(UPDATE_CASES)} cases.")


# --- 5. a neuron ------------------------------------------------------------------------------


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

_FIX_NEURON = "`z = b`, then `z = z + w_j * x_j` for each pair, then `return z.sigmoid()`."


def _weighted_sum(x: Sequence[Any], w: Sequence[Any]) -> Any:
    return sum((w_j * x_j for w_j, x_j in zip(w, x)), 0.0)


NEURON_MISTAKES = [
    Mistake(
        "no-bias",
        lambda x, w, b: _weighted_sum(x, w).sigmoid(),
        Hint(
            "Your output is sigma(w . x): the bias is missing.",
            "Look at the weighted input: z = w . x + b.",
            _FIX_NEURON,
        ),
    ),
    Mistake(
        "no-activation",
        lambda x, w, b: _weighted_sum(x, w) + b,
        Hint(
            "Your output is the weighted input z = w . x + b: the sigmoid is missing.",
            "Look at the return line: the neuron's output is a = sigma(z).",
            _FIX_NEURON,
        ),
    ),
    Mistake(
        "tanh",
        lambda x, w, b: (_weighted_sum(x, w) + b).tanh(),
        Hint(
            "Your output is tanh(z); this neuron's activation is the sigmoid.",
            "Look at the last operation of your neuron.",
            _FIX_NEURON,
        ),
    ),
]


def _neuron_output(fn: Callable, case: NeuronCase) -> Any:
    """The number ``fn`` returns for ``case`` (``_RAISED`` if it raised or returned no node)."""
    got = core._quiet(fn, core.Case(case.make()))
    return float(got.data) if _is_node(got) and _is_number(got.data) else _RAISED


@saves("neuron")
def neuron(fn: Callable | None) -> Verdict:
    """Check ``neuron(x, w, b) -> Value``: ``sigmoid(w . x + b)`` built from Values, so that it has gradients.

    ``x`` is a list of numbers or of Values, ``w`` a list of Values, ``b`` a Value. The value
    is compared with the formula, then the gradients (from nnlib's backward pass through the
    returned node) with finite differences.
    """
    ex = EXERCISES["neuron"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    for case in NEURON_CASES:
        shown = case.describe()
        out = core.call(fn, case.make(), {}, ["x", "w", "b"])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        got, (x, w, b) = out.value, out.args
        expected = case.value()
        if got is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your neuron returned None.", hint, hint_id, case=shown, expected=_sig(expected))
        if not _is_node(got):
            number = _is_number(got)
            hint = (
                Hint(
                    "Your neuron returned a number, not a Value: nothing remembers how it was computed.",
                    "Look at your computation: it uses `.data` (numbers) or math or numpy functions where Value "
                    "operations belong.",
                    "Compute with the Values themselves: " + _FIX_NEURON,
                )
                if number
                else Hint(
                    f"Your neuron returned a {type(got).__name__}; it returns one Value, the output a.",
                    "Look at the return line.",
                    _FIX_NEURON,
                )
            )
            return core.wrong(
                ex,
                f"Your neuron returned a {type(got).__name__}, not a Value.",
                hint,
                "not-a-value" if number else "neuron-structure",
                case=shown,
                expected=_sig(expected),
                received=got,
            )
        if not _close(got.data, expected):
            mine = [_neuron_output(fn, c) for c in NEURON_CASES]
            m = _matching(NEURON_MISTAKES, mine, lambda f: [_neuron_output(f, c) for c in NEURON_CASES])
            return core.wrong(
                ex,
                "The neuron's output is not right yet.",
                m.hint if m else CATCH_ALL,
                m.id if m else "values-differ",
                case=shown,
                expected=_sig(expected),
                received=got.data,
            )
        try:
            autograd.backward(got)
        except Exception as e:  # a graph of unexpected objects
            return core.raised_verdict(ex, e, shown)
        grads = [w_j.grad for w_j in w] + [b.grad] + ([x_j.grad for x_j in x] if case.x_are_values else [])
        expected_grads = case.gradient()
        if _close(grads, expected_grads):
            continue
        cut = all(g == 0 for g in grads)
        hint = (
            Hint(
                "The output is right, but no gradient reaches w and b: the result has no parents.",
                "Look for `.data`, or a `Value(...)` made from numbers: it starts a new graph and cuts the old one.",
                "Build the output from the Values themselves: " + _FIX_NEURON,
            )
            if cut
            else Hint(
                "The output is right, but its gradients are not: only part of the computation was recorded.",
                "Look for a step computed with `.data` (numbers) instead of with the Values.",
                "Use Value operations for every step: " + _FIX_NEURON,
            )
        )
        return core.wrong(
            ex,
            "The output is right, but no gradient reaches w and b."
            if cut
            else "The output is right, but its gradients are not.",
            hint,
            "graph-cut" if cut else "neuron-gradients",
            case=shown,
            expected=[_sig(v) for v in expected_grads],
            received=[float(g) for g in grads],
        )
    return core.correct(ex, f"Well done: the right output and gradients on all {len(NEURON_CASES)} cases.")


# --- 6. a network -----------------------------------------------------------------------------


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


_FIX_MLP = (
    "`a = x`, then for each `(W, b)`: `a = [neuron(a, [row[k] for row in W], b[k]) for k in range(len(b))]`, "
    "and `return a` after the loop."
)

MLP_MISTAKES = [
    Mistake(
        "rows-not-columns",
        _rows_not_columns,
        Hint(
            "Neuron k got row k of W, the weights *from* input k; its own weights are column k.",
            "Look at how you pick neuron k's weights: W[j][k] connects input j to neuron k.",
            _FIX_MLP,
        ),
    ),
    Mistake(
        "column-length",
        _column_length_from_b,
        Hint(
            "Neuron k's column was cut short: you counted its weights with len(b), the number of neurons.",
            "Look at the range of j in W[j][k]: column k has one entry per *input*, len(W) of them.",
            _FIX_MLP,
        ),
    ),
    Mistake(
        "same-input",
        _same_input,
        Hint(
            "Every layer received the network's input x.",
            "Look at the loop over the layers: what does each layer get as its inputs?",
            _FIX_MLP,
        ),
    ),
    Mistake(
        "first-layer-only",
        _first_layer_only,
        Hint(
            "These are the first layer's outputs: the function returned after one layer.",
            "Look at the indentation of `return`: is it inside the loop over the layers?",
            _FIX_MLP,
        ),
    ),
]

INDEX_HINT = Hint(
    "An index went out of range.",
    "Look at the indices: in W[j][k], j counts the layer's inputs (the rows, len(W)) and k its neurons "
    "(the columns, len(b)); b[k] has one entry per neuron.",
    _FIX_MLP,
)


def _mlp_param_grads(params: list) -> list[np.ndarray]:
    out = []
    for W, b in params:
        out += [np.array([[w.grad for w in row] for row in W]), np.array([v.grad for v in b])]
    return out


def _mlp_outputs(fn: Callable, case: MLPCase) -> Any:
    """The numbers ``fn`` returns for ``case`` (``_RAISED`` if it raised or returned no list of nodes)."""
    got = core._quiet(fn, core.Case(case.make()))
    if not isinstance(got, (list, tuple)) or not all(_is_node(a) for a in got):
        return _RAISED
    return [float(a.data) for a in got]


@saves("mlp")
def mlp(fn: Callable | None) -> Verdict:
    """Check ``mlp(x, params) -> list of Values``: the outputs of a network of sigmoid neurons.

    ``params`` is a list of ``(W, b)`` per layer, ``W[j][k]`` the Value connecting input
    ``j`` to neuron ``k`` (rows are inputs, as ``nnlib``'s ``W`` of shape ``(n_in, n_out)``)
    and ``b[k]`` neuron ``k``'s bias. The outputs are compared with a NumPy forward pass,
    and the gradients of ``sum_k c_k a_k`` (nnlib's backward pass through the returned
    nodes) with finite differences. If the learner's ``neuron`` is not correct yet, nnlib's
    is used in its place.
    """
    ex = EXERCISES["mlp"]
    if core.is_stub(fn):
        return core.not_attempted(ex)
    if not callable(fn):
        return core.not_callable(ex, fn)
    fn, note = _stand_in(fn, "neuron", neuron, neuron_reference)
    for case in MLP_CASES:
        shown = case.describe()
        out = core.call(fn, case.make(), {}, ["x", "params"])
        if out.kind == "raised":
            return core.raised_verdict(ex, out.value, shown, [("list index out of range", "index", INDEX_HINT)])
        problem = core.unfinished_call(ex, fn, out, shown)
        if problem is not None:
            return problem
        got, params = out.value, out.args[1]
        _, Ws, bs, c = case.arrays()
        expected = [_sig(v) for v in case.forward(Ws, bs)]
        if got is None:
            hint_id, hint = core.none_hint(fn)
            return core.wrong(ex, "Your network returned None." + note, hint, hint_id, case=shown, expected=expected)
        if _is_node(got):
            return core.wrong(
                ex,
                "Your network returned one Value, not a list." + note,
                Hint(
                    "Your network returned one Value; the task asks for the list of outputs.",
                    "Look at the return line: with one output neuron, did you return `a[0]`?",
                    "Return the last layer's list, even when it holds one Value: " + _FIX_MLP,
                ),
                "not-a-list",
                case=shown,
                expected=expected,
                received=got.data,
            )
        if not isinstance(got, (list, tuple)) or not all(_is_node(a) for a in got):
            what = type(got).__name__
            if isinstance(got, (list, tuple)) and got:
                what += f" of {type(got[0]).__name__}s"
            return core.wrong(
                ex,
                f"Return a list of Values, one per output neuron; got a {what}." + note,
                Hint(
                    f"Your network returned a {what}; the task asks for a list of Values, one per output neuron.",
                    "Look at what you return: a list of every layer's outputs, or numbers instead of Values?",
                    _FIX_MLP,
                ),
                "mlp-structure",
                case=shown,
                expected=expected,
            )
        data = [float(a.data) for a in got]
        if not _close(data, expected):
            mine = [_mlp_outputs(fn, k) for k in MLP_CASES]
            m = _matching(MLP_MISTAKES, mine, lambda f: [_mlp_outputs(f, k) for k in MLP_CASES])
            return core.wrong(
                ex,
                "The network's outputs are not right yet." + note,
                m.hint if m else CATCH_ALL,
                m.id if m else "values-differ",
                case=shown,
                expected=expected,
                received=data,
            )
        try:
            autograd.backward(sum((float(ck) * a for ck, a in zip(c, got)), Value(0.0)))
        except Exception as e:
            return core.raised_verdict(ex, e, shown)
        if not all(_close(g, e) for g, e in zip(_mlp_param_grads(params), case.gradient())):
            return core.wrong(
                ex,
                "The outputs are right, but the gradients of the weights are not." + note,
                Hint(
                    "The outputs are right, but the gradients of the weights are not: the graph does not reach them.",
                    "Look for `.data`, or a `Value(...)` made from numbers, between the weights and the outputs.",
                    "Build every output from the weight and bias Values with your neuron: " + _FIX_MLP,
                ),
                "mlp-gradients",
                case=shown,
            )
    return core.correct(ex, f"Well done: the right outputs and gradients on all {len(MLP_CASES)} networks." + note)


# --- keeping accepted answers ------------------------------------------------------------------

#: The functions :func:`keep` knows: name -> (its check, nnlib's version).
KEEPABLE: dict[str, tuple[Callable[[Callable], Verdict], Callable]] = {
    "mul_rule": (lambda fn: _check_rule("mul_rule", fn), autograd.mul_rule),
    "power_rule": (lambda fn: _check_rule("power_rule", fn), autograd.power_rule),
    "tanh_rule": (lambda fn: _check_rule("tanh_rule", fn), autograd.tanh_rule),
    "topological_order": (topological_order, autograd.topological_order),
    "backward": (backward, autograd.backward),
    "update": (update, update_reference),
    "neuron": (neuron, neuron_reference),
    "mlp": (mlp, mlp_reference),
}


def keep(*fns: Callable) -> Any:
    """Your functions where their checks say *correct*; nnlib's versions where they do not.

    ``topological_order = check.keep(topological_order)`` (or several at once:
    ``a, b = check.keep(a, b)``). Prints, for each, whose version the chapter goes on
    with, so that an unsolved notebook still runs from top to bottom. Functions are
    recognised by their names: those of :data:`KEEPABLE`. Running the checks here counts
    no attempt (the hints of the check cells do not move on).
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
