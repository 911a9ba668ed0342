"""Instructions per training step: nnlib's ``fit`` against the hand-vectorised numpy loop.

Wall and CPU times on a shared machine swing by up to 1.5x from one minute to the next;
the number of instructions a step executes does not. This script runs the same 500
mini-batch steps (batch 10, Nielsen's ``[784, 30, 10]`` sigmoid network, quadratic cost,
plain SGD with eta = 3.0, random inputs) three times under ``valgrind --tool=callgrind``:

* ``empty``: the set-up alone (imports, data, network, sample order);
* ``fit``: the set-up, then one epoch of ``Network.fit(..., train_metrics=False)``,
  input checks included;
* ``hand``: the set-up, then the same epoch by ``mnist_mlp.train_vectorised``, the SGD
  written directly in numpy that nnlib should stay within 1.2x of.

Each step's count is (run - empty) / steps. OpenBLAS runs on one thread
(``OPENBLAS_NUM_THREADS=1``) so that valgrind, which serialises threads, counts the same
work every time. Instructions are not time: numpy's vectorised loops run theirs several
times faster than the interpreter runs its own, so the time ratio is usually a little
larger than this one (``mnist_mlp.py`` measures time).

    python benchmarks/step_instructions.py               # about 1-2 minutes
    python benchmarks/step_instructions.py --steps 200   # quicker

Needs valgrind (Debian: ``apt-get install valgrind``); without it the script says so and
exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

BATCH = 10
TARGET = 1.2  # nnlib's step within 1.2x of the hand loop's


def _run(mode: str, steps: int) -> None:
    """One measured process: the set-up, then (for ``fit`` and ``hand``) one epoch of ``steps`` steps."""
    from mnist_mlp import ETA, ORDER_SEED, SIZES, train_vectorised

    from nnlib import Network

    n = steps * BATCH
    data_rng = np.random.default_rng(1)
    X = data_rng.random((n, SIZES[0]))
    Y = np.eye(SIZES[-1])[data_rng.integers(0, SIZES[-1], n)]
    net = Network(SIZES, activation="sigmoid", loss="quadratic", init="gaussian", rng=0)
    params0 = [p.copy() for p in net.get_params()]
    order = np.random.default_rng(ORDER_SEED).permutation(n)  # the order fit draws from rng=ORDER_SEED
    if mode == "fit":
        net.fit(X, Y, epochs=1, batch_size=BATCH, lr=ETA, progress=False, rng=ORDER_SEED, train_metrics=False)
    elif mode == "hand":
        train_vectorised(params0, X, Y, [order], BATCH)


def _count(valgrind: str, mode: str, steps: int) -> int:
    """Instructions that valgrind's callgrind counts for one measured process."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    command = [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    command += [sys.executable, __file__, "--run", mode, "--steps", str(steps)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"step_instructions: valgrind's run of {mode!r} failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=500, help="mini-batch steps per measured epoch (default 500)")
    parser.add_argument("--run", choices=("empty", "fit", "hand"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be a positive whole number, got {args.steps}")
    if args.run:
        _run(args.run, args.steps)
        return 0
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("step_instructions: valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    counts = {}
    for mode in ("empty", "fit", "hand"):
        start = time.perf_counter()
        counts[mode] = _count(valgrind, mode, args.steps)
        print(f"  {mode:5s}  {counts[mode]:>15,} instructions  ({time.perf_counter() - start:.0f} s under valgrind)")
    per_step = {mode: (counts[mode] - counts["empty"]) / args.steps for mode in ("fit", "hand")}
    ratio = per_step["fit"] / per_step["hand"]
    print(f"\ninstructions per step, batch {BATCH}, float64, {args.steps} steps, OpenBLAS on 1 thread:")
    print(f"  nnlib fit (train_metrics=False)   {per_step['fit'] / 1e3:9.1f} k")
    print(f"  hand-vectorised numpy             {per_step['hand'] / 1e3:9.1f} k")
    verdict = "met   " if ratio <= TARGET else "MISSED"
    print(f"\n  {verdict}  nnlib's step within {TARGET}x of the hand loop's, in instructions: {ratio:.3f}x")
    print(f"  numpy {np.__version__}, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
