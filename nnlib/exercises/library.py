"""The learner's own library, ``mynn``: accepted answers are saved, and later chapters use them.

When a check says *correct*, the function that passed is written, as source, into
``mynn/<chapter>.py``: one module per chapter, one block per function, each block
headed by a comment naming the exercise it came from and holding the imports it needs::

    # === sigmoid: "A sigmoid that never overflows" (ex-act-sigmoid) ===
    import numpy as np


    def sigmoid(z):
        ...

A new correct answer replaces its own block and nothing else; a wrong answer or a stub
never reaches this module. A function whose source cannot be written down (a lambda, one
made with ``exec``, one that needs a notebook variable such as an array) is still checked;
the verdict then says why it was not saved and what to do.

Where the folder is: ``$NNLIB_MYNN`` when set (the test suite sets it); otherwise
``mynn/`` in the course's ``book/`` folder when the notebook runs in one of its chapter
folders (Jupyter Book, nbval and ``make lab`` run a notebook in its own folder), and
``mynn/`` in the working folder elsewhere (Colab's ``/content``, lost with the session).

Later chapters ask for a function with :func:`use`, which returns the learner's saved
function and prints one line saying so, or ``fallback`` (nnlib's reference) with a note
naming the exercise to finish. A saved module that no longer imports (after a hand edit)
is reported with its file and line, and the reference is used. ``nnlib.exercises.summary.progress()`` shows,
per chapter, which exercises are solved and which functions are saved
(:mod:`nnlib.exercises.summary`).
"""

from __future__ import annotations

import ast
import builtins
import dis
import functools
import importlib
import inspect
import os
import re
import sys
import tempfile
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import core
from .core import Verdict

PACKAGE = "mynn"
FOLDER_ENV = "NNLIB_MYNN"
# The chapters in course order (the checker modules' names): where saved functions are looked up.
CHAPTERS = (
    "neuron",
    "activations",
    "losses",
    "forward",
    "backprop",
    "autograd",
    "training",
    "optimizers",
    "debugging",
    "capstone",
)
_MARK = re.compile(r"^# === (?P<name>[A-Za-z_]\w*): ", re.M)
_INIT = '"""My own neural-network library: the functions I wrote in the course, saved by its checks."""\n'


class NotSaved(Exception):
    """A correct function that cannot be written to a module: the message says why and what to do."""


