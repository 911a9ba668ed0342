"""House rules for the book's sources (CONTRIBUTING.md, "Notebooks" and "Exercises").

Every notebook under ``book/``:

* is valid nbformat 4 with the ``python3`` kernel, and is stored without outputs
  and execution counts (the website and nbval execute it);
* is listed in ``_toc.yml``, and every ``_toc.yml`` entry exists;
* starts with the Colab install cell, tagged ``hide-cell``;
* pairs every exercise stub (metadata ``nnlib.exercise``, tag ``exercise-stub``)
  with a ``{exercise}`` block before it and a collapsed solution after it (metadata
  ``nnlib.solves``, a ``{solution}`` block inside ``<details>``, with a ``python``
  block that ``nnlib.exercises.solve`` substitutes);
* writes them so that plain Markdown (Colab, Jupyter without jupyterlab-myst) shows the
  task as text and keeps the whole solution collapsed: checked on the cell as CommonMark
  renders it (``plain_markdown_problems``);
* writes every predict-then-reveal question (an admonition of class ``predict``,
  CONTRIBUTING.md) so that plain Markdown shows its question and options, and nothing of its
  answer (which option is right, the feedback, the number, the explanation) until its
  ``<details>`` is opened (``predict_problems``); the earlier ``{predict}`` format is refused;
* gives every figure a caption and every image alt text (``mystnb`` metadata);
* never refers to the maintainers' shared folder, which learners do not have.

The rules are functions of one notebook, tested here on small hand-made
notebooks, so they are known to catch what they claim even before the chapters
exist.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
TOC = ROOT / "_toc.yml"
SKIP_DIRS = {"_build", "_static", "_ext", ".ipynb_checkpoints"}
INSTALL_URL = "nnlib[widgets] @ git+https://github.com/nn-from-scratch/nn-from-scratch"
FORBIDDEN = ("/work/shared", "../shared")

_EXERCISE_LABEL = re.compile(r"^(?:`{3,}|:{3,})\{exercise\}.*?^:label:\s*(\S+)", re.MULTILINE | re.DOTALL)
_SOLUTION_OF = re.compile(r"^(`{3,}|:{3,})\{solution\}\s+(\S+)", re.MULTILINE)


def book_files(suffix: str) -> list[Path]:
    """Source files with ``suffix`` under book/, outside build and asset folders."""
    return sorted(p for p in BOOK.rglob(f"*{suffix}") if not SKIP_DIRS.intersection(p.relative_to(BOOK).parts))


def toc_entries(toc_path: Path = TOC) -> list[str]:
    """Every ``root`` / ``file`` entry of the table of contents, e.g. ``book/intro``."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    entries = [toc["root"]]

    def walk(node) -> None:
        if isinstance(node, dict):
            entries.extend([node["file"]] if "file" in node else [])
            for key, value in node.items():
                if key != "file":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return entries


def resolve_entry(entry: str) -> Path | None:
    """The source file of a toc entry (its extension may be left out), or None."""
    path = ROOT / entry
    candidates = [path] if path.suffix in (".md", ".ipynb") else [path.with_suffix(".md"), path.with_suffix(".ipynb")]
    return next((c for c in candidates if c.is_file()), None)


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def notebook_problems(nb) -> list[str]:
    """Everything in one notebook that breaks the house rules (empty list: all good)."""
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as e:
        problems.append(f"invalid nbformat: {e.message}")
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"kernelspec name must be 'python3' (the kernel the build uses), got {kernel!r}")

    cells = nb.get("cells", [])
    for i, cell in enumerate(cells):
        where = f"cell {i}"
        if cell.get("cell_type") == "code":
            if cell.get("outputs"):
                problems.append(f"{where} has outputs: clear them (nbstripout)")
            if cell.get("execution_count") is not None:
                problems.append(f"{where} has an execution count: clear it (nbstripout)")
        text = _source(cell)
        for bad in FORBIDDEN:
            if bad in text:
                problems.append(f"{where} refers to {bad!r}, which learners do not have")
        mystnb = cell.get("metadata", {}).get("mystnb", {})
        figure, image = mystnb.get("figure"), mystnb.get("image")
        if figure is not None and not str(figure.get("caption", "")).strip():
            problems.append(f"{where} has mystnb figure metadata without a caption")
        if figure is not None and not str((image or {}).get("alt", "")).strip():
            problems.append(f"{where} has a figure without alt text (mystnb.image.alt)")
        if image is not None and not str(image.get("alt", "")).strip():
            problems.append(f"{where} has mystnb image metadata without alt text")

    code = [c for c in cells if c.get("cell_type") == "code"]
    if not code or INSTALL_URL not in _source(code[0]) or "hide-cell" not in _tags(code[0]):
        problems.append(
            f'the first code cell must be the Colab install cell (%pip install "{INSTALL_URL}"), tagged hide-cell'
        )

    problems += _exercise_problems(cells)
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "markdown":
            problems += [f"cell {i}: {p}" for p in predict_problems(_source(cell))]
    return problems


