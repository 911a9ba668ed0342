"""The playground's front end (nnlib/widgets/static/playground.js) in chromium, with no kernel.

Each test renders the widget alone in a page (``_browser.widget_page``: a fake model that
holds the state a Python ``Playground`` saved, and nobody answers its messages), so the page
finds no kernel and trains with engine.js. Nothing here needs the built website.
"""

from __future__ import annotations

import time

import pytest
from _browser import _HARNESS, axe_violations, widget_page

from nnlib.widgets.esm import bundle
from nnlib.widgets.playground import Playground

EXAMPLE_URL = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle"
    "&regDataset=reg-plane&learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2"
    "&seed=0.72031&showTestData=false&discretize=false&percTrainData=50&x=true&y=true"
    "&xTimesY=false&xSquared=false&ySquared=false&cosX=false&sinX=false&cosY=false&sinY=false"
    "&collectStats=false&problem=classification&initZero=false&hideText=false"
)
ROOT = ".nnlib-pg-widget"
EPOCH = f"() => Number(document.querySelector('{ROOT}').dataset.epoch)"
SETTINGS = f"() => document.querySelector('{ROOT} .nnlib-text input').value"
STATUS = f"() => document.querySelector('{ROOT} .nnlib-status').textContent"
# a summary of a canvas's pixels: changes when the picture changes
PIXELS = """sel => { const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = 0; for (let i = 0; i < d.length; i += 7) s = (s * 31 + d[i]) % 1000000007; return s; }"""
MEAN_LUMINANCE = """sel => { const c = document.querySelector(sel);
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = 0, n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3]) { s += 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]; n++; }
  return s / n; }"""
MAP = f"{ROOT} canvas[aria-label^='the decision map']"


@pytest.fixture(scope="module")
def esm() -> str:
    return bundle("playground.js")


@pytest.fixture(scope="module")
def xor_state() -> dict:
    return Playground("dataset=xor;hidden=4,2;noise=10;show_test_data=1", epochs=30).get_state()


def open_widget(browser, esm, state, **kwargs):
    """The widget with no kernel, once it has given up waiting for one."""
    context, page, log = widget_page(browser, esm, state, **kwargs)
    page.wait_for_selector(f"{ROOT}[data-engine=browser]")
    return context, page, log


def settings_value(page, key: str) -> str:
    return dict(p.split("=", 1) for p in page.evaluate(SETTINGS).split(";"))[key]


def control(page, label: str):
    return page.locator(ROOT).get_by_label(label, exact=True)


