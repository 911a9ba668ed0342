"""The website on a phone: the navigation drawer and the in-page contents open from their buttons."""

from __future__ import annotations

import pytest
from _browser import open_page

PHONE = {"width": 390, "height": 800}


@pytest.mark.parametrize(
    ("button", "dialog", "expect"),
    [
        ("Toggle primary sidebar", "#pst-primary-sidebar-modal", "The neuron"),
        ("Toggle secondary sidebar", "#pst-secondary-sidebar-modal", "Logic gates from one neuron"),
    ],
)
def test_toggles_open_the_drawers_at_phone_width(browser, base_url: str, button: str, dialog: str, expect: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/neuron/neuron.html")
    try:
        page.set_viewport_size(PHONE)
        page.get_by_role("button", name=button).click()
        page.wait_for_function("d => document.querySelector(d)?.open === true", arg=dialog)
        assert expect in page.inner_text(dialog)
        page.keyboard.press("Escape")
        page.wait_for_function("d => !document.querySelector(d).open", arg=dialog)
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_toggles_keep_the_desktop_behaviour(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/book/neuron/neuron.html")
    try:
        page.get_by_role("button", name="Toggle primary sidebar").click()
        page.wait_for_timeout(300)
        assert page.evaluate("() => !document.querySelector('#pst-primary-sidebar-modal').open")
    finally:
        context.close()
