"""How fast does nnlib train? Nielsen's chapter 1 network on MNIST, timed against baselines.

The network is Nielsen's first one: ``[784, 30, 10]``, sigmoid everywhere, quadratic cost,
plain SGD with eta = 3.0, weights and biases drawn from N(0, 1) (nnlib's ``"gaussian"``
initialiser), trained on the 50,000 MNIST training images. In one run, on the same data,
from the same initial weights and in the same sample order, it times:

* nnlib in float64 and in float32: ``Network.fit`` exactly as a learner calls it, with and
  without its History pass (below);
* the same training written directly in numpy, a mini-batch at a time ("hand-vectorised":
  what a learner writes with no library; nnlib's training should take at most 1.2x its time);
* a per-example reference loop (Nielsen's ``network.py``: backpropagate one example at a
  time inside each mini-batch, sum ``nabla_w`` and ``nabla_b``, then
  ``w -= eta / m * nabla_w``);
* PyTorch on the CPU, when it is installed: the same network, the same initial weights,
  a hand-written training loop with ``torch.optim.SGD(lr=3.0)`` and the cost
  ``1/2 ||a - y||^2`` averaged over the batch (nnlib's quadratic cost), using as many
  threads as numpy's BLAS.

It prints the median seconds per epoch over ``--runs`` runs (the implementations take
turns within each run, so a busy machine slows them alike), the test accuracy reached,
and the speed ratios reference/nnlib, torch/nnlib and nnlib/hand-vectorised, all from the
same run, then the machine facts.

"train" is the time of the training: shuffling, and every mini-batch's forward pass,
backward pass and update, the same work for every implementation. For nnlib it is the
whole call ``fit(..., train_metrics=False)``, input checks included. "fit" is the whole
call of the default ``fit``, which after every epoch also runs the network once over the
whole training set to record the loss and accuracy in ``History``: work the baselines do
not do. The ratios compare "train", like for like; the target lines give them counting
"fit" too. Both nnlib calls must end with bit-identical weights. Against the hand-vectorised
loop the target line also gives the ratio of CPU times (of the training thread: at batch 10
every product runs on it), steadier than wall time when other jobs share the machine.

Run it from the repository root::

    python benchmarks/mnist_mlp.py                  # batch sizes 10 and 100, 5 runs each
    python benchmarks/mnist_mlp.py --quick          # 5,000 images: a smoke test in seconds
    python benchmarks/mnist_mlp.py --runs 5 --batch-sizes 10,30,100 --no-torch

MNIST comes from ``../shared/data/mnist.pkl.gz`` (next to the repository) when it is
there, else from :func:`nnlib.data.load_mnist` (which downloads it once), else from
the subset shipped with nnlib (:func:`nnlib.data.load_digits`), with a printed note.
"""

from __future__ import annotations

import argparse
import gzip
import os
import pickle
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

import nnlib
from nnlib import Network

REPO = Path(__file__).resolve().parent.parent
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist.pkl.gz"
SIZES = [784, 30, 10]
ETA = 3.0
TARGETS = {  # float64 targets of the Speed issue, on the 2-core reference machine, full data
    "epoch_s_b10": 0.4,
    "vs_vectorised_b10": 1.2,  # nnlib's training at most 1.2x the time of the hand-vectorised loop
    "vs_reference_b10": 5.0,
    "vs_torch_b10": 4.0,
    "vs_torch_b100": 1.5,
    "accuracy_points": 0.5,
}


# --- data ------------------------------------------------------------------------------------


