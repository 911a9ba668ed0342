"""How long does each chapter take to execute? Runs every notebook in a fresh kernel and times it.

Every ``*.ipynb`` under the folder (default ``book/``), except those in ``_build`` and
``.ipynb_checkpoints``, is executed top to bottom with nbclient in a fresh kernel, from its
own folder (as the book build does), and nothing is written back. The table lists the
notebooks slowest first; the house rule is well under 60 s per chapter on 2 cores, so any
notebook over ``--slow`` seconds is flagged. Run it from the repository root::

    python benchmarks/notebook_times.py              # every notebook under book/
    python benchmarks/notebook_times.py path/to/dir  # or under another folder

Exit status: 0 when every notebook ran (also when there are none), 1 when any raised an
error or timed out (its first error line is printed), 2 for a bad argument.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SKIP_PARTS = {"_build", ".ipynb_checkpoints"}
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # tracebacks come coloured


@dataclass
class Timing:
    path: Path
    seconds: float
    error: str | None = None  # None when the notebook ran to the end


def find_notebooks(root: Path) -> list[Path]:
    """Every notebook under ``root``, sorted, leaving out build output and checkpoints."""
    return sorted(p for p in root.rglob("*.ipynb") if not SKIP_PARTS & set(p.relative_to(root).parts))


def execute(path: Path, timeout: int, kernel_name: str | None) -> Timing:
    """Execute one notebook in a fresh kernel; the time includes starting the kernel."""
    import nbformat
    from nbclient import NotebookClient

    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
        kwargs = {"kernel_name": kernel_name} if kernel_name else {}
        NotebookClient(nb, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}, **kwargs).execute()
    except Exception as e:  # CellExecutionError, CellTimeoutError, DeadKernelError, bad JSON...
        lines = [line for line in ANSI_COLOUR.sub("", str(e)).splitlines() if line.strip()]
        if type(e).__name__ == "CellExecutionError":  # a traceback: its last "...Error: ..." line
            detail = next((line for line in reversed(lines) if "Error" in line), lines[-1])
        else:  # timeouts, dead kernels: the first line
            detail = lines[0] if lines else ""
        return Timing(path, time.perf_counter() - start, f"{type(e).__name__}: {detail.strip()[:300]}")
    return Timing(path, time.perf_counter() - start)


def report(timings: list[Timing], root: Path, slow: float) -> None:
    """The table, slowest first, with a status per notebook."""
    print(f"\n{'seconds':>8}  {'status':<7} notebook")
    for t in sorted(timings, key=lambda t: t.seconds, reverse=True):
        status = "ERROR" if t.error else ("SLOW" if t.seconds > slow else "ok")
        print(f"{t.seconds:8.1f}  {status:<7} {t.path.relative_to(root)}")
        if t.error:
            print(f"{'':>17} {t.error}")
    total = sum(t.seconds for t in timings)
    n_err = sum(t.error is not None for t in timings)
    n_slow = sum(t.error is None and t.seconds > slow for t in timings)
    print(f"\n{len(timings)} notebook(s), {total:.1f} s in all; {n_err} with errors, {n_slow} over {slow:g} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "folder",
        nargs="?",
        default=str(REPO / "book"),
        help="folder searched recursively for notebooks (default: book/)",
    )
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    p.add_argument("--slow", type=float, default=60.0, help="flag notebooks slower than this (s)")
    p.add_argument("--kernel", default=None, help="kernel name (default: the one in each notebook's metadata)")
    args = p.parse_args(argv)
    root = Path(args.folder).resolve()
    if not root.is_dir():
        p.error(f"{args.folder!r} is not a folder")  # exits with status 2

    notebooks = find_notebooks(root)
    print(f"{len(notebooks)} notebook(s) under {root}")
    timings = []
    for i, path in enumerate(notebooks, 1):
        print(f"[{i}/{len(notebooks)}] {path.relative_to(root)} ...", end=" ", flush=True)
        t = execute(path, args.timeout, args.kernel)
        print(f"{t.seconds:.1f} s" + (" ERROR" if t.error else ""), flush=True)
        timings.append(t)
    if timings:
        report(timings, root, args.slow)
    return 1 if any(t.error for t in timings) else 0


if __name__ == "__main__":
    sys.exit(main())
