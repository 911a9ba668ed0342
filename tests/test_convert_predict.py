"""tools/convert_predict.py: questions of the earlier ``{predict}`` format become the format of CONTRIBUTING.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_book_hygiene import OLD_PREDICT_CELL, _good_notebook, notebook_problems, shown_in_plain_markdown
from test_predict import errors, parse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import convert_predict  # noqa: E402  (a script in tools/)
import predict  # noqa: E402  (book/_ext is not a package)

OLD_CHOICE = """Text before.

```{predict} Which one, with `code` in the question?
:label: predict-test-choice

1. The first, $a$.

   Not quite: $a$ is wrong.
2. The second. {correct}

   Yes.

   A second paragraph,
   on two lines.
3. The third, $c${correct}

   Also right.
```

Text after."""

NEW_CHOICE = """Text before.

:::{admonition} Which one, with `code` in the question?
:class: predict
:label: predict-test-choice

1. The first, $a$.
2. The second.
3. The third, $c$

<details>
<summary>Check your prediction (click to show)</summary>

**Answers: 2 and 3**

1. Not quite: $a$ is wrong.
2. Yes.

   A second paragraph,
   on two lines.
3. Also right.

</details>
:::

Text after."""

OLD_NUMBER = """```{predict} How many?
:label: predict-test-number
:answer: 0.119
:tolerance: 0.002

Because $z = -2$.

A second paragraph.
```"""

NEW_NUMBER = """:::{admonition} How many?
:class: predict
:label: predict-test-number

<details>
<summary>Check your prediction (click to show)</summary>

**Answer: 0.119 ± 0.002**

Because $z = -2$.

A second paragraph.

</details>
:::"""


def _old_notebook():
    nb = _good_notebook()
    nb.cells[6].source = OLD_PREDICT_CELL
    return nb


def test_the_earlier_format_breaks_the_rules_and_the_converted_one_follows_them():
    nb = _old_notebook()
    assert any("the earlier format" in p for p in notebook_problems(nb))
    assert convert_predict.convert_notebook(nb) == 1
    assert notebook_problems(nb) == []
    assert convert_predict.convert_notebook(nb) == 0  # converting again changes nothing


def test_conversion_keeps_every_word_and_moves_the_answer_into_details():
    assert convert_predict.convert_source(OLD_CHOICE) == NEW_CHOICE
    assert convert_predict.convert_source(OLD_NUMBER) == NEW_NUMBER
    assert convert_predict.convert_source(OLD_NUMBER.replace(":tolerance: 0.002\n", "")) == NEW_NUMBER.replace(
        " ± 0.002", ""
    )
    shown = shown_in_plain_markdown(NEW_CHOICE)
    assert "Not quite" not in "".join(shown.shown) and "Not quite" in "".join(shown.folded)


@pytest.mark.parametrize("old, new", [(OLD_CHOICE, NEW_CHOICE), (OLD_NUMBER, NEW_NUMBER)])
def test_the_converted_question_is_the_same_question(old: str, new: str):
    """What the website gets from the converted question: the options, the right ones and each one's feedback."""
    doc = parse(convert_predict.convert_source(old))
    assert errors(doc) == []
    (question,) = doc.findall(predict.predict_node)
    if question["kind"] == "number":
        assert (question["answer"], question["tolerance"]) == (0.119, 0.002)
        assert question.next_node(predict.predict_feedback).astext() == "Because z = -2.\n\nA second paragraph."
        return
    options = list(question.findall(predict.predict_option))
    assert [o.next_node(predict.predict_option_text).astext() for o in options] == [
        "The first, a.",
        "The second.",
        "The third, c",
    ]
    assert [o["correct"] for o in options] == [False, True, True]
    assert [o.next_node(predict.predict_feedback).astext() for o in options] == [
        "Not quite: a is wrong.",
        "Yes.\n\nA second paragraph,\non two lines.",
        "Also right.",
    ]


def test_a_question_it_cannot_read_stops_it_with_its_title():
    with pytest.raises(convert_predict.ConvertError, match="'How many.'.*no option is marked"):
        convert_predict.convert_source("```{predict} How many?\n\n1. a\n\n   x\n2. b\n\n   y\n```")
    with pytest.raises(convert_predict.ConvertError, match="unknown option"):
        convert_predict.convert_source("```{predict} How many?\n:weight: 2\n\n1. a {correct}\n\n   x\n```")


def test_the_script_rewrites_only_question_cells_and_check_reports(tmp_path):
    path = tmp_path / "ch" / "a.ipynb"
    path.parent.mkdir()
    nbformat.write(_old_notebook(), path)
    before = json.loads(path.read_text())
    script = [sys.executable, str(ROOT / "tools" / "convert_predict.py")]
    check = subprocess.run([*script, "--check", str(tmp_path)], capture_output=True, text=True)
    assert check.returncode == 1 and "1 cell to convert" in check.stdout
    assert subprocess.run([*script, str(tmp_path)], capture_output=True).returncode == 0
    after = json.loads(path.read_text())
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True)) if a != b]
    assert changed == [6]
    assert [c["id"] for c in before["cells"]] == [c["id"] for c in after["cells"]]
    assert subprocess.run([*script, "--check", str(tmp_path)], capture_output=True).returncode == 0