def load_data(n_train: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    """Training images and one-hot labels, test images and labels (float64), and where they came from."""
    source = None
    if SHARED_MNIST.is_file():
        try:
            from nnlib.data import load_mnist

            d = load_mnist(path=SHARED_MNIST)
            parts = (d.X_train, d.y_train, d.X_test, d.y_test)
        except ImportError:  # an nnlib without datasets: read the pickle directly
            with gzip.open(SHARED_MNIST, "rb") as f:
                (Xtr, ytr), _, (Xte, yte) = pickle.load(f, encoding="latin1")
            parts = (Xtr, ytr, Xte, yte)
        source = f"MNIST from {SHARED_MNIST}"
    if source is None:
        try:
            from nnlib.data import load_mnist

            d = load_mnist()
            parts, source = (d.X_train, d.y_train, d.X_test, d.y_test), "MNIST from nnlib.data.load_mnist()"
        except Exception as e:  # no datasets module yet, offline, ...
            print(f"note: MNIST is not available ({type(e).__name__}: {e});")
            print("      falling back to the subset shipped with nnlib (nnlib.data.load_digits()):")
            print("      15,000 training images, so the timings are NOT comparable with the targets.")
            from nnlib.data import load_digits

            d = load_digits()
            parts, source = (d.X_train, d.y_train, d.X_test, d.y_test), "nnlib.data.load_digits() subset"
    Xtr, ytr, Xte, yte = (np.asarray(p) for p in parts)
    if n_train is not None:
        Xtr, ytr = Xtr[:n_train], ytr[:n_train]
    Xtr = np.ascontiguousarray(Xtr, dtype=np.float64)
    Ytr = np.eye(10)[ytr]  # (n, 10) one-hot
    return Xtr, Ytr, np.ascontiguousarray(Xte, dtype=np.float64), np.asarray(yte), source


def blas_threads() -> tuple[int, str]:
    """Threads of numpy's BLAS (threadpoolctl when installed, else the CPU count) and a description."""
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info.get("user_api") == "blas":
                desc = (
                    f"{info.get('internal_api')} {info.get('version')}, "
                    f"kernel {info.get('architecture')}, {info['num_threads']} threads"
                )
                return int(info["num_threads"]), desc
    except ImportError:
        pass
    n = os.cpu_count() or 1
    cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return n, f"{cfg.get('name')} {cfg.get('version')}, threads unknown (threadpoolctl not installed; assuming {n})"


# --- the implementations ----------------------------------------------------------------------


def epoch_orders(seed: int, n: int, epochs: int) -> list[np.ndarray]:
    """The sample order of each epoch, exactly as ``nnlib.fit(..., rng=seed)`` draws it."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]


def train_nnlib(params0, X, Y, orders, batch_size, dtype, train_metrics) -> tuple[Network, float, float]:
    """nnlib's ``fit`` as a learner calls it: the trained network, the seconds the call took, and
    the CPU seconds of this thread (:func:`cpu_seconds`).

    ``train_metrics=False`` is the training alone, the work the baselines do; the default
    ``True`` also runs the network over the whole training set after every epoch to record
    the loss and accuracy in ``History``.
    """
    net = Network(SIZES, activation="sigmoid", loss="quadratic", init="gaussian", dtype=dtype)
    net.set_params(params0)
    start, cpu = time.perf_counter(), time.thread_time()
    net.fit(
        X,
        Y,
        epochs=len(orders),
        batch_size=batch_size,
        lr=ETA,
        progress=False,
        rng=ORDER_SEED,
        train_metrics=train_metrics,
    )  # draws `orders` again
    return net, time.perf_counter() - start, time.thread_time() - cpu


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _sigmoid_prime(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


def _backprop(weights, biases, x, y):
    """Nielsen's ``Network.backprop`` for one example (column vectors, w of shape (n_out, n_in))."""
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(w.shape) for w in weights]
    activation, activations, zs = x, [x], []
    for b, w in zip(biases, weights):
        z = np.dot(w, activation) + b
        zs.append(z)
        activation = _sigmoid(z)
        activations.append(activation)
    delta = (activations[-1] - y) * _sigmoid_prime(zs[-1])  # BP1
    nabla_b[-1] = delta  # BP3
    nabla_w[-1] = np.dot(delta, activations[-2].transpose())  # BP4
    for l in range(2, len(weights) + 1):
        delta = np.dot(weights[-l + 1].transpose(), delta) * _sigmoid_prime(zs[-l])  # BP2
        nabla_b[-l] = delta
        nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
    return nabla_b, nabla_w


