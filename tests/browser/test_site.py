"""The built website, opened page by page in headless Chromium.

``make test`` builds the site into ``_build/html`` first (``make book`` does too);
this test serves that folder on 127.0.0.1 and checks, on every page listed in
``_toc.yml``, what a reader would notice:

* no JavaScript error, no failed request, no request to any other host
  (the site must work offline: MathJax and the widget manager are vendored);
* equations are typeset by MathJax, without TeX errors or raw ``$$`` left;
* widgets with saved state render; matplotlib animations play;
* exercise solutions stay hidden until clicked, then open;
* every internal link points to an existing page and anchor;
* every image has a real alternative text.

It saves a full-page screenshot of every page in light and dark mode under
``_build/screenshots/`` and checks that the search page finds things.

Chromium comes from Debian (``apt-get install chromium``); Playwright only drives
it, so no browser is downloaded. Without ``chromium`` on PATH the test is skipped.
"""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from _browser import ROOT, SHOTS, TIMEOUT_MS, open_page


def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the book in table-of-contents order, e.g. ``book/intro``."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(node) -> None:
        if isinstance(node, dict):
            if "file" in node:
                names.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return [str(Path(n).with_suffix("")) if Path(n).suffix in (".md", ".ipynb") else n for n in names]


PAGES = toc_docnames()


# --- a static server for _build/html -------------------------------------------------


def screenshot_path(docname: str, dark: bool) -> Path:
    path = SHOTS / ("dark" if dark else "") / f"{docname.replace('/', '__')}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# A full-page screenshot costs time in proportion to the page's height (5 s for the 59,000 px of
# the API reference's core page): screenshots stop at this height, the first chapters' worth.
SHOT_HEIGHT_PX = 8000


def screenshot(page, docname: str, dark: bool) -> None:
    """The page as a reader first sees it, from the top, down to SHOT_HEIGHT_PX at most."""
    width, height = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, SHOT_HEIGHT_PX)}
    page.screenshot(path=screenshot_path(docname, dark=dark), full_page=True, clip=clip)


# --- checks on one page -----------------------------------------------------------------

_RAW_TEX_IN_WIDGETS = """() => Array.from(document.querySelectorAll('.jupyter-widgets'))
    .filter(w => !w.querySelector('.jupyter-widgets'))
    .map(w => { const c = w.cloneNode(true); c.querySelectorAll('mjx-container').forEach(e => e.remove());
                return c.textContent; })
    .filter(t => /\\$[^$]+\\$|\\\\\\(|\\\\\\[/.test(t))"""


def check_math(page) -> list[str]:
    """Every Sphinx math element holds a typeset mjx-container; no TeX error, no raw TeX.

    Widget labels count too: their ``$...$`` must be typeset once the widgets render.
    """
    try:  # widgets typeset their labels asynchronously after rendering
        page.wait_for_function(f"() => ({_RAW_TEX_IN_WIDGETS}).length === 0", timeout=5_000)
    except Exception:
        pass  # reported below
    report = page.evaluate("""() => {
        const maths = Array.from(document.querySelectorAll('.math'));
        const untypeset = maths.filter(m => !m.querySelector('mjx-container'))
                               .map(m => m.textContent.trim().slice(0, 60));
        const errors = Array.from(document.querySelectorAll('mjx-merror'))
                            .map(e => e.getAttribute('data-mjx-error') || e.textContent);
        const main = document.querySelector('main') || document.body;
        const copy = main.cloneNode(true);
        copy.querySelectorAll('pre, code, script, style, mjx-container, .math, .jupyter-widgets')
            .forEach(e => e.remove());
        const text = copy.textContent;
        const raw = ['$$', '\\\\(', '\\\\[', '\\\\begin{'].filter(s => text.includes(s));
        return {untypeset, errors, raw};
    }""")
    problems = [f"math not typeset by MathJax: {t!r}" for t in report["untypeset"]]
    problems += [f"MathJax error: {e}" for e in report["errors"]]
    problems += [f"raw TeX left in the text: {r!r}" for r in report["raw"]]
    problems += [f"raw TeX left in a widget: {t.strip()[:60]!r}" for t in page.evaluate(_RAW_TEX_IN_WIDGETS)]
    return problems


