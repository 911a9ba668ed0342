"""The chapter explorers on the BUILT website: live, with no kernel.

The website has no Python kernel: each explorer is drawn by its front end (an ES module kept
in the notebook's saved widget state, run by the vendored anywidget). On each explorer's
page this test checks, in headless Chromium:

* the explorer renders and its first picture is the one the chapter's text describes;
* moving each control from the keyboard changes the picture (canvas pixels) and the readout;
* every control has a label (its accessible name) and is reachable with Tab;
* the loss-surface explorer's gradient descent ends where nnlib's ends (the readout's digits);
* dark mode draws dark, light mode light, and the text has enough contrast in both;
* canvases are drawn at the screen's pixel density;
* no console error, no request to another host, and pages without widgets load no widget code.

Screenshots of each explorer, light and dark, go to ``_build/screenshots/explorers/``.
The front ends' maths is checked against nnlib in ``tests/test_widgets_explorers.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from _browser import CONTRAST_JS, SHOTS, TIMEOUT_MS, open_page, widget_page

import nnlib
from nnlib.widgets.esm import bundle
from nnlib.widgets.explorers import descent_path


@dataclass(frozen=True)
class Explorer:
    docname: str
    label: str  # the start of the widget's accessible name
    controls: tuple[str, ...]  # data-name of each control
    first: tuple[str, ...]  # what the readout says at first, as the chapter's text does


def _g(v: float) -> str:
    return format(v, ".3g").replace("-", "\u2212")


def _loss_readout(w0: float, b0: float, eta: float) -> str:
    """The end of each descent, as the loss explorer's readout writes it, computed by nnlib."""
    parts = []
    for loss, title in (("quadratic", "quadratic cost"), ("cross_entropy", "cross-entropy")):
        w, b = descent_path(loss, [1.0], [0.0], w0, b0, eta, 300)[-1]
        a = float(nnlib.activations.sigmoid(w + b))
        parts.append(f"{title}: w = {_g(w)}, b = {_g(b)}, output a = {_g(a)}")
    return "; ".join(parts)


EXPLORERS = {
    "neuron": Explorer(
        "book/neuron/neuron",
        "Neuron explorer",
        ("w1", "w2", "b"),
        ("w = (1, 2), b = \u22121: z = 1 x\u2081 + 2 x\u2082 \u2212 1.", "distance |b| / \u2016w\u2016 = 0.447"),
    ),
    "activation": Explorer(
        "book/activations/activations",
        "Activation explorer",
        ("activation", "z0"),
        ("sigmoid at z\u2080 = 1: \u03c3(z\u2080) = 0.731, slope \u03c3\u2032(z\u2080) = 0.197",),
    ),
    "loss": Explorer(
        "book/losses/losses",
        "Loss surface explorer",
        ("w0", "b0", "eta"),
        (
            "From w = 2, b = 2 (output a = 0.982, target 0) with \u03b7 = 0.15, after 300 steps.",
            _loss_readout(2.0, 2.0, 0.15),
        ),
    ),
}

_CANVAS = "c => c.toDataURL()"
_LUMINANCE = CONTRAST_JS


def open_explorer(browser, base_url: str, explorer: Explorer, dark: bool = False):
    """The explorer's page, with the explorer rendered and scrolled into view."""
    context, page, log = open_page(browser, f"{base_url}/{explorer.docname}.html", dark=dark)
    root = page.locator(f'.nnlib-frame[role="group"][aria-label^="{explorer.label}"]')
    root.locator("canvas").wait_for(state="visible", timeout=TIMEOUT_MS)
    root.scroll_into_view_if_needed()
    page.wait_for_function("el => el.querySelector('.nnlib-readout').textContent.length > 0", arg=root.element_handle())
    return context, page, log, root


def shot(root, name: str) -> None:
    path = SHOTS / "explorers" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=path)


