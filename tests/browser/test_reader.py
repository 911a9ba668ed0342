"""Every page of the built website, for every reader (issue #18).

On each page listed in ``_toc.yml``, the index and the search page, in headless Chromium:

* axe-core (vendored from npm, ``axe_violations`` in ``_browser.py``) finds no critical or
  serious violation, in light mode and in dark mode, and no two elements share an id;
* at a phone's 390 px the page is no wider than the screen, and its menu button opens the
  navigation drawer;
* the page weighs at most 3 MB by its ``load`` event (decoded bytes of the page and of every
  resource it loaded by then); every page's weight is printed, and listed at the end of the
  test run.

Also: wide display equations scroll inside their own box with a shadow on the side that hides
more of them, and the search page stays under 1 MB per query with plain-text snippets.
"""

from __future__ import annotations

import re

import pytest
from _browser import PAGE_WEIGHTS, axe_violations, open_page
from test_site import PAGES, switch_to_dark_mode

PHONE = {"width": 390, "height": 800}
MAX_BYTES = 3_000_000

# The page itself and every resource whose response ended before the load event began; and
# everything fetched up to now (lazy images near the screen, MathJax's fonts, ...).
_WEIGHT = """() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const all = [nav, ...performance.getEntriesByType('resource')];
    const size = (list) => list.reduce((s, e) => s + (e.decodedBodySize || 0), 0);
    const byLoad = all.filter(e => e.responseEnd <= nav.loadEventStart);
    const biggest = byLoad.slice().sort((a, b) => b.decodedBodySize - a.decodedBodySize).slice(0, 3)
        .map(e => `${e.name.replace(location.origin, '').split('?')[0]} ${(e.decodedBodySize / 1e6).toFixed(2)} MB`);
    return { load: size(byLoad), now: size(all), biggest };
}"""


