"""Keyboard-only checks, reusable by any journey: Tab through a page, check focus is visible and
moves in document order, and check htmx partial swaps announce and keep focus.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# Compare the focused element (and its neighbours and pseudo-elements, where the Design System
# draws some focus styles) with the same element blurred: any difference is a visible focus style.
_FOCUS_IS_VISIBLE = """(el) => {
  const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
                 'color', 'textDecorationLine', 'borderTopColor', 'borderBottomColor',
                 'borderBottomWidth'];
  const style = (e, pseudo) => {
    const s = getComputedStyle(e, pseudo);
    return props.map(p => s[p]).join('|');
  };
  const snap = (e) => !e ? '' : [null, '::before', '::after'].map(p => style(e, p)).join('/');
  const near = [el, el.nextElementSibling, el.parentElement];
  const focused = near.map(snap).join('#');
  window.__cairnIgnoreFocus = true;
  el.blur();
  const blurred = near.map(snap).join('#');
  el.focus({preventScroll: true});
  window.__cairnIgnoreFocus = false;
  return focused !== blurred;
}"""

_DESCRIBE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const text = el.innerText || el.value || el.getAttribute('aria-label') || '';
  return {tag: el.tagName.toLowerCase(), id: el.id, text: text.trim().slice(0, 60),
          width: r.width, height: r.height, inMain: !!el.closest('main')};
}"""

# Record every element that receives focus, so the order can be checked afterwards.
_TRAIL = """() => {
  window.__cairnTrail = [];
  document.addEventListener('focusin', (e) => {
    if (window.__cairnIgnoreFocus) return;
    const trail = window.__cairnTrail;
    if (trail[trail.length - 1] !== e.target) trail.push(e.target);
  });
}"""

_TRAIL_IN_ORDER = """() => {
  const trail = window.__cairnTrail || [];
  for (let i = 1; i < trail.length; i++) {
    const pos = trail[i - 1].compareDocumentPosition(trail[i]);
    if (!(pos & Node.DOCUMENT_POSITION_FOLLOWING)) return i;
  }
  return 0;
}"""


@dataclass(frozen=True)
class Focused:
    tag: str
    id: str
    text: str
    width: float
    height: float
    in_main: bool


def no_transitions(page: Page) -> None:
    """Focus styles are compared at once, so switch off CSS transitions."""
    # A constructed style sheet: the page's Content Security Policy refuses inline <style>.
    page.evaluate(
        """() => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync('*, *::before, *::after { transition: none !important; }');
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        }"""
    )


def focused(page: Page) -> Focused | None:
    info = page.evaluate(_DESCRIBE)
    if info is None:
        return None
    return Focused(
        info["tag"], info["id"], info["text"], info["width"], info["height"], info["inMain"]
    )


def assert_focus_visible(page: Page) -> Focused:
    """Something has focus, it is on screen, and it looks different from when it had not."""
    now = focused(page)
    assert now is not None, "focus was lost to the page body"
    assert now.width > 0 and now.height > 0, f"focus is on something invisible: {now}"
    assert page.evaluate(_FOCUS_IS_VISIBLE, page.evaluate_handle("document.activeElement")), (
        f"no visible focus style on {now}"
    )
    return now


def start_trail(page: Page) -> None:
    page.evaluate(_TRAIL)


# Enough for a queue page in a shared test app, whose rows each hold four or five links.
def tab_to(page: Page, selector: str, *, max_presses: int = 240) -> list[Focused]:
    """Press Tab until `selector` has focus, checking focus is visible at every stop and that
    focus moves forward through the document. Returns the stops, for further checks."""
    start_trail(page)
    stops: list[Focused] = []
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        stops.append(assert_focus_visible(page))
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            out_of_order = page.evaluate(_TRAIL_IN_ORDER)
            assert not out_of_order, f"focus jumped backwards at stop {out_of_order}: {stops}"
            return stops
    raise AssertionError(f"{selector} never received focus after {max_presses} Tabs: {stops}")


def wait_for_announcement(page: Page, text: str, *, region: str = "#cairn-live") -> None:
    """The live region read out `text` (after an htmx swap)."""
    page.wait_for_function(
        "([sel, text]) => (document.querySelector(sel)?.textContent || '').includes(text)",
        arg=[region, text],
    )
    assert page.get_attribute(region, "aria-live") == "polite"


def assert_focus_kept_in(page: Page, container: str) -> Focused:
    """After a partial swap, focus is still inside `container`, not thrown to the top."""
    now = focused(page)
    assert now is not None, "focus was lost to the page body after the swap"
    assert page.evaluate("(c) => !!document.activeElement.closest(c)", container), (
        f"focus left {container}: {now}"
    )
    return now