@pytest.mark.parametrize("name", EXPLORERS)
def test_first_picture_is_the_chapters_and_every_control_changes_it(browser, base_url, name):
    explorer = EXPLORERS[name]
    context, page, log, root = open_explorer(browser, base_url, explorer)
    try:
        readout = root.locator(".nnlib-readout")
        first = readout.inner_text()
        for text in explorer.first:
            assert text in first, f"{name}: the first readout does not say {text!r}:\n{first}"
        shot(root, name)
        problems = []
        for key in explorer.controls:
            control = root.locator(f'[data-name="{key}"]')
            before_pixels, before_text = root.locator("canvas").evaluate(_CANVAS), readout.inner_text()
            control.focus()
            control.press("ArrowDown" if key == "activation" else "ArrowRight")
            after_pixels, after_text = root.locator("canvas").evaluate(_CANVAS), readout.inner_text()
            if after_pixels == before_pixels:
                problems.append(f"{key}: the arrow key did not change the picture")
            if after_text == before_text:
                problems.append(f"{key}: the arrow key did not change the readout ({after_text!r})")
        problems += log.problems()
    finally:
        context.close()
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_the_neuron_readout_follows_the_sliders(browser, base_url):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS["neuron"])
    try:
        root.locator('[data-name="w1"]').fill("-0.5")  # fill sets a range input's value and fires input
        root.locator('[data-name="b"]').fill("2")
        text = root.locator(".nnlib-readout").inner_text()
        shown = [o.inner_text() for o in root.locator("output").all()]
        problems = log.problems()
    finally:
        context.close()
    assert text.startswith("w = (\u22120.5, 2), b = 2: z = \u22120.5 x\u2081 + 2 x\u2082 + 2."), text
    assert "distance |b| / \u2016w\u2016 = 0.97 from the origin" in text, text  # 2 / sqrt(4.25)
    assert shown == ["\u22120.5", "2", "2"]
    assert not problems, problems


def test_the_loss_explorers_descent_ends_where_nnlibs_does(browser, base_url):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS["loss"])
    try:
        root.locator('[data-name="w0"]').fill("3")
        root.locator('[data-name="b0"]').fill("0.5")
        eta = root.locator('[data-name="eta"]')
        eta.focus()
        for _ in range(4):  # 0.15 -> 0.2 -> 0.3 -> 0.5 -> 0.7
            eta.press("ArrowRight")
        text = root.locator(".nnlib-readout").inner_text()
        problems = log.problems()
    finally:
        context.close()
    assert "with \u03b7 = 0.7, after 300 steps." in text, text
    assert _loss_readout(3.0, 0.5, 0.7) in text, text
    assert not problems, problems


def test_the_activation_explorer_switches_function_and_point(browser, base_url):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS["activation"])
    try:
        root.locator('[data-name="activation"]').select_option("relu")
        root.locator('[data-name="z0"]').fill("-2")
        text = root.locator(".nnlib-readout").inner_text()
        problems = log.problems()
    finally:
        context.close()
    assert text.startswith("relu at z\u2080 = \u22122: \u03c3(z\u2080) = 0, slope \u03c3\u2032(z\u2080) = 0;"), text
    assert "no gradient passes" in text
    assert not problems, problems


@pytest.mark.parametrize("name", EXPLORERS)
def test_controls_are_labelled_and_reachable_from_the_keyboard(browser, base_url, name):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS[name])
    try:
        controls = root.evaluate("""root => Array.from(root.querySelectorAll('input, select, button'), e => ({
            name: e.dataset.name, label: e.labels && e.labels.length ? e.labels[0].textContent.trim() : '',
            tabbable: e.tabIndex >= 0 && !e.disabled }))""")
        canvas_name = root.locator("canvas").get_attribute("aria-label") or ""
        role = root.locator("canvas").get_attribute("role")
    finally:
        context.close()
    assert [c["name"] for c in controls] == list(EXPLORERS[name].controls)
    assert all(c["label"] and c["tabbable"] for c in controls), controls
    assert role == "img" and len(canvas_name) > 80, canvas_name


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", EXPLORERS)
def test_readable_in_light_and_dark_mode(browser, base_url, name, dark):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS[name], dark=dark)
    try:
        shot(root, f"{name}-{'dark' if dark else 'light'}")
        report = root.evaluate(
            "root => {"
            + _LUMINANCE
            + """
            const canvas = root.querySelector('canvas');
            const corner = Array.from(canvas.getContext('2d').getImageData(1, 1, 1, 1).data).slice(0, 3);
            const texts = Array.from(root.querySelectorAll('label, output, .nnlib-readout, select'));
            return { corner: luminance(corner),
                     contrasts: texts.map(e => [e.textContent.trim().slice(0, 30), contrast(e)]) };
            }"""
        )
        problems = log.problems()
    finally:
        context.close()
    if dark:
        assert report["corner"] < 0.05, f"the {name} explorer's canvas is not dark in dark mode"
    else:
        assert report["corner"] > 0.9, f"the {name} explorer's canvas is not light in light mode"
    low = [(t, round(c, 2)) for t, c in report["contrasts"] if c < 4.5]
    assert not low, f"text with a contrast below 4.5:1 in {'dark' if dark else 'light'} mode: {low}"
    assert not problems, problems


