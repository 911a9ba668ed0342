"""tools/make_pdf.py: the single-page build becomes a printable book (``make pdf``).

The printing itself (chromium) runs in ``make pdf``, which ``make test`` calls; these
tests check the page transformation on a small page shaped like Sphinx's output.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_pdf", ROOT / "tools" / "make_pdf.py")
assert _spec is not None and _spec.loader is not None
make_pdf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_pdf)

PAGE = """<html><head><title>t</title></head><body>
<nav class="bd-sidebar-primary">navigation</nav>
<article class="bd-article">
<section id="intro"><h1>Neural networks from scratch<a class="headerlink" href="#intro">#</a></h1>
  <section id="howto"><h2>How the exercises work</h2>
    <div class="exercise admonition" id="ex-howto"><p class="admonition-title">Exercise 1</p></div>
    <div class="solution dropdown admonition" id="sol-howto">
      <p class="admonition-title">Solution to Exercise 1</p><p>howto answer</p></div>
  </section>
  <section id="the-neuron"><h1><span class="section-number">1. </span>The neuron</h1>
    <section id="sub"><h2><span class="section-number">1.1. </span>One neuron</h2>
      <p>See <a class="reference internal" href="book/intro.html#ex-neuron">Exercise 1.1</a>.</p>
      <img src="_images/a.png" alt="a figure" loading="lazy">
      <div class="exercise admonition" id="ex-neuron"><p class="admonition-title">Exercise 1.1</p></div>
      <details><summary>Solution (click to show)</summary>
      <div class="solution admonition" id="sol-neuron">
        <p class="admonition-title">Solution to Exercise 1.1</p><p>neuron answer</p></div>
      </details>
      <div class="nnlib-widget" data-alt="A slider moves the line.">
        <script type="application/vnd.jupyter.widget-view+json">{"model_id": "a"}</script></div>
      <script type="application/vnd.jupyter.widget-view+json">{"model_id": "b"}</script>
    </section>
  </section>
  <section id="losses"><h1><span class="section-number">2. </span>Losses</h1>
    <div class="solution dropdown admonition" id="sol-loss">
      <p class="admonition-title">Solution to Exercise 2.1</p><p>loss answer</p></div>
  </section>
</section>
</article></body></html>"""


def _printable():
    html, counts = make_pdf.make_printable(PAGE, date="2026-12-01")
    return BeautifulSoup(html, "html.parser"), counts


def test_solutions_move_to_an_appendix_grouped_by_chapter():
    soup, counts = _printable()
    appendix = soup.find(id="appendix-solutions")
    assert counts["solutions"] == 3
    assert [h.get_text() for h in appendix.find_all("h2")] == ["Getting started", "1. The neuron", "2. Losses"]
    moved = [s.get("id") for s in appendix.find_all("div", class_="solution")]
    assert moved == ["sol-howto", "sol-neuron", "sol-loss"]
    # Open on paper (no dropdown), and nothing of them is left in the chapters.
    assert all("dropdown" not in s["class"] for s in appendix.find_all("div", class_="solution"))
    chapters = soup.find(id="the-neuron")
    assert "neuron answer" not in chapters.get_text()
    assert chapters.find("details") is None  # the fold around a solution goes with it
    pointer = chapters.find("p", class_="print-solution-pointer")
    assert pointer.get_text() == "Solution to Exercise 1.1: in the appendix."
    assert pointer.a["href"] == "#sol-neuron"


def test_widgets_become_their_description():
    soup, counts = _printable()
    boxes = soup.find_all("div", class_="print-widget")
    assert counts["widgets"] == 2
    assert [b.get_text() for b in boxes] == [
        f"{make_pdf.WEBSITE_NOTE}: A slider moves the line.",
        f"{make_pdf.WEBSITE_NOTE}: open this chapter on the website to use this figure.",
    ]
    assert soup.find("script", type="application/vnd.jupyter.widget-view+json") is None


def test_title_page_contents_and_links_inside_the_one_file():
    soup, counts = _printable()
    title = soup.find(class_="print-title-page")
    assert [t.get_text() for t in title.children if t.name] == [make_pdf.TITLE, make_pdf.SUBTITLE, "2026-12-01"]
    contents = [(a.get_text(), a["href"]) for a in soup.find(class_="print-contents").find_all("a")]
    assert contents == [
        ("1. The neuron", "#the-neuron"),
        ("2. Losses", "#losses"),
        ("Appendix: solutions to the exercises", "#appendix-solutions"),
    ]
    assert counts["chapters"] == 2
    assert soup.find("a", string="Exercise 1.1")["href"] == "#ex-neuron"
    assert soup.find(class_="headerlink") is None
    assert soup.find("img")["src"] == "_images/a.png" and not soup.find("img").has_attr("loading")
    assert soup.find(class_="bd-sidebar-primary") is None  # the website's navigation is gone
    assert all("print-chapter" in soup.find(id=i)["class"] for i in ("the-neuron", "losses"))


def test_count_pages(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Pages /Count 2>>\n2 0 obj <</Type /Page>>\n3 0 obj <</Type/Page>>\n")
    assert make_pdf.count_pages(pdf) == 2