def _exercise_problems(cells: list) -> list[str]:
    """Stub, exercise block and hidden solution belong together, in that order."""
    problems = []
    stubs, solutions, labels = {}, {}, {}
    for i, cell in enumerate(cells):
        meta = cell.get("metadata", {}).get("nnlib", {})
        if cell.get("cell_type") == "markdown":
            for label in _EXERCISE_LABEL.findall(_source(cell)):
                labels.setdefault(label, i)
        if "exercise" in meta:
            if meta["exercise"] in stubs:
                problems.append(f"cell {i}: a second stub for exercise {meta['exercise']!r}")
            stubs[meta["exercise"]] = i
            if cell.get("cell_type") != "code" or "exercise-stub" not in _tags(cell):
                problems.append(f"cell {i}: the stub of {meta['exercise']!r} must be a code cell tagged exercise-stub")
        elif "exercise-stub" in _tags(cell):
            problems.append(f"cell {i} is tagged exercise-stub but has no nnlib.exercise metadata")
        if "solves" in meta:
            solutions[meta["solves"]] = i
            text = _source(cell)
            solved = [m.group(2) for m in _SOLUTION_OF.finditer(text)]
            if cell.get("cell_type") != "markdown" or solved != [meta["solves"]]:
                problems.append(
                    f"cell {i}: the solution of {meta['solves']!r} must be a markdown cell "
                    f"with one {{solution}} {meta['solves']} block"
                )
            if ":class: dropdown" in text:
                problems.append(
                    f"cell {i}: the solution of {meta['solves']!r} must not be a dropdown (:class: dropdown): "
                    "its <details> folds it, and a dropdown inside would fold twice"
                )
            if "```python" not in text:
                problems.append(f"cell {i}: the solution of {meta['solves']!r} has no ```python block")
        if cell.get("cell_type") == "markdown" and ("solves" in meta or _EXERCISE_LABEL.search(_source(cell))):
            problems += [f"cell {i}: {p}" for p in plain_markdown_problems(_source(cell), solution="solves" in meta)]
    for label, i in stubs.items():
        if label not in solutions:
            problems.append(f"exercise {label!r} (cell {i}) has no solution cell (nnlib.solves)")
        elif solutions[label] < i:
            problems.append(f"the solution of {label!r} comes before its stub")
        if label not in labels:
            problems.append(f"exercise {label!r} (cell {i}) has no {{exercise}} block with :label: {label}")
        elif labels[label] > i:
            problems.append(f"the {{exercise}} block of {label!r} comes after its stub")
    for label, i in solutions.items():
        if label not in stubs:
            problems.append(f"cell {i} solves {label!r}, but no stub has nnlib.exercise = {label!r}")
    return problems


# --- what a plain Markdown renderer shows (Colab, Jupyter without jupyterlab-myst) -------

_COMMONMARK = MarkdownIt("commonmark")  # raw HTML on, as in Colab and Jupyter


