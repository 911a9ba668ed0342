"""Self-checking exercises: one checker module per chapter, built on :mod:`nnlib.exercises.core`.

In a chapter::

    from nnlib.exercises import activations as check
    check.sigmoid(sigmoid)      # prints: not attempted yet / correct / wrong + a hint
"""
from .core import CORRECT, NOT_ATTEMPTED, WRONG, Case, ExerciseNotPassed, Mistake, Verdict, check_function

__all__ = ["CORRECT", "NOT_ATTEMPTED", "WRONG", "Case", "ExerciseNotPassed", "Mistake", "Verdict",
           "check_function"]
