"""The exercise machinery itself: verdicts, hints that grow, generic hints that say only what
they know, types, inputs left unchanged, strict mode, the verdict's look, and the notebook solver."""

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest
from _checkers import fresh_attempts  # noqa: F401 (an autouse fixture)

from nnlib.exercises import core
from nnlib.exercises.core import Case, Exercise, Hint, Mistake, check_function
from nnlib.exercises.solve import solution_code, solve_notebook, solve_tree

ROOT = Path(__file__).resolve().parents[1]
EX = Exercise("ex-test-sigmoid", "A test sigmoid", "sigmoid")


def reference(z):
    return 0.5 * np.tanh(0.5 * z) + 0.5


CASES = [Case((np.array([0.0]),)), Case((np.array([-1000.0, 0.0, 1000.0]),), label="large |z|")]
MISTAKES = [Mistake("forgot-minus", lambda z: 1 / (1 + np.exp(z)), Hint("exp(z)", "the sign", "exp(-z)"))]


def check(fn, **kw):
    return check_function(EX, fn, reference, CASES, MISTAKES, arg_names=["z"], returns=core.float_array, **kw)


# --- verdicts ----------------------------------------------------------------------------------


def test_stub_is_not_attempted():
    def sigmoid(z):
        raise NotImplementedError

    v = check(sigmoid)
    assert v.status == core.NOT_ATTEMPTED and not v
    assert "not attempted yet" in str(v) and "not attempted yet" in v._repr_html_()
    assert "`sigmoid`" in v.message  # says which function to complete


def test_ellipsis_and_none():
    assert check(lambda z: ...).status == core.NOT_ATTEMPTED
    assert check(None).status == core.NOT_ATTEMPTED
    v = check(lambda z: None)
    assert v.status == core.WRONG and v.hint_id == "returned-none"


def test_reference_is_correct_and_plurals():
    v = check(reference)
    assert v.passed and "2 test cases" in v.message and "all 2" not in v.message
    one = check_function(EX, reference, reference, CASES[:1])
    assert "1 test case." in one.message
    assert core.plural(1, "test case") == "1 test case" and core.plural(3, "test case") == "3 test cases"


def test_label_is_the_exercise_title():
    v = check(reference)
    assert v.exercise == "A test sigmoid" and v.label == "ex-test-sigmoid" and v.function == "sigmoid"
    assert str(v).startswith("A test sigmoid: [correct]")


def test_known_mistake_gets_its_hint_on_smallest_failing_case():
    v = check(lambda z: 1 / (1 + np.exp(z)))
    assert v.status == core.WRONG and v.hint_id == "forgot-minus"
    # z = 0 gives 0.5 either way, so the first failing case is the second one
    assert v.case.startswith("large |z|")
    np.testing.assert_allclose(v.expected, reference(CASES[1].args[0]))
    np.testing.assert_allclose(v.received, [1.0, 0.5, 0.0])


def test_a_mistake_must_match_on_every_case():
    """A coincidence on the failing case does not pick a hint: the mistake must give the
    learner's result on every case."""
    cases = [Case((np.array([1.0, 2.0]),)), Case((np.array([3.0, 4.0]),))]
    mistakes = [Mistake("doubled", lambda z: 2 * z, Hint("doubled", "", ""))]
    ex = Exercise("ex-t", "T", "f")
    # right on the first case only where 2z happens to be z + 1 ... and not on the second
    v = check_function(ex, lambda z: z + 1, lambda z: z, cases, mistakes)
    assert v.hint_id == "values-differ"
    v = check_function(ex, lambda z: 2 * z, lambda z: z, cases, mistakes)
    assert v.hint_id == "doubled"


# --- hints that grow -----------------------------------------------------------------------------


def test_hints_grow_with_repeats_of_the_same_mistake():
    wrong = lambda z: 1 / (1 + np.exp(z))  # noqa: E731
    levels = [check(wrong) for _ in range(4)]
    assert [v.hint_level for v in levels] == [1, 2, 3, 3]
    assert [k for k, _ in levels[0].hint_rows] == ["hint"]
    assert [k for k, _ in levels[1].hint_rows] == ["hint", "where"]
    assert [k for k, _ in levels[2].hint_rows] == ["hint", "where", "fix"]
    assert levels[0].hint == "exp(z)" and levels[2].hint == "exp(z)\nthe sign\nexp(-z)"
    assert "fix" in str(levels[2]) and "exp(-z)" in levels[2]._repr_html_()


