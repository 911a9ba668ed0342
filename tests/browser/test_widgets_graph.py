"""The graph stepper's front end (nnlib/widgets/static/graph.js) in headless Chromium, without a
kernel: it draws the trace Python put in the widget's state, stepping changes the picture,
every control works from the keyboard, it follows dark mode, and nothing logs an error. The
last test opens the chapter on the built website (``make book`` first), where the saved
widget state is run by the vendored anywidget."""

from __future__ import annotations

import pytest
from _browser import axe_violations, open_page, widget_page

from nnlib.autograd import Value
from nnlib.plot.graph import graph_trace
from nnlib.widgets.esm import bundle


def neuron_cost():
    x, w, b, y = Value(1.5, label="x"), Value(0.8, label="w"), Value(-0.5, label="b"), Value(1.0, label="y")
    u = w * x
    u.label = "u"
    z = u + b
    z.label = "z"
    C = 0.5 * (z.sigmoid() - y) ** 2
    C.label = "C"
    return C


def shared_node():
    x = Value(2.0, label="x")
    u = x * 3
    u.label = "u"
    C = u * u + u
    C.label = "C"
    return C


@pytest.fixture(scope="module")
def esm() -> str:
    return bundle("graph.js")


@pytest.fixture
def open_widget(browser, esm):
    opened = []

    def open_(root, step=0, dark=False):
        trace = graph_trace(root)
        context, page, log = widget_page(browser, esm, {"trace": trace, "step": step, "title": "A graph"}, dark=dark)
        opened.append((context, log))
        return page, log, trace

    yield open_
    for context, log in opened:
        context.close()
        assert not log.problems(), log.problems()  # no console error, no uncaught exception


def node_text(page, name: str, kind: str) -> str:
    return page.locator(f'g[data-name="{name}"] .nnlib-graph-{kind}').text_content()


def status(page) -> str:
    return page.locator(".nnlib-status").text_content()


def test_it_draws_every_node_of_the_trace(open_widget):
    page, _, trace = open_widget(neuron_cost())
    assert page.locator("svg.nnlib-graph g[data-node]").count() == len(trace["nodes"])
    assert page.locator("svg.nnlib-graph path[data-edge]").count() == sum(len(n["parents"]) for n in trace["nodes"])
    assert node_text(page, "w", "value") == "value 0.8"  # a leaf is known from the start
    assert node_text(page, "u", "value") == "value ?"
    assert status(page).startswith("Step 0 of 13. Start:")


def test_next_and_back_change_the_picture(open_widget):
    page, _, trace = open_widget(neuron_cost())
    before = page.locator("svg.nnlib-graph").inner_html()
    page.get_by_role("button", name="Next ▶").click()
    assert page.locator("svg.nnlib-graph").inner_html() != before
    assert node_text(page, "u", "value") == "value 1.2"
    assert status(page) == f"Step 1 of 13. Forward pass: {trace['steps'][1]['text']}"
    assert page.locator(".nnlib-graph-current").get_attribute("data-name") == "u"
    assert page.evaluate("window.model.get('step')") == 1  # the step goes back to the model (and the kernel)
    page.get_by_role("button", name="◀ Back").click()
    assert node_text(page, "u", "value") == "value ?" and page.evaluate("window.model.get('step')") == 0


def test_the_backward_pass_shows_the_engines_gradients(open_widget):
    page, _, trace = open_widget(neuron_cost())
    page.get_by_role("button", name="End »").click()
    for node in trace["nodes"]:
        assert node_text(page, node["name"], "grad") == f"grad {node['grad_text']}"
    assert node_text(page, "C", "grad") == "grad 1"
    # the last step: u sends its gradient to w and x, shown on their boxes
    assert page.locator(".nnlib-graph-sent").count() == 2
    assert page.locator(".nnlib-graph-active").count() == 2


def test_a_gradient_collects_every_contribution_before_it_is_passed_on(open_widget):
    page, _, trace = open_widget(shared_node())
    backward = [k for k, s in enumerate(trace["steps"]) if s["phase"] == "backward"]
    page.evaluate(f"window.model.set('step', {backward[1]})")  # C has sent 1 to u: not complete
    assert node_text(page, "u", "grad") == "grad 1…"
    page.get_by_role("button", name="Next ▶").click()  # u * u sends 6 and 6
    assert node_text(page, "u", "grad") == "grad 13"
    assert page.locator(".nnlib-graph-sent").all_text_contents() == ["+6", "+6"]
    page.get_by_role("button", name="Next ▶").click()
    assert node_text(page, "x", "grad") == "grad 39"


