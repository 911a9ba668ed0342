"""Predict-then-reveal questions (:class: predict: book/_ext/predict.py, _static/course.js) on the built
website, with no kernel: the neuron chapter's choice question (predict-neuron-bias) and number
question (predict-neuron-batch).

* the feedback is hidden before an answer; a wrong answer gets that option's feedback, a right
  one "Correct." and its own, announced in an aria-live region;
* the number question says too high / too low / right, and shows the answer on request;
* everything works from the keyboard alone;
* contrast of at least 4.5:1 in light and dark mode, the question fits a 390 px screen, and
  axe-core (vendored from npm, no CDN) finds no critical or serious violation in it.
"""

from __future__ import annotations

import pytest
from _browser import ROOT, SHOTS, open_page

PAGE = "book/neuron/neuron.html"
CHOICE = "#predict-neuron-bias"
NUMBER = "#predict-neuron-batch"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

_CONTRAST = """
(root) => {
  function luminance([r, g, b]) {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  }
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  function background(el) {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  }
  const out = [];
  const texts = "legend, label, button, input[type=text], .predict-verdict strong, .predict-feedback p";
  for (const el of root.querySelectorAll(texts)) {
    if (!el.getClientRects().length) continue;          // not shown
    const a = luminance(rgb(getComputedStyle(el).color).slice(0, 3)), b = luminance(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push([el.tagName + " " + el.textContent.trim().slice(0, 30), ratio]);
  }
  return out;
}
"""


def feedback(page, box: str) -> str:
    return page.inner_text(f"{box} .predict-feedback")


def tab_to(page, box: str, element_id: str) -> None:
    """Press Tab until ``element_id`` has the focus; every stop on the way is inside ``box``
    (MathJax puts typeset math in the tab order, so the question's formulas come first)."""
    for _ in range(12):
        page.keyboard.press("Tab")
        where = page.evaluate(f"() => [document.activeElement.id, !!document.activeElement.closest('{box}')]")
        if where[0] == element_id:
            return
        assert where[1], f"Tab left {box} before reaching #{element_id}"
    raise AssertionError(f"#{element_id} not reached with Tab")


def answer_choice(page, box: str, option: int) -> None:
    page.click(f"{box} label[for='{box[1:]}-{option}']")
    page.click(f"{box} .predict-check")