def test_hint_count_is_per_exercise_and_per_mistake():
    wrong = lambda z: 1 / (1 + np.exp(z))  # noqa: E731
    assert check(wrong).hint_level == 1
    # another mistake starts at its own first part
    assert check(lambda z: np.full(np.shape(z), np.nan)).hint_level == 1
    # another exercise with the same mistake too
    other = Exercise("ex-other", "Other", "sigmoid")
    assert check_function(other, wrong, reference, CASES, MISTAKES).hint_level == 1
    assert check(wrong).hint_level == 2
    core.reset_attempts(EX)
    assert check(wrong).hint_level == 1
    assert check_function(other, wrong, reference, CASES, MISTAKES).hint_level == 2


def test_strict_mode_raises(monkeypatch):
    monkeypatch.setenv(core.STRICT_ENV, "1")
    with pytest.raises(core.ExerciseNotPassed, match="not attempted"):
        check(None)
    with pytest.raises(core.ExerciseNotPassed, match="wrong"):
        check(lambda z: 1 / (1 + np.exp(z)))
    assert check(reference).passed


# --- a finished function that calls an unfinished one -------------------------------------------


def test_a_function_calling_an_unfinished_one_names_it():
    def my_sigmoid(z):
        z = np.asarray(z, dtype=float)
        raise NotImplementedError

    def sigmoid_prime(z):
        s = my_sigmoid(z)
        return s * (1 - s)

    v = check(sigmoid_prime)
    assert v.status == core.NOT_ATTEMPTED and v.waiting_for == "`my_sigmoid`"
    assert "`sigmoid_prime` calls `my_sigmoid`" in v.message and "Complete `my_sigmoid`" in v.message
    assert "finish `my_sigmoid` first" in str(v)
    # its own stub is still just "not attempted yet"
    assert check(my_sigmoid).waiting_for is None


def test_a_not_implemented_error_with_a_message_from_elsewhere_is_an_error():
    def helper(z):
        raise NotImplementedError("float128 is not supported")

    v = check(lambda z: helper(z))
    assert v.status == core.WRONG and v.hint_id == "raised"


def test_a_value_still_an_ellipsis_is_named():
    unfinished = ...
    v = check(lambda z: z * unfinished)
    assert v.hint_id == "uses-ellipsis"


# --- types -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, hint_id",
    [
        (lambda z: [float(v) for v in reference(z)], "list-not-array"),
        (lambda z: (v for v in reference(z)), "generator"),
        (lambda z: reference(z) > 0.5, "bool-array"),
        (lambda z: np.round(reference(z)).astype(int), "int-array"),
    ],
)
def test_float_array_asked_for(answer, hint_id):
    assert check(answer).hint_id == hint_id


def test_type_problems_of_scalars_and_pairs():
    assert core.number(0.5) is None and core.number(np.float64(0.5)) is None and core.number(np.array(0.5)) is None
    assert core.number(np.int64(0))[0] == "integer"
    assert core.number(True)[0] == "bool"
    assert core.number(np.array([0.5]))[0] == "array-not-number"
    assert core.integer(3) is None and core.integer(np.int64(3)) is None
    assert core.integer(3.0)[0] == "float-not-int"
    assert core.int_array(np.zeros((2, 2), dtype=int)) is None
    assert core.int_array(np.zeros((2, 2)))[0] == "not-int-array"
    assert core.int_pair((1, np.int64(2))) is None
    assert core.int_pair([1, 2])[0] == "list-not-tuple"
    assert core.int_pair((1.0, 2.0))[0] == "pair-not-ints"
    assert core.int_pair((1, 2, 3))[0] == "tuple-length"
    assert core.int_pair(np.array([1, 2]))[0] == "array-not-tuple"
    assert core.int_pair(5)[0] == "one-number"


def test_tuples_are_shown_as_tuples():
    assert core._fmt((4, np.int64(9))) == "(4, 9)"
    assert core._fmt([4, 9]) == "[4, 9]"
    assert core._fmt(np.float64(0.75)) == "0.75" and core._fmt(np.int64(3)) == "3" and core._fmt(True) == "True"
    shown = core._fmt((np.zeros(2), np.ones(1)))
    assert shown.startswith("a tuple of 2 items:") and "[1] array of shape (1,)" in shown
    ex = Exercise("ex-pair", "Pair", "pair")
    v = check_function(ex, lambda: (1, 0), lambda: (0, 1), [Case(())], returns=core.int_pair)
    assert v.expected == (0, 1) and "expected: (0, 1)" in str(v) and "received: (1, 0)" in str(v)


# --- inputs left unchanged ------------------------------------------------------------------------


