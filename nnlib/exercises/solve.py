"""Write solved copies of the course notebooks: ``python -m nnlib.exercises.solve SRC DST``.

Every code cell tagged as an exercise stub (cell metadata
``{"nnlib": {"exercise": LABEL}}``) gets the code of the first
Python code block of the solution cell whose metadata says
``{"nnlib": {"solves": LABEL}}``. Everything else is copied unchanged, so the
solved notebooks run exactly like the originals with the exercises done.
The test suite executes the copies with ``NNLIB_EXERCISE_STRICT=1``.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

_CODE = re.compile(r"^(`{3,})\s*(?:python|ipython3?|\{code-cell\}[^\n]*)\s*\n(.*?)^\1\s*$", re.S | re.M)
_SKIP = {"_build", ".ipynb_checkpoints", "__pycache__"}


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def solution_code(markdown: str) -> str | None:
    """The first fenced python block inside a solution cell's markdown."""
    m = _CODE.search(markdown)
    return m.group(2).rstrip("\n") if m else None


def solve_notebook(nb: dict) -> tuple[dict, int]:
    """Return a copy of ``nb`` with every stub replaced by its solution, and how many were replaced.

    Raises ``ValueError`` naming the label when a stub has no solution, or a
    solution has no python block.
    """
    cells = nb.get("cells", [])
    solutions: dict[str, str] = {}
    for cell in cells:
        label = cell.get("metadata", {}).get("nnlib", {}).get("solves")
        if label:
            code = solution_code(_source(cell))
            if code is None:
                raise ValueError(f"solution cell for {label!r} has no ```python block")
            solutions[label] = code
    out = json.loads(json.dumps(nb))
    n = 0
    for cell in out.get("cells", []):
        label = cell.get("metadata", {}).get("nnlib", {}).get("exercise")
        if label and cell.get("cell_type") == "code":
            if label not in solutions:
                raise ValueError(f"exercise {label!r} has a stub cell but no solution cell")
            cell["source"] = solutions[label]
            n += 1
    return out, n


def solve_tree(src: Path, dst: Path) -> dict[Path, int]:
    """Copy ``src`` to ``dst``, solving every notebook; returns {notebook: exercises solved}."""
    src, dst = Path(src), Path(dst)
    if not src.is_dir():
        raise FileNotFoundError(f"no such folder: {src}")
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*_SKIP))
    solved = {}
    for path in sorted(dst.rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        try:
            nb, n = solve_notebook(nb)
        except ValueError as e:
            raise ValueError(f"{path.relative_to(dst)}: {e}") from None
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        solved[path.relative_to(dst)] = n
    return solved


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m nnlib.exercises.solve SRC_DIR DST_DIR", file=sys.stderr)
        return 2
    for path, n in solve_tree(Path(argv[0]), Path(argv[1])).items():
        print(f"{path}: {n} exercise(s) solved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
