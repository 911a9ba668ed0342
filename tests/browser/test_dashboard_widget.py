"""The training dashboard's front end (``nnlib/widgets/static/dashboard.js``) in headless Chromium.

Each test renders the front end alone, with ``widget_page``: no kernel, no book build. The
state is what a real :func:`nnlib.fit` with :class:`~nnlib.widgets.dashboard.TrainingDashboard`
recorded, as a saved notebook (and the website) keeps it. The checks read the canvases'
pixels: the curves are there in their colours, the replay slider and the Play button
change the picture, dark mode draws on a dark background, the canvases follow the
screen's pixel density, live messages are drawn, and a broken state shows an error box.
"""

from __future__ import annotations

import pytest
from _browser import axe_violations, widget_page

from nnlib import Network, fit
from nnlib.data import playground, train_test_split
from nnlib.widgets.esm import bundle

pytest.importorskip("anywidget")

BLUE, DARK_ORANGE, SKY_BLUE, ORANGE = (0, 114, 178), (179, 107, 0), (86, 180, 233), (230, 159, 0)

COUNT = """([panel, rgb, tolerance]) => {
  const c = document.querySelector(`canvas[data-panel="${panel}"]`);
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let p = 0; p < d.length; p += 4)
    if (Math.abs(d[p] - rgb[0]) <= tolerance && Math.abs(d[p + 1] - rgb[1]) <= tolerance
        && Math.abs(d[p + 2] - rgb[2]) <= tolerance) n++;
  return n;
}"""
PIXELS = """(panel) => document.querySelector(`canvas[data-panel="${panel}"]`).toDataURL()"""
DRAWS = "() => Number(document.querySelector('.nnlib-frame').dataset.draws || 0)"


def js_state(widget) -> dict:
    """The widget's state as the page gets it (bytes as lists of numbers, which the front end accepts too)."""
    state = widget.get_state()
    return {k: list(bytes(v)) if isinstance(v, (bytes, memoryview)) else v for k, v in state.items()}


@pytest.fixture(scope="module")
def esm() -> str:
    return bundle("dashboard.js")


@pytest.fixture(scope="module")
def recorded():
    """The training chapter's run: the circle, 60 epochs, with a validation set."""
    from nnlib.widgets.dashboard import TrainingDashboard

    X, y = playground("circle", n=400, noise=0.1, rng=3)
    X_train, y_train, X_val, y_val = train_test_split(X, y, test_fraction=0.5, rng=4)
    net = Network([2, 8, 8, 1], activation="tanh", loss="binary_cross_entropy", init="xavier", rng=0)
    dash = TrainingDashboard(X_train, y_train, display=False)
    fit(net, X_train, y_train, epochs=60, batch_size=10, lr=0.3, validation_data=(X_val, y_val), callbacks=[dash])
    return js_state(dash.widget)


def drawn(page, at_least: int = 1) -> None:
    page.wait_for_function(f"() => ({DRAWS})() >= {at_least}")


def count(page, panel: str, rgb, tolerance: int = 12) -> int:
    return page.evaluate(COUNT, [panel, list(rgb), tolerance])