def test_inputs_changed_in_place_are_described():
    def writes(z):
        z *= 0.5
        return np.tanh(z) * 0.5 + 0.5

    v = check(writes)
    assert v.hint_id == "in-place" and "`z`" in v.message

    lists = [Case(([np.array([1.0]), np.array([2.0])],))]
    ex = Exercise("ex-list", "Lists", "f")

    def ref(ps):
        return [p + 1 for p in ps]

    def replaces(ps):
        for i in range(len(ps)):
            ps[i] = ps[i] + 1
        return ps

    def pops(ps):
        return [ps.pop() + 1, ps.pop() + 1][::-1]

    def reverses(ps):
        ps.reverse()
        return [p + 1 for p in ps[::-1]]

    def writes_entry(ps):
        ps[0] += 1
        return [ps[0], ps[1] + 1]

    for fn, hint_id, name in [
        (replaces, "list-entries-replaced", "`ps`"),
        (pops, "list-resized", "`ps`"),
        (reverses, "list-reordered", "`ps`"),
        (writes_entry, "in-place", "`ps[0]`"),
    ]:
        v = check_function(ex, fn, ref, lists, arg_names=["ps"])
        assert v.hint_id == hint_id and name in v.message, str(v)


# --- generic hints say only what they know ------------------------------------------------------


def test_shape_hints_name_what_they_know():
    def hint_for(received, expected):
        return core._shape_hint(np.zeros(received), np.zeros(expected))

    hid, h = hint_for((3, 2), (2, 3))
    assert hid == "transposed"
    hid, h = hint_for((3,), (3, 4))
    assert hid == "missing-axis" and "reduction" in h.where and "axis 1" in h.what
    for received, expected in [((1, 3), (3,)), ((3, 1), (3,))]:
        hid, h = hint_for(received, expected)
        assert hid == "extra-axis" and "sum" not in (h.what + h.where + h.fix)
    hid, h = hint_for((6,), (2, 3))
    assert hid == "shape" and "reshape" in h.where and "sum" not in h.where
    hid, h = hint_for((2, 5), (2, 3))
    assert hid == "shape" and "sum" not in (h.what + h.where + h.fix)
    hid, h = hint_for((), (3,))
    assert hid == "shape" and "one number" in h.what
    hid, h = hint_for((3,), ())
    assert hid == "shape" and "one number" in h.what


def test_catch_all_points_at_nothing_that_may_not_be_there():
    v = check(lambda z: reference(z) + 0.1)
    assert v.hint_id == "values-differ"
    text = " ".join(t for _, t in core.CATCH_ALL.rows(3))
    assert "above" not in text and "equation" not in text


def test_none_hints_tell_a_missing_return_from_a_none_value():
    def no_return(z):
        reference(z)

    def returns_none_variable(z):
        result = None
        for _ in []:
            result = reference(z)
        return result

    assert check(no_return).hint_id == "returned-none"
    assert check(returns_none_variable).hint_id == "returned-none-value"
    assert not core.has_return_value(no_return) and core.has_return_value(returns_none_variable)


def test_overflow_and_raised_hints():
    v = check(lambda z: 1 / (1 + np.exp(-z)) * np.where(np.abs(z) > 500, np.nan, 1))
    assert v.hint_id == "overflow" and "large |z|" in v.case  # numpy warned about the overflow
    v = check(lambda z: np.where(np.abs(z) > 500, np.nan, reference(z)))
    assert v.hint_id == "not-finite" and "overflow" not in v.hint  # no warning: no claim of one

    def boom(z):
        return z.nonexistent

    v = check(boom)
    assert v.hint_id == "raised" and "AttributeError" in v.message


def test_transposed_matrix():
    ref = lambda X, W: X @ W  # noqa: E731
    cases = [Case((np.ones((3, 2)), np.arange(8.0).reshape(2, 4)))]
    v = check_function(Exercise("ex-l", "Layer", "layer"), lambda X, W: (X @ W).T, ref, cases)
    assert v.hint_id == "transposed"


# --- how a verdict looks --------------------------------------------------------------------------


def _luminance(colour):
    rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a, b):
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_verdict_colours_have_contrast_on_their_own_background(theme):
    palette = core.PALETTE[theme]
    for name in ("fg", core.CORRECT, core.WRONG, core.NOT_ATTEMPTED):
        assert contrast(palette[name], palette["bg"]) >= 4.5, (theme, name)


