"""tools/convert_exercises.py: earlier exercise cells become the format of CONTRIBUTING.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
from test_book_hygiene import _good_notebook, notebook_problems, shown_in_plain_markdown

from nnlib.exercises.solve import solution_code

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import convert_exercises  # noqa: E402  (a script in tools/)

OLD_TASK = "```{exercise} Sigmoid\n:label: ex-sig\n\nComplete `sigmoid` so that $a = \\sigma(z)$.\n```"
OLD_SOLUTION = (
    "````{solution} ex-sig\n:class: dropdown\n\nUse tanh: $\\sigma(z) = (1 + \\tanh(z/2))/2$.\n\n```python\n"
    "def sigmoid(z):\n    return 0.5 * np.tanh(0.5 * z) + 0.5\n```\n````"
)


def _old_notebook():
    nb = _good_notebook()
    nb.cells[1].source = OLD_TASK
    nb.cells[4].source = OLD_SOLUTION
    nb.cells[4].metadata["jupyter"] = {"source_hidden": True}
    return nb


def test_the_earlier_format_breaks_the_rules_and_the_converted_one_follows_them():
    nb = _old_notebook()
    assert any("code block" in p for p in notebook_problems(nb))
    assert any("before it is asked for" in p for p in notebook_problems(nb))
    assert convert_exercises.convert_notebook(nb) == 2
    assert notebook_problems(nb) == []
    assert "jupyter" not in nb.cells[4].metadata and nb.cells[4].metadata["nnlib"] == {"solves": "ex-sig"}
    assert convert_exercises.convert_notebook(nb) == 0  # converting again changes nothing


def test_conversion_keeps_the_words_the_math_and_the_solution_code():
    task = convert_exercises.convert_source(OLD_TASK)
    assert task == ":::{exercise} Sigmoid\n:label: ex-sig\n\nComplete `sigmoid` so that $a = \\sigma(z)$.\n:::"
    solution = convert_exercises.convert_source(OLD_SOLUTION)
    assert solution_code(solution) == solution_code(OLD_SOLUTION)
    assert ":class: dropdown" not in solution and ":::{solution} ex-sig\n\nUse tanh:" in solution
    shown = shown_in_plain_markdown(solution)
    assert "".join(shown.shown).strip() == ""
    assert "np.tanh(0.5 * z)" in "".join(shown.folded) and "Solution" in "".join(shown.summaries)


def test_a_colon_fence_inside_gets_a_longer_fence():
    text = "```{exercise} Nested\n:label: ex-n\n\n:::{note}\nA note.\n:::\n```"
    assert convert_exercises.convert_source(text).startswith("::::{exercise} Nested\n")
    assert convert_exercises.convert_source(text).endswith(":::\n::::")


def test_the_script_rewrites_only_exercise_cells_and_check_reports(tmp_path):
    path = tmp_path / "ch" / "a.ipynb"
    path.parent.mkdir()
    nbformat.write(_old_notebook(), path)
    before = json.loads(path.read_text())
    script = [sys.executable, str(ROOT / "tools" / "convert_exercises.py")]
    check = subprocess.run([*script, "--check", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 1 and "2 cells to convert" in check.stdout
    assert subprocess.run([*script, str(tmp_path)], capture_output=True).returncode == 0
    after = json.loads(path.read_text())
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True)) if a != b]
    assert changed == [1, 4]
    assert subprocess.run([*script, "--check", str(tmp_path)], capture_output=True).returncode == 0
