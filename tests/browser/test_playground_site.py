"""The playground on the built website, offline and with no kernel: Play trains it in the page.

The same front end as ``test_playground_widget.py``, but loaded the way a reader gets it:
from the chapter's saved widget state, through the vendored widget manager and anywidget.
"""

from __future__ import annotations

import time

from _browser import open_page

ROOT = ".nnlib-pg-widget"
EPOCH = f"() => Number(document.querySelector('{ROOT}').dataset.epoch)"
MAP = f"{ROOT} canvas[aria-label^='the decision map']"
PIXELS = """sel => { const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = 0; for (let i = 0; i < d.length; i += 7) s = (s * 31 + d[i]) % 1000000007; return s; }"""


def test_play_on_the_playground_page_trains_without_a_kernel(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/playground/playground.html")
    try:
        first = page.locator(ROOT).first
        first.scroll_into_view_if_needed()
        page.wait_for_function(f"() => document.querySelector('{ROOT}')?.dataset.epoch !== undefined")
        epoch = page.evaluate(EPOCH)
        assert epoch == 30  # the saved state: what the executed notebook showed
        before = page.evaluate(PIXELS, MAP)
        start = time.perf_counter()
        first.get_by_role("button", name="Play").click()
        page.wait_for_function(f"e => ({EPOCH})() > e", arg=epoch, timeout=2_000)
        page.wait_for_function(f"b => ({PIXELS})({MAP!r}) !== b", arg=before, timeout=2_000)
        assert time.perf_counter() - start < 2.5
        assert "training in your browser" in first.locator(".nnlib-status").inner_text()
        page.wait_for_timeout(1_000)
        rate = (page.evaluate(EPOCH) - epoch) / (time.perf_counter() - start)
        print(f"playground on the built page, no kernel: {rate:.1f} epochs per second")
        assert rate >= 30
        first.get_by_role("button", name="Pause").click()
        assert not log.problems(), log.problems()
    finally:
        context.close()
