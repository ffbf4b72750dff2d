"""Focus is always visible (WCAG 2.4.7): on the public pages and the staff's busiest ones, every element the Tab
key reaches shows a focus ring, drawn the way the U.S. Web Design System draws it (an outline, or for a checkbox
or radio button the box beside its label), and is on screen when it has the focus."""

from tests.e2e.conftest import sign_in
from welcoming.roles import Role

# What focusing changes on the focused element: its own outline or shadow or, for the visually hidden input of a
# USWDS checkbox or radio button, the box its label draws. Compared with the same element once it loses the focus
# (USWDS draws some shadows on buttons and boxes at all times), and the ring must not be transparent.
FOCUS_RING = r"""async () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const settled = async () => Promise.all(el.getAnimations().map(animation => animation.finished));
  const label = el.matches('.usa-checkbox__input, .usa-radio__input') ? el.labels[0] : null;
  const drawn = () => {
    const style = getComputedStyle(label || el, label ? '::before' : null);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
      && !/rgba\(.*, 0\)$|transparent/.test(style.outlineColor);
    return {look: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(' '), outline};
  };
  await settled();  // the skip link slides in
  const focused = drawn();
  const box = (label || el).getBoundingClientRect();
  el.blur();
  await settled();
  const plain = drawn();
  el.focus();
  await settled();
  const again = el.dataset.tabbed === 'yes';  // the Tab key came round to the start
  el.dataset.tabbed = 'yes';
  return {
    again,
    name: (el.id || el.name || el.textContent || el.tagName).trim().slice(0, 60),
    ring: focused.look !== plain.look && (focused.outline || focused.look.includes('rgb')),
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def unringed(page, path: str, limit: int = 150) -> tuple[int, list[str]]:
    """Tab through `path` until the focus leaves the page: how many stops, and those that show no ring."""
    page.goto(path)
    # From the top of the page, whatever field the page focuses on load (the sign-in page focuses its username):
    # the body, focused for a moment, is where the Tab key starts.
    page.evaluate(
        "() => { document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex'); }"
    )
    stops, problems = 0, []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_RING)
        if focused is None or focused["again"]:
            break
        stops += 1
        if not focused["ring"]:
            problems.append(f"{path}: {focused['name']!r} shows no focus ring")
        elif not focused["onScreen"]:
            problems.append(f"{path}: {focused['name']!r} has the focus off screen")
    return stops, problems


def test_the_public_pages_show_where_the_focus_is(page, municipality):
    problems = []
    public = ["/complaints/new/", "/complaints/status/", "/public/docket/", "/public/figures/", "/accounts/sign-in/"]
    for path in public:
        stops, found = unringed(page, path)
        assert stops >= 5, f"{path}: the Tab key reached only {stops} elements"
        problems += found
    assert not problems, "\n".join(problems)


def test_the_staff_pages_show_where_the_focus_is(page, municipality, make_staff):
    clerk = make_staff("focus-clerk", Role.RECORDS_CLERK)
    sign_in(page, clerk)
    problems = []
    for path in ["/", "/police/board/", "/police/book/", "/police/detainers/", "/u-visa/new/", "/traffic/new/"]:
        stops, found = unringed(page, path)
        assert stops >= 5, f"{path}: the Tab key reached only {stops} elements"
        problems += found
    assert not problems, "\n".join(problems)
