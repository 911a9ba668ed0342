"""Does the training dashboard draw *during* a fit in JupyterLab, and how often?

Starts JupyterLab on 127.0.0.1 (a random port and token, a temporary root folder and
temporary settings), opens a notebook in headless Chromium (Debian's ``chromium``, driven
by Playwright; no browser is downloaded) and runs, in one kernel, the same seeded 2-second
fit (spiral data, a [2, 16, 16, 1] tanh network, as ``dashboard_overhead.py``) with and
without :class:`~nnlib.widgets.dashboard.TrainingDashboard`, alternating. A
MutationObserver in the page notes the time of every redraw of every dashboard
(``data-draws`` on its root); the kernel notes when each fit starts and ends. Both use
the machine's clock (``time.time()`` and ``Date.now()``). Prints, as medians over the runs:

* the time from the start of ``fit`` to the first picture (the "waiting" view) and to the
  first picture with an epoch in it (target: within 0.5 s);
* redraws per second during the fit (target: at least 2) and the longest gap between two;
* how long after the end of ``fit`` the final state was drawn;
* the fit's duration with and without the dashboard, browser included (target: at most 5 %
  more; the browser draws on the same 2 cores as the kernel), as medians and as the fastest
  run of each (other jobs on the machine only ever slow a run down, so the fastest runs are
  the least disturbed ones);
* where the time goes, per fit, with and without the dashboard: the kernel's CPU time
  (``time.process_time()`` around ``fit``), the page's main-thread busy time (Chrome's
  ``Performance.getMetrics``: ``TaskDuration``, and the part of it spent in scripts, style
  and layout), the Jupyter server's CPU time and that of every chromium process (GPU and
  compositor included; ``/proc/<pid>/stat``), each sampled around the cell
  (from the cell's start until 0.5 s after the kernel is idle again). On a shared machine the wall time
  moves with the load; the CPU times say what the dashboard itself costs.

The cells run one at a time (Ctrl+Enter), alternating with and without the dashboard.

The first dashboard of a session also loads the front end's module; its run is printed
apart and left out of the medians.

    python benchmarks/dashboard_live_lab.py [--runs 3] [--epochs 600]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
from _browser import CHROMIUM  # noqa: E402

SETUP = """\
import json, time
from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.dashboard import TrainingDashboard

X, y = playground("spiral", n=1000, noise=0.1, rng=0)
X_train, y_train, X_val, y_val = train_test_split(X, 2 * y - 1, test_fraction=0.2, rng=0)

def run(dashboard):
    net = Network([2, 16, 16, 1], activation="tanh", output_activation="tanh", init="xavier", rng=0)
    callbacks = [TrainingDashboard(X_train, y_train)] if dashboard else []
    start, cpu = time.time(), time.process_time()
    fit(net, X_train, y_train, epochs={epochs}, batch_size=10, lr=0.03, validation_data=(X_val, y_val),
        callbacks=callbacks, progress=False, rng=1)
    end, cpu = time.time(), time.process_time() - cpu
    with open("times.jsonl", "a") as f:
        f.write(json.dumps({{"dashboard": dashboard, "start": start, "end": end, "cpu": cpu}}) + "\\n")