class _Shown(HTMLParser):
    """The text of an HTML fragment, split into what is on screen before any click, what is
    folded inside a closed ``<details>``, and the summaries that stay on screen to open them."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.folded: list[str] = []
        self.summaries: list[str] = []
        self.in_code = 0
        self.code_text: list[str] = []
        self._stack: list[str] = []  # open details: "closed" or "open"; summaries: "summary"

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "details":
            self._stack.append("open" if "open" in dict(attrs) else "closed")
        elif tag == "summary":
            self._stack.append("summary")
        elif tag == "pre":
            self.in_code += 1

    def handle_endtag(self, tag) -> None:
        if tag in ("details", "summary") and self._stack:
            self._stack.pop()
        elif tag == "pre":
            self.in_code -= 1

    def handle_data(self, data) -> None:
        summary = bool(self._stack) and self._stack[-1] == "summary"
        hidden = "closed" in self._stack and not summary
        (self.summaries if summary else self.folded if hidden else self.shown).append(data)
        if self.in_code and not hidden:
            self.code_text.append(data)


def shown_in_plain_markdown(text: str) -> _Shown:
    """What CommonMark with raw HTML (the renderers without MyST) puts on screen for ``text``."""
    shown = _Shown()
    shown.feed(_COMMONMARK.render(text))
    shown.close()
    return shown


def plain_markdown_problems(text: str, *, solution: bool) -> list[str]:
    """A task must read as text, and a solution must be folded whole, in plain Markdown."""
    shown = shown_in_plain_markdown(text)
    if solution:
        on_screen = "".join(shown.shown).strip()
        if on_screen or not "".join(shown.folded).strip() or not "".join(shown.summaries).strip():
            return [
                "plain Markdown (Colab) shows this solution before it is asked for: put the whole cell "
                f"in <details><summary>...</summary> ... </details> (on screen: {on_screen[:60]!r})"
            ]
        return []
    if "{exercise}" not in "".join(shown.shown) or "{exercise}" in "".join(shown.code_text):
        return ["plain Markdown (Colab) shows this task as a code block: fence it with ::: instead of backticks"]
    return []


# --- predict-then-reveal questions in plain Markdown ---------------------------------------

# a question: a colon-fenced admonition whose :class: line (among the option lines) says predict
_PREDICT = re.compile(
    r"^(?P<fence>:{3,})\{admonition\}(?P<title>[^\n]*)\n(?:(?::\w+:[^\n]*\n)*?:class:[^\n]*\bpredict\b[^\n]*\n"
    r"(?::\w+:[^\n]*\n)*)(?P<body>.*?)^(?P=fence)[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_PREDICT_ANYHOW = re.compile(r"^(`{3,}|~{3,}|:{3,})\{admonition\}[^\n]*\n(?::\w+:[^\n]*\n)*?:class:.*\bpredict\b", re.M)
_OLD_PREDICT = re.compile(r"\{predict\}")
# what names or gives away the answer, if it is on screen before <details> is opened
_ANSWER_SHOWN = re.compile(r"\{correct\}|:answer:|:tolerance:|\bAnswers?\s*:")
_OPTION_LINE = re.compile(r"^\d+\.[ \t]", re.MULTILINE)


class _Blocks(HTMLParser):
    """What is on screen outside closed ``<details>``, block by block: the top-level paragraphs,
    the list items (with how many blocks each holds) and any loose text; and what is folded."""

    BLOCKS = {"p", "ol", "ul", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table"}

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[str] = []
        self.items: list[list] = []  # [text, number of blocks inside]
        self.loose: list[str] = []
        self.folded: list[str] = []
        self.summaries: list[str] = []
        self.code = 0
        self._details: list[str] = []
        self._summary = 0
        self._open: list[str] = []  # the open block elements on screen

    @property
    def _hidden(self) -> bool:
        return "closed" in self._details

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "details":
            self._details.append("open" if "open" in dict(attrs) else "closed")
        elif tag == "summary":
            self._summary += 1
        elif self._hidden or self._summary:
            return
        elif tag == "li":
            self.items.append(["", 0])
            self._open.append(tag)
        elif tag in self.BLOCKS:
            if self._open and self._open[-1] == "li":
                self.items[-1][1] += 1
            if tag == "p" and not self._open:
                self.paragraphs.append("")
            self.code += tag == "pre"
            self._open.append(tag)

    def handle_endtag(self, tag) -> None:
        if tag == "details" and self._details:
            self._details.pop()
        elif tag == "summary":
            self._summary -= 1
        elif not (self._hidden or self._summary) and (tag == "li" or tag in self.BLOCKS) and tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data) -> None:
        if self._summary:
            self.summaries.append(data)
        elif self._hidden:
            self.folded.append(data)
        elif "li" in self._open:
            self.items[-1][0] += data
        elif self._open == ["p"]:
            self.paragraphs[-1] += data
        else:  # outside a paragraph or a list item: between blocks, or in a heading, a code block ...
            self.loose.append(data)


def _plain(markdown: str) -> str:
    """The text that CommonMark shows for an inline ``markdown`` (one line), spaces squeezed."""
    shown = shown_in_plain_markdown(markdown)
    return " ".join("".join(shown.shown).split())


def predict_problems(text: str) -> list[str]:
    """A predict question must show its question and options, and nothing of its answer until its
    ``<details>`` is opened, in plain Markdown (Colab, Jupyter without jupyterlab-myst)."""
    if _OLD_PREDICT.search(text):
        return [
            "a {predict} block, the earlier format, shows its answers in Colab and JupyterLab: write it as an "
            "admonition of class predict with the answer in <details> (CONTRIBUTING.md; tools/convert_predict.py)"
        ]
    problems = []
    questions = list(_PREDICT.finditer(text))
    if len(questions) != len(_PREDICT_ANYHOW.findall(text)):
        problems.append(
            "a predict question that is not a colon-fenced admonition (:::{admonition} ..., then its option lines): "
            "plain Markdown shows a backtick fence as a code block, answers and all"
        )
    for m in questions:
        title = " ".join(m["title"].split())
        where = f"the predict question {title[:50]!r}"
        blocks = _Blocks()
        blocks.feed(_COMMONMARK.render(m.group(0)))
        blocks.close()
        shown = " ".join(blocks.paragraphs + [item[0] for item in blocks.items] + blocks.loose)
        leak = _ANSWER_SHOWN.search(shown)
        if leak:
            problems.append(
                f"plain Markdown (Colab) shows the answer ({leak.group(0)!r}) of {where} before it is asked for"
            )
        if not "".join(blocks.folded).strip() or not "".join(blocks.summaries).strip():
            problems.append(
                f"{where} folds no answer: put it in <details><summary>...</summary>, a blank line, the answer, "
                "a blank line, </details>"
            )
        if blocks.code:
            problems.append(f"plain Markdown (Colab) shows part of {where} as a code block")
        question = _plain(title)
        if not blocks.paragraphs or question not in " ".join(blocks.paragraphs[0].split()):
            problems.append(
                f"plain Markdown (Colab) does not show {where}: the question must be the admonition's title"
            )
        before = m["body"].split("<details", 1)[0]
        options = len(_OPTION_LINE.findall(before))
        if len(blocks.items) != options:
            problems.append(
                f"plain Markdown (Colab) shows {len(blocks.items)} list items in {where}, for {options} options"
            )
        for text_, count in blocks.items:
            if count > 1:
                problems.append(
                    f"plain Markdown (Colab) shows more than the option {' '.join(text_.split())[:40]!r} of {where}: "
                    "its feedback goes in <details>"
                )
        others = [p for p in blocks.paragraphs[1:] if p.strip(": \n")] + [t for t in blocks.loose if t.strip(": \n")]
        if others:
            problems.append(
                f"plain Markdown (Colab) shows text of {where} that is neither its question nor an option, "
                f"before <details> is opened: {' '.join(others[0].split())[:60]!r}"
            )
    return problems


# --- the book ---------------------------------------------------------------------------

NOTEBOOKS = book_files(".ipynb")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(BOOK)))
def test_notebook_follows_the_house_rules(path: Path) -> None:
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except (json.JSONDecodeError, nbformat.reader.NotJSONError) as e:
        pytest.fail(f"{path} is not valid notebook JSON: {e}")
    assert nb.nbformat == 4, f"{path}: nbformat {nb.nbformat}, expected 4"
    problems = notebook_problems(nb)
    assert not problems, f"{path.relative_to(ROOT)}:\n  " + "\n  ".join(problems)


def test_every_toc_entry_exists() -> None:
    missing = [e for e in toc_entries() if resolve_entry(e) is None]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"


def test_every_page_of_the_book_is_in_the_toc() -> None:
    listed = {resolve_entry(e) for e in toc_entries()}
    unlisted = [str(p.relative_to(ROOT)) for p in NOTEBOOKS + book_files(".md") if p not in listed]
    assert not unlisted, f"not in _toc.yml, so not on the website: {unlisted} (add them, or uncomment their entries)"


def test_exercise_labels_are_unique_across_the_book() -> None:
    seen: dict[str, Path] = {}
    duplicates = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            label = cell.get("metadata", {}).get("nnlib", {}).get("exercise")
            if label in seen:
                duplicates.append(f"{label!r} in {seen[label].name} and {path.name}")
            elif label:
                seen[label] = path
    assert not duplicates, f"exercise labels used twice: {duplicates}"


# --- the rules themselves, on hand-made notebooks -----------------------------------------


PREDICT_CELL = """A paragraph before the question.

