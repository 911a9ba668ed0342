"""How much the live training dashboard slows down :func:`nnlib.fit`.

Runs the same seeded fit (spiral data, a [2, 16, 16, 1] tanh network) with and
without :class:`nnlib.widgets.dashboard.TrainingDashboard`, alternating, several times,
and prints the median wall time and CPU time of each and the overhead in percent
(target < 10 %). The CPU time is the steadier figure on a shared machine.
The dashboard renders exactly as in a notebook (figure, PNG, Image widget);
only ``display`` is off because there is no page to show it on.

    python benchmarks/dashboard_overhead.py [--runs 5] [--epochs 600]
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from nnlib import Network, fit  # noqa: E402
from nnlib.data import playground, train_test_split  # noqa: E402
from nnlib.widgets.dashboard import TrainingDashboard  # noqa: E402


def one_run(data, epochs: int, dashboard: bool) -> tuple[float, float, int, float]:
    """Wall time and CPU time of one fit, the dashboard's redraws and its own time."""
    X, y, Xv, yv = data
    net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", loss="quadratic", init="xavier", rng=0)
    callbacks = [TrainingDashboard(X, y, display=False)] if dashboard else []
    start, cpu = time.perf_counter(), time.process_time()
    fit(
        net,
        X,
        y,
        epochs=epochs,
        batch_size=10,
        lr=0.03,
        validation_data=(Xv, yv),
        callbacks=callbacks,
        progress=False,
        rng=1,
    )
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return (wall, cpu, callbacks[0].n_draws, callbacks[0].seconds) if dashboard else (wall, cpu, 0, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=600)
    args = parser.parse_args()
    X, y = playground("spiral", n=1000, noise=0.1, rng=0)
    y = 2 * y - 1  # tanh output: targets -1 / +1
    data = train_test_split(X, y, test_fraction=0.2, rng=0)
    one_run(data, 3, True)  # warm-up (imports, fonts)
    runs = {False: [], True: []}
    for _ in range(args.runs):  # alternate, so load changes hit both
        for dashboard in (False, True):
            runs[dashboard].append(one_run(data, args.epochs, dashboard))
    print(f"fit of {args.epochs} epochs on {len(data[0])} points, {args.runs} runs each, medians:")
    for i, what in ((0, "wall time"), (1, "CPU time")):
        p = statistics.median(r[i] for r in runs[False])
        d = statistics.median(r[i] for r in runs[True])
        print(
            f"  {what}: without dashboard {p:.3f} s, with dashboard {d:.3f} s: "
            f"overhead {100 * (d - p) / p:+.1f} %  (target < 10 %)"
        )
    own = statistics.median(r[3] / (r[0] - r[3]) for r in runs[True])
    print(
        f"  redraws per run: {statistics.median(r[2] for r in runs[True]):.0f}; time inside the dashboard's "
        f"hooks: {100 * own:.1f} % of the training time (median)"
    )


if __name__ == "__main__":
    main()