def train_reference(params0, X, Y, orders, batch_size):
    """Nielsen's ``SGD`` / ``update_mini_batch``: one example at a time inside each mini-batch."""
    weights = [params0[0].T.copy(), params0[2].T.copy()]  # nnlib's W is his w^T
    biases = [params0[1].reshape(-1, 1).copy(), params0[3].reshape(-1, 1).copy()]
    for order in orders:
        for start in range(0, len(order), batch_size):
            mini_batch = order[start : start + batch_size]
            nabla_b = [np.zeros(b.shape) for b in biases]
            nabla_w = [np.zeros(w.shape) for w in weights]
            for i in mini_batch:
                x, y = X[i].reshape(-1, 1), Y[i].reshape(-1, 1)  # (784, 1), (10, 1)
                delta_nabla_b, delta_nabla_w = _backprop(weights, biases, x, y)
                nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
                nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
            m = len(mini_batch)
            weights = [w - (ETA / m) * nw for w, nw in zip(weights, nabla_w)]
            biases = [b - (ETA / m) * nb for b, nb in zip(biases, nabla_b)]
    return weights, biases


def train_vectorised(params0, X, Y, orders, batch_size):
    """The same SGD written directly in numpy, a whole mini-batch at a time (rows are examples).

    What a learner writes after the backprop chapter, with no library: nnlib's speed target
    is to stay within 1.2x of this loop (``TARGETS["vs_vectorised_b10"]``).
    """
    W1, b1, W2, b2 = (p.copy() for p in params0)
    for order in orders:
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            x, y = X[idx], Y[idx]
            a1 = _sigmoid(x @ W1 + b1)
            a2 = _sigmoid(a1 @ W2 + b2)
            d2 = (a2 - y) * a2 * (1 - a2)  # BP1
            d1 = (d2 @ W2.T) * a1 * (1 - a1)  # BP2
            k = ETA / len(idx)
            W2 -= k * (a1.T @ d2)  # BP4, BP3
            b2 -= k * d2.sum(axis=0)
            W1 -= k * (x.T @ d1)
            b1 -= k * d1.sum(axis=0)
    return W1, b1, W2, b2


def vectorised_accuracy(params, X_test, y_test) -> float:
    W1, b1, W2, b2 = params
    return float(np.mean(_sigmoid(_sigmoid(X_test @ W1 + b1) @ W2 + b2).argmax(axis=1) == y_test))


def reference_accuracy(model, X_test, y_test) -> float:
    (w1, w2), (b1, b2) = model
    a = _sigmoid(_sigmoid(X_test @ w1.T + b1.T) @ w2.T + b2.T)  # all test images at once
    return float(np.mean(a.argmax(axis=1) == y_test))


def train_torch(torch, params0, X, Y, orders, batch_size, dtype):
    """The same network and loop in PyTorch (eager mode, CPU)."""
    tdtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 30), torch.nn.Sigmoid(), torch.nn.Linear(30, 10), torch.nn.Sigmoid()
    ).to(tdtype)
    with torch.no_grad():  # same initial weights
        for linear, W, b in ((model[0], params0[0], params0[1]), (model[2], params0[2], params0[3])):
            linear.weight.copy_(torch.from_numpy(W.T.copy()))  # torch stores (n_out, n_in)
            linear.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.SGD(model.parameters(), lr=ETA)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    for order in orders:
        order = torch.from_numpy(order)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            xb, yb = Xt[idx], Yt[idx]
            opt.zero_grad()
            a = model(xb)
            loss = 0.5 * ((a - yb) ** 2).sum() / xb.shape[0]  # nnlib's quadratic cost
            loss.backward()
            opt.step()
    return model


def torch_accuracy(torch, model, X_test, y_test) -> float:
    dtype = next(model.parameters()).dtype
    with torch.no_grad():
        a = model(torch.from_numpy(X_test).to(dtype)).numpy()
    return float(np.mean(a.argmax(axis=1) == y_test))


# --- the run ------------------------------------------------------------------------------------

ORDER_SEED = 1


