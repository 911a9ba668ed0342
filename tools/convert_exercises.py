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

import argparse
import json
import re
import sys
from pathlib import Path

_EXERCISE = re.compile(r"^(`{3,})\{exercise\}([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
_SOLUTION = re.compile(r"^(`{3,})\{solution\}([^\n]*)\n(.*?)^\1[ \t]*$", re.S | re.M)
_DROPDOWN = re.compile(r"^:class:[ \t]*dropdown[ \t]*\n", re.M)
_SKIP = {"_build", ".ipynb_checkpoints", "_static"}
# jupyterlab-myst's styles hide the summary's triangle (and its sanitizer drops a list-style),
# so the words say that it opens.
SUMMARY = "Solution (click to show)"


def _colons(body: str) -> str:
    """A colon fence longer than any colon fence inside ``body``."""
    inner = [len(m.group(0)) for m in re.finditer(r"^:{3,}", body, re.M)]
    return ":" * max([3] + [n + 1 for n in inner])


def _exercise(m: re.Match) -> str:
    title, body = m.group(2), m.group(3)
    fence = _colons(body)
    return f"{fence}{{exercise}}{title}\n{body}{fence}"


def _solution(m: re.Match) -> str:
    argument, body = m.group(2), m.group(3)
    options, sep, rest = body.partition("\n\n")  # the option lines end at the first blank line
    if sep and all(line.startswith(":") for line in options.splitlines()):
        body = _DROPDOWN.sub("", options + "\n") + "\n" + rest
        body = body.lstrip("\n") if body.startswith("\n\n") else body
    fence = _colons(body)
    return f"<details>\n<summary>{SUMMARY}</summary>\n\n{fence}{{solution}}{argument}\n{body}{fence}\n\n</details>"


def convert_source(text: str) -> str:
    """One markdown cell's source in the new format (unchanged if it has nothing to convert)."""
    return _SOLUTION.sub(_solution, _EXERCISE.sub(_exercise, text))


def _lines(text: str) -> list[str]:
    """A cell source as nbformat stores it: a list of lines, each with its newline."""
    return text.splitlines(keepends=True)


def convert_notebook(nb: dict) -> int:
    """Convert ``nb`` in place; returns how many cells changed."""
    changed = 0
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        text = "".join(src) if isinstance(src, list) else src
        new = convert_source(text)
        meta = cell.get("metadata", {})
        hidden = "solves" in meta.get("nnlib", {}) and "source_hidden" in meta.get("jupyter", {})
        if new == text and not hidden:
            continue
        cell["source"] = _lines(new) if isinstance(src, list) else new
        if hidden:
            del meta["jupyter"]["source_hidden"]
            if not meta["jupyter"]:
                del meta["jupyter"]
        changed += 1
    return changed


def notebooks(paths: list[Path]) -> list[Path]:
    found = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*.ipynb") if not _SKIP.intersection(p.relative_to(path).parts)]
        else:
            found.append(path)
    return sorted(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders to search for them")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    pending = 0
    for path in notebooks(args.paths):
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
        n = convert_notebook(nb)
        if not n:
            continue
        pending += 1
        print(f"{path}: {n} cell{'s' if n != 1 else ''} {'to convert' if args.check else 'converted'}")
        if not args.check:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if args.check and pending else 0


if __name__ == "__main__":
    sys.exit(main())
