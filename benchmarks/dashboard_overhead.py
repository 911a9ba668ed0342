"""How much the live training dashboard slows down :func:`nnlib.fit`.

Runs the same seeded fit (spiral data, a [2, 16, 16, 1] tanh network, about 2 s) with and
without :class:`nnlib.widgets.dashboard.TrainingDashboard`, alternating, several times,
and prints the median wall time and CPU time of each and the overhead in percent
(target: at most 5 %). The CPU time is the steadier figure on a shared machine.

The dashboard works exactly as in a notebook (decision grid, frames for the replay,
widget state, custom messages), except that there is no kernel: every message the
widget sends is serialised as ipykernel would serialise it for the front end (JSON
and HMAC signature, with jupyter_client's ``Session``), and then dropped. With
``--kernel`` the same runs happen inside a real kernel instead (started with
jupyter_client, its messages read by this script as a front end would read them),
the dashboard displayed as in a notebook. Drawing happens in the browser, not in
Python; ``benchmarks/dashboard_live_lab.py`` measures it.

    python benchmarks/dashboard_overhead.py [--runs 7] [--epochs 600] [--kernel]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import comm
from comm import DummyComm
from jupyter_client.session import Session

from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.dashboard import TrainingDashboard

SESSION = Session(key=b"benchmark-key")
SENT = {"messages": 0, "bytes": 0}


class SerializingComm(DummyComm):
    """A comm that prepares each message for the wire as a kernel does, then drops it."""

    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        content = dict(data={} if data is None else data, comm_id=self.comm_id, **keys)
        msg = SESSION.msg(msg_type, content, metadata=metadata or {})
        frames = SESSION.serialize(msg) + [bytes(b) for b in buffers or ()]
        SENT["messages"] += 1
        SENT["bytes"] += sum(len(f) for f in frames)


IN_KERNEL = "ipykernel" in sys.modules  # run by --kernel: the kernel's own comms send for real
if not IN_KERNEL:
    comm.create_comm = SerializingComm


def one_run(data, epochs: int, dashboard: bool) -> tuple[float, float, int, float]:
    """Wall time and CPU time of one fit, the dashboard's updates and its own time."""
    X, y, Xv, yv = data
    net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", loss="quadratic", init="xavier", rng=0)
    callbacks = [TrainingDashboard(X, y, display=IN_KERNEL)] if dashboard else []
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
    return (wall, cpu, callbacks[0].n_updates, callbacks[0].seconds) if dashboard else (wall, cpu, 0, 0.0)


def in_kernel(argv: list[str]) -> None:
    """Run this script in a fresh kernel (this repository's nnlib) and print what it prints."""
    from jupyter_client.manager import start_new_kernel

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    manager, client = start_new_kernel(kernel_name="python3", env=env)
    try:
        path = Path(__file__).resolve()
        client.execute(
            f"import sys; sys.argv = {[str(path), *argv]!r}; "
            f"exec(compile(open({str(path)!r}).read(), {str(path)!r}, 'exec'), {{'__name__': '__main__'}})"
        )
        print("(in a kernel, the dashboard displayed; its messages read by this script)")
        while True:  # read iopub as a front end does, until the cell is done
            msg = client.get_iopub_msg(timeout=1800)
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                print(content["text"], end="")
            elif kind == "error":
                print("\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle" and msg["parent_header"]:
                if msg["parent_header"].get("msg_type") == "execute_request":
                    break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=600)
    parser.add_argument("--kernel", action="store_true", help="run inside a real kernel (jupyter_client)")
    args = parser.parse_args()
    if args.kernel:
        return in_kernel(["--runs", str(args.runs), "--epochs", str(args.epochs)])
    X, y = playground("spiral", n=1000, noise=0.1, rng=0)
    y = 2 * y - 1  # tanh output: targets -1 / +1
    data = train_test_split(X, y, test_fraction=0.2, rng=0)
    one_run(data, 3, True)  # warm-up (imports, the front end's bundle)
    SENT.update(messages=0, bytes=0)
    runs: dict[bool, list] = {False: [], True: []}
    for _ in range(args.runs):  # alternate, so load changes hit both
        for dashboard in (False, True):
            runs[dashboard].append(one_run(data, args.epochs, dashboard))
    print(f"fit of {args.epochs} epochs on {len(data[0])} points, {args.runs} runs each, medians:")
    for i, what in ((0, "wall time"), (1, "CPU time")):
        p = statistics.median(r[i] for r in runs[False])
        d = statistics.median(r[i] for r in runs[True])
        print(
            f"  {what}: without dashboard {p:.3f} s, with dashboard {d:.3f} s: "
            f"overhead {100 * (d - p) / p:+.1f} %  (target <= 5 %)"
        )
    own = statistics.median(r[3] / (r[0] - r[3]) for r in runs[True])
    updates = statistics.median(r[2] for r in runs[True])
    print(
        f"  updates per run: {updates:.0f} ({updates / statistics.median(r[0] for r in runs[True]):.1f} per second); "
        f"time inside the dashboard's hooks: {100 * own:.2f} % of the training time (median)"
    )
    if not IN_KERNEL:
        print(f"  sent per run: {SENT['messages'] / args.runs:.0f} messages, {SENT['bytes'] / args.runs / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