:::{admonition} What happens to the line when you increase $b$?
:class: predict
:label: predict-test-bias

1. It rotates.
2. It moves parallel to itself.

<details>
<summary>Check your prediction (click to show)</summary>

**Answer: 2**

1. Not quite: the direction depends only on $w$.
2. Yes: $b$ slides it.

   A second paragraph of feedback.

</details>
:::

A paragraph after it."""

OLD_PREDICT_CELL = """```{predict} What happens to the line when you increase $b$?
:label: predict-test-bias

1. It rotates.

   Not quite: the direction depends only on $w$.
2. It moves parallel to itself. {correct}

   Yes: $b$ slides it.
```"""


def _predict(change):
    """A change to the hand-made notebook's predict question (cell 6)."""
    return lambda nb: nb.cells[6].update(source=change(nb.cells[6].source))


def _good_notebook():
    v4 = nbformat.v4
    install = v4.new_code_cell(
        f'try:\n    import nnlib\nexcept ImportError:\n    %pip install -q "{INSTALL_URL}"\n    import nnlib'
    )
    install.metadata["tags"] = ["hide-cell"]
    task = v4.new_markdown_cell(":::{exercise} Sigmoid\n:label: ex-sig\n\nComplete `sigmoid`.\n:::")
    stub = v4.new_code_cell("def sigmoid(z):\n    raise NotImplementedError")
    stub.metadata.update(tags=["exercise-stub"], nnlib={"exercise": "ex-sig"})
    check = v4.new_code_cell("check.sigmoid(sigmoid)")
    solution = v4.new_markdown_cell(
        "<details>\n<summary>Solution (click to show)</summary>\n\n:::{solution} ex-sig\n\n```python\n"
        "def sigmoid(z):\n    return 0.5 * np.tanh(0.5 * z) + 0.5\n```\n:::\n\n</details>"
    )
    solution.metadata.update(nnlib={"solves": "ex-sig"})
    plot = v4.new_code_cell("plt.plot([0, 1])")
    plot.metadata["mystnb"] = {
        "figure": {"caption": "A line.", "name": "fig-line"},
        "image": {"alt": "A straight line."},
    }
    question = v4.new_markdown_cell(PREDICT_CELL)
    return v4.new_notebook(
        cells=[install, task, stub, check, solution, plot, question],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


def test_rules_accept_a_notebook_that_follows_them() -> None:
    assert notebook_problems(_good_notebook()) == []


def _broken(change) -> list[str]:
    nb = _good_notebook()
    change(nb)
    return notebook_problems(nb)


def _with_output(nb) -> None:
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="correct\n")]


