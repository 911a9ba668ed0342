"""How many playground updates per second: one training epoch plus redrawing every view.

Drives the playground headlessly, exactly as its play loop does: creates the
widget for the TF Playground example URL and calls ``Playground.update()``
(one epoch, update every view, render the figure with Agg, encode it and put
the bytes into the ``ipywidgets.Image``). Prints the median time of one
update and the updates per second; the target is >= 20 updates/s (< 50 ms).

    python benchmarks/playground_fps.py [--updates 200] [--url URL]
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

from nnlib.widgets.playground import Playground  # noqa: E402

EXAMPLE_URL = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
    "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2"
    "&seed=0.72031&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)


def measure(pg: Playground, updates: int) -> list[float]:
    """Seconds taken by each of ``updates`` calls of the play loop's update function."""
    times = []
    for _ in range(updates):
        start = time.perf_counter()
        pg.update()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--url", default=EXAMPLE_URL)
    args = parser.parse_args()
    pg = Playground(args.url)
    measure(pg, 10)  # warm-up: caches, first full draw
    times = measure(pg, args.updates)
    train = []
    for _ in range(50):  # the training part alone, for the breakdown
        start = time.perf_counter()
        pg.core.step(1)
        train.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"set-up: {pg.settings.to_string()}")
    print(f"{args.updates} updates, {len(pg.image.value) / 1024:.0f} KB per frame ({pg.image.format})")
    print(
        f"median update: {median * 1e3:.1f} ms (training epoch {statistics.median(train) * 1e3:.1f} ms, "
        f"drawing and encoding {(median - statistics.median(train)) * 1e3:.1f} ms); "
        f"90th percentile {sorted(times)[int(0.9 * len(times))] * 1e3:.1f} ms"
    )
    print(f"updates per second (median): {1 / median:.1f}  (target >= 20)")


if __name__ == "__main__":
    main()
