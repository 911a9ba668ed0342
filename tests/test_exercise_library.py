"""The learner's package, mynn (nnlib.exercises.library): what a correct check saves, what it never
overwrites, the functions it cannot save (and says why), a module broken by hand, `use`, and
`progress`. Functions are made as a notebook makes them: cells compiled in `__main__`, with their
source registered in linecache (as IPython does), so that inspect.getsource finds them."""

import linecache
import re
import sys

import numpy as np
import pytest

import nnlib
from nnlib.exercises import activations, core, forward, library, losses
from nnlib.exercises.summary import progress

_CELLS = [0]


def notebook(source: str, ns: dict | None = None) -> dict:
    """Run ``source`` as a notebook cell in the namespace ``ns`` (a fresh ``__main__`` by default)."""
    ns = {"__name__": "__main__", "np": np} if ns is None else ns
    _CELLS[0] += 1
    name = f"/tmp/ipykernel_test/{_CELLS[0]}.py"
    lines = source.splitlines(keepends=True)
    linecache.cache[name] = (len(source), None, lines, name)
    exec(compile(source, name, "exec"), ns)
    return ns


SIGMOID = """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * np.tanh(0.5 * z) + 0.5
"""


def test_a_correct_function_is_saved_with_its_imports_and_the_verdict_says_where(own_mynn):
    ns = notebook(SIGMOID)
    verdict = activations.sigmoid(ns["sigmoid"])
    assert verdict.passed
    path = own_mynn / "activations.py"
    text = path.read_text()
    assert '# === sigmoid: "A sigmoid that never overflows" (ex-act-sigmoid) ===' in text
    assert "import numpy as np" in text and "def sigmoid(z):" in text
    assert (own_mynn / "__init__.py").is_file()
    assert ("saved", verdict.notes[0][1]) == verdict.notes[0] and "activations.py" in verdict.notes[0][1]
    assert "activations.py" in str(verdict) and "activations.py" in verdict._repr_html_()
    mine = library.use("sigmoid", fallback=nnlib.activations.sigmoid)
    assert library.is_yours(mine) and mine(np.array([0.0]))[0] == 0.5


def test_constants_and_other_saved_functions_are_imported(own_mynn):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    notebook("EPS = 1e-12\nimport nnlib\n", ns)
    notebook(
        "def sigmoid_prime(z):\n    s = sigmoid(z)\n    return s * (1 - s)\n"
        "def binary_cross_entropy(a, y):\n    a = np.clip(a, EPS, 1 - EPS)\n"
        "    return -np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / a.shape[0]\n",
        ns,
    )
    assert activations.sigmoid_prime(ns["sigmoid_prime"]).passed
    assert losses.binary_cross_entropy(ns["binary_cross_entropy"]).passed
    text = (own_mynn / "activations.py").read_text()
    assert "from .activations" not in text  # the same module already defines sigmoid
    assert "EPS = 1e-12" in (own_mynn / "losses.py").read_text()
    # in a later chapter the learner's sigmoid comes from their package: imported relatively
    later = {"__name__": "__main__", "np": np, "sigmoid": library.use("sigmoid", nnlib.activations.sigmoid)}
    notebook("def dense_forward(X, W, b):\n    return sigmoid(X @ W + b)\n", later)
    assert forward.dense_forward(later["dense_forward"]).passed
    assert "from .activations import sigmoid" in (own_mynn / "forward.py").read_text()
    assert library.is_yours(library.use("dense_forward", nnlib.activations.sigmoid, quiet=True))


def test_a_new_correct_answer_replaces_its_block_and_nothing_else(own_mynn):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    notebook("def relu(z):\n    return np.maximum(z, 0.0)\n", ns)
    assert activations.relu(ns["relu"]).passed
    (own_mynn / "notes.txt").write_text("mine")
    path = own_mynn / "activations.py"
    before = path.read_text()
    notebook("def sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))  # second try\n", ns)
    activations.sigmoid(ns["sigmoid"])  # wrong (overflow warning): nothing changes
    assert path.read_text() == before
    notebook(
        "def sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    return np.exp(-np.logaddexp(0.0, -z))  # third\n",
        ns,
    )
    assert activations.sigmoid(ns["sigmoid"]).passed
    after = path.read_text()
    assert "# third" in after and "tanh" not in after and after.count("# === sigmoid:") == 1
    assert "def relu(z):" in after and (own_mynn / "notes.txt").read_text() == "mine"


def test_wrong_answers_and_stubs_never_overwrite(own_mynn):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    before = (own_mynn / "activations.py").read_text()
    notebook("def sigmoid(z):\n    raise NotImplementedError\n", ns)
    assert activations.sigmoid(ns["sigmoid"]).status == core.NOT_ATTEMPTED
    notebook("def sigmoid(z):\n    return np.tanh(z)\n", ns)
    assert activations.sigmoid(ns["sigmoid"]).status == core.WRONG
    assert (own_mynn / "activations.py").read_text() == before
    assert not (own_mynn / "losses.py").exists()