# --- where the package is --------------------------------------------------------------------
def folder() -> Path:
    """The ``mynn`` folder (it may not exist yet): ``$NNLIB_MYNN``, else next to the chapters."""
    env = os.environ.get(FOLDER_ENV, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    cwd = Path.cwd()
    if (cwd.parent / "exercises-howto.md").is_file():  # a chapter folder of the course's book/
        return cwd.parent / PACKAGE
    return cwd / PACKAGE


def _on_colab() -> bool:
    return "google.colab" in sys.modules


def _shown(path: Path) -> str:
    """``path`` as the learner finds it: relative to the working folder where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


# --- what a function needs: its source and the names it uses -----------------------------------
def _names_used(code: types.CodeType) -> set[str]:
    """The global names a function's code reads (in nested functions and comprehensions too)."""
    names = {ins.argval for ins in dis.get_instructions(code) if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _literal(value: Any) -> str | None:
    """Source for a constant (a number, a string, a tuple of them...), or None."""
    if isinstance(value, (bool, int, float, complex, str, bytes, type(None))) or hasattr(value, "item"):
        value = value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value
    if not isinstance(value, (bool, int, float, complex, str, bytes, tuple, frozenset, type(None))):
        return None
    text = repr(value)
    try:
        return text if ast.literal_eval(text) == value else None
    except (ValueError, SyntaxError, TypeError):
        return None


def _saved_modules(names: set[str]) -> dict[str, str]:
    """For each of ``names`` saved in some chapter module: {name: chapter}."""
    where: dict[str, str] = {}
    for chapter in CHAPTERS:
        for name in saved_names(chapter):
            if name in names:
                where.setdefault(name, chapter)
    return where


def _source(fn: Callable, name: str) -> str:
    if getattr(fn, "__name__", "") == "<lambda>":
        raise NotSaved(
            f"`{name}` is a lambda: it has no source of its own to save. "
            f"Write it as `def {name}(...):` in its cell, run the cell and the check again."
        )
    if not inspect.isfunction(fn):
        raise NotSaved(f"`{name}` is a {type(fn).__name__}, not a function written with `def`: only those are saved.")
    if fn.__closure__:
        raise NotSaved(
            f"`{name}` is defined inside another function and uses its variables "
            f"({', '.join(fn.__code__.co_freevars)}). Define it at the top level of its cell."
        )
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        raise NotSaved(
            f"the source of `{name}` could not be found (was it made with `exec`, or typed into a "
            f"console?). Write it with `def {name}(...):` in a notebook cell, run the cell and the check again."
        ) from None
    source = inspect.cleandoc("\n" + source) if source[:1].isspace() else source
    try:
        tree = ast.parse(source)
    except SyntaxError:
        raise NotSaved(f"the source found for `{name}` does not parse on its own.") from None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.FunctionDef):
        raise NotSaved(f"the source found for `{name}` is not one `def` statement.")
    return source.rstrip() + "\n"


def requirements(fn: Callable, name: str, chapter: str) -> tuple[str, list[str]]:
    """``(source, imports)``: the lines that make ``fn`` work in ``mynn/<chapter>.py``.

    Every global name the function uses becomes an import (a module, or a function or class
    from an importable module, including the learner's own saved functions) or a constant
    (``EPS = 1e-12``). A name that is none of these raises :class:`NotSaved`.
    """
    source = _source(fn, name)
    glob = fn.__globals__
    used = sorted(n for n in _names_used(fn.__code__) if n in glob and n != fn.__name__)
    missing = sorted(n for n in _names_used(fn.__code__) if n not in glob and not hasattr(builtins, n))
    lines: list[str] = []
    mine = _saved_modules({n for n in used if getattr(glob[n], "__module__", None) == "__main__"})
    for n in used:
        value = glob[n]
        module = getattr(value, "__module__", None)
        if isinstance(value, types.ModuleType):
            full = value.__name__
            if n == full:
                lines.append(f"import {full}")
            elif "." in full and n == full.rsplit(".", 1)[1]:
                lines.append(f"from {full.rsplit('.', 1)[0]} import {n}")
            else:
                lines.append(f"import {full} as {n}")
        elif (inspect.isfunction(value) or inspect.isclass(value)) and module == "__main__":
            if n not in mine:
                raise NotSaved(
                    f"`{name}` calls `{n}`, a function of your notebook that no check has saved. "
                    f"Solve the exercise of `{n}` first (or copy `{n}` into the cell of `{name}`), "
                    "then run this check again."
                )
            if mine[n] != chapter:
                lines.append(f"from .{mine[n]} import {n}")
            # the same chapter's module already defines it
        elif callable(value) and module and (module == PACKAGE or module.startswith(PACKAGE + ".")):
            lines.append(f"from .{module.split('.', 1)[1]} import {value.__name__}" + _alias(value.__name__, n))
        elif callable(value) and module and _importable(value, module):
            lines.append(f"from {module} import {value.__qualname__}" + _alias(value.__qualname__, n))
        elif _literal(value) is not None:
            lines.append(f"{n} = {_literal(value)}")
        else:
            raise NotSaved(
                f"`{name}` uses `{n}`, a {type(value).__name__} of your notebook that cannot be written "
                f"into a module. Pass `{n}` as an argument, or compute it inside `{name}`."
            )
    if missing:
        raise NotSaved(
            f"`{name}` uses {', '.join(f'`{m}`' for m in missing)}, not defined in your notebook: "
            "the saved module would fail. Define it, or remove it from the function."
        )
    imports = sorted({x for x in lines if x.startswith(("import ", "from "))}, key=lambda s: (s.startswith("from"), s))
    constants = [x for x in lines if not x.startswith(("import ", "from "))]
    return source, imports + constants


def _alias(real: str, name: str) -> str:
    return "" if real == name else f" as {name}"


def _importable(value: Any, module: str) -> bool:
    try:
        found: Any = importlib.import_module(module)
        for part in value.__qualname__.split("."):
            found = getattr(found, part)
    except Exception:  # anything may go wrong importing a module: then it is not importable
        return False
    return found is value


# --- writing a block into the chapter's module --------------------------------------------------
def _header(chapter: str) -> str:
    return (
        f'"""My functions from the chapter `{chapter}`, saved when their checks said *correct*.\n\n'
        "Each block below was written by a check: a new correct answer replaces its block, and\n"
        "nothing else in this file changes. Edit it if you like; a module that no longer imports\n"
        'is reported by name and line, and the course uses its own reference instead.\n"""\n\n'
        "from __future__ import annotations  # type hints stay text: they need no imports\n"
    )


def _blocks(text: str) -> tuple[str, dict[str, str]]:
    """The text before the first block, and {name: block text}, in order."""
    marks = list(_MARK.finditer(text))
    head = text[: marks[0].start()] if marks else text
    blocks = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        blocks[m["name"]] = text[m.start() : end].rstrip() + "\n"
    return head, blocks


def _write(path: Path, text: str) -> None:
    """Write atomically: a reader sees the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Saved:
    """Where a function went (``path``), or why it could not be saved (``reason``)."""

    name: str
    path: Path | None = None
    reason: str | None = None

    def note(self) -> str:
        if self.path is not None:
            colab = " On Colab this folder is deleted with the session: download it to keep it." if _on_colab() else ""
            return f"`{self.name}` is saved in {_shown(self.path)}, where later chapters find it.{colab}"
        return f"`{self.name}` was checked but not saved: {self.reason}"


def save(fn: Callable, name: str, chapter: str, title: str, label: str) -> Saved:
    """Write ``fn`` (correct for exercise ``label``) as ``name`` into ``mynn/<chapter>.py``.

    Returns a :class:`Saved`: its ``path``, or the ``reason`` it was not saved. Only the
    function's own block changes; the module must import afterwards, else the old file stays.
    """
    try:
        source, needs = requirements(fn, name, chapter)
    except NotSaved as e:
        return Saved(name, reason=str(e))
    if fn.__name__ != name:
        needs = [*needs]
        source += f"\n\n{name} = {fn.__name__}\n"
    block = f'# === {name}: "{title}" ({label}) ===\n' + "".join(f"{line}\n" for line in needs) + "\n\n" + source
    base = folder()
    path = base / f"{chapter}.py"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if not (base / "__init__.py").exists():
            _write(base / "__init__.py", _INIT)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        head, blocks = _blocks(old if old is not None else _header(chapter))
        blocks[name] = block
        new = head.rstrip() + "\n\n\n" + "\n\n".join(b.rstrip() + "\n" for b in blocks.values())
        _write(path, new)
    except OSError as e:
        return Saved(name, reason=f"the folder {_shown(base)} could not be written ({e.strerror or e}).")
    problem = _import_problem(chapter)
    if problem is not None:
        if old is None:
            path.unlink(missing_ok=True)
        else:
            _write(path, old)
        return Saved(name, reason=f"the module would not import: {problem}. Your earlier file is unchanged.")
    return Saved(name, path)


def saves(*names: str) -> Callable[[Callable[..., Verdict]], Callable[..., Verdict]]:
    """Decorate a check whose positional arguments are the learner's functions ``names``.

    When the check says *correct*, each function is saved (:func:`save`) into the module of
    the check's chapter, and the verdict says where it went, or why it could not be saved.
    In strict mode (the solved run) a correct function that cannot be saved raises.
    """

    def wrap(check: Callable[..., Verdict]) -> Callable[..., Verdict]:
        chapter = check.__module__.rsplit(".", 1)[1]
        fns = names or (check.__name__,)
        signature = inspect.signature(check)

        @functools.wraps(check)
        def run(*args: Any, **kwargs: Any) -> Verdict:
            verdict = check(*args, **kwargs)
            if verdict.passed:
                given = list(signature.bind(*args, **kwargs).arguments.values())
                for name, fn in zip(fns, given):
                    if fn is None:
                        continue
                    saved = save(fn, name, chapter, verdict.exercise, verdict.label or "")
                    verdict.notes.append(("saved" if saved.path else "not saved", saved.note()))
                    if saved.path is None and core._strict():
                        raise core.ExerciseNotPassed(str(verdict))
            return verdict

        run.__nnlib_saves__ = fns
        return run

    return wrap


# --- using the saved functions ------------------------------------------------------------------
def _fresh_import(chapter: str) -> types.ModuleType:
    """Import ``mynn.<chapter>`` from the files in :func:`folder` as they are now.

    The package is registered from its folder directly, not found on ``sys.path``, so that no
    other ``mynn`` (an earlier folder, another project's) can stand in for it.
    """
    base = folder()
    for key in [k for k in sys.modules if k == PACKAGE or k.startswith(PACKAGE + ".")]:
        del sys.modules[key]
    package = types.ModuleType(PACKAGE, "The learner's own package (see nnlib.exercises.library).")
    package.__path__ = [str(base)]
    package.__file__ = str(base / "__init__.py")
    sys.modules[PACKAGE] = package
    importlib.invalidate_caches()
    return importlib.import_module(f"{PACKAGE}.{chapter}")


def _import_problem(chapter: str) -> str | None:
    """Why ``mynn/<chapter>.py`` does not import ("file, line N: error"), or None."""
    try:
        _fresh_import(chapter)
    except SyntaxError as e:
        return f"{_shown(Path(e.filename or ''))}, line {e.lineno}: {type(e).__name__}: {e.msg}"
    except Exception as e:  # a hand edit may raise anything
        frames = [f for f in inspect.getinnerframes(e.__traceback__) if folder() in Path(f.filename).resolve().parents]
        where = f"{_shown(Path(frames[-1].filename))}, line {frames[-1].lineno}" if frames else _shown(folder())
        return f"{where}: {type(e).__name__}: {e}"
    return None


def saved_names(chapter: str) -> list[str]:
    """The functions saved in ``mynn/<chapter>.py``, in file order (read, not imported)."""
    path = folder() / f"{chapter}.py"
    return [m["name"] for m in _MARK.finditer(path.read_text(encoding="utf-8"))] if path.is_file() else []


def _where(name: str) -> str | None:
    return _saved_modules({name}).get(name)


def use(name: str, fallback: Callable, exercise: str = "", quiet: bool = False) -> Callable:
    """The learner's saved ``name``, or ``fallback`` (nnlib's reference) when there is none.

    Prints one line saying whose code runs; where the reference is used, it names the
    ``exercise`` to finish, or the file and line of a saved module that no longer imports.
    """
    if not (isinstance(name, str) and name.isidentifier()):
        raise TypeError(f"use: name must be a function's name such as 'sigmoid', got {name!r}")
    if not callable(fallback):
        raise TypeError(f"use: fallback must be nnlib's function for {name!r}, got {type(fallback).__name__}")
    chapter = _where(name)
    fn, line = fallback, ""
    if chapter is None:
        todo = f" (finish {exercise} to use yours)" if exercise else ""
        line = f"{name}: nnlib's reference{todo}"
    else:
        problem = _import_problem(chapter)
        if problem is None:
            module = sys.modules[f"{PACKAGE}.{chapter}"]
            found = getattr(module, name, None)
            if callable(found):
                fn, line = found, f"{name}: your code, from {_shown(folder() / (chapter + '.py'))}"
            else:
                line = (
                    f"{name}: nnlib's reference ({_shown(folder() / (chapter + '.py'))} defines no function `{name}`)"
                )
        else:
            line = f"{name}: nnlib's reference, because your module does not import: {problem}"
    if not quiet:
        print(line)
    return fn


def is_yours(fn: Callable) -> bool:
    """Whether ``fn`` came from the learner's package (what :func:`use` returned for it)."""
    module = getattr(fn, "__module__", "") or ""
    return module.startswith(PACKAGE + ".")


def calls(fn: Callable) -> dict[str, bool]:
    """The functions ``fn`` calls by global name, and the ones those call, each: is it yours?

    Follows the learner's own functions only (nnlib's are not opened), so for a saved
    ``train`` it lists ``iterate_minibatches``, ``backprop``, ``sgd_step`` and what they call.
    """
    found: dict[str, bool] = {}
    todo = [fn]
    while todo:
        f = todo.pop()
        code, glob = getattr(f, "__code__", None), getattr(f, "__globals__", {})
        if code is None:
            continue
        for name in sorted(_names_used(code)):
            value = glob.get(name)
            if name in found or not inspect.isfunction(value):
                continue
            found[name] = is_yours(value)
            if found[name]:
                todo.append(value)
    return found