def test_verdict_html_brings_its_background_and_is_left_aligned():
    core.reset_attempts()
    for v in (check(None), check(reference), check(lambda z: 1 / (1 + np.exp(z))), check(lambda z: None)):
        html = v._repr_html_()
        assert html.count("not attempted yet") == (1 if v.status == core.NOT_ATTEMPTED else 0)
        # every colour of the box comes from the palette, with its own background
        assert f"background:var(--nnlib-verdict-bg,{core.PALETTE['light']['bg']})" in html
        assert f"color:var(--nnlib-verdict-fg,{core.PALETTE['light']['fg']})" in html
        colours = set(re.findall(r"#[0-9a-fA-F]{6}", html.split("</style>", 1)[1]))
        assert colours <= set(core.PALETTE["light"].values()), colours
        # code and table rows keep the box's colours even where the notebook styles them
        assert html.count("<code") == html.count("<code style='color:inherit;background:transparent")
        if "<table" in html:
            assert html.count("<tr style='text-align:left;background:transparent;color:inherit") == html.count("<tr")
            assert "<th style='text-align:left" in html and "<td style='text-align:left" in html
            assert "margin:.3em 0 0 0" in html  # not centred by the notebook's table style
        # the dark palette for JupyterLab's and the website's dark themes
        assert 'body[data-jp-theme-light="false"] .nnlib-verdict' in html
        assert 'html[data-theme="dark"] .nnlib-verdict' in html
        for name, colour in core.PALETTE["dark"].items():
            assert f"--nnlib-verdict-{name.replace(' ', '-')}:{colour}" in html


def test_course_css_sets_only_the_verdict_palette():
    """The website's dark theme uses the same dark palette, and nothing else recolours the verdict
    (course.css once painted light grey text on the light box: a contrast of 1.25:1)."""
    css = re.sub(r"/\*.*?\*/", "", (ROOT / "book" / "_static" / "course.css").read_text(encoding="utf-8"), flags=re.S)
    rules = [(sel.strip(), body) for sel, body in re.findall(r"([^{}]*)\{([^}]*)\}", css) if "nnlib-verdict" in sel]
    assert rules
    palette = {}
    for selector, body in rules:
        for prop, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
            if prop.startswith("--nnlib-verdict-"):
                assert selector == 'html[data-theme="dark"] .nnlib-verdict'
                palette[prop[len("--nnlib-verdict-") :]] = value.strip()
            else:
                assert "color" not in prop or value.strip() in ("transparent", "inherit"), (selector, prop)
    assert palette == {k.replace(" ", "-"): v for k, v in core.PALETTE["dark"].items()}


# --- every chapter's exercises match the notebooks ------------------------------------------------

_TITLE = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}\s*(.*?)\s*\n:label:\s*(\S+)", re.MULTILINE)
_CHECK = re.compile(r"^check\.(\w+)\(", re.MULTILINE)
_MODULE = re.compile(r"from nnlib\.exercises import (\w+) as check")


def _notebook_exercises():
    for path in sorted((ROOT / "book").glob("*/*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = ["".join(c["source"]) for c in cells]
        module = next((m.group(1) for t in text if (m := _MODULE.search(t))), None)
        titles = {m.group(2): m.group(1) for t in text for m in _TITLE.finditer(t)}
        for i, cell in enumerate(cells):
            label = cell.get("metadata", {}).get("nnlib", {}).get("exercise")
            if label:
                call = next(m.group(1) for t in text[i + 1 :] if (m := _CHECK.search(t)))
                yield path.parent.name, module, call, label, titles[label]


def test_every_verdict_is_labelled_with_its_exercise_title():
    found = list(_notebook_exercises())
    assert len(found) == 44  # 33 + the training loop (ex-training-loop) + 5 in optimizers + 5 in debugging
    for chapter, module, call, label, title in found:
        exercises = importlib.import_module(f"nnlib.exercises.{module}").EXERCISES
        ex = exercises[call]
        assert (ex.label, ex.title) == (label, title), (chapter, call)


def test_every_hint_has_three_parts():
    for module in (
        "activations",
        "autograd",
        "backprop",
        "capstone",
        "debugging",
        "forward",
        "losses",
        "neuron",
        "optimizers",
        "training",
    ):
        mod = importlib.import_module(f"nnlib.exercises.{module}")
        for name, value in vars(mod).items():
            items = value() if name == "_lr_mistakes" else value
            if isinstance(items, list) and items and isinstance(items[0], Mistake):
                for m in items:
                    assert m.hint.what and m.hint.where and m.hint.fix, (module, m.id)
            if isinstance(items, dict) and items and all(isinstance(h, Hint) for h in items.values()):
                for key, h in items.items():
                    assert h.what and h.where and h.fix, (module, key)


# --- the solver -------------------------------------------------------------------------------------


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


def test_stubs_hold_no_constants_the_learner_needs():
    """Constants such as EPS live in a setup cell before the stub, so that they survive the
    learner rewriting the stub (and the solved copy, which replaces it)."""
    for path in sorted((ROOT / "book").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell.get("metadata", {}).get("nnlib", {}).get("exercise"):
                source = "".join(cell["source"])
                assert not re.search(r"^[A-Z][A-Z0-9_]* = ", source, re.MULTILINE), (path.name, source)