def test_a_lambda_is_checked_but_not_saved_and_the_verdict_says_why(own_mynn):
    verdict = activations.relu(lambda z: np.maximum(z, 0.0))
    assert verdict.passed
    kind, text = verdict.notes[0]
    assert kind == "not saved" and "lambda" in text and "def relu(" in text
    assert not (own_mynn / "activations.py").exists()


def test_an_exec_function_is_checked_but_not_saved(own_mynn):
    ns = {"__name__": "__main__", "np": np}
    exec("def relu(z):\n    return np.maximum(z, 0.0)\n", ns)  # no source anywhere
    verdict = activations.relu(ns["relu"])
    assert verdict.passed and verdict.notes[0][0] == "not saved" and "exec" in verdict.notes[0][1]


def test_a_notebook_variable_the_function_does_not_define_is_named(own_mynn):
    ns = notebook("SHIFT = np.zeros(1)\ndef relu(z):\n    return np.maximum(z, SHIFT[0])\n")
    verdict = activations.relu(ns["relu"])
    assert verdict.passed and verdict.notes[0][0] == "not saved"
    assert "`SHIFT`" in verdict.notes[0][1] and "argument" in verdict.notes[0][1]
    # an unsaved helper of the notebook is named too
    ns = notebook("def helper(z):\n    return np.maximum(z, 0.0)\ndef relu(z):\n    return helper(z)\n")
    verdict = activations.relu(ns["relu"])
    assert verdict.passed and "`helper`" in verdict.notes[0][1]
    assert not (own_mynn / "activations.py").exists()


def test_strict_mode_raises_when_a_correct_function_cannot_be_saved(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="lambda"):
        activations.relu(lambda z: np.maximum(z, 0.0))


def test_a_broken_module_is_named_with_its_line_and_the_reference_is_used(own_mynn, capsys):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    path = own_mynn / "activations.py"
    lines = path.read_text().splitlines()
    broken = next(i for i, line in enumerate(lines) if "np.tanh" in line)
    lines[broken] = "    return 0.5 * np.tanh(0.5 * z) +"
    path.write_text("\n".join(lines) + "\n")
    fn = library.use("sigmoid", fallback=nnlib.activations.sigmoid, exercise="ex-act-sigmoid")
    assert fn is nnlib.activations.sigmoid
    out = capsys.readouterr().out
    assert "activations.py, line" in out and f"line {broken + 1}" in out and "nnlib's reference" in out
    # a module that raises when imported: also named, also the reference
    path.write_text("import numpy as np\nraise RuntimeError('edited by hand')\n" + '# === sigmoid: "x" (y) ===\n')
    assert library.use("sigmoid", fallback=nnlib.activations.sigmoid) is nnlib.activations.sigmoid
    assert "line 2" in capsys.readouterr().out
    # a correct answer whose module would not import leaves the old file alone
    text = path.read_text()
    verdict = activations.sigmoid(ns["sigmoid"])
    assert verdict.passed and verdict.notes[0][0] == "not saved" and "unchanged" in verdict.notes[0][1]
    assert path.read_text() == text


def test_use_without_a_saved_function_names_the_exercise(capsys):
    fn = library.use("softmax", fallback=nnlib.activations.softmax, exercise="A stable softmax (Activations)")
    assert fn is nnlib.activations.softmax
    assert (
        capsys.readouterr().out.strip()
        == "softmax: nnlib's reference (finish A stable softmax (Activations) to use yours)"
    )
    assert not library.is_yours(fn)


def test_the_folder_next_to_the_chapters(tmp_path, monkeypatch):
    monkeypatch.delenv(library.FOLDER_ENV)
    book = tmp_path / "book"
    (book / "forward").mkdir(parents=True)
    (book / "exercises-howto.md").write_text("")
    monkeypatch.chdir(book / "forward")
    assert library.folder() == book / "mynn"
    monkeypatch.chdir(tmp_path)  # Colab: the working folder
    assert library.folder() == tmp_path / "mynn"


def test_progress_lists_every_chapter_and_what_is_saved(own_mynn):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    table = progress()
    row = next(r for r in table.rows if r.label == "ex-act-sigmoid")
    assert row.done and row.saved == ["sigmoid"]
    assert {r.chapter for r in table.rows} == set(library.CHAPTERS)
    assert table.chapter("activations").startswith("activations: 1 of 4 exercises solved and saved")
    assert "[x] A sigmoid that never overflows" in str(table)
    with pytest.raises(ValueError, match="chapter must be one of"):
        progress("nope")


