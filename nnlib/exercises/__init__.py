"""Self-checking exercises: one checker module per chapter, built on :mod:`nnlib.exercises.core`.

The top layer of nnlib: checkers import the core (the reference solutions), never
the other way round. :mod:`nnlib.exercises.solve` writes the solved copies of the
notebooks that the test suite runs. A check that says *correct* saves the learner's
function into their own package, ``mynn`` (:mod:`nnlib.exercises.library`), which later
chapters use; :func:`~nnlib.exercises.summary.progress` shows what is
solved and saved.

In a chapter::

    from nnlib.exercises import activations as check
    check.sigmoid(sigmoid)      # prints: not attempted yet / correct / wrong + a hint

Each chapter module lists its exercises in ``EXERCISES`` (check name -> :class:`Exercise`:
the label and title of the exercise in the notebook).
"""

from .core import (
    CORRECT,
    NOT_ATTEMPTED,
    WRONG,
    Case,
    Exercise,
    ExerciseNotPassed,
    Hint,
    Mistake,
    Verdict,
    check_function,
    reset_attempts,
)

__all__ = [
    "CORRECT",
    "NOT_ATTEMPTED",
    "WRONG",
    "Case",
    "Exercise",
    "ExerciseNotPassed",
    "Hint",
    "Mistake",
    "Verdict",
    "check_function",
    "reset_attempts",
]
