"""Rewrite notebooks' exercise cells into the format that reads well everywhere.

    python tools/convert_exercises.py book/            # rewrite every notebook under book/
    python tools/convert_exercises.py --check book/    # list what would change; exit 1 if anything would

The format (CONTRIBUTING.md, "Exercises") works in four places: the website (sphinx-exercise),
JupyterLab with jupyterlab-myst, and plain Markdown renderers (Colab, Jupyter without
jupyterlab-myst, VS Code, GitHub). It changes two things of the earlier format:

* The task: a backtick-fenced ```` ```{exercise} ```` block becomes a colon fence,
  ``:::{exercise} Title`` ... ``:::``. Plain Markdown shows a colon fence as text (the task
  in paragraphs, its math typeset) where it shows a backtick fence as a code block.
* The solution: a backtick-fenced ``{solution}`` block with ``:class: dropdown`` becomes a
  colon-fenced ``{solution}`` inside ``<details><summary>Solution (click to show)</summary>``
  ... ``</details>``,
  an HTML element that every one of those renderers shows collapsed until it is clicked, and
  that stays collapsed when JupyterLab renders the cell again (after Run All or Shift+Enter),
  so the cell no longer needs ``"jupyter": {"source_hidden": true}``, which is dropped.

Other cells, and everything else in a converted cell, are left as they are; the notebook is
written back as the repository stores notebooks (JSON, one-space indent), so that the diff
is the converted cells only. Running it on converted notebooks changes nothing.
"""

from __future__ import annotations

import re
import sys

from _notebook_rewrite import cell_text, colons, main, set_cell_text

_EXERCISE = re.compile(r"^(`{3,})\{exercise\}([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
_SOLUTION = re.compile(r"^(`{3,})\{solution\}([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
_DROPDOWN = re.compile(r"^:class:[ \t]*dropdown[ \t]*\n", re.M)
# jupyterlab-myst's styles hide the summary's triangle (and its sanitizer drops a list-style),
# so the words say that it opens.
SUMMARY = "Solution (click to show)"


def _exercise(m: re.Match) -> str:
    title, body = m.group(2), m.group(3)
    fence = colons(body)
    return f"{fence}{{exercise}}{title}\n{body}{fence}"


def _solution(m: re.Match) -> str:
    argument, body = m.group(2), m.group(3)
    options, sep, rest = body.partition("\n\n")  # the option lines end at the first blank line
    if sep and all(line.startswith(":") for line in options.splitlines()):
        body = _DROPDOWN.sub("", options + "\n") + "\n" + rest
        body = body.lstrip("\n") if body.startswith("\n\n") else body
    fence = colons(body)
    return f"<details>\n<summary>{SUMMARY}</summary>\n\n{fence}{{solution}}{argument}\n{body}{fence}\n\n</details>"


def convert_source(text: str) -> str:
    """One markdown cell's source in the new format (unchanged if it has nothing to convert)."""
    return _SOLUTION.sub(_solution, _EXERCISE.sub(_exercise, text))


def convert_notebook(nb: dict) -> int:
    """Convert ``nb`` in place; returns how many cells changed."""
    changed = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = cell_text(cell)
        new = convert_source(text)
        meta = cell.get("metadata", {})
        hidden = "solves" in meta.get("nnlib", {}) and "source_hidden" in meta.get("jupyter", {})
        if new == text and not hidden:
            continue
        set_cell_text(cell, new)
        if hidden:
            del meta["jupyter"]["source_hidden"]
            if not meta["jupyter"]:
                del meta["jupyter"]
        changed += 1
    return changed


if __name__ == "__main__":
    sys.exit(main(None, __doc__, convert_notebook))