@pytest.mark.parametrize(
    "change, expected",
    [
        (_with_output, "has outputs"),
        (lambda nb: nb.cells[3].update(execution_count=3), "execution count"),
        (lambda nb: nb.metadata.kernelspec.update(name="venv-py311"), "kernelspec"),
        (lambda nb: nb.cells.pop(0), "install cell"),
        (lambda nb: nb.cells[0].metadata.update(tags=[]), "install cell"),
        (lambda nb: nb.cells.pop(4), "has no solution cell"),
        (lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace("<details>", "")), "shows this solution"),
        (lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace("<details>", "<details open>")), "shows"),
        (lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace("</details>", "</details>\nx = 1")), "shows"),
        (
            lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace("ex-sig\n", "ex-sig\n:class: dropdown\n")),
            "fold twice",
        ),
        (lambda nb: nb.cells[1].update(source=nb.cells[1].source.replace(":::", "```")), "as a code block"),
        (lambda nb: nb.cells[4].update(source=nb.cells[4].source.replace("```python", "```")), "no ```python block"),
        (lambda nb: nb.cells[4].metadata.update(nnlib={"solves": "ex-other"}), "no stub"),
        (lambda nb: nb.cells.pop(1), "no {exercise} block"),
        (lambda nb: nb.cells[2].metadata.update(tags=[]), "tagged exercise-stub"),
        (lambda nb: nb.cells.insert(2, nb.cells.pop(4)), "comes before its stub"),
        (lambda nb: nb.cells[5].metadata.mystnb.pop("image"), "without alt text"),
        (lambda nb: nb.cells[5].metadata.mystnb["figure"].pop("caption"), "without a caption"),
        (lambda nb: nb.cells[3].update(source="np.load('/work/shared/data/mnist.pkl.gz')"), "/work/shared"),
        (lambda nb: nb.cells[1].update(source=nb.cells[1].source + "\nSee ../shared/x."), "../shared"),
        (lambda nb: nb.cells[6].update(source=OLD_PREDICT_CELL), "the earlier format"),
        (_predict(lambda s: s.replace(":::{admonition}", "```{admonition}").replace("\n:::", "\n```")), "code block"),
        (_predict(lambda s: s.replace("<details>\n", "")), "shows the answer ('Answer:')"),
        (_predict(lambda s: s.replace("<details>", "<details open>")), "before it is asked for"),
        (
            _predict(lambda s: s.replace("<summary>Check your prediction (click to show)</summary>\n", "")),
            "folds no answer",
        ),
        (_predict(lambda s: s.replace("1. It rotates.\n", "1. It rotates.\n\n   Not quite.\n")), "its feedback goes"),
        (_predict(lambda s: s.replace("2. It moves parallel to itself.\n", "2. It moves. {correct}\n")), "'{correct}'"),
        (_predict(lambda s: s.replace("\n\n<details>", "\n\nYes, it moves.\n\n<details>")), "neither its question nor"),
    ],
)
def test_rules_catch_each_mistake(change, expected: str) -> None:
    problems = _broken(change)
    assert any(expected in p for p in problems), f"expected a problem mentioning {expected!r}, got {problems}"


