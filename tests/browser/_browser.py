"""What every browser test shares: the built site served on 127.0.0.1, Debian's chromium
driven by Playwright (no browser is downloaded), and a page opener that blocks and records
any request to another host. Without ``chromium`` on PATH, the browser tests are skipped.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(items) -> None:
    if CHROMIUM is None:
        skip = pytest.mark.skip(reason="the browser tests need Debian's chromium on PATH (apt-get install chromium)")
        for item in items:
            item.add_marker(skip)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"no built website in {SITE}: run `make book` first (`make test` builds it before running this test)"
        )
    return SITE


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- what a page load records ---------------------------------------------------------


@dataclass
class PageLog:
    """Problems seen while a page loaded and was used."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"failed request: {m}" for m in self.failed]
            + [f"request to another host: {m}" for m in self.foreign]
        )


def open_page(browser, url: str, dark: bool = False):
    """Open ``url`` in a fresh context; requests to other hosts are recorded and blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark" if dark else "light")
    # pydata-sphinx-theme keeps the reader's choice in localStorage["mode"]
    context.add_init_script(f"localStorage.setItem('mode', '{'dark' if dark else 'light'}');")
    log = PageLog()

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            log.foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on(
        "requestfailed",
        lambda r: log.failed.append(f"{r.url} ({r.failure})") if urlsplit(r.url).hostname in LOCAL_HOSTS else None,
    )
    page.on("response", lambda r: log.failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
    page.goto(url, wait_until="load")
    wait_for_mathjax(page)
    return context, page, log


def wait_for_mathjax(page) -> None:
    """Wait until MathJax (if the page loads it) has finished typesetting."""
    page.wait_for_function(
        "() => !document.querySelector('script[src*=\"mathjax\"]') || "
        "(window.MathJax && MathJax.startup && MathJax.startup.promise)"
    )
    page.evaluate("() => window.MathJax && MathJax.startup ? MathJax.startup.promise : null")


# contrast(el): WCAG contrast ratio of el's text on the first opaque background behind it
CONTRAST_JS = """
function luminance([r, g, b]) {
  const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}
function rgb(text) { return (text.match(/[\\d.]+/g) || []).map(Number); }
function background(el) {          // the first opaque background behind el
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3);
  }
  return [255, 255, 255];
}
function contrast(el) {
  const a = luminance(rgb(getComputedStyle(el).color).slice(0, 3)), b = luminance(background(el));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


# --- one widget front end, alone in a page, with no kernel ----------------------------

_HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>widget</title>
<meta name="color-scheme" content="light dark">
<style>@media (prefers-color-scheme: dark) { html { background: #121212; color: #e6e6e6; } }</style></head>
<body><main><div id="widget"></div></main><script>
class Model {   // what anywidget's render({ model, el }) uses; no kernel answers `send`
  constructor(state) { this.state = state; this.handlers = {}; this.sent = []; }
  get(key) { return this.state[key]; }
  set(key, value) { this.state[key] = value; for (const f of this.handlers["change:" + key] || []) f(); }
  on(event, f) { (this.handlers[event] ||= []).push(f); }
  off(event, f) { if (this.handlers[event]) this.handlers[event] = this.handlers[event].filter((g) => g !== f); }
  save_changes() {}
  send(message) { this.sent.push(message); }
}
window.start = async (esm, state) => {
  const url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
  const widget = (await import(url)).default;
  window.model = new Model(state);
  window.cleanup = await widget.render({ model: window.model, el: document.getElementById("widget") });
  return true;
};
</script></body></html>"""


def widget_page(browser, esm: str, state: dict, *, dark: bool = False, width: int = 1280):
    """Render one widget front end (the text of its ES module) with ``state`` and no kernel.

    The page is white with dark text, or with ``dark`` (the reader's preference) #121212 with
    light text, as a page that supports both schemes is.

    Returns ``(context, page, log)``; ``window.model`` is the fake model (``model.sent``
    lists what the widget sent). For testing a front end without building the book.
    """
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    log = PageLog()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.set_content(_HARNESS)
    page.evaluate("([esm, state]) => window.start(esm, state)", [esm, state])
    return context, page, log


# --- accessibility: axe-core, vendored from npm ------------------------------------------

# docname -> (bytes by the load event, bytes loaded in all), filled by test_reader.py and
# printed at the end of the run (conftest.py)
PAGE_WEIGHTS: dict[str, tuple[int, int]] = {}


def axe_violations(page, impacts=("critical", "serious"), context: str | None = None) -> list[str]:
    """Run axe-core (``node_modules/axe-core``, pinned in package.json; no CDN) on the open page.

    Returns one readable line per failing node whose impact is in ``impacts``:
    ``rule-id (impact) target: summary``, e.g.
    ``color-contrast (serious) .btn-play: Element has insufficient color contrast of 2.8:1``.
    ``context`` limits the check to the elements a CSS selector picks (the whole document by
    default). An empty list means no such violation.
    """
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci --ignore-scripts` (package.json pins it)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """async ([impacts, context]) => {
        const r = await axe.run(context || document, { resultTypes: ["violations"] });
        const out = [];
        for (const v of r.violations) {
            for (const n of v.nodes) {
                const impact = n.impact || v.impact;
                if (!impacts.includes(impact)) continue;
                const summary = (n.failureSummary || v.help).split("\\n")
                    .map(s => s.trim()).filter(s => s && !/^Fix (any|all)/.test(s)).join("; ");
                out.push(`${v.id} (${impact}) ${n.target.join(" ")}: ${summary || v.help}`);
            }
        }
        return out;
    }""",
        [list(impacts), context],
    )
    return list(results)
