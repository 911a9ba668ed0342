"""The exercise machinery itself: verdicts, hints, strict mode and the notebook solver."""

import json

import numpy as np
import pytest

from nnlib.exercises import core
from nnlib.exercises.core import Case, Mistake, check_function
from nnlib.exercises.solve import solution_code, solve_notebook, solve_tree


def reference(z):
    return 0.5 * np.tanh(0.5 * z) + 0.5


CASES = [Case((np.array([0.0]),)), Case((np.array([-1000.0, 0.0, 1000.0]),), label="large |z|")]
MISTAKES = [Mistake("forgot-minus", lambda z: 1 / (1 + np.exp(z)), "exp(-z), not exp(z)")]


def check(fn):
    return check_function("sigmoid", fn, reference, CASES, MISTAKES, arg_names=["z"])


def test_stub_is_not_attempted():
    def sigmoid(z):
        raise NotImplementedError

    v = check(sigmoid)
    assert v.status == core.NOT_ATTEMPTED and not v
    assert "not attempted" in str(v) and "not attempted" in v._repr_html_()


def test_ellipsis_and_none():
    assert check(lambda z: ...).status == core.NOT_ATTEMPTED
    assert check(None).status == core.NOT_ATTEMPTED
    v = check(lambda z: None)
    assert v.status == core.WRONG and v.hint_id == "returned-none"


def test_reference_is_correct():
    v = check(reference)
    assert v.passed and "2 test cases" in v.message


def test_known_mistake_gets_its_hint_on_smallest_failing_case():
    v = check(lambda z: 1 / (1 + np.exp(z)))
    assert v.status == core.WRONG and v.hint_id == "forgot-minus"
    # z = 0 gives 0.5 either way, so the first failing case is the second one
    assert v.case.startswith("large |z|")
    np.testing.assert_allclose(v.expected, reference(CASES[1].args[0]))
    np.testing.assert_allclose(v.received, [1.0, 0.5, 0.0])


def test_overflow_detected_generically():
    v = check(lambda z: 1 / (1 + np.exp(-z)) * np.where(np.abs(z) > 500, np.nan, 1))
    assert v.hint_id == "overflow" and "large |z|" in v.case


def test_shape_transposed_inplace_raised():
    assert check(lambda z: np.atleast_2d(reference(z))).hint_id == "shape"

    def inplace(z):
        z *= 0.5
        return np.tanh(z) * 0.5 + 0.5

    assert check(inplace).hint_id == "in-place"

    def boom(z):
        return z.nonexistent

    v = check(boom)
    assert v.hint_id == "raised" and "AttributeError" in v.message


def test_transposed_matrix():
    ref = lambda X, W: X @ W  # noqa: E731
    cases = [Case((np.ones((3, 2)), np.arange(8.0).reshape(2, 4)))]
    v = check_function("layer", lambda X, W: (X @ W).T, ref, cases)
    assert v.hint_id == "transposed"


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="not attempted"):
        check(None)
    assert check(reference).passed


def _nb(cells):
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_solver_replaces_stub_with_solution(tmp_path):
    stub = {
        "cell_type": "code",
        "source": "def f():\n    raise NotImplementedError",
        "metadata": {"nnlib": {"exercise": "ex-f"}, "tags": ["exercise-stub"]},
        "outputs": [],
        "execution_count": None,
    }
    sol = {
        "cell_type": "markdown",
        "metadata": {"nnlib": {"solves": "ex-f"}},
        "source": "````{solution} ex-f\n:class: dropdown\n\n```python\ndef f():\n    return 1\n```\n````",
    }
    nb, n = solve_notebook(_nb([stub, sol]))
    assert n == 1 and nb["cells"][0]["source"] == "def f():\n    return 1"
    assert solution_code(sol["source"]) == "def f():\n    return 1"
    with pytest.raises(ValueError, match="ex-f"):
        solve_notebook(_nb([stub]))
    (tmp_path / "src" / "ch").mkdir(parents=True)
    (tmp_path / "src" / "ch" / "a.ipynb").write_text(json.dumps(_nb([stub, sol])))
    done = solve_tree(tmp_path / "src", tmp_path / "dst")
    assert list(done.values()) == [1]
    out = json.loads((tmp_path / "dst" / "ch" / "a.ipynb").read_text())
    assert "return 1" in out["cells"][0]["source"]