@dataclass
class Result:
    name: str
    times: list[float] = field(default_factory=list)  # training-loop seconds per epoch, one per run
    fit_times: list[float] = field(default_factory=list)  # nnlib only: fit's seconds per epoch
    cpu_times: list[float] = field(default_factory=list)  # nnlib and hand-vectorised: CPU s of this thread
    accuracy: float = float("nan")
    identical_runs: bool = True  # every run ended with the same weights
    _last: list | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def fit_median(self) -> float:
        return statistics.median(self.fit_times) if self.fit_times else float("nan")

    def record(
        self,
        seconds_per_epoch: float,
        accuracy: float,
        params: list[np.ndarray],
        fit_seconds_per_epoch: float | None = None,
    ) -> None:
        self.times.append(seconds_per_epoch)
        if fit_seconds_per_epoch is not None:
            self.fit_times.append(fit_seconds_per_epoch)
        self.accuracy = accuracy
        if self._last is not None:
            self.identical_runs &= all(np.array_equal(a, b) for a, b in zip(self._last, params))
        self._last = params


def run_batch_size(bs, args, data, params0, torch) -> dict[str, Result]:
    X, Y, X_test, y_test = data
    X32, Y32, X_test32 = X.astype(np.float32), Y.astype(np.float32), X_test.astype(np.float32)
    orders = epoch_orders(ORDER_SEED, len(X), args.epochs)
    p32 = [p.astype(np.float32) for p in params0]
    names = ["nnlib float64", "nnlib float32", "hand-vectorised", "reference per-example"]
    if torch is not None:
        names += ["torch float64", "torch float32"]
    results = {k: Result(k) for k in names}
    E = args.epochs
    for run in range(args.runs):
        for name, res in results.items():
            f64 = name.endswith("64")
            fit_s = None
            if name.startswith("nnlib"):
                args_ = (
                    params0 if f64 else p32,
                    X if f64 else X32,
                    Y if f64 else Y32,
                    orders,
                    bs,
                    np.float64 if f64 else np.float32,
                )
                net, train_s, cpu_s = train_nnlib(*args_, train_metrics=False)
                net_fit, fit_s, _ = train_nnlib(*args_, train_metrics=True)
                res.cpu_times.append(cpu_s / E)
                acc = float(np.mean(net.classify(X_test if f64 else X_test32) == y_test))
                params = net.get_params()
                res.identical_runs &= all(np.array_equal(a, b) for a, b in zip(params, net_fit.get_params()))
            elif name == "hand-vectorised":
                t0, cpu = time.perf_counter(), time.thread_time()
                model = train_vectorised(params0, X, Y, orders, bs)
                train_s = time.perf_counter() - t0
                res.cpu_times.append((time.thread_time() - cpu) / E)
                acc, params = vectorised_accuracy(model, X_test, y_test), list(model)
            elif name.startswith("reference"):
                t0 = time.perf_counter()
                model = train_reference(params0, X, Y, orders, bs)
                train_s = time.perf_counter() - t0
                acc, params = reference_accuracy(model, X_test, y_test), model[0] + model[1]
            else:
                t0 = time.perf_counter()
                model = train_torch(
                    torch,
                    params0 if f64 else p32,
                    X if f64 else X32,
                    Y if f64 else Y32,
                    orders,
                    bs,
                    np.float64 if f64 else np.float32,
                )
                train_s = time.perf_counter() - t0
                acc = torch_accuracy(torch, model, X_test, y_test)
                params = [p.detach().numpy().copy() for p in model.parameters()]
            res.record(train_s / E, acc, params, None if fit_s is None else fit_s / E)
            fit_note = "" if fit_s is None else f" (fit {fit_s / E:.3f})"
            print(
                f"  batch {bs:>3}, run {run + 1}/{args.runs}: {name:<22} train {train_s / E:7.3f} s/epoch"
                f"{fit_note}, test accuracy {100 * acc:.2f} %",
                flush=True,
            )
    return results