def test_every_check_of_a_function_saves_it():
    """A new checker's check must be decorated with @saves, else progress and later chapters miss it."""
    from nnlib.exercises.summary import CHAPTER_MODULES

    # the gates ask for numbers, and the mystery runs for the name of a bug, not functions
    values = {"and_gate", "or_gate", "nand_gate", "bug_a", "bug_b", "bug_c"}
    for name, module in CHAPTER_MODULES.items():
        saving = {f for check in vars(module).values() for f in getattr(check, "__nnlib_saves__", ())}
        for check, ex in module.EXERCISES.items():
            asked = [f for f in re.findall(r"\w+", ex.function) if f != "and"]  # "a, b and c"
            assert check in values or set(asked) <= saving, f"{name}.{check} saves nothing"
    assert set(CHAPTER_MODULES) == set(library.CHAPTERS)


def test_each_run_of_the_test_suite_has_a_package_of_its_own():
    """The unsolved run (and the website) never see the solved run's package, nor a learner's
    book/mynn: each gets its own folder through $NNLIB_MYNN, and the unsolved one must stay empty."""
    from pathlib import Path

    makefile = (Path(__file__).parents[1] / "Makefile").read_text()
    recipes = {
        name: makefile.split(f"\n{name}:")[1].split("\n\n")[0] for name in ("test-notebooks", "test-solved", "site")
    }
    assert "NNLIB_MYNN=$(CURDIR)/$(UNSOLVED_MYNN)" in recipes["test-notebooks"]
    assert (
        "rm -rf $(UNSOLVED_MYNN)" in recipes["test-notebooks"]
        and "if [ -e $(UNSOLVED_MYNN) ]" in recipes["test-notebooks"]
    )
    assert "NNLIB_MYNN=$(CURDIR)/$(SOLVED)/mynn" in recipes["test-solved"] and "--require-all" in recipes["test-solved"]
    assert "NNLIB_MYNN=$(CURDIR)/$(SITE_MYNN)" in recipes["site"]
    assert "mynn/" in (Path(__file__).parents[1] / ".gitignore").read_text().splitlines()


def test_a_solved_package_is_not_used_by_a_run_pointed_elsewhere(own_mynn, tmp_path, monkeypatch, capsys):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed  # "the solved run" saves into own_mynn
    assert library.is_yours(library.use("sigmoid", nnlib.activations.sigmoid, quiet=True))
    monkeypatch.setenv(library.FOLDER_ENV, str(tmp_path / "unsolved-mynn"))  # "the unsolved run"
    assert library.use("sigmoid", nnlib.activations.sigmoid, exercise="ex") is nnlib.activations.sigmoid
    assert "nnlib's reference" in capsys.readouterr().out
    assert not progress().rows[0].saved and not (tmp_path / "unsolved-mynn").exists()


def test_the_capstone_side_by_side_says_what_is_missing_and_is_strict_in_the_solved_run(monkeypatch):
    from nnlib.exercises import capstone

    shown = capstone.side_by_side(0.93, 0.93, {"train": True, "backprop": False})
    assert "backprop" in str(shown) and "the same, to the digit" in str(shown)
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="backprop"):
        capstone.side_by_side(0.93, 0.93, {"train": True, "backprop": False})
    with pytest.raises(core.ExerciseNotPassed, match="different"):
        capstone.side_by_side(0.93, 0.92, {"train": True})
    assert capstone.side_by_side(0.93, 0.93, {"train": True}).missing == []


def test_calls_follows_the_learners_functions(own_mynn):
    ns = notebook(SIGMOID)
    assert activations.sigmoid(ns["sigmoid"]).passed
    later = {"__name__": "__main__", "np": np, "sigmoid": library.use("sigmoid", nnlib.activations.sigmoid, quiet=True)}
    notebook("def dense_forward(X, W, b):\n    return sigmoid(X @ W + b)\n", later)
    assert forward.dense_forward(later["dense_forward"]).passed
    mine = library.use("dense_forward", nnlib.activations.sigmoid, quiet=True)
    assert library.calls(mine) == {"sigmoid": True}


def test_use_refuses_bad_arguments_by_name():
    with pytest.raises(TypeError, match="use: name"):
        library.use("not a name", nnlib.activations.sigmoid)
    with pytest.raises(TypeError, match="use: fallback"):
        library.use("sigmoid", None)


def test_on_colab_the_verdict_says_the_folder_goes_with_the_session(own_mynn, monkeypatch):
    import types

    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    ns = notebook(SIGMOID)
    verdict = activations.sigmoid(ns["sigmoid"])
    assert verdict.passed and "deleted with the session" in verdict.notes[0][1]
