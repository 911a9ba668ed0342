"""Print the whole book as one PDF (``make pdf``).

``make pdf`` first builds the book as a single page with Sphinx's ``singlehtml``
builder (``_build/singlehtml/``, reusing the notebooks executed by ``make book``).
This script turns that page into a printable book and prints it with the Debian
``chromium`` the browser tests use (through Playwright); nothing is downloaded:

* a title page, then the chapters in the order of ``_toc.yml``, numbered as on the
  website (Sphinx numbers the chapters, sections, exercises and figures);
* every solution moves to an appendix at the end, grouped by chapter, and its place
  in the chapter says where it went, as a printed book does;
* a widget cannot act on paper: each one is replaced by a box with its description
  (the text the website gives screen readers) and a pointer to the website;
* ``book/_static/print.css`` lays the page out for paper (it is also what a reader
  gets when printing one page of the website).

Before printing, the script waits for MathJax to typeset every equation and stops
with an error if one failed, or if an image is missing.

Usage::

    python tools/make_pdf.py [--html _build/singlehtml] [--out _build/pdf/nn-from-scratch.pdf]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Neural networks from scratch"
SUBTITLE = "Build one, line by line, with numpy"
WEBSITE_NOTE = "Interactive on the website"


def _chapter_title(section: Tag) -> str | None:
    """The title of ``section`` if its heading carries a chapter number (``3. Losses``)."""
    heading = section.find(["h1", "h2"], recursive=False)
    number = heading.find(class_="section-number") if heading else None
    if number is not None and re.fullmatch(r"\d+\.\s*", number.get_text()):
        return heading.get_text(" ", strip=True)
    return None


def _chapter_of(tag: Tag) -> str:
    """The title of the chapter that contains ``tag``, or ``""`` outside the chapters."""
    titles = (_chapter_title(section) for section in tag.find_parents("section"))
    return next((title for title in titles if title), "")


def _chapters(article: Tag) -> list[Tag]:
    """The chapters' sections, in order."""
    return [section for section in article.find_all("section") if _chapter_title(section)]


def make_printable(page: str, *, date: str = "") -> tuple[str, dict[str, int]]:
    """Turn the single-page build into a printable book; returns the HTML and counts."""
    soup = BeautifulSoup(page, "html.parser")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise SystemExit("make_pdf: no <article class='bd-article'> in the single-page build")
    body = soup.body
    assert body is not None
    counts = {"solutions": 0, "widgets": 0, "chapters": 0}

    # Links into the book point at "book/intro.html#anchor": inside one file they are "#anchor".
    for link in article.find_all("a", href=True):
        link["href"] = re.sub(r"^(?:\.\./)*book/intro\.html#", "#", link["href"])
    for headerlink in article.find_all("a", class_="headerlink"):
        headerlink.decompose()
    # The website loads figures lazily (as the reader scrolls); paper needs them all now.
    for image in article.find_all("img", loading=True):
        del image["loading"]

    # Widgets become their description (or a pointer to the website, where they have none).
    widgets = article.find_all("div", class_="nnlib-widget")
    views = article.find_all("script", type="application/vnd.jupyter.widget-view+json")
    widgets += [view for view in views if view.find_parent("div", class_="nnlib-widget") is None]
    for widget in widgets:
        box = soup.new_tag("div", attrs={"class": "print-widget"})
        label = soup.new_tag("strong")
        label.string = f"{WEBSITE_NOTE}: "
        box.append(label)
        box.append(widget.get("data-alt", "open this chapter on the website to use this figure."))
        widget.replace_with(box)
        counts["widgets"] += 1

    # Solutions move to an appendix, grouped by chapter.
    appendix = soup.new_tag("section", attrs={"class": "print-appendix", "id": "appendix-solutions"})
    heading = soup.new_tag("h1")
    heading.string = "Appendix: solutions to the exercises"
    appendix.append(heading)
    current = None
    for solution in article.find_all("div", class_="solution"):
        chapter = _chapter_of(solution)
        if chapter != current:
            sub = soup.new_tag("h2")
            sub.string = chapter or "Getting started"
            appendix.append(sub)
            current = chapter
        title = solution.find(class_="admonition-title")
        pointer = soup.new_tag("p", attrs={"class": "print-solution-pointer"})
        anchor = solution.get("id", f"solution-{counts['solutions']}")
        solution["id"] = anchor
        link = soup.new_tag("a", href=f"#{anchor}")
        link.string = "the appendix"
        name = title.get_text(" ", strip=True) if title else "The solution"
        pointer.append(f"{name}: in ")
        pointer.append(link)
        pointer.append(".")
        folded = solution.parent if solution.parent is not None and solution.parent.name == "details" else None
        (folded or solution).replace_with(pointer)  # the <details> that folds it on the website goes too
        solution["class"] = [c for c in solution.get("class", []) if c != "dropdown"]
        appendix.append(solution)
        counts["solutions"] += 1
    article.append(appendix)

    # Title page.
    title_page = soup.new_tag("section", attrs={"class": "print-title-page"})
    for tag_name, text in (("h1", TITLE), ("p", SUBTITLE), ("p", date)):
        if text:
            node = soup.new_tag(tag_name)
            node.string = text
            title_page.append(node)

    # Contents: the numbered chapters, linked (a PDF viewer follows the links).
    contents = soup.new_tag("nav", attrs={"class": "print-contents", "aria-label": "Contents"})
    contents_heading = soup.new_tag("h1")
    contents_heading.string = "Contents"
    contents.append(contents_heading)
    listing = soup.new_tag("ol")
    for chapter in _chapters(article) + [appendix]:
        chapter["class"] = [*chapter.get("class", []), "print-chapter"]
        title = chapter.find(["h1", "h2"], recursive=False)
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{chapter.get('id', '')}")
        link.string = title.get_text(" ", strip=True) if title else ""
        item.append(link)
        listing.append(item)
    contents.append(listing)
    counts["chapters"] = len(listing.find_all("li")) - 1

    # The printed body: title page, contents and the article, without the website's navigation.
    main = soup.new_tag("main", attrs={"class": "print-book"})
    main.append(title_page)
    main.append(contents)
    main.append(article.extract())
    body.clear()
    body.append(main)
    html = str(soup)
    return html, counts


