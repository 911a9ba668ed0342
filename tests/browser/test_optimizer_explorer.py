"""The optimiser explorer's front end alone in headless Chromium, with no kernel: it draws without
errors, every control has a label and changes the picture, the readout follows nnlib's numbers, and
axe-core finds no critical or serious violation, in light and dark mode."""

import pytest
from _browser import axe_violations, widget_page

pytest.importorskip("anywidget")

from nnlib.widgets.optimizer_paths import OptimizerExplorer, optimizer_path, surface_cost  # noqa: E402


def _picture(page) -> str:
    return page.evaluate("() => document.querySelector('canvas').toDataURL()")


@pytest.mark.parametrize("dark", [False, True])
def test_every_control_changes_the_picture_without_a_kernel(browser, dark):
    widget = OptimizerExplorer(optimizer="momentum", steps=60)
    state = widget.get_state()
    context, page, log = widget_page(browser, state["_esm"], state, dark=dark)
    try:
        page.wait_for_selector("canvas")
        readout = page.inner_text(".nnlib-readout")
        w, b = optimizer_path("momentum", widget.lr, 60)[-1]
        assert f"cost {surface_cost('valley', w, b):.3g}" in readout.replace("\u2212", "-"), readout
        for name in ["optimizer", "surface", "lr", "steps"]:
            control = page.locator(f"[data-name={name}]")
            label = page.locator(f"label[for='{control.get_attribute('id')}']").inner_text()
            assert label.strip(), name
            before = _picture(page)
            if name in ("optimizer", "surface"):
                options = control.locator("option").all()
                control.select_option(options[-1].get_attribute("value"))
            else:
                control.focus()
                page.keyboard.press("ArrowLeft")
            assert _picture(page) != before, f"moving {name} changed nothing"
        assert not log.page_errors and not log.console_errors, (log.page_errors, log.console_errors)
        assert not axe_violations(page), axe_violations(page)
    finally:
        context.close()