def print_table(all_results: dict[int, dict[str, Result]], epochs: int) -> None:
    acc_label = f"test acc ({epochs} epoch{'s' if epochs > 1 else ''})"
    print(
        f"\nseconds per epoch, median of {len(next(iter(all_results.values()))['nnlib float64'].times)} runs"
        f" (train: the training; fit: nnlib's default fit, History pass included)"
    )
    print(
        f"{'batch':>5}  {'implementation':<22} {'train':>7} {'fit':>7}  {'train, every run':<22}"
        f" {acc_label:>19}  {'reference/this':>14} {'torch/this':>10} {'this/vectorised':>15}"
    )
    for bs, results in all_results.items():
        ref = results["reference per-example"].median
        vec = results["hand-vectorised"].median
        for name, r in results.items():
            same = "torch float64" if "64" in name else "torch float32"
            torch_ratio = (
                f"{results[same].median / r.median:9.2f}x" if same in results and not name.startswith("torch") else ""
            )
            runs = " ".join(f"{t:.3f}" for t in r.times)
            fit = f"{r.fit_median:7.3f}" if r.fit_times else f"{'':>7}"
            vs_vec = f"{r.median / vec:.2f}x" if "32" not in name else ""  # the loop runs in float64
            print(
                f"{bs:>5}  {name:<22} {r.median:7.3f} {fit}  {runs:<22} {100 * r.accuracy:>17.2f} %"
                f"  {ref / r.median:>13.2f}x {torch_ratio:>10} {vs_vec:>15}"
            )
        print()
    print(
        "reference/this and torch/this: how many times faster this training is than the "
        "per-example loop and than PyTorch CPU in the same dtype (> 1: this one is faster);\n"
        "this/vectorised: this training's time over the hand-vectorised numpy loop's (< 1: this one is faster)."
    )


def check_targets(all_results, full_data: bool) -> None:
    """Compare the float64 figures with the targets of the Speed issue."""
    if not full_data:
        print("\ntargets: not checked (they are for the full 50,000-image MNIST training set)")
        return
    print("\ntargets (float64, this run; 'counting fit' uses fit's time, History pass included):")
    checks = []

    def ratio(name, bs, minimum, baseline, what):
        r = all_results[bs]
        nn, other = r["nnlib float64"], r[baseline]
        q, q_fit = other.median / nn.median, other.median / nn.fit_median
        checks.append(
            (f"batch {bs}: >= {minimum}x faster than {what}", f"{q:.2f}x (counting fit: {q_fit:.2f}x)", q >= minimum)
        )

    if 10 in all_results:
        nn = all_results[10]["nnlib float64"]
        checks.append(
            (
                f"batch 10: an epoch in <= {TARGETS['epoch_s_b10']} s",
                f"{nn.median:.3f} s (fit with its History pass: {nn.fit_median:.3f} s)",
                nn.median <= TARGETS["epoch_s_b10"],
            )
        )
        ratio("ref", 10, TARGETS["vs_reference_b10"], "reference per-example", "the per-example loop")
        hand = all_results[10]["hand-vectorised"]
        q, q_fit = nn.median / hand.median, nn.fit_median / hand.median
        per_run = sorted(a / b for a, b in zip(nn.times, hand.times))
        checks.append(
            (
                f"batch 10: training within {TARGETS['vs_vectorised_b10']}x the time of the hand-vectorised loop",
                f"{q:.2f}x (each run: {' '.join(f'{r:.2f}' for r in per_run)}; counting fit: {q_fit:.2f}x)",
                q <= TARGETS["vs_vectorised_b10"],
            )
        )
        q_cpu = statistics.median(nn.cpu_times) / statistics.median(hand.cpu_times)
        checks.append(
            (
                "batch 10: the same in CPU time (this thread; steadier when other jobs share the CPU)",
                f"{q_cpu:.2f}x",
                q_cpu <= TARGETS["vs_vectorised_b10"],
            )
        )
        if "torch float64" in all_results[10]:
            ratio("torch", 10, TARGETS["vs_torch_b10"], "torch float64", "PyTorch CPU")
    if 100 in all_results and "torch float64" in all_results[100]:
        ratio("torch", 100, TARGETS["vs_torch_b100"], "torch float64", "PyTorch CPU")
    for bs, r in all_results.items():
        gap = 100 * abs(r["nnlib float64"].accuracy - r["reference per-example"].accuracy)
        checks.append(
            (
                f"batch {bs}: test accuracy within {TARGETS['accuracy_points']} points of the reference loop",
                f"{gap:.2f} points",
                gap <= TARGETS["accuracy_points"],
            )
        )
    for what, got, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'}  {what}: {got}")


