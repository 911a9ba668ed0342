"""Self-checking exercises: one checker module per chapter, built on :mod:`nnlib.exercises.core`.

The chapters with the most exercises split their checkers in two or three modules
(``training`` with ``tuning``; ``backprop`` with ``backprop_network`` and
``gradient_check``); the chapter's module re-exports the rest, so a notebook imports
one module per chapter.

In a chapter::

    from nnlib.exercises import activations as check
    check.sigmoid(sigmoid)      # prints: not attempted yet / correct / wrong + a hint
"""
from .core import CORRECT, NOT_ATTEMPTED, WRONG, Case, ExerciseNotPassed, Mistake, Verdict, check_function

__all__ = ["CORRECT", "NOT_ATTEMPTED", "WRONG", "Case", "ExerciseNotPassed", "Mistake", "Verdict",
           "check_function"]
