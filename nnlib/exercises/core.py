"""The machinery behind every exercise check.

A check runs the learner's function on a list of :class:`Case` objects,
smallest first, and compares each result with a reference solution. The
first case that fails decides the :class:`Verdict`:

* the function still raises ``NotImplementedError`` (or returns ``...``):
  **not attempted yet**; when the function is written but calls another
  exercise's function that is still a stub, the verdict says which one to
  finish first (it is still *not attempted yet*: nothing could be checked);
* every case matches, with the type the task asks for (a float array, one
  number, an int, a tuple...) and without changing the inputs: **correct**;
* otherwise **wrong**, showing that case's input, the expected and the
  received value, and a hint aimed at the mistake.

A hint is a :class:`Hint` in three parts, given one at a time: the first wrong
attempt says *what* is wrong; the same mistake again (in the same Python
process) also says *where* to look; a third time gives the *fix*. The count is
kept per exercise and per mistake (:func:`reset_attempts` clears it).

Hints come from three places, and each appears only when it describes the
learner's actual output:

1. a checker lists known :class:`Mistake` objects, a wrong implementation with
   its hint; a mistake's hint is shown only when the learner's function gives
   the same result as the mistake on **every** case (both raising counts as the
   same), so a coincidence on one small input never picks a hint;
2. the type the task names (``returns=``): a list, a generator or a bool array
   where a float array is asked for, a float where counts are asked for...;
3. a generic diagnosis that says only what it knows: ``None`` returned (with
   or without a ``return`` statement), the shape (a missing axis, an extra
   axis, transposed, or just different), NaN or inf, an input changed in place
   (an array written into, or a list's entries replaced), an exception. The
   last resort compares values and points at the input shown and at the
   solution, never at text that may not be there.

A check never raises in a normal run, so an unsolved notebook still runs
top to bottom. With the environment variable ``NNLIB_EXERCISE_STRICT=1``
(used by the test suite on the solved notebooks) any verdict other than
*correct* raises :class:`ExerciseNotPassed`.

The module reads top to bottom: what an exercise is and what a check returns
(:class:`Exercise`, :class:`Hint`, the :class:`Verdict` and how it is shown,
strict mode, the count of attempts), then how a check arrives at it (calling
the learner's function, the types asked for, cases, known mistakes, the generic
diagnosis, :func:`check_function`).
"""

from __future__ import annotations

import copy
import dis
import html
import os
import re
import traceback
import types
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# --- what an exercise is, and what a check returns --------------------------------------
STRICT_ENV = "NNLIB_EXERCISE_STRICT"
NOT_ATTEMPTED, CORRECT, WRONG = "not attempted", "correct", "wrong"


class ExerciseNotPassed(AssertionError):
    """Raised in strict mode when a check is not correct."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a chapter.

    ``label`` is the ``:label:`` of its ``{exercise}`` block (and the stub's
    ``nnlib.exercise`` metadata), ``title`` the block's title, which every verdict
    shows, and ``function`` the name of what the learner writes (``sigmoid``, or
    ``w_and, b_and`` for values), used in messages.
    """

    label: str
    title: str
    function: str
    several: bool = False  # one of several functions of the exercise: messages name it

    @property
    def key(self) -> str:
        """What the count of attempts is kept under: the exercise, and the function in it."""
        return f"{self.label}:{self.function}"

    def say(self, message: str) -> str:
        return f"`{self.function}`: {message}" if self.several else message


@dataclass(frozen=True)
class Hint:
    """A hint in three parts, shown one more at each repeat of the same mistake.

    ``what`` is wrong (first attempt), ``where`` to look (second), the ``fix`` (third).
    """

    what: str
    where: str = ""
    fix: str = ""

    def rows(self, level: int) -> list[tuple[str, str]]:
        """The rows shown at ``level`` 1, 2 or 3."""
        parts = [("hint", self.what), ("where", self.where), ("fix", self.fix)][: max(1, min(level, 3))]
        return [(k, v) for k, v in parts if v]