# the book's pages, and the pages Sphinx adds: the index of the API reference and the search page
@pytest.mark.parametrize("docname", [*PAGES, "genindex", "search"])
def test_page_for_every_reader(browser, base_url: str, docname: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/{docname}.html")
    try:
        weight = page.evaluate(_WEIGHT)
        PAGE_WEIGHTS[docname] = (weight["load"], weight["now"])
        print(f"{docname}: {weight['load'] / 1e6:.2f} MB by the load event; biggest: {', '.join(weight['biggest'])}")
        problems = []
        if weight["load"] > MAX_BYTES:
            problems.append(
                f"the page weighs {weight['load'] / 1e6:.2f} MB by its load event (at most 3 MB); "
                f"biggest: {', '.join(weight['biggest'])}"
            )
        # axe-core 4.14 no longer checks ids; sphinx-exercise once gave every exercise the same one
        duplicates = page.evaluate("""() => { const seen = new Set(), twice = new Set();
            for (const e of document.querySelectorAll('[id]')) (seen.has(e.id) ? twice : seen).add(e.id);
            return [...twice]; }""")
        problems += [f"duplicate id: {i}" for i in duplicates]
        problems += [f"axe, light mode: {v}" for v in axe_violations(page)]
        # the theme fades colours over a moment: check the colours dark mode ends with
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        switch_to_dark_mode(page)
        problems += [f"axe, dark mode: {v}" for v in axe_violations(page)]
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(
                """w => Array.from(document.querySelectorAll('.bd-content *'))
                .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('mjx-assistive-mml'))
                .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
                                       + ' ' + (e.textContent || '').trim().slice(0, 40))""",
                PHONE["width"],
            )
            problems.append(f"at 390 px the page is {width} px wide, e.g. {wide}")
        # a phone reader reaches the navigation: the menu button opens the drawer, Escape closes it
        page.get_by_role("button", name="Toggle primary sidebar").click()
        drawer = "#pst-primary-sidebar-modal"
        page.wait_for_function("d => document.querySelector(d)?.open === true", arg=drawer, timeout=5_000)
        if "The neuron" not in page.inner_text(drawer):
            problems.append("at 390 px the navigation drawer opens without the chapters")
        page.keyboard.press("Escape")
        page.wait_for_function("d => !document.querySelector(d).open", arg=drawer, timeout=5_000)
        problems += log.problems()
    finally:
        context.close()
    assert not problems, f"{docname}:\n  " + "\n  ".join(problems)


def test_wide_equations_scroll_in_their_own_box_with_a_cue(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/backprop/backprop.html")
    try:
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)
        wide = page.locator('.bd-content mjx-container[display="true"][data-more]').first
        wide.scroll_into_view_if_needed()
        box = wide.evaluate("""e => ({ client: e.clientWidth, scroll: e.scrollWidth, more: e.dataset.more,
                                       overflow: getComputedStyle(e).overflowX, focusable: e.tabIndex >= 0,
                                       shadow: getComputedStyle(e).boxShadow })""")
        wide.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        page.wait_for_function("e => e.dataset.more === 'left'", arg=wide.element_handle())
        shadow_at_end = wide.evaluate("e => getComputedStyle(e).boxShadow")
        wide.screenshot(path=str(_shot("wide-equation-end")))
        problems = log.problems()
    finally:
        context.close()
    assert box["scroll"] > box["client"] and box["overflow"] == "auto", box
    assert box["more"] == "right" and box["shadow"] != "none", box  # more to see on the right
    assert box["focusable"], "a wide equation must be reachable from the keyboard to scroll it"
    assert shadow_at_end not in ("none", box["shadow"]), shadow_at_end  # now the cue is on the left
    assert not problems, problems


def _shot(name: str):
    from _browser import SHOTS

    path = SHOTS / "reader" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def test_figures_open_full_size_from_the_keyboard_and_close_with_escape(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/neuron/neuron.html")
    try:
        page.set_viewport_size(PHONE)
        zoom = page.locator(".bd-content figure button.course-zoom").first
        alt = zoom.locator("img").get_attribute("alt")
        zoom.focus()
        page.keyboard.press("Enter")
        dialog = page.locator("dialog.course-lightbox")
        page.wait_for_function("() => document.querySelector('dialog.course-lightbox')?.open === true")
        big = dialog.locator("img")
        big.wait_for(state="visible")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=big.element_handle())
        opened = {
            "alt": big.get_attribute("alt"),
            "width": big.evaluate("img => img.getBoundingClientRect().width"),
            "close": page.get_by_role("button", name="Close").count(),
            "focus": page.evaluate("() => document.activeElement.getAttribute('aria-label')"),
        }
        page.screenshot(path=str(_shot("lightbox-phone")))
        page.keyboard.press("Escape")
        page.wait_for_function("() => !document.querySelector('dialog.course-lightbox').open")
        focus_back = zoom.evaluate("b => document.activeElement === b")
        zoom.click()  # a click opens it too, and the Close button closes it
        page.wait_for_function("() => document.querySelector('dialog.course-lightbox').open")
        page.get_by_role("button", name="Close").click()
        page.wait_for_function("() => !document.querySelector('dialog.course-lightbox').open")
        axe = axe_violations(page)
        problems = log.problems()
    finally:
        context.close()
    assert alt and opened["alt"] == alt, opened  # the alt text is kept
    assert opened["width"] > PHONE["width"], opened  # full size: wider than the phone's column
    assert opened["close"] == 1 and opened["focus"] == "Close", opened
    assert focus_back, "Escape must give the focus back to the figure"
    assert not axe, axe
    assert not problems, problems


_TEX = r"\\[A-Za-z]+|\$"


@pytest.mark.parametrize("query", ["sigmoid", "gradient"])
def test_search_stays_light_and_its_snippets_are_plain_text(browser, base_url: str, query: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/search.html?q={query}")
    try:
        page.wait_for_function(
            "() => document.querySelector('#search-results p.search-summary')?.textContent.match(/found/i)",
            timeout=30_000,
        )
        page.wait_for_load_state("networkidle")
        results = page.evaluate("""() => Array.from(document.querySelectorAll('#search-results ul.search li'),
            li => ({ title: li.querySelector('a').textContent,
                     snippet: li.querySelector('p.context')?.textContent || '' }))""")
        # what the query costs: the search index and what the search fetched for its snippets
        fetched, snippet_files = page.evaluate("""() => {
            const query = performance.getEntriesByType('resource')
                .filter(e => ['fetch', 'xmlhttprequest'].includes(e.initiatorType) || /searchindex\\.js/.test(e.name));
            return [query.reduce((s, e) => s + e.decodedBodySize, 0),
                    query.filter(e => ['fetch', 'xmlhttprequest'].includes(e.initiatorType)).map(e => e.name)];
        }""")
        problems = log.problems()
    finally:
        context.close()
    print(f"search {query!r}: {len(results)} results, {fetched / 1e6:.2f} MB for the index and the snippets")
    whole_pages = [u for u in snippet_files if not u.split("?")[0].endswith(".search-text.html")]
    assert not whole_pages, f"the search downloaded whole pages for its snippets: {whole_pages[:3]}"
    assert results, f"searching {query!r} found nothing"
    with_snippet = [r for r in results if r["snippet"].strip()]
    assert len(with_snippet) >= len(results) // 2, results
    tex = [r["snippet"][:120] for r in results if re.search(_TEX, r["snippet"])]
    assert not tex, f"raw TeX in snippets: {tex}"
    assert fetched < 1_000_000, f"one query loaded {fetched / 1e6:.2f} MB (at most 1 MB)"
    assert not problems, problems


def test_printing_a_page_gives_its_text_and_figures_black_on_white(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/neuron/neuron.html", dark=True)
    try:
        page.emulate_media(media="print")
        report = page.evaluate("""() => {
            const shown = (sel) => Array.from(document.querySelectorAll(sel))
                .filter(e => getComputedStyle(e).display !== 'none').length;
            return { navigation: shown('.bd-sidebar-primary, .bd-sidebar-secondary, .bd-header, .prev-next-area'),
                     buttons: shown('.bd-content button:not(.course-zoom)'),
                     figures: shown('.bd-content button.course-zoom'),
                     all_figures: document.querySelectorAll('.bd-content button.course-zoom').length,
                     background: getComputedStyle(document.body).backgroundColor,
                     text: getComputedStyle(document.querySelector('.bd-article p')).color };
        }""")
        pdf = page.pdf(format="A4")
        problems = log.problems()
    finally:
        context.close()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    print(f"neuron printed to {pages} A4 pages, {len(pdf) / 1e6:.2f} MB")
    assert report["navigation"] == 0 and report["buttons"] == 0, report
    assert report["figures"] == report["all_figures"] > 0, report
    assert report["background"] == "rgb(255, 255, 255)" and report["text"] == "rgb(0, 0, 0)", report
    assert pdf.startswith(b"%PDF") and pages > 3, pages
    assert not problems, problems