def test_everything_works_from_the_keyboard(open_widget):
    page, _, trace = open_widget(neuron_cost())
    last = len(trace["steps"]) - 1
    picture = page.locator("svg.nnlib-graph")
    picture.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.model.get('step')") == 2
    page.keyboard.press("End")
    assert page.evaluate("window.model.get('step')") == last
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("window.model.get('step')") == last - 1
    page.keyboard.press("Home")
    assert page.evaluate("window.model.get('step')") == 0
    # the buttons, reached with Tab and pressed with Enter or Space
    page.keyboard.press("Tab")  # "« Start" is disabled at step 0, so Tab skips it and "◀ Back"
    assert page.evaluate("document.activeElement.textContent") == "Next ▶"
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert page.evaluate("window.model.get('step')") == 2
    # the slider
    page.get_by_role("slider", name="Step").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate("window.model.get('step')") == 3
    assert page.get_by_role("slider", name="Step").get_attribute("aria-valuetext") == f"3 of {last}"


def test_the_ends_disable_their_buttons(open_widget):
    page, _, trace = open_widget(shared_node())
    assert page.get_by_role("button", name="◀ Back").is_disabled()
    assert page.get_by_role("button", name="« Start").is_disabled()
    page.get_by_role("button", name="End »").click()
    assert page.get_by_role("button", name="Next ▶").is_disabled()
    assert not page.get_by_role("button", name="◀ Back").is_disabled()


def test_a_step_set_from_python_is_drawn(open_widget):
    page, _, trace = open_widget(shared_node(), step=3)
    assert node_text(page, "C", "value") == "value 42"
    page.evaluate("window.model.set('step', 0)")
    assert node_text(page, "C", "value") == "value ?" and status(page).startswith("Step 0 of 7")


def _luminance(page, selector: str, attribute: str) -> float:
    colour = page.locator(selector).first.get_attribute(attribute)
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


@pytest.mark.parametrize("dark", [False, True])
def test_it_follows_the_theme(open_widget, dark):
    page, _, _ = open_widget(neuron_cost(), step=9, dark=dark)
    text = _luminance(page, 'g[data-name="u"] text', "fill")
    box = _luminance(page, 'g[data-name="u"] rect', "fill")
    if dark:
        assert text > 180 and box < 60
    else:
        assert text < 60 and box > 240
    assert abs(text - box) > 120  # readable either way
    # the theme changing under the widget redraws it
    page.evaluate(f"document.documentElement.dataset.theme = '{'light' if dark else 'dark'}'")
    flipped = _luminance(page, 'g[data-name="u"] text', "fill")
    assert (flipped < 60) if dark else (flipped > 180)


def test_the_text_stays_readable_when_the_picture_shrinks(open_widget):
    page, _, _ = open_widget(neuron_cost())
    page.set_viewport_size({"width": 400, "height": 900})
    smallest = page.evaluate(
        """() => {
            const svg = document.querySelector('svg.nnlib-graph');
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            const sizes = Array.from(svg.querySelectorAll('text')).map(t => Number(t.getAttribute('font-size')));
            return scale * Math.min(...sizes);
        }"""
    )
    assert smallest >= 9  # CSS pixels of the smallest font at the size drawn
    assert page.locator(".nnlib-graph-picture").evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls instead


# --- on the BUILT website, with no kernel --------------------------------------------------------


def test_the_chapters_steppers_step_on_the_built_website(browser, base_url):
    """The chapter's two graphs, from the notebook's saved widget state, run by the vendored anywidget."""
    for dark in (False, True):
        context, page, log = open_page(browser, f"{base_url}/book/autograd/autograd.html", dark=dark)
        try:
            page.wait_for_selector("svg.nnlib-graph")
            assert page.locator("svg.nnlib-graph").count() == 2
            shared = page.locator(".nnlib-frame").first
            shared.scroll_into_view_if_needed()
            assert shared.locator(".nnlib-status").text_content().startswith("Step 0 of 7")
            shared.get_by_role("button", name="End »").click()
            assert shared.locator('g[data-name="x"] .nnlib-graph-grad').text_content() == "grad 39"
            shared.locator("svg.nnlib-graph").focus()
            page.keyboard.press("Home")
            assert shared.locator('g[data-name="u"] .nnlib-graph-value').text_content() == "value ?"
            text = shared.locator('g[data-name="u"] text').first.get_attribute("fill")
            assert (text == "#e6e6e6") if dark else (text == "#222222")
            assert not log.problems(), log.problems()
        finally:
            context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_violation(open_widget, dark):
    page, _, trace = open_widget(neuron_cost(), step=3, dark=dark)
    page.locator("svg").first.wait_for()
    assert axe_violations(page) == []