def test_opens_showing_the_saved_run_and_says_who_trains(browser, esm, xor_state):
    context, page, log = open_widget(browser, esm, xor_state)
    try:
        assert page.evaluate(EPOCH) == 30 and "epoch 30" in page.locator(".nnlib-pg-epoch").inner_text()
        assert page.evaluate(STATUS).startswith("training in your browser")
        assert page.evaluate(SETTINGS).startswith("dataset=xor;noise=10;")
        assert page.locator(ROOT).get_by_text("test loss").inner_text().startswith("test loss 0.")
        assert [{"type": "ping"}] == page.evaluate("window.model.sent")
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_play_trains_in_the_page_and_the_map_changes_within_2_s(browser, esm, xor_state):
    context, page, log = widget_page(browser, esm, xor_state)  # Play before the kernel search has given up
    try:
        before = page.evaluate(PIXELS, MAP)
        start = time.perf_counter()
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"() => ({EPOCH})() > 35", timeout=2_000)
        page.wait_for_function(f"before => ({PIXELS})({MAP!r}) !== before", arg=before, timeout=2_000)
        assert time.perf_counter() - start < 2.5
        page.get_by_role("button", name="Pause").click()
        paused = page.evaluate(EPOCH)
        page.wait_for_timeout(300)
        assert page.evaluate(EPOCH) == paused and page.get_by_role("button", name="Play").is_visible()
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_every_control_changes_what_it_should(browser, esm, xor_state):
    context, page, log = open_widget(browser, esm, xor_state)
    try:
        changes = [  # (do, setting, expected value in the settings string)
            (
                lambda: control(page, "learning rate").fill("0.1") or control(page, "learning rate").press("Enter"),
                "learning_rate",
                "0.1",
            ),
            (lambda: control(page, "activation").select_option("relu"), "activation", "relu"),
            (lambda: control(page, "regularisation").select_option("L2"), "regularization", "L2"),
            (
                lambda: (
                    control(page, "regularisation rate").fill("0.003")
                    or control(page, "regularisation rate").press("Tab")
                ),
                "regularization_rate",
                "0.003",
            ),
            (lambda: control(page, "noise").press("ArrowRight"), "noise", "15"),
            (lambda: control(page, "training data").press("ArrowLeft"), "train_percent", "40"),
            (lambda: control(page, "batch size").press("ArrowRight"), "batch_size", "11"),
            (lambda: control(page, "data set").select_option("spiral"), "dataset", "spiral"),
            (lambda: page.get_by_role("button", name="Regenerate").click(), "seed", "1"),
            (lambda: control(page, "seed").fill("7") or control(page, "seed").press("Enter"), "seed", "7"),
            (lambda: control(page, "show test data").uncheck(), "show_test_data", "0"),
            (lambda: control(page, "discretise output").check(), "discretize", "1"),
            (lambda: control(page, "x₁²").check(), "features", "x1,x2,x1^2"),
            (lambda: control(page, "x₂").uncheck(), "features", "x1,x1^2"),
            (lambda: page.get_by_role("button", name="add a hidden layer").click(), "hidden", "4,2,2"),
            (lambda: page.get_by_role("button", name="add a neuron to layer 3").click(), "hidden", "4,2,3"),
            (lambda: page.get_by_role("button", name="remove a neuron from layer 1").click(), "hidden", "3,2,3"),
            (lambda: page.get_by_role("button", name="remove the last hidden layer").click(), "hidden", "3,2"),
            (lambda: control(page, "problem").select_option("regression"), "dataset", "reg-plane"),
        ]
        for do, key, expected in changes:
            do()
            page.wait_for_function(f"v => ({SETTINGS})().includes(v)", arg=f"{key}={expected}", timeout=3_000)
        net = page.locator(f"{ROOT} canvas[aria-label^='the network']").get_attribute("aria-label")
        assert "inputs x1, x1^2" in net and "hidden layers of 3, 2 relu neurons" in net
        link = page.get_by_role("link", name="open in TensorFlow Playground").get_attribute("href")
        assert "regDataset=reg-plane" in link and "networkShape=3,2" in link and "problem=regression" in link

        page.get_by_role("button", name="Step").click()
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(f"() => ({EPOCH})() === 2")  # drawn on the next frame
        page.get_by_role("button", name="Reset").click()
        page.wait_for_function(f"() => ({EPOCH})() === 0")
        box = control(page, "settings")
        box.fill(EXAMPLE_URL)
        page.get_by_role("button", name="Load").click()
        page.wait_for_function(f"() => ({SETTINGS})().startsWith('dataset=circle;noise=0;train_percent=50;seed=72031')")
        assert settings_value(page, "hidden") == "4,2" and "new data" in page.evaluate(STATUS)
        box.fill("dataset=gaussian;hidden=3")
        box.press("Enter")
        page.wait_for_function(f"() => ({SETTINGS})().includes('dataset=gaussian')")
        assert not log.problems(), log.problems()
    finally:
        context.close()