def test_switching_to_dark_mode_redraws_the_explorer(browser, base_url):
    context, page, log, root = open_explorer(browser, base_url, EXPLORERS["neuron"])
    try:
        canvas = root.locator("canvas")
        before = canvas.evaluate(_CANVAS)
        page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")  # what the theme button does
        page.wait_for_function("([c, before]) => c.toDataURL() !== before", arg=[canvas.element_handle(), before])
        corner = canvas.evaluate("c => Array.from(c.getContext('2d').getImageData(1, 1, 1, 1).data).slice(0, 3)")
        problems = log.problems()
    finally:
        context.close()
    assert max(corner) < 60, f"after the switch the canvas is not dark: corner pixel {corner}"
    assert not problems, problems


def test_canvases_are_sharp_on_high_density_screens(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{EXPLORERS['neuron'].docname}.html", wait_until="load")
        canvas = page.locator('.nnlib-frame[role="group"] canvas')
        canvas.wait_for(state="visible", timeout=TIMEOUT_MS)
        width, css_width = canvas.evaluate("c => [c.width, c.getBoundingClientRect().width]")
    finally:
        context.close()
    assert width == pytest.approx(2 * css_width, abs=2), (width, css_width)


def test_only_pages_with_widgets_load_the_widget_code(browser, base_url):
    loaded = {}
    for docname in ("book/notation", EXPLORERS["neuron"].docname):
        context, page, log = open_page(browser, f"{base_url}/{docname}.html")
        try:
            if docname != "book/notation":
                page.locator('.nnlib-frame[role="group"] canvas').wait_for(state="visible", timeout=TIMEOUT_MS)
            loaded[docname] = page.evaluate(
                "() => performance.getEntriesByType('resource').map(e => e.name)"
                ".filter(n => /require\\.js|embed-amd\\.js|anywidget/.test(n))"
            )
        finally:
            context.close()
    assert loaded["book/notation"] == [], loaded
    # a page whose widgets are all anywidgets runs them with the light runtime, without the
    # widget manager (book/_ext/offline_assets.py)
    explorer_page = loaded[EXPLORERS["neuron"].docname]
    assert any("/_static/anywidget-lite.js" in n for n in explorer_page), explorer_page
    assert not any(re.search(r"require\.js|embed-amd\.js|vendor/anywidget", n) for n in explorer_page), explorer_page


# --- a front end alone, with a fake model: an error shows a message, never a blank box -------


def test_a_front_end_error_shows_a_message_in_the_widget(browser):
    state = {"activation": "sigmoid", "z0": 1.0, "z_range": [-6, 6, 0.25], "choices": ["sigmoid", "tanh", "relu"]}
    context, page, log = widget_page(browser, bundle("activation.js"), state)
    try:
        assert page.locator("canvas").is_visible() and page.locator(".nnlib-error").count() == 0
        page.evaluate("() => window.model.set('activation', 'softsign')")  # a state the front end cannot draw
        error = page.locator(".nnlib-error")
        text = error.inner_text()
        role = error.get_attribute("role")
    finally:
        context.close()
    assert 'The activation explorer could not be drawn: unknown activation "softsign"' in text, text
    assert role == "alert"
    context, page, log = widget_page(browser, bundle("neuron.js"), {"w1": 1.0})  # no slider_range at all
    try:
        text = page.locator(".nnlib-error").inner_text()
    finally:
        context.close()
    assert text.startswith("The neuron explorer could not be drawn:"), text


def test_the_front_end_and_the_python_side_stay_in_step(browser):
    """With a kernel, a moved slider sets the trait (model.set + save_changes) and a trait set in
    Python moves the slider and redraws (change events): here with the fake model of _browser."""
    state = {"w1": 1.0, "w2": 2.0, "b": -1.0, "limit": 3.0, "slider_range": [-3.0, 3.0, 0.25]}
    context, page, log = widget_page(browser, bundle("neuron.js"), state)
    try:
        page.locator('[data-name="w1"]').press("ArrowRight")
        w1 = page.evaluate("() => window.model.get('w1')")
        before = page.locator("canvas").evaluate(_CANVAS)
        page.evaluate("() => window.model.set('b', 0.5)")  # as `explorer.b = 0.5` in Python
        slider = page.locator('[data-name="b"]').input_value()
        text = page.locator(".nnlib-readout").inner_text()
        after = page.locator("canvas").evaluate(_CANVAS)
        problems = log.problems()
    finally:
        context.close()
    assert w1 == 1.25
    assert slider == "0.5" and text.startswith("w = (1.25, 2), b = 0.5:") and after != before, text
    assert not problems, problems
