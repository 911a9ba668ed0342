"""Helpers shared by the checker tests (tests/test_exercises_*.py).

Not a test module (pytest collects only ``test_*.py``); the test modules import it
as ``from _checkers import ...``, which works because pytest's default import mode
puts tests/ (a folder without ``__init__.py``) on ``sys.path``.
"""

from nnlib.exercises import core


def stub(*args):
    """An untouched exercise function: checks must call it "not attempted"."""
    raise NotImplementedError


def hint_of(verdict):
    """The ``hint_id`` of a verdict that must be wrong."""
    assert verdict.status == core.WRONG, str(verdict)
    return verdict.hint_id
