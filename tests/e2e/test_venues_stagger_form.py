"""The 错时 (staggered-use) rule form in Chromium: the weekday checkboxes sit in their own row and
never overlap the time, audience and note fields, at desktop and phone widths, without a
horizontal scroll bar; a rule saved from the laid-out form lands in the rule list."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

# Every box of the weekday group (each checkbox and its label text) against every box of the
# other fields (their inputs, selects and labels) and the submit button.
BOXES_JS = """
() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {x: r.left, y: r.top, w: r.width, h: r.height, what: el.outerHTML.slice(0, 80)}; };
  const form = document.querySelector('[data-testid=slot-rule-form]');
  const days = [...form.querySelectorAll('input[name=weekdays]')];
  const dayBoxes = [];
  for (const input of days) {
    dayBoxes.push(box(input));
    const label = form.querySelector(`label[for="${input.id}"]`) || input.closest('label');
    if (label) dayBoxes.push(box(label));
  }
  const others = [];
  for (const name of ['starts', 'ends', 'audience', 'note']) {
    const el = form.querySelector(`[name=${name}]`);
    others.push(box(el));
    const label = form.querySelector(`label[for="${el.id}"]`);
    if (label) others.push(box(label));
  }
  others.push(box(form.querySelector('button')));
  return {days: dayBoxes, others: others, count: days.length,
          scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth};
}
"""


def _intersect(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["w"]
        and b["x"] < a["x"] + a["w"]
        and a["y"] < b["y"] + b["h"]
        and b["y"] < a["y"] + a["h"]
    )


def _check_layout(page) -> None:
    m = page.evaluate(BOXES_JS)
    assert m["count"] == 7
    assert all(b["w"] > 0 and b["h"] > 0 for b in m["days"]), "every weekday is visible"
    overlaps = [(d["what"], o["what"]) for d in m["days"] for o in m["others"] if _intersect(d, o)]
    assert overlaps == [], overlaps
    assert m["scroll"] <= m["inner"], f"horizontal scroll: {m['scroll']} > {m['inner']}"


@pytest.mark.parametrize("phone", [False, True], ids=["desktop-1280", "phone-360"])
def test_stagger_rule_form_weekdays_do_not_overlap_other_fields(e2e_world, new_page, phone):
    from tests.rooms import factories as rooms_f
    from tests.venues import factories as f

    room = rooms_f.room_for(f.venue_a(e2e_world), name="文化活动室")
    page = new_page(phone=phone)
    if not phone:
        page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, "village_a")
    page.goto(f"/venues/rooms/{room.pk}/rules/")
    page.wait_for_load_state("networkidle")
    _check_layout(page)

    # The form with an error shown (no weekday chosen) keeps its layout too.
    for day in range(7):
        page.uncheck(f"input[name=weekdays][value='{day}']")
    page.fill("input[name=starts]", "08:00")
    page.fill("input[name=ends]", "11:00")
    page.click("[data-testid=slot-rule-form] button")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=weekday-group] [role=alert]").is_visible()
    _check_layout(page)

    page.check("input[name=weekdays][value='5']")
    page.check("input[name=weekdays][value='6']")
    page.fill("input[name=starts]", "08:00")
    page.fill("input[name=ends]", "11:00")
    page.click("[data-testid=slot-rule-form] button")
    page.wait_for_load_state("networkidle")
    assert "错时规则已添加" in page.content()
    assert "67" in page.locator("[data-testid=rule-list]").inner_text()