@dataclass
class Verdict:
    """The outcome of a check, shown as one clear block in the notebook.

    ``exercise`` is the exercise's title and ``function`` the function checked;
    ``hint`` is the text of every hint row shown (``hint_rows``), ``hint_level`` how
    many parts of the hint were given (1: what, 2: and where, 3: and the fix).
    """

    exercise: str
    status: str
    message: str = ""
    hint: str | None = None
    hint_id: str | None = None
    case: str | None = None
    expected: Any = None
    received: Any = None
    label: str | None = None
    hint_level: int = 0
    hint_rows: list[tuple[str, str]] = field(default_factory=list)
    waiting_for: str | None = None
    function: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)  # e.g. where a correct function was saved

    @property
    def passed(self) -> bool:
        return self.status == CORRECT

    def __bool__(self) -> bool:
        return self.passed

    @property
    def mark(self) -> str:
        """The verdict's word: correct, wrong, not attempted yet (or waiting for a function)."""
        if self.status == NOT_ATTEMPTED and self.waiting_for:
            return f"not attempted yet: finish {self.waiting_for} first"
        return {CORRECT: "correct", WRONG: "wrong", NOT_ATTEMPTED: "not attempted yet"}[self.status]

    def _lines(self) -> list[tuple[str, str]]:
        rows = []
        if self.case is not None:
            rows.append(("input", self.case))
        if self.expected is not None:
            rows.append(("expected", _fmt(self.expected)))
        if self.received is not None:
            rows.append(("received", _fmt(self.received)))
        return rows + self.hint_rows + self.notes

    def __str__(self) -> str:
        head = f"{self.exercise}: [{self.mark}] {self.message}".rstrip()
        lines = [head]
        for k, v in self._lines():
            first, *rest = v.split("\n")
            lines.append(f"  {k:>8}: {first}")
            lines += [f"  {'':>8}  {line}" for line in rest]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        # The box brings its own background and text colour, so the contrast (>= 4.5:1 for
        # every colour, tests/test_exercise_core.py) does not depend on the page's theme; the
        # <style> switches to the dark palette on JupyterLab's and the website's dark themes.
        status = self.status.replace(" ", "-")
        icon = {CORRECT: "&#10004;", WRONG: "&#10008;", NOT_ATTEMPTED: "&#8230;"}[self.status]
        plain = "background:transparent;color:inherit;border:0;"
        cell = f"text-align:left;vertical-align:top;padding:.1em .6em .1em 0;{plain}"
        pre = f"margin:0;padding:0;white-space:pre-wrap;{plain}"
        rows = "".join(
            f"<tr style='text-align:left;{plain}'>"
            f"<th style='{cell}font-weight:bold;white-space:nowrap'>{html.escape(k)}</th>"
            f"<td style='{cell}'><pre style='{pre}'>{_code(v)}</pre></td></tr>"
            for k, v in self._lines()
        )
        table = f"<table style='margin:.3em 0 0 0;border-collapse:collapse;{plain}'>{rows}</table>" if rows else ""
        return (
            f"<style>{VERDICT_CSS}</style>"
            f"<div class='nnlib-verdict nnlib-verdict-{status}' style='text-align:left;"
            f"background:var(--nnlib-verdict-bg,{PALETTE['light']['bg']});"
            f"color:var(--nnlib-verdict-fg,{PALETTE['light']['fg']});"
            f"border-left:6px solid var(--nnlib-verdict-{status},{PALETTE['light'][self.status]});"
            "padding:.4em .8em;margin:.3em 0'>"
            f"<strong>{html.escape(self.exercise)}</strong>: "
            f"<strong style='color:var(--nnlib-verdict-{status},{PALETTE['light'][self.status]})'>"
            f"{icon} {_code(self.mark)}</strong> {_code(self.message)}{table}</div>"
        )


# Text colours on the verdict's own background, light and dark: every pair has a contrast
# of at least 4.5:1 (WCAG AA), checked in tests/test_exercise_core.py.
PALETTE = {
    "light": {"bg": "#f6f8fa", "fg": "#1f2328", CORRECT: "#116329", WRONG: "#953800", NOT_ATTEMPTED: "#59636e"},
    "dark": {"bg": "#161b22", "fg": "#e6edf3", CORRECT: "#3fb950", WRONG: "#f0883e", NOT_ATTEMPTED: "#9198a1"},
}
# Dark themes: JupyterLab and Notebook 7, the website (pydata-sphinx-theme), VS Code.
DARK_SELECTORS = (
    'body[data-jp-theme-light="false"] .nnlib-verdict',
    'html[data-theme="dark"] .nnlib-verdict',
    "body.vscode-dark .nnlib-verdict",
)
VERDICT_CSS = (
    ",".join(DARK_SELECTORS)
    + "{"
    + ";".join(f"--nnlib-verdict-{name.replace(' ', '-')}:{colour}" for name, colour in PALETTE["dark"].items())
    + "}.nnlib-verdict code{color:inherit;background:transparent;border:0;padding:0;font-size:inherit}"
)


_CODE_STYLE = "color:inherit;background:transparent;border:0;padding:0;font-size:inherit"


def _code(text: str) -> str:
    """Escape for HTML, showing `backticked` words as code (in the verdict's own colours)."""
    return re.sub(r"`([^`]+)`", rf"<code style='{_CODE_STYLE}'>\1</code>", html.escape(text))


def _fmt(value: Any) -> str:
    """A value as the learner should see it: its type stays visible (a tuple is a tuple)."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape}, dtype {value.dtype}:\n" + np.array2string(
            value, precision=5, threshold=40, edgeitems=3, suppress_small=False
        )
    if isinstance(value, (bool, np.bool_)):
        return repr(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, (tuple, list)):
        open_, close_ = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if all(isinstance(v, (bool, int, float, np.number, np.bool_, str)) or v is None for v in value):
            inner = ", ".join(_fmt(v) if not isinstance(v, str) else repr(v) for v in value)
            return open_ + inner + ("," if isinstance(value, tuple) and len(value) == 1 else "") + close_
        kind = type(value).__name__
        return f"a {kind} of {plural(len(value), 'item')}:\n" + "\n".join(
            f"[{i}] " + _fmt(v).replace("\n", "\n    ") for i, v in enumerate(value)
        )
    if isinstance(value, types.GeneratorType):
        return "a generator"
    return repr(value)


def plural(n: int, noun: str) -> str:
    """``1 test case``, ``2 test cases``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "").strip() not in ("", "0", "false", "no")


def finish(verdict: Verdict) -> Verdict:
    """Return ``verdict``; in strict mode raise unless it is correct."""
    if _strict() and not verdict.passed:
        raise ExerciseNotPassed(str(verdict))
    return verdict


# How often each exercise got each hint in this process: {Exercise.key: Counter({hint_id: n})}.
_ATTEMPTS: dict[str, Counter] = {}


def reset_attempts(exercise: Exercise | None = None) -> None:
    """Forget the hints given so far (for one exercise, or all): the next one starts at *what*."""
    if exercise is None:
        _ATTEMPTS.clear()
    else:
        _ATTEMPTS.pop(exercise.key, None)


def not_attempted(ex: Exercise, message: str | None = None) -> Verdict:
    return finish(
        Verdict(
            ex.title,
            NOT_ATTEMPTED,
            ex.say(
                message
                or (
                    f"Complete `{ex.function}` in the cell above (replace the "
                    "`raise NotImplementedError`), run that cell, then run this check again."
                )
            ),
            label=ex.label,
            function=ex.function,
        )
    )