# A rendered view: an ipywidgets control (class jupyter-widgets), or an anywidget view (the
# manager's lm-Widget, or on pages with only anywidgets the .anywidget-view of
# _static/anywidget-lite.js) holding what its front end drew.
_RENDERED_VIEWS = """() => Array.from(document.querySelectorAll(
        '.widget-subarea > .lm-Widget, .widget-subarea > .anywidget-view'))
    .filter(v => v.matches('.jupyter-widgets') || v.querySelector('.jupyter-widgets, canvas, svg, .nnlib-frame'))
    .length"""


def check_widgets(page) -> list[str]:
    """Each saved widget view is rendered and visible; no anywidget front end showed an error."""
    n_views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    if n_views == 0:
        return []
    try:
        page.wait_for_function(f"n => ({_RENDERED_VIEWS})() >= n", arg=n_views, timeout=TIMEOUT_MS)
    except Exception:  # playwright TimeoutError: report what is there
        got = page.evaluate(f"({_RENDERED_VIEWS})()")
        return [f"{n_views} saved widget view(s), but {got} rendered"]
    hidden = page.evaluate("""() => Array.from(document.querySelectorAll('.widget-subarea'))
        .filter(s => { const r = s.getBoundingClientRect(); return r.width === 0 || r.height === 0; })
        .length""")
    errors = page.evaluate("() => Array.from(document.querySelectorAll('.nnlib-error'), e => e.textContent)")
    problems = [f"{hidden} rendered widget(s) have no visible size"] if hidden else []
    return problems + [f"a widget showed an error: {e[:200]}" for e in errors]


def check_animations(page) -> list[str]:
    """Matplotlib HTML animations show their controls, and Play changes the frame."""
    problems = []
    animations = page.locator("div.animation")
    for i in range(animations.count()):
        anim = animations.nth(i)
        anim.scroll_into_view_if_needed()
        play = anim.locator("button[title='Play']")
        if not (anim.locator("img").first.is_visible() and play.is_visible()):
            problems.append(f"animation {i}: frame or Play button not visible")
            continue
        img = anim.locator("img").first
        before = img.get_attribute("src")
        play.click()
        try:
            page.wait_for_function(
                "([el, src]) => el.getAttribute('src') !== src", arg=[img.element_handle(), before], timeout=5_000
            )
        except Exception:
            problems.append(f"animation {i}: the frame did not change after clicking Play")
        anim.locator("button[title='Pause']").click()
    return problems


def check_solutions(page) -> list[str]:
    """Exercise solutions are collapsed until their title is clicked, then shown."""
    problems = []
    solutions = page.locator(".solution.dropdown")
    for i in range(solutions.count()):
        sol = solutions.nth(i)
        body = sol.locator(":scope > :not(.admonition-title)").first
        label = sol.locator(".admonition-title").inner_text().strip()[:40]
        if body.count() == 0:
            problems.append(f"solution {label!r} has no content")
            continue
        if body.is_visible():
            problems.append(f"solution {label!r} is visible before it is clicked")
        sol.locator(".admonition-title").click()
        try:
            body.wait_for(state="visible", timeout=5_000)
        except Exception:
            problems.append(f"solution {label!r} did not open when clicked")
    # sphinx-exercise's own dropdowns, and the <details> that each chapter's solution cell is in
    details = page.locator("details.solution, details:has(> .solution)")
    for i in range(details.count()):
        d = details.nth(i)
        if d.get_attribute("open") is not None:
            problems.append(f"solution dropdown {i} is open before it is clicked")
        d.locator("summary").first.click()
        if d.get_attribute("open") is None:
            problems.append(f"solution dropdown {i} did not open when clicked")
    return problems


