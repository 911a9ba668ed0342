"""The inspectors' front ends (nnlib/widgets/static/weight_scale.js, backprop_trace.js, predictions.js)
in chromium with a fake model and no kernel, as on the website.

For each: the first picture draws without a console error; every control has a label, works from
the keyboard and changes the picture (canvas pixels) and the readouts; a change made in Python
(the model) moves the control; the page's dark mode redraws the picture dark; canvases are sharp
on a high-DPI screen and drawn at the size they are shown (so text keeps its size); a front end
given broken state shows an error message instead of a blank box. Screenshots in light and dark
mode, 1280 and 390 pixels wide, go to _build/screenshots/inspectors-*.png.
"""

from __future__ import annotations

import numpy as np
import pytest
from _browser import _HARNESS, SHOTS, TIMEOUT_MS, axe_violations, widget_page

pytest.importorskip("anywidget")

from nnlib import SGD, Network, plot  # noqa: E402
from nnlib.data import load_digits, playground  # noqa: E402
from nnlib.widgets.inspectors import BackpropInspector, PredictionInspector, WeightScaleInspector  # noqa: E402

DARK_PAGE = """() => { document.documentElement.dataset.theme = 'dark';
  document.body.style.background = '#1b1d21'; document.body.style.color = '#e6e6e6'; }"""
CANVASES = "() => Array.from(document.querySelectorAll('#widget canvas')).map((c) => c.toDataURL())"


def _front_end(widget) -> tuple[str, dict]:
    state = widget.get_state()
    return state.pop("_esm"), state


@pytest.fixture(scope="module")
def widgets() -> dict[str, tuple[str, dict]]:
    X = np.random.default_rng(2).standard_normal((200, 50))
    weight_scale = WeightScaleInspector(X, max_layers=6, layers=5, rng=3)

    X_all, Y_all = playground("circle", n=200, noise=0.1, rng=1)
    trace = plot.trace_backprop(
        Network([2, 3, 2, 1], loss="quadratic", rng=0), X_all[[4, 0, 6, 1]] / 5, Y_all[[4, 0, 6, 1]]
    )
    backprop = BackpropInspector(trace)

    digits = load_digits(n_train=2000)
    net = Network([784, 30, 10], loss="categorical_cross_entropy", init="scaled_gaussian", rng=0)
    net.fit(digits.X_train, digits.Y_train, epochs=1, batch_size=20, optimizer=SGD(lr=0.5), progress=False, rng=1)
    wrong = np.flatnonzero(net.classify(digits.X_test) != digits.y_test)
    predictions = PredictionInspector(net, digits.X_test, digits.y_test, np.r_[wrong[:12], 0, 1, 2])
    return {"weight_scale": _front_end(weight_scale), "backprop": _front_end(backprop),
            "predictions": _front_end(predictions)}  # fmt: skip


def _open(browser, widgets, name, **options):
    esm, state = widgets[name]
    return widget_page(browser, esm, state, **options)


def _problems(page, log) -> list[str]:
    errors = page.locator("#widget .nnlib-error").all_inner_texts()
    return log.problems() + [f"error box: {e}" for e in errors]


def _value(page, key):
    return page.evaluate("(key) => model.get(key)", key)


# --- every widget -------------------------------------------------------------------------

