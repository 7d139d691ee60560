"""The visit pages, the today page and the map on a 360-px phone (Chromium): no sideways
scroll, and every touch target in the page's content at least 44 px on each side."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

WIDTH = 360
MIN_TARGET = 44

# The tappable things in the page's main content: links, buttons, fields, and the label that
# carries a radio, a checkbox or a toggle button (the input itself may be hidden or tiny).
# Each is measured by the larger of itself and its label, as a finger would hit either.
SMALL_TARGETS_JS = """([min, scope]) => {
  const root = document.querySelector(scope) || document.body;
  const visible = (el) => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  const box = (el) => el.getBoundingClientRect();
  const out = [];
  const seen = new Set();
  for (const el of root.querySelectorAll(
      'a[href], button, select, textarea, input:not([type=hidden]), [role=button]')) {
    let target = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      const label = (el.id && root.querySelector(`label[for="${el.id}"]`)) || el.closest('label');
      const holder = el.closest('.form-check');
      target = holder || label || el;
    }
    if (seen.has(target) || !visible(target)) continue;
    seen.add(target);
    const r = box(target);
    if (r.height < min || r.width < min) {
      out.push(`${el.tagName.toLowerCase()}#${el.id || ''}.${(el.className || '').toString()
        .split(' ').slice(0, 2).join('.')} "${(el.innerText || el.value || '').trim()
        .slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}"""


def check_phone_page(page, url: str, scope: str = "main") -> dict:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    small = page.evaluate(SMALL_TARGETS_JS, [MIN_TARGET, scope])
    return {"url": url, "scroll_width": width, "small": small}


@pytest.fixture
def phone(e2e_world, new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = new_page(phone=True)
    assert page.viewport_size["width"] == WIDTH
    return page


def _a_visit(world):
    from datetime import timedelta

    from django.utils import timezone

    from lianxin.visits.services import visit_log, visit_raise_case, visit_raise_wish
    from tests.cases.factories import category, ensure_categories, make_case

    ensure_categories()
    make_case(world, title="下水道堵塞很久了", now=timezone.now() - timedelta(days=40))
    raised, _created = visit_log(
        actor=world.users["grid_a1"], household=world.households["a"], kind="routine"
    )
    visit_raise_case(
        actor=world.users["grid_a1"], visit=raised, category=category(), title="路灯坏了"
    )
    visit_raise_wish(
        actor=world.users["grid_a1"], visit=raised, title="想要一台轮椅", category="elder_care"
    )
    visit, _created = visit_log(
        actor=world.users["grid_a1"],
        household=world.households["a"],
        kind="care",
        met="户主",
        notes="屋顶漏水，需要维修。" * 8,
        needs=["住房", "助老", "一个很长很长的自由需求标签"],
    )
    return visit, raised


def test_visit_pages_fit_a_360_px_phone(e2e_world, phone):
    visit, raised = _a_visit(e2e_world)
    log_in(phone, "grid_a1")
    pages = [
        "/visits/today/",
        f"/visits/new/?household={e2e_world.households['a'].pk}",
        "/visits/new/",
        f"/visits/{visit.pk}/",
        f"/visits/{raised.pk}/",
        f"/visits/household/{visit.household_id}/",
        "/visits/coverage/",
    ]
    results = [check_phone_page(phone, url) for url in pages]
    phone.goto("/visits/today/")
    assert phone.locator("a", has_text="下水道堵塞很久了").count() == 1  # an overdue request
    phone.goto(f"/visits/{raised.pk}/")
    assert phone.locator("[data-testid=visit-case-link]").count() == 1
    for r in results:
        print(f"\n{r['url']}: scrollWidth {r['scroll_width']}, small targets {r['small']}")
    assert [(r["url"], r["scroll_width"]) for r in results if r["scroll_width"] > WIDTH] == []
    assert [(r["url"], r["small"]) for r in results if r["small"]] == []


LEAFLET_DEFAULTS = ("leaflet-control-zoom-in", "leaflet-control-zoom-out", '"Leaflet"')


def test_map_page_fits_a_360_px_phone(e2e_world, phone):
    """The map (lianxin.maps) has no sideways scroll and its own controls are 44 px; Leaflet's
    default zoom buttons and attribution are checked in the next test."""
    log_in(phone, "town_a")
    result = check_phone_page(phone, "/map/")
    print(f"\n/map/: scrollWidth {result['scroll_width']}, small targets {result['small']}")
    assert result["scroll_width"] <= WIDTH
    own = [t for t in result["small"] if not any(d in t for d in LEAFLET_DEFAULTS)]
    assert own == []


def test_map_leaflet_controls_are_44_px(e2e_world, phone):
    log_in(phone, "town_a")
    result = check_phone_page(phone, "/map/")
    assert [t for t in result["small"] if any(d in t for d in LEAFLET_DEFAULTS)] == []


def test_base_layout_on_a_360_px_phone_report(e2e_world, phone):
    """The whole page (the base layout's header and footer too) has no sideways scroll; its
    small targets outside the content are printed for the report (the base template is core's)."""
    log_in(phone, "grid_a1")
    for url in ("/visits/today/", "/visits/coverage/"):
        result = check_phone_page(phone, url, scope="body")
        print(f"\n{url} (whole page): small targets {result['small']}")
        assert result["scroll_width"] <= WIDTH