def test_feedback_is_hidden_until_an_answer_then_follows_it(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/{PAGE}")
    try:
        box = page.locator(CHOICE)
        box.scroll_into_view_if_needed()
        assert box.locator("legend").inner_text().startswith("Predict 1.2")
        assert page.locator(f"{CHOICE} .predict-answers").is_hidden()
        assert not page.get_by_text("Changing b changes where").first.is_visible()
        assert feedback(page, CHOICE) == ""
        live = box.locator(".predict-feedback")
        assert live.get_attribute("aria-live") == "polite" and live.get_attribute("role") == "status"

        page.click(f"{CHOICE} .predict-check")  # nothing chosen yet
        assert "Choose an answer first" in feedback(page, CHOICE)

        answer_choice(page, CHOICE, 1)
        text = feedback(page, CHOICE)
        assert text.startswith("Not quite.") and "does not appear in its slope" in text
        assert box.get_attribute("data-state") == "wrong"
        assert "Changing" not in text  # only the chosen option's feedback

        answer_choice(page, CHOICE, 3)
        text = feedback(page, CHOICE)
        assert "steepness is set by the length" in text and "does not appear in its slope" not in text

        answer_choice(page, CHOICE, 2)
        text = feedback(page, CHOICE)
        assert text.startswith("\u2713 Correct.") or text.startswith("Correct."), text
        assert "slides" in text and box.get_attribute("data-state") == "correct"
        page.wait_for_function(f"() => document.querySelector('{CHOICE} .predict-feedback mjx-container')")
        assert page.locator(f"{CHOICE} .predict-answers").is_hidden()

        number = page.locator(NUMBER)
        number.scroll_into_view_if_needed()
        assert page.locator(f"{NUMBER} .predict-reveal").is_hidden()
        field = page.get_by_label("Your answer (a number)").first
        field.fill("0.5")
        page.click(f"{NUMBER} .predict-check")
        assert feedback(page, NUMBER).startswith("Too high.")
        assert "holds the neuron well below" not in feedback(page, NUMBER)
        field.fill("0,1")
        page.click(f"{NUMBER} .predict-check")
        assert feedback(page, NUMBER).startswith("Too low.")
        field.fill("abc")
        page.click(f"{NUMBER} .predict-check")
        assert "Type a number first" in feedback(page, NUMBER)
        assert field.get_attribute("aria-invalid") == "true"
        field.fill("0.12")
        page.click(f"{NUMBER} .predict-check")
        text = feedback(page, NUMBER)
        assert text.startswith("\u2713 Right.") or text.startswith("Right."), text
        assert "0.119" in text and "holds the neuron well below" in text
        assert number.get_attribute("data-state") == "correct"
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_keyboard_alone_answers_both_questions(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/{PAGE}")
    try:
        # start at the question's box, as a reader tabbing through the page reaches it
        page.evaluate(f"() => {{ const b = document.querySelector('{CHOICE}'); b.tabIndex = -1; b.focus(); }}")
        tab_to(page, CHOICE, "predict-neuron-bias-1")
        page.keyboard.press("ArrowDown")  # moves to, and checks, option 2
        assert page.evaluate("() => document.activeElement.id") == "predict-neuron-bias-2"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "predict-check"
        page.keyboard.press("Enter")
        assert "Correct." in feedback(page, CHOICE)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("ArrowUp")  # option 1
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Space")
        assert feedback(page, CHOICE).startswith("Not quite.")

        page.evaluate(f"() => {{ const b = document.querySelector('{NUMBER}'); b.tabIndex = -1; b.focus(); }}")
        tab_to(page, NUMBER, "predict-neuron-batch-input")
        page.keyboard.type("0.3")
        page.keyboard.press("Enter")
        assert feedback(page, NUMBER).startswith("Too high.")
        page.keyboard.press("Tab")  # Check
        page.keyboard.press("Tab")  # Show the answer, now offered
        assert page.evaluate("() => document.activeElement.textContent") == "Show the answer"
        page.keyboard.press("Enter")
        text = feedback(page, NUMBER)
        assert text.startswith("The answer is 0.119.") and "holds the neuron well below" in text
        assert page.evaluate("() => document.activeElement.classList.contains('predict-feedback')")
        assert not log.problems(), log.problems()
    finally:
        context.close()


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_contrast_phone_width_and_axe(browser, base_url: str, dark: bool) -> None:
    context, page, log = open_page(browser, f"{base_url}/{PAGE}", dark=dark)
    try:
        page.set_viewport_size({"width": 390, "height": 800})
        assert page.evaluate("() => document.documentElement.dataset.theme") == ("dark" if dark else "light")
        for state in ("wrong", "correct"):
            answer_choice(page, CHOICE, 1 if state == "wrong" else 2)
            page.fill(f"{NUMBER} .predict-input", "0.5" if state == "wrong" else "0.119")
            page.click(f"{NUMBER} .predict-check")
            for box in (CHOICE, NUMBER):
                assert page.get_attribute(box, "data-state") == state
                contrasts = page.eval_on_selector(box, _CONTRAST)
                assert len(contrasts) >= 4, contrasts
                low = [(what, round(c, 2)) for what, c in contrasts if c < 4.5]
                assert not low, f"{box} ({state}, {'dark' if dark else 'light'}): contrast below 4.5:1: {low}"
                fits = page.eval_on_selector(
                    box,
                    """b => ({ right: b.getBoundingClientRect().right, width: innerWidth,
                               scroll: b.scrollWidth, client: b.clientWidth })""",
                )
                assert fits["right"] <= fits["width"] and fits["scroll"] <= fits["client"], fits
            page.add_script_tag(path=str(AXE)) if state == "wrong" else None
            result = page.evaluate(
                """async (boxes) => {
                     const r = await axe.run({ include: boxes.map((b) => [b]) }, { resultTypes: ["violations"] });
                     return r.violations.filter((v) => ["critical", "serious"].includes(v.impact))
                       .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
                   }""",
                [CHOICE, NUMBER],
            )
            assert result == [], result
        path = SHOTS / "predict" / f"neuron-{'dark' if dark else 'light'}-390.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.locator(CHOICE).screenshot(path=path)
        assert not log.problems(), log.problems()
    finally:
        context.close()


def test_printed_the_feedback_follows_the_question(browser, base_url: str) -> None:
    context, page, log = open_page(browser, f"{base_url}/{PAGE}")
    try:
        assert page.locator(f"{CHOICE} .predict-answers").is_hidden()
        page.emulate_media(media="print")
        assert page.locator(f"{CHOICE} .predict-answers").is_visible()
        assert page.locator(f"{CHOICE} .predict-check").is_hidden()
        right = page.eval_on_selector(
            f"{CHOICE} .predict-answer[data-correct='true']", "e => getComputedStyle(e, '::before').content"
        )
        assert right == '"Option " attr(data-option) " (right): "' or "(right)" in right, right
        assert "Answer: " in page.eval_on_selector(
            f"{NUMBER} .predict-answer", "e => getComputedStyle(e, '::before').content"
        )
    finally:
        context.close()