NAMES = ["weight_scale", "backprop", "predictions"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_first_picture_fits_and_reads_in_both_modes(browser, widgets, name, width, dark):
    context, page, log = _open(browser, widgets, name, dark=dark, width=width)
    try:
        if dark:
            page.evaluate(DARK_PAGE)
        page.wait_for_timeout(150)  # a theme change redraws; a resize redraws in the next frame
        assert _problems(page, log) == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.locator("#widget").screenshot(path=SHOTS / f"inspectors-{name}-{'dark' if dark else 'light'}-{width}.png")
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('#widget canvas')).map((c) =>
            [c.getBoundingClientRect().width, c.width / devicePixelRatio, c.getAttribute('aria-label') || ''])""")
        assert sizes, "no canvas drawn"
        for shown, drawn, label in sizes:
            assert shown == pytest.approx(drawn, abs=1), "a canvas is scaled: its text is not the size it was drawn at"
            assert len(label) > 20, "every picture has a text alternative"
        overflow = page.evaluate("""() => { const root = document.querySelector('#widget .nnlib-frame');
            return root.scrollWidth - root.clientWidth; }""")
        assert overflow <= 1, f"the widget is {overflow} px wider than the page at {width} px"
        # the background of the first canvas follows the mode
        r, g, b, _ = page.evaluate("""() => Array.from(document.querySelector('#widget canvas')
            .getContext('2d').getImageData(4, 4, 1, 1).data)""")
        luminance = 0.299 * r + 0.587 * g + 0.114 * b
        assert (luminance < 60) if dark else (luminance > 200), (dark, (r, g, b))
    finally:
        context.close()


@pytest.mark.parametrize("name", NAMES)
def test_every_control_has_a_label_and_an_accessible_name(browser, widgets, name):
    context, page, log = _open(browser, widgets, name)
    try:
        missing = page.evaluate("""() => Array.from(document.querySelectorAll(
              '#widget input, #widget select, #widget button')).filter((c) => {
            const label = c.id && document.querySelector(`label[for="${c.id}"]`);
            const name = (label && label.textContent) || c.getAttribute('aria-label') || c.textContent;
            return !(name && name.trim());
          }).map((c) => c.outerHTML.slice(0, 80))""")
        assert missing == []
        assert page.locator("#widget input, #widget select, #widget button").count() >= 2
        assert _problems(page, log) == []
    finally:
        context.close()


@pytest.mark.parametrize("name", NAMES)
def test_canvases_are_sharp_on_a_high_dpi_screen(browser, widgets, name):
    esm, state = widgets[name]
    context = browser.new_context(viewport={"width": 800, "height": 900}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.set_content(_HARNESS)
        page.evaluate("([esm, state]) => window.start(esm, state)", [esm, state])
        ratios = page.evaluate("""() => Array.from(document.querySelectorAll('#widget canvas')).map((c) =>
            c.width / c.getBoundingClientRect().width)""")
        assert ratios and all(r == pytest.approx(2, abs=0.02) for r in ratios), ratios
    finally:
        context.close()


@pytest.mark.parametrize(
    "name, broken",
    [("weight_scale", {"counts": {}}), ("backprop", {"views": []}), ("predictions", {"images": "AAAA"})],
)
def test_broken_state_shows_a_message_not_a_blank_box(browser, widgets, name, broken):
    esm, state = widgets[name]
    context, page, log = widget_page(browser, esm, state | broken)
    try:
        box = page.locator("#widget [role=alert]")
        assert box.count() == 1
        assert "could not be drawn" in box.inner_text()
        assert log.console_errors, "the error is also logged for whoever debugs it"
    finally:
        context.close()


# --- the weight-scale explorer (forward) ----------------------------------------------------


def test_weight_scale_controls_change_the_picture(browser, widgets):
    context, page, log = _open(browser, widgets, "weight_scale")
    try:
        stds = _value(page, "stds")
        readout = page.locator("#widget .nnlib-status")
        assert stds[_value(page, "std_index")] == 0.1 and "σ_w = 0.1, 5 sigmoid layers" in readout.inner_text()
        assert "no activation is saturated" in readout.inner_text()

        steps = [
            ("weight std σ_w", lambda s: s.press("ArrowRight"), "std_index", 21),
            ("layers", lambda s: s.press("ArrowRight"), "layers", 6),
            ("weight std σ_w", lambda s: s.press("End"), "std_index", len(stds) - 1),
        ]
        for label, act, key, expected in steps:
            before, text = page.evaluate(CANVASES), readout.inner_text()
            control = page.get_by_label(label, exact=True)
            control.focus()
            act(control)
            assert _value(page, key) == expected, label
            assert page.evaluate(CANVASES) != before, f"{label}: the picture did not change"
            assert readout.inner_text() != text, f"{label}: the readout did not change"
        assert "the most saturated layer" in readout.inner_text()  # sigma_w = 3.16 saturates

        before = page.evaluate(CANVASES)
        page.get_by_label("activation", exact=True).select_option("tanh")
        assert _value(page, "activation") == "tanh" and page.evaluate(CANVASES) != before
        assert "6 tanh layers" in readout.inner_text()

        page.get_by_role("button", name="σ_w = 1/√50").click()  # the scaled Gaussian, 1/sqrt(n_in)
        assert stds[_value(page, "std_index")] == pytest.approx(10**-0.85)
        page.get_by_role("button", name="σ_w = 1", exact=True).click()
        assert stds[_value(page, "std_index")] == 1.0
        table = page.locator("#widget table").inner_text()
        assert "saturated" in table and "spread between examples" in table
        assert _problems(page, log) == []
    finally:
        context.close()


def test_weight_scale_follows_python(browser, widgets):
    context, page, log = _open(browser, widgets, "weight_scale")
    try:
        before = page.evaluate(CANVASES)
        page.evaluate("() => { model.set('std_index', 40); model.set('layers', 2); }")  # as a kernel would
        assert page.get_by_label("weight std σ_w", exact=True).input_value() == "40"
        assert page.get_by_label("layers", exact=True).input_value() == "2"
        assert page.evaluate(CANVASES) != before
        assert "σ_w = 1, 2 sigmoid layers" in page.locator("#widget .nnlib-status").inner_text()
        assert _problems(page, log) == []
    finally:
        context.close()


def test_switching_to_dark_mode_redraws(browser, widgets):
    context, page, log = _open(browser, widgets, "weight_scale")
    try:
        before = page.evaluate(CANVASES)
        page.evaluate(DARK_PAGE)
        page.wait_for_function(f"(before) => ({CANVASES})()[0] !== before[0]", arg=before)
        assert _problems(page, log) == []
    finally:
        context.close()


# --- the backpropagation debugger -----------------------------------------------------------


def test_backprop_controls_change_the_picture_and_the_numbers(browser, widgets):
    context, page, log = _open(browser, widgets, "backprop")
    try:
        title = page.locator("#widget .nnlib-chart-title").first
        numbers = page.locator("#widget [role=region]")
        assert title.inner_text().startswith("Whole batch of 4")
        assert numbers.inner_text().startswith("Layer 3, Dense(2 -> 1, sigmoid), whole batch of 4")
        assert "mean = ∂C/∂b³" in numbers.inner_text()

        before, text = page.evaluate(CANVASES), numbers.inner_text()
        page.get_by_label("show", exact=True).select_option(label="example 1 (y = 1)")
        assert _value(page, "example") == 1
        assert page.evaluate(CANVASES) != before and numbers.inner_text() != text
        assert title.inner_text().startswith("Example 1 (y = 1)")
        assert "outer product" in numbers.inner_text()

        before, text = page.evaluate(CANVASES), numbers.inner_text()
        menu = page.get_by_label("layer", exact=True)
        menu.focus()
        menu.press("ArrowUp")  # from the keyboard: layer 3 -> layer 2
        assert _value(page, "layer") == 2
        assert page.evaluate(CANVASES) != before and numbers.inner_text().startswith("Layer 2, Dense(3 -> 2")

        box = page.locator("#widget canvas").bounding_box()  # a click between inputs and layer 1
        page.mouse.click(box["x"] + 0.2 * box["width"], box["y"] + box["height"] / 2)
        assert _value(page, "layer") == 1 and menu.input_value() == "1"
        assert "x₁" in numbers.inner_text()
        assert _problems(page, log) == []
    finally:
        context.close()


def test_backprop_tables_show_the_traced_numbers(browser, widgets):
    esm, state = widgets["backprop"]
    context, page, log = widget_page(browser, esm, state | {"example": 2, "layer": 2})
    try:
        cells = page.locator("#widget [role=region] td").all_inner_texts()
        trace = state["trace"][1]
        for value in list(trace["A_in"][2]) + list(trace["delta"][2]):
            shown = [c for c in cells if c.lstrip("+")]
            assert any(float(c) == pytest.approx(value, rel=5e-3, abs=1e-12) for c in shown), value
        assert _problems(page, log) == []
    finally:
        context.close()


# --- the prediction explorer (capstone) -----------------------------------------------------


def test_predictions_controls_change_the_picture(browser, widgets):
    context, page, log = _open(browser, widgets, "predictions")
    try:
        esm, state = widgets["predictions"]
        readout = page.locator("#widget .nnlib-status")
        title = page.locator("#widget .nnlib-chart-title")
        assert title.inner_text().endswith(": wrong")  # the first image is a mistake
        assert readout.inner_text().startswith(f"Image 1 of 15 (test image {state['test_indices'][0]})")
        previous, following = (
            page.get_by_role("button", name="previous image"),
            page.get_by_role("button", name="next image"),
        )
        assert previous.is_disabled() and following.is_enabled()

        for act, expected in [
            (lambda: page.get_by_label("image", exact=True).press("ArrowRight"), 1),
            (lambda: following.click(), 2),
            (lambda: previous.click(), 1),
            (lambda: page.get_by_label("image", exact=True).press("End"), 14),
        ]:
            before, text = page.evaluate(CANVASES), readout.inner_text()
            act()
            assert _value(page, "position") == expected
            after = page.evaluate(CANVASES)
            assert after[0] != before[0] and after[1] != before[1], "the digit and the bars are redrawn"
            assert readout.inner_text() != text
        assert following.is_disabled()
        assert title.inner_text().endswith(": right") or title.inner_text().endswith(": wrong")
        assert page.locator("#widget .nnlib-chart-subtitle").inner_text() == f"test image {state['test_indices'][14]}"
        assert _problems(page, log) == []
    finally:
        context.close()


CONTRAST = """async (esm) => {
  const module = await import(URL.createObjectURL(new Blob([esm], { type: "text/javascript" })));
  const pal = module.palette(document.querySelector("#widget")), signs = module.signColors(pal);
  const luminance = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, k) => sum + [0.2126, 0.7152, 0.0722][k] * c, 0);
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  return { dark: pal.dark, text: ratio(pal.text, pal.background), muted: ratio(pal.muted, pal.background),
           positive: ratio(signs.positive, pal.background), negative: ratio(signs.negative, pal.background) };
}"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_colours_have_enough_contrast(browser, widgets, dark):
    """Text at least 4.5:1 against the canvas background (WCAG AA), the sign colours of lines and bars 3:1."""
    esm, state = widgets["backprop"]
    context, page, log = widget_page(browser, esm, state, dark=dark)
    try:
        if dark:
            page.evaluate(DARK_PAGE)
        ratios = page.evaluate(CONTRAST, esm)
        assert ratios.pop("dark") is dark
        assert ratios["text"] >= 4.5 and ratios["muted"] >= 4.5, ratios
        assert ratios["positive"] >= 3 and ratios["negative"] >= 3, ratios
        assert _problems(page, log) == []
    finally:
        context.close()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_violation(browser, widgets, name, dark):
    context, page, log = _open(browser, widgets, name, dark=dark)
    try:
        page.locator("#widget canvas, #widget svg").first.wait_for()
        assert axe_violations(page) == []
        assert not _problems(page, log)
    finally:
        context.close()