def _seconds(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def machine_facts(threads_desc: str, torch, load_before) -> None:
    print("\nmachine:")
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    print(f"  CPU: {cpu}, os.cpu_count() = {os.cpu_count()}; {platform.platform()}")
    print(f"  Python {platform.python_version()}, numpy {np.__version__}, nnlib {nnlib.__version__}")
    print(f"  numpy BLAS: {threads_desc}")
    env = {k: v for k, v in os.environ.items() if k.startswith(("OPENBLAS", "OMP_", "MKL_"))}
    print(f"  BLAS/OpenMP environment: {env if env else 'none set'}")
    if torch is not None:
        print(f"  torch {torch.__version__}, {torch.get_num_threads()} threads")
    A = np.random.default_rng(0).random((1000, 1000))
    best = min(_seconds(lambda: A @ A) for _ in range(5))
    print(
        f"  calibration: a 1000 x 1000 float64 matmul runs at {2e9 / best / 1e9:.0f} GFlop/s "
        f"(best of 5; compare runs on a shared or throttled machine with this)"
    )
    if hasattr(os, "getloadavg"):
        after = os.getloadavg()
        print(
            f"  load average (1 min) before / after: {load_before[0]:.2f} / {after[0]:.2f}"
            f"  (above ~0.5 other processes shared the CPU: timings are noisier and slower)"
        )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5, help="runs per implementation (the median is reported)")
    p.add_argument("--epochs", type=int, default=1, help="epochs per run")
    p.add_argument("--batch-sizes", default="10,100", help="comma-separated, e.g. 10,100")
    p.add_argument("--quick", action="store_true", help="5,000 training images: a smoke test")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch even when installed")
    p.add_argument(
        "--torch-threads", type=int, default=None, help="threads for PyTorch (default: as many as numpy's BLAS uses)"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights")
    args = p.parse_args(argv)
    if args.runs < 1 or args.epochs < 1:
        p.error("--runs and --epochs must be positive")
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),)

    Xtr, Ytr, Xte, yte, source = load_data(5000 if args.quick else None)
    full_data = not args.quick and len(Xtr) == 50_000
    threads, threads_desc = blas_threads()
    torch = None
    if not args.no_torch:
        try:
            import torch

            torch.set_num_threads(args.torch_threads or threads)
        except ImportError:
            print("note: PyTorch is not installed; skipping it (pip install torch, CPU build, to compare)")
    print(f"data: {source}: {len(Xtr):,} training images, {len(Xte):,} test images")
    print(
        f"network {SIZES}, sigmoid, quadratic cost, SGD eta = {ETA}, gaussian N(0, 1) init "
        f"(seed {args.seed}), shuffle seed {ORDER_SEED}; {args.epochs} epoch(s) per run, {args.runs} runs\n"
    )

    params0 = Network(
        SIZES, activation="sigmoid", loss="quadratic", init="gaussian", rng=args.seed
    ).get_params()  # W0, b0, W1, b1 (float64)
    all_results = {bs: run_batch_size(bs, args, (Xtr, Ytr, Xte, yte), params0, torch) for bs in batch_sizes}
    print_table(all_results, args.epochs)
    same = all(r.identical_runs for res in all_results.values() for k, r in res.items() if k.startswith("nnlib"))
    print(f"nnlib: every run of a configuration ended with bit-identical weights: {'yes' if same else 'NO'}")
    check_targets(all_results, full_data)
    machine_facts(threads_desc, torch, load_before)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