def waiting(ex: Exercise, fn: Callable, blocker: str) -> Verdict:
    """The learner's function is written but calls ``blocker``, which is still a stub."""
    name = getattr(fn, "__name__", "")
    name = name if name.isidentifier() else ex.function
    return finish(
        Verdict(
            ex.title,
            NOT_ATTEMPTED,
            f"`{name}` calls `{blocker}`, which is not finished yet: it still raises "
            f"`NotImplementedError`. Complete `{blocker}` in its cell above and run that cell, "
            "then run this check again.",
            label=ex.label,
            waiting_for=f"`{blocker}`",
            function=ex.function,
        )
    )


def correct(ex: Exercise, message: str = "Well done: every test case matches.") -> Verdict:
    return finish(Verdict(ex.title, CORRECT, message, label=ex.label, function=ex.function))


def passed_cases(n: int) -> str:
    """The message of a correct verdict after ``n`` cases."""
    return f"Well done: your function matches on {plural(n, 'test case')}."


def wrong(ex: Exercise, message: str, hint: Hint | None = None, hint_id: str | None = None, **details: Any) -> Verdict:
    """A *wrong* verdict; ``hint`` is shown up to the level this mistake has reached."""
    rows: list[tuple[str, str]] = []
    level = 0
    if hint is not None:
        seen = _ATTEMPTS.setdefault(ex.key, Counter())
        seen[hint_id or "values-differ"] += 1
        level = min(seen[hint_id or "values-differ"], 3)
        rows = hint.rows(level)
    return finish(
        Verdict(
            ex.title,
            WRONG,
            ex.say(message),
            hint="\n".join(v for _, v in rows) or None,
            hint_id=hint_id,
            label=ex.label,
            function=ex.function,
            hint_level=level,
            hint_rows=rows,
            **details,
        )
    )


def describe_args(args: tuple, kwargs: dict, names: Sequence[str] | None = None) -> str:
    """Readable text for a call's arguments, e.g. ``z = array([0., 1.])``."""
    parts = []
    for i, a in enumerate(args):
        name = names[i] if names and i < len(names) else f"arg{i}"
        parts.append(f"{name} = {_fmt(a)}")
    parts += [f"{k} = {_fmt(v)}" for k, v in kwargs.items()]
    return "\n".join(parts)


# --- calling the learner's function ------------------------------------------------------
@dataclass
class Outcome:
    """What happened when the learner's function ran on one case.

    ``kind`` is ``"ok"``, ``"stub"`` (``NotImplementedError`` in the function itself, or
    ``...`` returned), ``"blocked"`` (a function it calls is still a stub: ``blocked_by``
    names it), ``"raised"`` (``value`` is the exception) or ``"modified"`` (it changed
    an input: ``change`` says how, ``value`` is the result).
    """

    kind: str
    value: Any = None
    warnings: list = field(default_factory=list)
    change: tuple[str, str] | None = None
    blocked_by: str | None = None
    args: tuple = ()  # the arguments as the function left them


def is_stub(fn: Callable | None) -> bool:
    """True when ``fn`` is missing or still the untouched stub."""
    return fn is None or getattr(fn, "__nnlib_stub__", False)


def _unfinished_callee(fn: Callable, error: NotImplementedError) -> str | None:
    """The name of the function that raised ``error``, when it is not ``fn`` itself.

    Only a bare ``raise NotImplementedError`` (an exercise stub) in another Python
    function counts; a NotImplementedError with a message is a real error.
    """
    own = getattr(fn, "__code__", None)
    frames = [f for f, _ in traceback.walk_tb(error.__traceback__)]
    if own is None or not frames or frames[-1].f_code is own or str(error):
        return None
    name = frames[-1].f_code.co_name
    return name if name.isidentifier() else "a function it calls"


def _snapshot(x: Any) -> Any:
    """What ``x`` holds now: copies of arrays, and the very objects in lists and dicts."""
    if isinstance(x, np.ndarray):
        return ("array", x.copy())
    if isinstance(x, (list, tuple)):
        return ("seq", list(x), [_snapshot(v) for v in x])
    if isinstance(x, dict):
        return ("dict", dict(x), {k: _snapshot(v) for k, v in x.items()})
    return ("other",)


def _change(name: str, x: Any, snap: Any) -> tuple[str, str] | None:
    """How the function changed the argument ``x`` (``(kind, name)``), or None."""
    if snap[0] == "array":
        if x.shape != snap[1].shape or not np.array_equal(x, snap[1], equal_nan=True):
            return ("array", name)
    elif snap[0] == "seq":
        items, subs = snap[1], snap[2]
        for i, (item, sub) in enumerate(zip(items, subs)):  # the objects it was given
            found = _change(f"{name}[{i}]", item, sub)
            if found:
                return found
        if len(x) != len(items):
            return ("list-size", name)
        if any(a is not b for a, b in zip(x, items)):
            same_set = sorted(map(id, x)) == sorted(map(id, items))
            return ("list-order" if same_set else "list-entries", name)
    elif snap[0] == "dict":
        for k, sub in snap[2].items():
            found = _change(f"{name}[{k!r}]", snap[1][k], sub)
            if found:
                return found
        if x.keys() != snap[1].keys() or any(x[k] is not v for k, v in snap[1].items()):
            return ("list-entries", name)
    return None


