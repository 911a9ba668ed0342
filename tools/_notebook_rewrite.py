"""What the notebook-rewriting tools share: finding notebooks, storing cell sources, the command line.

``tools/convert_exercises.py`` and ``tools/convert_predict.py`` each supply one function,
``convert_notebook(nb) -> int`` (convert a parsed notebook in place, return how many cells
changed); :func:`main` does the rest. Notebooks are written back as the repository stores
them (JSON, one-space indent, a final newline), so that the diff is the converted cells only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

SKIP = {"_build", ".ipynb_checkpoints", "_static"}  # folders whose notebooks are copies or outputs


def lines(text: str) -> list[str]:
    """A cell source as nbformat stores it: a list of lines, each with its newline."""
    return text.splitlines(keepends=True)


def cell_text(cell: dict) -> str:
    """A cell's source as one string, whether it is stored as a string or a list of lines."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def set_cell_text(cell: dict, text: str) -> None:
    """Store ``text`` as the cell's source, in the form (string or list of lines) it had."""
    cell["source"] = lines(text) if isinstance(cell.get("source", ""), list) else text


def colons(body: str) -> str:
    """A colon fence longer than any colon fence inside ``body``."""
    inner = [len(m.group(0)) for m in re.finditer(r"^:{3,}", body, re.M)]
    return ":" * max([3] + [n + 1 for n in inner])


def notebooks(paths: list[Path]) -> list[Path]:
    """The notebooks among ``paths``, and those under the folders among them (sorted, without :data:`SKIP`)."""
    found = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*.ipynb") if not SKIP.intersection(p.relative_to(path).parts)]
        else:
            found.append(path)
    return sorted(found)


def main(
    argv: list[str] | None,
    doc: str,
    convert_notebook: Callable[[dict], int],
    errors: tuple[type[Exception], ...] = (),
) -> int:
    """The command line of a rewriting tool: 0 when done, 1 when ``--check`` finds work, 2 on one of ``errors``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks, or folders to search for them")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook would change")
    args = parser.parse_args(argv)
    pending = 0
    for path in notebooks(args.paths):
        nb = json.loads(path.read_text(encoding="utf-8"))
        try:
            n = convert_notebook(nb)
        except errors as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
        if not n:
            continue
        pending += 1
        print(f"{path}: {n} cell{'s' if n != 1 else ''} {'to convert' if args.check else 'converted'}")
        if not args.check:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if args.check and pending else 0