@pytest.mark.parametrize(
    "act, words",
    [
        ("settings:learning_rate=-1", "learning_rate"),
        ("settings:colour=red;hidden=9", "colour"),
        ("learning rate:-1", "learning_rate must be a positive number"),
        ("features", "features must name"),
        ("layer", "layer 2 needs 1 to 8 neurons"),
    ],
)
def test_bad_input_shows_in_the_status_line_and_changes_nothing(browser, esm, xor_state, act, words):
    context, page, log = open_widget(browser, esm, xor_state)
    try:
        before = page.evaluate(SETTINGS)
        what, _, text = act.partition(":")
        if what == "settings":
            control(page, "settings").fill(text)
            page.get_by_role("button", name="Load").click()
        elif what == "learning rate":
            control(page, "learning rate").fill(text)
            control(page, "learning rate").press("Enter")
        elif what == "features":
            control(page, "x₁").uncheck()
            control(page, "x₂").click()  # the last one: refused, so it stays checked
        else:
            page.get_by_role("button", name="remove a neuron from layer 2").click()
            page.get_by_role("button", name="remove a neuron from layer 2").click()  # 2 -> 1 -> 0: refused
        page.wait_for_function(f"w => ({STATUS})().includes(w)", arg=words, timeout=3_000)
        color = page.evaluate(
            f"() => getComputedStyle(document.querySelector('{ROOT} .nnlib-status span:last-child')).color"
        )
        if what in ("learning rate", "features", "layer"):
            assert color == "rgb(179, 38, 30)", "a refusal shows as an error"
            first_step = {"layer": ("hidden=4,2", "hidden=4,1"), "features": ("features=x1,x2", "features=x2")}
            expected = before.replace(*first_step[what]) if what in first_step else before  # the valid first step
            assert page.evaluate(SETTINGS) == expected  # the controls show what is really used
            assert control(page, "learning rate").input_value() == "0.03"
        if what == "features":
            assert control(page, "x₂").is_checked()  # the last feature springs back
        if what == "learning rate":
            assert page.evaluate(EPOCH) == 30  # nothing changed: the same run
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_keyboard_and_accessible_names(browser, esm, xor_state):
    context, page, log = open_widget(browser, esm, xor_state)
    try:
        controls = ", ".join(f"{ROOT} {tag}" for tag in ("button", "input", "select", "canvas", "a"))
        unnamed = page.evaluate(f"""() => Array.from(document.querySelectorAll('{controls}'))
            .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
            .map(e => e.outerHTML.slice(0, 80))""")
        assert unnamed == [], unnamed
        page.get_by_role("button", name="Play").focus()
        page.keyboard.press("Enter")  # play from the keyboard
        page.wait_for_function(f"() => ({EPOCH})() > 32", timeout=2_000)
        page.keyboard.press("Space")  # the same button, now Pause
        assert page.get_by_role("button", name="Play").is_visible()
        control(page, "activation").focus()
        page.keyboard.press("ArrowDown")  # tanh -> sigmoid
        page.wait_for_function(f"() => ({SETTINGS})().includes('activation=sigmoid')", timeout=2_000)
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_dark_mode_and_sharp_on_high_dpi(browser, esm, xor_state):
    lum = {}
    for dark in (False, True):
        context, page, log = open_widget(browser, esm, xor_state, dark=dark)
        try:
            if dark:  # the page's theme, as the book's dark mode sets it
                page.evaluate("""() => { document.documentElement.dataset.theme = 'dark';
                    document.body.style.background = '#121212'; document.body.style.color = '#e6e6e6'; }""")
                page.get_by_role("button", name="Step").click()  # draw again
            lum[dark] = page.evaluate(MEAN_LUMINANCE, MAP)
            text = page.evaluate(f"() => getComputedStyle(document.querySelector('{ROOT} .nnlib-status')).color")
            assert text == ("rgb(230, 230, 230)" if dark else "rgb(0, 0, 0)")
            assert not log.problems(), log.problems()
        finally:
            context.close()
    assert lum[True] < lum[False] - 40, f"the dark map is not darker: {lum}"
    context = browser.new_context(device_scale_factor=2, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.set_content(_HARNESS)
        page.evaluate("([esm, state]) => window.start(esm, state)", [esm, xor_state])
        size = page.evaluate(
            "sel => { const c = document.querySelector(sel); return [c.width, c.getBoundingClientRect().width]; }", MAP
        )
        assert size[0] == 2 * round(size[1]), f"canvas pixels {size[0]} for {size[1]} CSS px at ratio 2"
    finally:
        context.close()


def test_fits_a_phone(browser, esm, xor_state):
    context, page, log = open_widget(browser, esm, xor_state, width=390)
    try:
        width = page.evaluate(f"() => document.querySelector('{ROOT}').scrollWidth")
        page_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390 and page_width <= 390, (width, page_width)
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_a_broken_state_shows_what_went_wrong(browser, esm, xor_state):
    broken = {**xor_state, "_data": {}}
    context, page, log = widget_page(browser, esm, broken)
    try:
        error = page.locator("#widget .nnlib-error")
        assert error.is_visible() and "The playground could not be drawn" in error.inner_text()
    finally:
        context.close()


def test_in_page_training_rate(browser, esm):
    """Updates (epochs trained and shown) per second in the page, TF Playground's default set-up."""
    state = Playground(EXAMPLE_URL).get_state()
    context, page, log = open_widget(browser, esm, state)
    try:
        page.get_by_role("button", name="Play").click()
        page.wait_for_function(f"() => ({EPOCH})() > 5")
        e0, t0 = page.evaluate(EPOCH), time.perf_counter()
        page.wait_for_timeout(3_000)
        e1, t1 = page.evaluate(EPOCH), time.perf_counter()
        rate = (e1 - e0) / (t1 - t0)
        print(f"\nin-page training: {rate:.1f} updates (epochs) per second")
        assert rate >= 30, f"{rate:.1f} updates per second in the page"
        assert not log.problems(), log.problems()
    finally:
        context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_violation(browser, esm, xor_state, dark):
    context, page, log = open_widget(browser, esm, xor_state, dark=dark)
    try:
        control(page, "show test data").check()  # a refusal in the status line (its error colour) and the test points
        control(page, "learning rate").fill("-1")
        control(page, "learning rate").press("Enter")
        page.wait_for_function(f"() => ({STATUS})().includes('kept the previous value')")
        assert axe_violations(page) == []
        assert not log.problems(), log.problems()
    finally:
        context.close()
