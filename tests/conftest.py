"""Shared by every test: checks that say *correct* save the function into the learner's package,
``mynn`` (nnlib.exercises.library). Each test gets its own empty folder for it, so that no test
writes into the source tree or sees what another test (or a learner working in book/) saved."""

import pytest

from nnlib.exercises import library


@pytest.fixture(autouse=True)
def own_mynn(tmp_path, monkeypatch):
    """``$NNLIB_MYNN`` points at a fresh folder (not created until something is saved)."""
    folder = tmp_path / "mynn"
    monkeypatch.setenv(library.FOLDER_ENV, str(folder))
    yield folder