def test_the_recorded_state_draws_the_curves_the_map_and_the_numbers(browser, esm, recorded):
    context, page, log = widget_page(browser, esm, recorded)
    try:
        drawn(page)
        widget = page.locator(".nnlib-frame")
        assert widget.get_attribute("role") == "group" and widget.get_attribute("aria-label") == "Training dashboard"
        assert "done: 60 of 60 epochs" in page.inner_text(".nnlib-dash-status")
        assert "validation accuracy" in page.inner_text(".nnlib-dash-numbers")
        # the training curve (solid blue) and the validation curve (dashed dark orange), in both panels
        for panel in ("loss", "accuracy"):
            assert count(page, panel, BLUE) > 150 and count(page, panel, DARK_ORANGE) > 80, panel
        # the map: the network's output (light orange outside, light blue inside) and the points on top
        assert count(page, "map", (242, 197, 107), 20) > 2000 and count(page, "map", (111, 168, 211), 25) > 300
        assert count(page, "map", ORANGE, 6) > 100 and count(page, "map", BLUE, 6) > 100
        labels = page.eval_on_selector_all("canvas", "cs => cs.map(c => c.getAttribute('aria-label'))")
        assert (
            labels[0].startswith("Loss per epoch, 60 epochs so far: training") and "Points: training data" in labels[2]
        )
        assert page.locator("img").count() == 0  # canvases only: never a broken-image icon
        assert page.inner_text("[aria-live]") == ""  # a saved page announces nothing on load
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_the_replay_slider_and_play_button_change_the_picture_from_the_keyboard(browser, esm, recorded):
    context, page, log = widget_page(browser, esm, recorded)
    try:
        drawn(page)
        slider = page.get_by_role("slider", name="replay: epoch")
        play = page.get_by_role("button", name="Play")
        assert slider.is_visible() and play.is_visible()
        frames = len(recorded["frame_ends"])
        assert slider.get_attribute("max") == str(frames - 1) and slider.input_value() == str(frames - 1)
        final = {p: page.evaluate(PIXELS, p) for p in ("loss", "map")}
        blue_final = count(page, "loss", BLUE)
        slider.focus()
        before = page.evaluate(DRAWS)
        page.keyboard.press("Home")  # the first recorded epoch
        drawn(page, before + 1)
        assert slider.input_value() == "0" and slider.get_attribute("aria-valuetext") == "1 of 60"
        assert "replay: epoch 1 of 60" in page.inner_text(".nnlib-dash-status")
        assert all(page.evaluate(PIXELS, p) != final[p] for p in final)
        assert count(page, "loss", BLUE) < blue_final / 5  # one epoch of curve: a dot
        before = page.evaluate(DRAWS)
        page.keyboard.press("ArrowRight")
        drawn(page, before + 1)
        assert page.locator(".nnlib-frame").get_attribute("data-epoch") == str(recorded["frame_ends"][1])
        # Play, from the keyboard: the frames advance to the end, then the button says Play again
        play.focus()
        page.keyboard.press("Enter")
        assert page.get_by_role("button", name="Pause").is_visible()
        page.wait_for_function("() => document.querySelector('.nnlib-frame').dataset.epoch === '60'", timeout=15_000)
        page.get_by_role("button", name="Play").wait_for()
        assert page.evaluate(PIXELS, "map") == final["map"]
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_dark_mode_draws_light_on_dark(browser, esm, recorded):
    context, page, log = widget_page(browser, esm, recorded, dark=True)
    try:
        drawn(page)
        corner = page.evaluate(
            """() => Array.from(document.querySelector('canvas[data-panel="loss"]')
                .getContext('2d').getImageData(2, 2, 1, 1).data)"""
        )
        assert sum(corner[:3]) / 3 < 50  # a dark background
        # the lighter line colours of dark mode, and light text (ticks and titles)
        assert count(page, "loss", SKY_BLUE) > 150 and count(page, "loss", ORANGE) > 80
        assert count(page, "loss", BLUE, 6) < 20
        assert count(page, "loss", (230, 230, 230), 20) > 50
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_the_canvases_are_sharp_on_a_high_density_screen(browser, esm, recorded):
    context, page, log = widget_page(browser, esm, recorded)
    try:
        drawn(page)
        before = page.evaluate(DRAWS)
        page.evaluate(
            """() => { Object.defineProperty(window, 'devicePixelRatio', { get: () => 2 });
                       document.documentElement.dataset.theme = 'light'; }"""
        )  # a theme change redraws, at the new density
        drawn(page, before + 1)
        sizes = page.eval_on_selector_all(
            "canvas", "cs => cs.map(c => [c.width, c.height, c.getBoundingClientRect().width])"
        )
        assert sizes[0][:2] == [640, 420] and sizes[2][:2] == [540, 500]
        assert all(css <= w / 2 + 0.5 for w, _, css in sizes)  # never stretched beyond its pixels
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_it_waits_for_the_first_epoch_then_draws_what_the_kernel_sends(browser, esm, recorded):
    start = {**recorded, "status": "training", "history": {}, "grid": [], "frame_ends": [], "frame_grids": []}
    context, page, log = widget_page(browser, esm, start)
    try:
        drawn(page)
        assert "waiting for the first epoch" in page.inner_text(".nnlib-dash-status")
        assert not page.get_by_role("slider", name="replay: epoch").is_visible()  # no replay during a fit
        assert page.locator("img").count() == 0
        send = """([message, grid]) => {
            const buffers = grid ? [new DataView(new Uint8Array(grid).buffer)] : [];
            for (const f of window.model.handlers["msg:custom"] || []) f(message, buffers);
        }"""
        before = page.evaluate(DRAWS)
        history = {k: v[:3] for k, v in recorded["history"].items()}
        page.evaluate(send, [{"type": "update", "start": 0, "history": history}, recorded["grid"]])
        drawn(page, before + 1)
        assert "training: 3 of 60 epochs" in page.inner_text(".nnlib-dash-status")
        assert count(page, "loss", BLUE) > 10 and count(page, "map", (242, 197, 107), 20) > 1000
        before = page.evaluate(DRAWS)
        page.evaluate(send, [{"type": "progress", "epoch": 4, "batch": 7, "batches": 20}, None])
        drawn(page, before + 1)
        assert "epoch 4 of 60, batch 7 of 20" in page.inner_text(".nnlib-dash-status")
        # the end of the fit arrives as the widget's state: the replay appears
        page.evaluate(
            """(state) => { for (const [k, v] of Object.entries(state)) window.model.state[k] = v;
                            window.model.set("status", state.status); }""",
            {k: recorded[k] for k in ("history", "grid", "frame_ends", "frame_grids", "status")},
        )
        page.get_by_role("slider", name="replay: epoch").wait_for()
        assert "done: 60 of 60 epochs" in page.inner_text(".nnlib-dash-status")
        page.wait_for_function("() => document.querySelector('[aria-live]').textContent.length > 0")
        assert page.inner_text("[aria-live]").startswith("Training finished after 60 epochs. loss ")
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_a_fit_that_raised_shows_as_stopped_with_its_reason(browser, esm, recorded):
    start = {**recorded, "status": "training", "history": {}, "grid": [], "frame_ends": [], "frame_grids": []}
    context, page, log = widget_page(browser, esm, start)
    try:
        drawn(page)
        n = 12  # the kernel's final state after fit raised at epoch 12
        end = {
            "history": {k: v[:n] for k, v in recorded["history"].items()},
            "grid": recorded["grid"],
            "frame_ends": [1, n],  # the replay: the first epoch and the last
            "frame_grids": recorded["frame_grids"][: 2 * 1600],
            "reason": "TrainingDiverged: the loss became NaN",
            "status": "stopped",
        }
        page.evaluate(
            """(state) => { for (const [k, v] of Object.entries(state)) window.model.state[k] = v;
                            window.model.set("status", state.status); }""",
            end,
        )
        page.wait_for_function("() => document.querySelector('.nnlib-dash-status').textContent.startsWith('stopped')")
        assert (
            page.inner_text(".nnlib-dash-status")
            == "stopped after 12 of 60 epochs: TrainingDiverged: the loss became NaN"
        )
        page.wait_for_function("() => document.querySelector('[aria-live]').textContent.length > 0")
        assert page.inner_text("[aria-live]").startswith(
            "Training stopped early after 12 epochs (TrainingDiverged: the loss became NaN). loss "
        )
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_a_broken_state_shows_a_message_not_a_blank_box(browser, esm, recorded):
    broken = {**recorded, "grid": recorded["grid"][:100]}  # a grid of the wrong size
    context, page, log = widget_page(browser, esm, broken)
    try:
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "The training dashboard could not be drawn" in alert.inner_text()
        assert "the grid has 100 bytes, expected 1600" in alert.inner_text()
        assert log.console_errors and not log.page_errors  # reported, not thrown at the page
    finally:
        context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_violation(browser, esm, recorded, dark):
    context, page, log = widget_page(browser, esm, recorded, dark=dark)
    try:
        drawn(page)
        page.get_by_role("slider", name="replay: epoch").wait_for()
        assert axe_violations(page) == []
        assert not log.problems(), log.problems()
    finally:
        context.close()