def test_toc_parsing_finds_nested_entries(tmp_path: Path) -> None:
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: A\n    chapters:\n"
        "      - file: book/a/a\n        sections:\n          - file: book/a/b\n"
        "  # - caption: B\n  #   chapters:\n  #     - file: book/c/c\n",
        encoding="utf-8",
    )
    assert toc_entries(toc) == ["book/intro", "book/a/a", "book/a/b"]


def test_notation_page_quotes_the_backprop_equations_of_nnlib() -> None:
    """book/notation.md repeats BP1-BP4 exactly as nnlib/network.py's docstring states them."""
    import nnlib.network

    equations = [line.strip() for line in nnlib.network.__doc__.splitlines() if re.match(r"\s*BP[1-4]\s", line)]
    assert [e.split()[0] for e in equations] == ["BP1", "BP2", "BP3", "BP4"], equations
    page = {line.strip() for line in (BOOK / "notation.md").read_text(encoding="utf-8").splitlines()}
    missing = [e for e in equations if e not in page]
    assert not missing, f"book/notation.md no longer matches nnlib/network.py; update it: {missing}"


def test_exercise_example_page_matches_the_real_checker() -> None:
    """The worked example on book/exercises-howto.md uses a checker that exists, and its
    solution passes it, so the page cannot drift away from nnlib.exercises."""
    import numpy as np

    from nnlib.exercises import losses as check

    text = (BOOK / "exercises-howto.md").read_text(encoding="utf-8")
    solution = text[text.index("{solution} ex-howto-quadratic") :]
    code = re.search(r"```python\n(.*?)```", solution, re.DOTALL).group(1)
    namespace = {"np": np}
    exec(code, namespace)  # the page's own solution, a four-line function
    assert "check.quadratic(quadratic)" in text
    assert check.quadratic(namespace["quadratic"]).passed