def _check_and_print(html_file: Path, out: Path) -> int:
    """Wait for MathJax, check the page, print it; returns the number of pages."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("make_pdf: needs Debian's chromium on PATH: apt-get install -y chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        page = browser.new_page()
        page.goto(html_file.as_uri(), wait_until="load")
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60_000)
        page.evaluate("() => MathJax.startup.promise")
        problems = page.evaluate(
            """() => {
              const out = [];
              document.querySelectorAll('mjx-merror').forEach(e => out.push('math error: ' + e.textContent));
              document.querySelectorAll('img').forEach(img => {
                if (!img.complete || img.naturalWidth === 0) out.push('image not loaded: ' + img.src);
              });
              return out;
            }"""
        )
        if problems:
            raise SystemExit("make_pdf: the page is not ready to print:\n  " + "\n  ".join(problems[:20]))
        page.emulate_media(media="print")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.pdf(
            path=str(out),
            format="A4",
            print_background=False,
            margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=(
                '<div style="font-size:8px;width:100%;text-align:center;color:#444">'
                f'{TITLE} — <span class="pageNumber"></span> / <span class="totalPages"></span></div>'
            ),
        )
        browser.close()
    return count_pages(out)


def count_pages(pdf: Path) -> int:
    """The number of pages of a PDF that chromium wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "singlehtml")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "nn-from-scratch.pdf")
    parser.add_argument("--date", default="", help="a line for the title page (e.g. the commit)")
    args = parser.parse_args(argv)

    source = args.html / "book" / "intro.html"
    if not source.is_file():
        raise SystemExit(f"make_pdf: {source} does not exist: run `make pdf` (it builds the single page first)")
    html, counts = make_printable(source.read_text(encoding="utf-8"), date=args.date)
    # Written at the top of the build, where the page's _static/ and _images/ links resolve.
    printable = args.html / "print.html"
    printable.write_text(html, encoding="utf-8")
    pages = _check_and_print(printable.resolve(), args.out)
    size = args.out.stat().st_size / 1e6
    print(
        f"make_pdf: wrote {args.out} ({pages} pages, {size:.1f} MB; "
        f"{counts['chapters']} chapters, {counts['solutions']} solutions in the appendix, "
        f"{counts['widgets']} widgets described)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
