"""Driving pages with the keyboard alone, checking that focus can be seen at every stop."""

# What the focused element looks like: an outline or a box-shadow ring, on it or (for
# Bootstrap's visually hidden .btn-check radios) on the label that stands for it.
FOCUS_RING = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return "focus is lost (on the body)";
  if (el.classList.contains("btn-check") && el.labels.length) el = el.labels[0];
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) {
    return "focus is on something invisible: " + el.outerHTML.slice(0, 120);
  }
  return outline || shadow ? "" : "no visible focus on " + el.outerHTML.slice(0, 160);
}"""


def assert_focus_visible(page) -> None:
    problem = page.evaluate(FOCUS_RING)
    assert not problem, problem


def tab_to(page, locator, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until `locator` has focus, checking the focus ring at every stop."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if locator.evaluate("el => el === document.activeElement"):
            assert_focus_visible(page)
            return
        assert_focus_visible(page)
    raise AssertionError(f"{limit} presses of {key} never reached {locator}")