"""

RECORDER = """() => {
  window.__draws = [];
  const ids = new WeakMap();
  let next = 0;
  new MutationObserver((records) => {
    const t = Date.now();
    for (const r of records) {
      const el = r.target;
      if (!ids.has(el)) ids.set(el, next++);
      window.__draws.push({ t, widget: ids.get(el), draws: Number(el.dataset.draws),
                            epoch: Number(el.dataset.epoch), status: el.dataset.status });
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["data-draws"] });
}"""


# Chrome's Performance.getMetrics: seconds the page's main thread spent busy (Task), running scripts,
# recalculating styles and laying out (each <Name>Duration)
PAGE_METRICS = ("task", "script", "recalcStyle", "layout")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu() -> float:
    """CPU seconds so far of every chromium process (renderer, GPU, browser, utility), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        if "(chrom" in text.split(")", 1)[0]:
            fields = text.rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(page, lab, n_fits: int, timeout: float) -> tuple[list[dict], list[dict]]:
    """Run the fits' cells one by one; each fit's record gains the page's and the server's CPU time."""
    from _lab import run_cell, wait_idle

    page.evaluate(RECORDER)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def page_busy() -> dict[str, float]:
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {name: metrics[f"{name[0].upper()}{name[1:]}Duration"] for name in PAGE_METRICS}

    times_file = lab.folder / "times.jsonl"
    run_cell(page, 0)
    wait_idle(page)
    extra = []
    for i in range(n_fits):
        busy, server, browser = page_busy(), server_cpu(lab.pid), browser_cpu()
        run_cell(page, i + 1)
        deadline = time.time() + timeout
        while not (times_file.exists() and len(times_file.read_text().splitlines()) > i):
            if time.time() > deadline:
                raise SystemExit(f"fit {i + 1} did not finish within {timeout:.0f} s")
            time.sleep(0.1)
        wait_idle(page)
        time.sleep(0.5)  # the final state reaches the page and is drawn
        after = page_busy()
        extra.append(
            {
                "server": server_cpu(lab.pid) - server,
                "browser": browser_cpu() - browser,
                **{k: after[k] - busy[k] for k in PAGE_METRICS},
            }
        )
    fits = [{**json.loads(line), **more} for line, more in zip(times_file.read_text().splitlines(), extra)]
    return fits, page.evaluate("() => window.__draws")


def summarise(fits: list[dict], draws: list[dict], epochs: int) -> None:
    dashboards = [f for f in fits if f["dashboard"]]
    rows = []
    for widget, fit in enumerate(dashboards):
        mine = [(d["t"] / 1000, d["epoch"], d["status"]) for d in draws if d["widget"] == widget]
        during = [t for t, _, _ in mine if fit["start"] <= t <= fit["end"]]
        first_data = next((t for t, e, _ in mine if e >= 1), float("nan"))
        final = next((t for t, e, s in mine if s == "done" and e == epochs), float("nan"))
        gaps = [b - a for a, b in zip([fit["start"], *during], [*during, fit["end"]])]
        rows.append(
            {
                "first picture": mine[0][0] - fit["start"] if mine else float("nan"),
                "first epoch drawn": first_data - fit["start"],
                "redraws per second": len(during) / (fit["end"] - fit["start"]),
                "longest gap": max(gaps),
                "final state after the end": final - fit["end"],
                "fit": fit["end"] - fit["start"],
            }
        )
    plain = [f["end"] - f["start"] for f in fits if not f["dashboard"]]
    print(f"JupyterLab, a fit of {epochs} epochs, {len(rows) - 1} runs with the dashboard (after a first one):")
    first = ", ".join(f"{k} {v:.3f} s" for k, v in rows[0].items() if k != "redraws per second")
    print(f"  first run (loads the front end): {first}, {rows[0]['redraws per second']:.1f} redraws per second")
    for key, unit, target in (
        ("first picture", "s", ""),
        ("first epoch drawn", "s", "(target <= 0.5 s)"),
        ("redraws per second", "/s", "(target >= 2)"),
        ("longest gap", "s", "(between redraws, or from the start or to the end of fit)"),
        ("final state after the end", "s", ""),
    ):
        values = [r[key] for r in rows[1:]]
        print(f"  {key}: median {statistics.median(values):.3f} {unit}, all {[round(v, 3) for v in values]} {target}")
    with_dash = statistics.median(r["fit"] for r in rows[1:])
    without = statistics.median(plain[1:])
    print(
        f"  fit: with the dashboard {with_dash:.3f} s, without {without:.3f} s (medians): "
        f"overhead {100 * (with_dash - without) / without:+.1f} % (target <= 5 %)"
    )
    fastest_with, fastest_without = min(r["fit"] for r in rows[1:]), min(plain[1:])
    print(
        f"  fit, fastest of each: with the dashboard {fastest_with:.3f} s, without {fastest_without:.3f} s: "
        f"overhead {100 * (fastest_with - fastest_without) / fastest_without:+.1f} % (the least disturbed runs; "
        "steadier than the medians when other jobs share the machine)"
    )
    print("  CPU time per fit, medians (first fit of each kind left out), with / without the dashboard:")
    for key, what in (
        ("cpu", "kernel (fit)"),
        ("task", "page main thread"),
        ("script", "  of which script"),
        ("recalcStyle", "  of which style"),
        ("layout", "  of which layout"),
        ("server", "Jupyter server"),
        ("browser", "chromium, all"),
    ):
        a = statistics.median(f[key] for f in fits[2:] if f["dashboard"])
        b = statistics.median(f[key] for f in fits[2:] if not f["dashboard"])
        share = f"{100 * (a - b) / without:+.1f} % of the fit" if key != "cpu" else f"{100 * (a - b) / b:+.1f} %"
        print(f"    {what:17} {a:7.3f} s / {b:7.3f} s: {a - b:+.3f} s ({share})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=600)
    args = parser.parse_args()
    if CHROMIUM is None:  # as the browser tests: skipped, so that `make bench` runs the others
        print("skipped: this benchmark needs Debian's chromium on PATH (apt-get install chromium)")
        return
    from playwright.sync_api import sync_playwright

    before = os.getloadavg()

    from _lab import open_notebook, running_lab, write_notebook

    n_fits = 2 * (args.runs + 1)
    cells = [SETUP.format(epochs=args.epochs)] + [
        f"run({dash})" for _ in range(args.runs + 1) for dash in (True, False)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        write_notebook(Path(tmp) / "live.ipynb", cells)
        with running_lab(Path(tmp)) as lab, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            try:
                context, page = open_notebook(browser, lab, "live.ipynb")
                fits, draws = measure(page, lab, n_fits, timeout=60 + 10 * args.epochs / 300)
            finally:
                browser.close()
    print(f"load average before: {before}, after: {os.getloadavg()}")
    summarise(fits, draws, args.epochs)


if __name__ == "__main__":
    main()