def check_images(page) -> list[str]:
    """Every <img> has a real alt text (not missing, empty or just the file name)."""
    bad = page.evaluate("""() => Array.from(document.querySelectorAll('img')).filter(img => {
        const alt = (img.getAttribute('alt') || '').trim();
        const src = img.getAttribute('src') || '';
        const file = src.split('?')[0].split('/').pop();
        return !alt || alt === src || alt === file || /\\.(png|jpe?g|svg|gif)$/i.test(alt);
    }).map(img => [(img.getAttribute('src') || '').slice(0, 60), !!img.closest('.jupyter-widgets')])""")
    hint = ' (give the cell "mystnb": {"image": {"alt": "..."}} metadata)'
    return [
        f"image without a real alt text{' in a widget' if in_widget else ''}: {src}{hint}" for src, in_widget in bad
    ]


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value or "")


@functools.cache
def anchors_of(path: Path) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def check_links(page, base_url: str, site: Path) -> list[str]:
    """Every link to this site points to an existing file, and to an existing anchor in it."""
    problems = []
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)")
    base = urlsplit(base_url)
    for href in sorted(set(hrefs)):
        url = urlsplit(href)
        if url.scheme not in ("http", "https") or url.netloc != base.netloc:
            continue
        path = site / unquote(url.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            problems.append(f"broken link: {href}")
        elif url.fragment and path.suffix == ".html" and unquote(url.fragment) not in anchors_of(path):
            problems.append(f"link to a missing anchor: {href}")
    return problems


# --- the tests ------------------------------------------------------------------------


def test_toc_pages_are_built(site: Path) -> None:
    missing = [d for d in PAGES if not (site / f"{d}.html").is_file()]
    assert not missing, f"pages in _toc.yml missing from {site}: {missing} (rebuild with `make book`)"


def test_index_redirects_to_the_landing_page(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/index.html")
    try:
        page.wait_for_url(f"**/{PAGES[0]}.html")
        assert not log.problems(), log.problems()
    finally:
        context.close()


def switch_to_dark_mode(page) -> float:
    """Switch the open page to the theme's dark mode, as its theme button does.

    Returns the relative luminance (0 black .. 1 white) of the page background.
    """
    return page.evaluate("""() => {
        localStorage.setItem('mode', 'dark');
        document.documentElement.dataset.mode = 'dark';
        document.documentElement.dataset.theme = 'dark';
        const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    }""")


@pytest.mark.parametrize("docname", PAGES)
def test_page(browser, base_url: str, site: Path, docname: str) -> None:
    url = f"{base_url}/{docname}.html"
    context, page, log = open_page(browser, url)
    try:
        problems = check_widgets(page) + check_math(page) + check_images(page)
        problems += check_links(page, base_url, site)
        # screenshots before the interactions, to show the page as a reader first sees it
        screenshot(page, docname, dark=False)
        luminance = switch_to_dark_mode(page)
        screenshot(page, docname, dark=True)
        if luminance > 0.3:
            problems.append(f"dark mode did not darken the page (background luminance {luminance:.2f})")
        problems += check_animations(page) + check_solutions(page)
        problems += log.problems()
    finally:
        context.close()
    assert not problems, f"{docname}:\n  " + "\n  ".join(problems)


def test_dark_mode_preference_applies_on_load(browser, base_url: str) -> None:
    """A reader who chose dark mode gets it on the next page they open."""
    context, page, log = open_page(browser, f"{base_url}/{PAGES[0]}.html", dark=True)
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        problems = log.problems()
    finally:
        context.close()
    assert theme == "dark", f"the stored dark-mode choice was not applied (data-theme={theme!r})"
    assert not problems, problems


@pytest.mark.parametrize("query", ["sigmoid", "notation"])
def test_search_finds_pages(browser, base_url: str, site: Path, query: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/search.html?q={query}")
    try:
        results = page.locator("#search-results ul.search li a")
        results.first.wait_for(state="attached")
        hrefs = page.evaluate(
            "() => Array.from(document.querySelectorAll('#search-results ul.search li a'), a => a.href)"
        )
        problems = check_links(page, base_url, site) + log.problems()
    finally:
        context.close()
    assert hrefs, f"searching {query!r} found nothing"
    assert not problems, f"search for {query!r}:\n  " + "\n  ".join(problems)
