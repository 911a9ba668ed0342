"""Progress through the course: per chapter, which exercises are solved and which functions are saved.

``nnlib.exercises.summary.progress()`` (or ``progress("training")`` for one chapter) reads the
learner's ``mynn`` folder (:mod:`nnlib.exercises.library`) and every chapter's
``EXERCISES``. An exercise counts as solved when each function it asks for is saved,
that is, when its check said *correct* and the function could be written down. The
gate exercises of the first chapter ask for values, not functions: nothing is saved for
them, and the table says so.
"""

from __future__ import annotations

import html
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from . import (
    activations,
    autograd,
    backprop,
    capstone,
    debugging,
    forward,
    library,
    losses,
    neuron,
    optimizers,
    training,
)

CHAPTER_MODULES: dict[str, ModuleType] = {
    "neuron": neuron,
    "activations": activations,
    "losses": losses,
    "forward": forward,
    "backprop": backprop,
    "autograd": autograd,
    "training": training,
    "optimizers": optimizers,
    "debugging": debugging,
    "capstone": capstone,
}


@dataclass
class Row:
    """One exercise: its chapter, label and title, the functions it asks for and those saved."""

    chapter: str
    label: str
    title: str
    functions: list[str]
    saved: list[str]

    @property
    def done(self) -> bool:
        return bool(self.functions) and set(self.functions) <= set(self.saved)


@dataclass
class Progress:
    """The table :func:`progress` returns; shown as text, and in a notebook as a block."""

    folder: Path
    rows: list[Row] = field(default_factory=list)

    def chapter(self, chapter: str) -> str:
        """One line for a chapter's summary: how many of its exercises are saved, what is left."""
        mine = [r for r in self.rows if r.chapter == chapter and r.functions]
        left = [r.title for r in mine if not r.done]
        text = (
            f"{chapter}: {sum(r.done for r in mine)} of {len(mine)} exercises solved and saved "
            f"in {library.PACKAGE}/{chapter}.py"
        )
        return text + (f"; still to do: {'; '.join(left)}" if left else "")

    def __str__(self) -> str:
        lines = [f"Your library: {self.folder}"]
        for chapter in dict.fromkeys(r.chapter for r in self.rows):
            lines.append(self.chapter(chapter))
            for r in (r for r in self.rows if r.chapter == chapter):
                if not r.functions:
                    lines.append(f"  [-] {r.title}: values, checked in the notebook (nothing to save)")
                    continue
                mark = "x" if r.done else " "
                names = ", ".join(f + (" (saved)" if f in r.saved else "") for f in r.functions)
                lines.append(f"  [{mark}] {r.title}: {names}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return f"<pre style='white-space:pre-wrap;text-align:left'>{html.escape(str(self))}</pre>"


def progress(chapter: str | None = None) -> Progress:
    """Which exercises are solved and saved, for every chapter (or for ``chapter``)."""
    if chapter is not None and chapter not in CHAPTER_MODULES:
        raise ValueError(f"progress: chapter must be one of {', '.join(CHAPTER_MODULES)}, got {chapter!r}")
    out = Progress(library.folder())
    for name, module in CHAPTER_MODULES.items():
        if chapter is not None and name != chapter:
            continue
        saved = library.saved_names(name)
        saving = {f for check in vars(module).values() for f in getattr(check, "__nnlib_saves__", ())}
        by_label: dict[str, Row] = {}
        for ex in module.EXERCISES.values():
            row = by_label.setdefault(ex.label, Row(name, ex.label, ex.title, [], []))
            if ex.function in saving and ex.function not in row.functions:
                row.functions.append(ex.function)
        for row in by_label.values():
            row.saved = [f for f in row.functions if f in saved]
            out.rows.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m nnlib.exercises [--require-all]``: print the progress table.

    With ``--require-all`` (the test suite, after the solved run) fail unless every exercise
    that asks for a function has it saved.
    """
    argv = sys.argv[1:] if argv is None else argv
    table = progress()
    print(table)
    missing = [f"{r.chapter}: {r.title}" for r in table.rows if r.functions and not r.done]
    if "--require-all" in argv and missing:
        print(f"not saved in {table.folder}: " + "; ".join(missing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
