"""Helpers shared by the checker tests (tests/test_exercises_*.py).

Not a test module (pytest collects only ``test_*.py``); the test modules import it
as ``from _checkers import ...``, which works because pytest's default import mode
puts tests/ (a folder without ``__init__.py``) on ``sys.path``.

Every checker test module imports the autouse fixture ``fresh_attempts``, so that each
test starts with no hint given yet (hints grow with repeats of the same mistake), and
checks its hints both ways with :func:`assert_hints`: each wrong answer of a table gets
the hint written for it, so it is also a wrong answer that does *not* get any of the
other hints of the table.
"""

import pytest

from nnlib.exercises import core


@pytest.fixture(autouse=True)
def fresh_attempts():
    """No hint given yet: the first wrong attempt of a test gets the first part of its hint."""
    core.reset_attempts()
    yield
    core.reset_attempts()


def stub(*args):
    """An untouched exercise function: checks must call it "not attempted"."""
    raise NotImplementedError


def hint_of(verdict):
    """The ``hint_id`` of a verdict that must be wrong."""
    assert verdict.status == core.WRONG, str(verdict)
    return verdict.hint_id


def assert_hints(check, table):
    """Each wrong answer in ``table`` (a list of ``(answer, hint_id)``) gets exactly its hint.

    Both ways: the table must hold at least two different hints, so every hint has a
    wrong answer that triggers it and at least one other wrong answer that does not.
    """
    got = [check(answer) for answer, _ in table]
    for (answer, hint_id), verdict in zip(table, got):
        assert verdict.status == core.WRONG, f"{answer} was accepted:\n{verdict}"
        assert verdict.hint_id == hint_id, f"{answer}: expected hint {hint_id!r}, got:\n{verdict}"
        assert verdict.hint, f"{answer}: a wrong verdict without a hint:\n{verdict}"
    assert len({hint_id for _, hint_id in table}) >= 2, "a hint needs a wrong answer that does not trigger it"


def assert_covers(mistakes, table):
    """Every known mistake of a checker has a wrong answer in the test's table."""
    missing = {m.id for m in mistakes} - {hint_id for _, hint_id in table}
    assert not missing, f"mistakes without a wrong answer in the test: {sorted(missing)}"