def call(fn: Callable, args: tuple, kwargs: dict, names: Sequence[str] | None = None) -> Outcome:
    """Run ``fn`` on copies of the inputs and report what happened (an :class:`Outcome`)."""
    a, k = copy.deepcopy(args), copy.deepcopy(kwargs)
    snaps = [_snapshot(x) for x in a], {key: _snapshot(v) for key, v in k.items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = fn(*a, **k)
        except NotImplementedError as e:
            blocker = _unfinished_callee(fn, e)
            if blocker:
                return Outcome("blocked", blocked_by=blocker, warnings=list(caught))
            if getattr(fn, "__code__", None) is None or not str(e) or _raised_in(fn, e):
                return Outcome("stub", warnings=list(caught))
            return Outcome("raised", e, list(caught))
        except Exception as e:  # the learner's code may raise anything
            return Outcome("raised", e, list(caught))
    if value is Ellipsis:
        return Outcome("stub", warnings=list(caught))
    arg_names = [names[i] if names and i < len(names) else f"arg{i}" for i in range(len(a))]
    for name, x, snap in zip(arg_names, a, snaps[0]):
        change = _change(name, x, snap)
        if change:
            return Outcome("modified", value, list(caught), change=change, args=a)
    for key, snap in snaps[1].items():
        change = _change(key, k[key], snap)
        if change:
            return Outcome("modified", value, list(caught), change=change, args=a)
    return Outcome("ok", value, list(caught), args=a)


def _raised_in(fn: Callable, error: BaseException) -> bool:
    frames = [f for f, _ in traceback.walk_tb(error.__traceback__)]
    return bool(frames) and frames[-1].f_code is getattr(fn, "__code__", None)


def has_return_value(fn: Callable) -> bool:
    """Whether ``fn``'s code has a ``return`` with a value (not only the implicit ``return None``)."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return True
    previous = None
    for ins in dis.get_instructions(code):
        if ins.opname == "RETURN_CONST" and ins.argval is not None:
            return True
        if ins.opname == "RETURN_VALUE" and not (
            previous is not None and previous.opname == "LOAD_CONST" and previous.argval is None
        ):
            return True
        previous = ins
    return False


# --- the hints for a changed input, a missing return, an exception -----------------------
def change_hint(change: tuple[str, str]) -> tuple[str, Hint, str]:
    """``(hint_id, hint, message)`` for an input the learner's function changed."""
    kind, name = change
    if kind == "array":
        return (
            "in-place",
            Hint(
                f"After the call the array `{name}` holds other values: your function wrote into "
                "the array it was given, so the caller's data changed.",
                f"Look for a line that writes into `{name}`: `{name} -= ...`, `{name} *= ...`, "
                f"`{name}[...] = ...`, rng.shuffle({name}), or a numpy function with out=... "
                "(np.asarray returns the same array, not a copy).",
                f"Compute a new array instead, e.g. `{name} = {name} - ...` (a new array) rather than "
                f"`{name} -= ...`, or start from a copy: `{name} = {name}.copy()`.",
            ),
            f"Your function changed its input `{name}` in place.",
        )
    if kind == "list-entries":
        return (
            "list-entries-replaced",
            Hint(
                f"The arrays you were given are unchanged, but the list `{name}` now holds other "
                "objects: your function assigned new values to its entries, so the caller's list changed.",
                f"Look for an assignment to an entry of the list, `{name}[i] = ...` (or `{name}[:] = ...`).",
                "Build a new list for the result and return it (`new = []`, then `new.append(...)`, "
                f"or a list comprehension), and leave `{name}` as it was.",
            ),
            f"Your function changed the list `{name}` it was given.",
        )
    if kind == "list-order":
        return (
            "list-reordered",
            Hint(
                f"The list `{name}` holds the same entries as before, but in another order: your "
                "function sorted, reversed or shuffled the caller's list.",
                f"Look for `{name}.sort()`, `{name}.reverse()` or a shuffle of `{name}`.",
                f"Use a sorted or shuffled copy instead: sorted({name}), {name}[::-1], or an index array.",
            ),
            f"Your function changed the order of the list `{name}` it was given.",
        )
    return (
        "list-resized",
        Hint(
            f"The list `{name}` has a different length after the call: your function added or "
            "removed entries of the caller's list.",
            f"Look for `.append`, `.pop`, `.remove`, `.insert`, `.extend`, `.clear` or `del` on `{name}`.",
            f"Read the list without changing it: loop over `{name}` (or over a copy, list({name})).",
        ),
        f"Your function changed the length of the list `{name}` it was given.",
    )


def none_hint(fn: Callable) -> tuple[str, Hint]:
    """``(hint_id, hint)`` for a function that returned None."""
    if not has_return_value(fn):
        return (
            "returned-none",
            Hint(
                "Your function returned None: it has no `return` statement with a value.",
                "Look at the end of your function: computing the result is not enough, it must be returned.",
                "Add `return ...` with the result as the last line of the function.",
            ),
        )
    return (
        "returned-none-value",
        Hint(
            "Your function has a `return`, but on this input the value it returns is None.",
            "Follow the returned variable back through your function on the input shown: a loop "
            "that ends early (`break`), an `if` that is never true, or a variable first set to "
            "None may leave it without a result.",
            "Make sure the variable you return gets its result on every path through the function "
            "(for the input shown, print it just before the `return`).",
        ),
    )


RAISED_HINT = Hint(
    "Your function stopped with an error on the input shown, so it returned nothing.",
    "Call your function yourself on the input shown: the error's traceback points at the line that fails.",
    "Fix that line so that it works for every input the task describes; printing the shapes "
    "and types of the values it uses usually shows the problem.",
)
ELLIPSIS_HINT = Hint(
    "Your function computed with `...` (Ellipsis): a value it uses is still a placeholder.",
    "Look at the functions and variables your function uses: one of them still returns or holds "
    "`...` (an exercise not done yet?).",
    "Finish that one first (replace its `...`), run its cell, then run this check again.",
)


def raised_verdict(
    ex: Exercise, error: BaseException, described: str, raised_hints: Sequence[tuple[str, str, Hint]] = ()
) -> Verdict:
    """The *wrong* verdict for a function that raised ``error``."""
    text = str(error).lower()
    hint_id, hint = next(
        ((i, h) for needle, i, h in raised_hints if needle.lower() in text),
        ("uses-ellipsis", ELLIPSIS_HINT) if "ellipsis" in text else ("raised", RAISED_HINT),
    )
    return wrong(ex, f"Your function raised {type(error).__name__}: {error}", hint, hint_id, case=described)


def unfinished_call(
    ex: Exercise, fn: Callable, out: Outcome, described: str, raised_hints: Sequence[tuple[str, str, Hint]] = ()
) -> Verdict | None:
    """The verdict for a call of the learner's function that did not finish as a check needs.

    A stub is *not attempted yet*; a call that reached another unfinished exercise *waits* for
    it; an exception, or an argument changed in place, is *wrong* with its hint. None when the
    call returned normally and left its arguments alone: the check goes on to the value.
    """
    if out.kind == "stub":
        return not_attempted(ex)
    if out.kind == "blocked":
        return waiting(ex, fn, out.blocked_by or "a function it calls")
    if out.kind == "raised":
        return raised_verdict(ex, out.value, described, raised_hints)
    if out.kind == "modified" and out.change is not None:
        hint_id, hint, message = change_hint(out.change)
        return wrong(ex, message, hint, hint_id, case=described)
    return None


# --- the types a task asks for ---------------------------------------------------------------
# A `returns` check takes the learner's value and gives (hint_id, message, hint) when its type
# is not what the task asks for, or None when it is. None itself is left to the generic hint.
TypeProblem = tuple[str, str, Hint]


def _container_problem(value: Any, wanted: str) -> TypeProblem | None:
    if isinstance(value, (list, tuple)):
        kind = type(value).__name__
        return (
            "list-not-array",
            f"Your function returns a Python {kind}; the task asks for {wanted}.",
            Hint(
                f"Your function returns a Python {kind}, not {wanted}: a {kind} does not do "
                "elementwise arithmetic and has no shape or dtype.",
                "Look at the return line: a list comprehension, [...] or (a, b) builds a "
                f"{kind}, even when its items are numbers or arrays.",
                "Compute with numpy operations on whole arrays (they return arrays), or convert "
                "at the end: np.array(result, dtype=float).",
            ),
        )
    if isinstance(value, types.GeneratorType):
        return (
            "generator",
            f"Your function returns a generator; the task asks for {wanted}.",
            Hint(
                f"Your function returns a generator, not {wanted}: it produces its items once, "
                "on demand, and has no shape.",
                "Look at the return line: parentheses around `... for ... in ...` make a "
                "generator, and a `yield` turns the whole function into one.",
                "Return an array: np.array([...]) around a list, or numpy operations on the whole array.",
            ),
        )
    return None


def float_array(value: Any) -> TypeProblem | None:
    """The task asks for a numpy array of floats."""
    if isinstance(value, np.ndarray):
        if value.dtype == bool:
            return (
                "bool-array",
                "Your function returns an array of True/False (dtype bool); the task asks for numbers.",
                Hint(
                    "Your function returns True/False values (dtype bool), not numbers (dtype float).",
                    "Look at the comparison that makes the result (such as `z > 0`): a comparison gives booleans.",
                    "Turn it into numbers: (z > 0).astype(float), or np.where(z > 0, 1.0, 0.0).",
                ),
            )
        if np.issubdtype(value.dtype, np.integer):
            return (
                "int-array",
                f"Your function returns an array of integers (dtype {value.dtype}); the task asks for floats.",
                Hint(
                    f"Your function returns integers (dtype {value.dtype}), not floats.",
                    "Look at how the result is made: True/False times an int ((z > 0) * 1), "
                    ".astype(int), or an array created from integers.",
                    "Make it float: .astype(float), np.where(..., 1.0, 0.0), or arithmetic with floats.",
                ),
            )
        if not np.issubdtype(value.dtype, np.floating):
            return (
                "not-numeric",
                f"Your function returns an array of dtype {value.dtype}; the task asks for floats.",
                Hint(
                    f"The array your function returns has dtype {value.dtype}, not float.",
                    "Look at how the result array is made: its items are not plain numbers.",
                    "Compute the result with numpy operations on float arrays.",
                ),
            )
        return None
    return _container_problem(value, "a numpy array")


def _scalar_problem(value: Any, wanted: str) -> TypeProblem | None:
    if isinstance(value, (bool, np.bool_)):
        return (
            "bool",
            f"Your function returns {bool(value)}, a bool; the task asks for {wanted}.",
            Hint(
                f"Your function returns True or False, not {wanted}.",
                "Look at the return line: a comparison (==, <, np.all, np.any) gives a bool.",
                "Return the quantity itself, not a comparison of it.",
            ),
        )
    if isinstance(value, np.ndarray):
        return (
            "array-not-number",
            f"Your function returns an array of shape {value.shape}; the task asks for {wanted}.",
            Hint(
                f"Your function returns an array of shape {value.shape}, not {wanted}.",
                "Look at the last step: the result is still wrapped in an array (np.array([...]), "
                "a reduction with keepdims=True or over one axis only, or indexing that keeps an axis).",
                "Return the number itself: reduce over every axis the task sums over, then "
                "float(...) (or .item()) if it is still a 0-d or 1-element array.",
            ),
        )
    problem = _container_problem(value, wanted)
    if problem:
        return problem
    if not isinstance(value, (int, float, np.integer, np.floating)):
        return (
            "not-numeric",
            f"Your function returns a {type(value).__name__}; the task asks for {wanted}.",
            Hint(
                f"Your function returns a {type(value).__name__}, not {wanted}.",
                "Look at the return line and at the type of the value it returns.",
                f"Return {wanted}.",
            ),
        )
    return None


def number(value: Any) -> TypeProblem | None:
    """The task asks for one number, a float (a Python or numpy float, or a 0-d float array)."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and np.issubdtype(value.dtype, np.floating):
        return None
    problem = _scalar_problem(value, "one number (a float)")
    if problem:
        return problem
    if isinstance(value, (int, np.integer)):
        return (
            "integer",
            f"Your function returns the integer {int(value)}; the task asks for a float.",
            Hint(
                f"Your function returns the integer {int(value)}, not a float: the fraction is lost.",
                "Look at divisions and conversions: `//` divides and rounds down to a whole "
                "number, and int(...) or round(...) drop the fraction.",
                "Divide with `/` (or use np.mean), which keeps the fraction, and do not convert to int.",
            ),
        )
    return None


def integer(value: Any) -> TypeProblem | None:
    """The task asks for a whole number, an int (Python or numpy)."""
    problem = _scalar_problem(value, "a whole number (an int)")
    if problem:
        return problem
    if isinstance(value, (float, np.floating)):
        return (
            "float-not-int",
            f"Your function returns {float(value)!r}, a float; the task asks for a whole number (an int).",
            Hint(
                f"Your function returns {float(value)!r}, a float: a count is a whole number, an int.",
                "Look for `/` (which always gives a float), float(...), math functions, or numpy "
                "arrays created as floats.",
                "Count with integers only: products and sums of ints stay ints (use // only where a "
                "division is exact).",
            ),
        )
    return None


def int_array(value: Any) -> TypeProblem | None:
    """The task asks for a numpy array of integers (counts)."""
    if isinstance(value, np.ndarray):
        if np.issubdtype(value.dtype, np.integer):
            return None
        return (
            "not-int-array",
            f"Your function returns an array of dtype {value.dtype}; counts are whole numbers, "
            "so the task asks for an integer array.",
            Hint(
                f"Your array has dtype {value.dtype}, not an integer dtype: counts are whole numbers.",
                "Look at where you create the array: np.zeros((k, k)) makes floats unless you give a dtype.",
                "Create it as integers, np.zeros((k, k), dtype=int), and add whole numbers to it.",
            ),
        )
    return _container_problem(value, "a numpy array of integers")


def int_pair(value: Any) -> TypeProblem | None:
    """The task asks for a pair, a tuple of two ints."""
    if isinstance(value, tuple) and len(value) == 2:
        if all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in value):
            return None
        kinds = ", ".join(type(v).__name__ for v in value)
        return (
            "pair-not-ints",
            f"Your pair holds {kinds}; the task asks for two whole numbers (ints).",
            Hint(
                f"Your pair holds {kinds}, not two ints.",
                "Look at how each of the two numbers is computed: `/`, float(...), a float array "
                "or an array element of the wrong kind.",
                "Return two ints: `return int(a), int(b)`.",
            ),
        )
    if isinstance(value, list):
        return (
            "list-not-tuple",
            "Your function returns a list; the task asks for a pair, a tuple (a, b).",
            Hint(
                "Your function returns a list, not a pair (a tuple).",
                "Look at the return line: [a, b] builds a list.",
                "Return a tuple: `return a, b` (the comma makes the tuple).",
            ),
        )
    if isinstance(value, tuple):
        return (
            "tuple-length",
            f"Your function returns a tuple of {plural(len(value), 'item')}; the task asks for a pair (two).",
            Hint(
                f"Your tuple has {plural(len(value), 'item')}, a pair has two.",
                "Look at the return line: it should list exactly two values.",
                "Return exactly the two numbers the task names: `return a, b`.",
            ),
        )
    if isinstance(value, np.ndarray):
        return (
            "array-not-tuple",
            f"Your function returns an array of shape {value.shape}; the task asks for a pair, a tuple of two ints.",
            Hint(
                "Your function returns a numpy array, not a pair (a tuple).",
                "Look at the return line: the numbers are still in an array.",
                "Return a tuple of ints: `return int(a), int(b)`.",
            ),
        )
    if isinstance(value, (int, float, np.number)):
        return (
            "one-number",
            "Your function returns one number; the task asks for a pair of two numbers.",
            Hint(
                f"Your function returns one number, {_fmt(value)}, not a pair.",
                "Look at the return line: it should return two values, `return a, b`.",
                "Compute both numbers the task names and return them together: `return a, b`.",
            ),
        )
    return _scalar_problem(value, "a pair of two ints")


# --- how a check decides: cases, known mistakes, diagnosis ------------------------------
@dataclass
class Case:
    """One input to try: positional ``args`` (and ``kwargs``) and a short ``label``.

    ``shown``, when given, is how the verdict describes the input (instead of the
    arguments' values), for inputs such as functions that do not print well.
    """

    args: tuple
    kwargs: dict = field(default_factory=dict)
    label: str = ""
    shown: str | None = None


@dataclass
class Mistake:
    """A realistic wrong answer and the hint for it.

    ``fn`` takes the same arguments as the exercise function. If the
    learner's output equals ``fn``'s output on every case, the learner most
    likely made this mistake. ``hint`` is a :class:`Hint` (what, where, fix).
    """

    id: str
    fn: Callable[..., Any]
    hint: Hint


def close(received: Any, expected: Any, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """Same shape and values within tolerance (NaN equals NaN only where expected).

    When ``expected`` is a list or tuple of arrays (several results), ``received`` must be
    a list or tuple of the same length whose items are close one by one.
    """
    if isinstance(expected, (list, tuple)) and any(isinstance(e, np.ndarray) for e in expected):
        return (
            isinstance(received, (list, tuple))
            and len(received) == len(expected)
            and all(close(r, e, rtol, atol) for r, e in zip(received, expected))
        )
    if received is None or expected is None:
        return received is expected
    try:
        r = np.asarray(received, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return r.shape == e.shape and bool(np.allclose(r, e, rtol=rtol, atol=atol, equal_nan=True))


_RAISED = object()  # what a function "returned" when it raised


def _quiet(fn: Callable, case: Case) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with np.errstate(all="ignore"):
                return fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        except Exception:
            return _RAISED


def learner_outputs(fn: Callable, cases: Sequence[Case]) -> list[Any]:
    """The learner's result on every case (``_RAISED`` where it raised)."""
    return [_quiet(fn, case) for case in cases]


def same_results(mine: Any, theirs: Any, rtol: float, atol: float) -> bool:
    """Both raised, or both returned the same values."""
    if mine is _RAISED or theirs is _RAISED or mine is None or theirs is None:
        return mine is theirs
    if isinstance(mine, (bool, np.bool_)) != isinstance(theirs, (bool, np.bool_)):
        return False  # True is not the number 1 a mistake computed
    if isinstance(mine, tuple) and isinstance(theirs, tuple) and len(mine) == len(theirs):
        return all(same_results(a, b, rtol, atol) for a, b in zip(mine, theirs))
    return close(mine, theirs, rtol, atol)


def matching_mistake(
    mistakes: Sequence[Mistake], outputs: Sequence[Any], cases: Sequence[Case], rtol: float, atol: float
) -> Mistake | None:
    """The first mistake that gives the learner's results on every case."""
    for m in mistakes:
        if all(same_results(mine, _quiet(m.fn, case), rtol, atol) for mine, case in zip(outputs, cases)):
            return m
    return None


def _shape_hint(r: np.ndarray, e: np.ndarray) -> tuple[str, Hint]:
    rs, es = r.shape, e.shape
    if r.ndim == 2 and e.ndim == 2 and rs == es[::-1]:
        return "transposed", Hint(
            f"Your result is transposed: shape {rs} instead of {es} (rows and columns swapped).",
            "Look at the order of each matrix product and at every .T: in this book rows are "
            "examples, so the result has one row per example.",
            f"Build the result in shape {es} directly: with X of shape (n, n_in) and W of shape "
            "(n_in, n_out), X @ W is (n, n_out) with no transpose.",
        )
    if e.ndim == 0:
        return "shape", Hint(
            f"Your result is an array of shape {rs}, but the task asks for one number.",
            "Look at the last step of your computation: the values are not yet combined into one number.",
            "Combine them as the task's formula says (a sum or a mean over the axes it runs over), "
            "so that one number is left.",
        )
    if r.ndim == 0:
        return "shape", Hint(
            f"Your result is one number, but the task asks for an array of shape {es}.",
            "Look for a step that combines the whole array into one number: np.sum, np.mean, "
            "np.max or np.dot without an axis, or float(...).",
            "Keep one value per entry of the expected shape: combine only along the axis the "
            "formula runs over (axis=...), or not at all.",
        )
    for axis in range(e.ndim):
        if rs == es[:axis] + es[axis + 1 :]:
            return "missing-axis", Hint(
                f"Your result has shape {rs}: compared with the expected {es}, the axis {axis} "
                f"(of length {es[axis]}) is missing.",
                "Look for a step that drops an axis: a reduction (sum, mean, max, argmax) along "
                "that axis, or indexing with a single number.",
                "Keep the axis: do not reduce along it, or pass keepdims=True to the reduction.",
            )
    for axis in range(r.ndim):
        if es == rs[:axis] + rs[axis + 1 :]:
            return "extra-axis", Hint(
                f"Your result has shape {rs}: compared with the expected {es}, it has an extra "
                f"axis {axis} of length {rs[axis]}.",
                "Look for a step that adds an axis: keepdims=True, [:, None], np.newaxis, "
                "reshape(-1, 1), or np.array([...]) around an array.",
                f"Remove that step, so that the result has shape {es}.",
            )
    if r.size == e.size:
        return "shape", Hint(
            f"Your result has the right number of entries ({r.size}) but shape {rs} instead of {es}.",
            "Look for a reshape, ravel, flatten or transpose that rearranges the values.",
            f"Compute the result in shape {es} directly instead of rearranging it.",
        )
    return "shape", Hint(
        f"Your result has shape {rs} but should have shape {es}.",
        "Look at the shape after each step of your function on the input shown (print x.shape) "
        "to find the first step whose shape differs from what the task describes.",
        "Make each step's shape match the task's: rows are examples, and a matrix product "
        "(n, a) @ (a, b) gives (n, b).",
    )


CATCH_ALL = Hint(
    "Your values differ from the expected ones, and not in a way this check recognises.",
    "Work through the input shown by hand, or print the intermediate results of your "
    "function on it, and compare each with what the task asks for.",
    "Compare your function with the solution in the collapsed block below this check.",
)


def generic_hint(fn: Callable, received: Any, expected: Any, caught: list) -> tuple[str, Hint]:
    """The hint for a wrong result that no known mistake explains: only what is certain."""
    if received is None:
        return none_hint(fn)
    try:
        r = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return "not-numeric", Hint(
            f"Your function returns a {type(received).__name__}, not numbers.",
            "Look at the return line and at the type of the value it returns.",
            "Return numbers or a numpy array of numbers, as the task asks.",
        )
    e = np.asarray(expected, dtype=float)
    if r.shape != e.shape:
        return _shape_hint(r, e)
    if not np.isfinite(r).all() and np.isfinite(e).all():
        if any(issubclass(w.category, RuntimeWarning) and "overflow" in str(w.message) for w in caught):
            return "overflow", Hint(
                "Your result contains NaN or inf where the expected values are finite, and numpy "
                "warned about an overflow on the way.",
                "Look for np.exp (or a power) of a large number: exp of anything above about 709 is inf.",
                "Rewrite that step so that exp only sees numbers <= 0 (subtract a maximum first), "
                "or use a stable identity.",
            )
        return "not-finite", Hint(
            "Your result contains NaN or inf where the expected values are finite.",
            "Look for a division by 0 (0 / 0 is NaN), a log of 0 and an exp of a large number on the input shown.",
            "Print the intermediate values on the input shown to find the first one that is not "
            "finite, and rewrite that step so that it stays finite.",
        )
    return "values-differ", CATCH_ALL


def diagnose(
    fn: Callable,
    received: Any,
    expected: Any,
    cases: Sequence[Case],
    mistakes: Sequence[Mistake],
    caught: list,
    rtol: float,
    atol: float,
    returns: Callable[[Any], TypeProblem | None] | None = None,
    explain: Callable[[Any, Case], tuple[str, Hint] | None] | None = None,
    case: Case | None = None,
) -> tuple[str, Hint]:
    """The hint for a wrong result: a known mistake, the type asked for, ``explain``, then generic ones."""
    if mistakes:
        m = matching_mistake(mistakes, learner_outputs(fn, cases), cases, rtol, atol)
        if m is not None:
            return m.id, m.hint
    if received is not None and returns is not None:
        problem = returns(received)
        if problem:
            return problem[0], problem[2]
    if explain is not None and case is not None:
        found = explain(received, case)
        if found:
            return found
    return generic_hint(fn, received, expected, caught)


def check_function(
    ex: Exercise,
    fn: Callable | None,
    reference: Callable,
    cases: Sequence[Case],
    mistakes: Sequence[Mistake] = (),
    arg_names: Sequence[str] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    warning_hint: tuple[str, Hint] | None = None,
    raised_hints: Sequence[tuple[str, str, Hint]] = (),
    returns: Callable[[Any], TypeProblem | None] | None = None,
    explain: Callable[[Any, Case], tuple[str, Hint] | None] | None = None,
    on_modified: Callable[[Outcome, Any], tuple[str, str, Hint] | None] | None = None,
) -> Verdict:
    """Compare ``fn`` with ``reference`` on ``cases`` (smallest first) and return the :class:`Verdict`.

    Parameters
    ----------
    returns : callable, optional
        The type the task asks for (:func:`float_array`, :func:`number`, :func:`integer`,
        :func:`int_array`, :func:`int_pair`): a result with the right values but another
        type (a list, a bool array, an int...) is wrong.
    warning_hint : (hint_id, hint), optional
        If given, a result that is right but came with a numpy ``RuntimeWarning``
        (overflow, divide by zero, invalid value) counts as wrong, with this hint:
        ``1 / (1 + np.exp(-z))`` returns the right 0.0 at ``z = -1000``, but only
        after ``exp(1000)`` overflowed to inf.
    raised_hints : list of (text, hint_id, hint)
        If the learner's function raises an exception whose message contains
        ``text`` (case-insensitive), show this hint instead of the generic one.
    explain : callable (received, case) -> (hint_id, hint) or None, optional
        A checker's own diagnosis of a wrong value, tried after the known mistakes and
        the type and before the generic hints.
    on_modified : callable (outcome, expected) -> (hint_id, message, hint) or None, optional
        A checker's own verdict on a function that changed its inputs (the outcome's
        ``args`` are the inputs as it left them), instead of the generic one.
    """
    if is_stub(fn):
        return not_attempted(ex)
    if not callable(fn):
        return not_callable(ex, fn)
    for case in cases:
        described = case.shown if case.shown is not None else describe_args(case.args, case.kwargs, arg_names)
        if case.label:
            described = f"{case.label}\n{described}"
        out = call(fn, case.args, case.kwargs, arg_names)
        expected = reference(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        if out.kind == "modified" and out.change is not None and on_modified is not None:
            own = on_modified(out, expected)
            if own is not None:
                return wrong(ex, own[1], own[2], own[0], case=described)
        unfinished = unfinished_call(ex, fn, out, described, raised_hints)
        if unfinished is not None:
            return unfinished
        got = out.value
        if close(got, expected, rtol, atol):
            problem = returns(got) if returns is not None else None
            if problem:
                hint_id, message, hint = problem
                return wrong(
                    ex,
                    f"The values are right, but {message[0].lower()}{message[1:]}",
                    hint,
                    hint_id,
                    case=described,
                    received=got,
                )
            warned = [w for w in out.warnings if issubclass(w.category, RuntimeWarning)]
            if warning_hint is not None and warned:
                return wrong(
                    ex,
                    f'The values are right, but numpy warned: "{warned[0].message}".',
                    warning_hint[1],
                    warning_hint[0],
                    case=described,
                    expected=expected,
                    received=got,
                )
            continue
        hint_id, hint = diagnose(fn, got, expected, cases, mistakes, out.warnings, rtol, atol, returns, explain, case)
        return wrong(
            ex,
            "Not yet: the first input where your result differs is shown below.",
            hint,
            hint_id,
            case=described,
            expected=expected,
            received=got,
        )
    return correct(ex, passed_cases(len(cases)))


def not_callable(ex: Exercise, fn: Any) -> Verdict:
    return wrong(
        ex,
        f"Pass the function itself, not a {type(fn).__name__}.",
        Hint(
            f"The check received a {type(fn).__name__}, not a function.",
            "Look at the check cell: it passes the name of your function, without calling it.",
            f"Write the check as `check.{ex.function}({ex.function})`: no parentheses after the second name.",
        ),
        "not-callable",
    )


def stub(fn: Callable) -> Callable:
    """Mark a function as an untouched exercise stub (for checker tests)."""
    fn.__nnlib_stub__ = True
    return fn
