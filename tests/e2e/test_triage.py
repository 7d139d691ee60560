"""Issue 14 (6): a resident's duplicate is caught on a phone at intake and attached with
"我也遇到"; a clerk takes the suggested unit on the request's page and dispatches."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_me_too_on_a_phone_and_a_suggested_dispatch(e2e_world, new_page):
    from lianxin.cases.models import CoReporter, State
    from tests.cases.factories import ensure_categories, make_case
    from tests.triage.factories import trained

    ensure_categories()
    w = e2e_world
    trained(w)
    existing = make_case(
        w,
        title="路灯不亮",
        description="人民路的路灯坏了一个星期，晚上黑乎乎的",
        reporter="resident_b",
    )

    # 1. the resident writes about the same light on a phone: the duplicate is shown
    page = new_page(phone=True)
    log_in(page, "13900000001")
    page.goto(f"/cases/new/?u={w.grid_a1.code}")
    page.fill("input[name=title]", "路灯坏了")
    page.fill("textarea[name=description]", "人民路路灯坏了好几天，晚上很黑，出门不安全")
    page.locator("[data-testid=triage-duplicate]").first.wait_for()
    assert "附近已有类似诉求" in page.locator("[data-testid=triage-duplicates]").inner_text()
    assert page.locator("[data-testid=triage-hints]").count() == 0  # no suggestion for a resident
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.click("[data-testid=triage-me-too]")
    page.wait_for_url(f"**/{existing.code}/**")
    assert CoReporter.objects.filter(case=existing, user=w.users["resident_a"]).exists()

    # 2. the grid worker opens a wage claim, takes the suggested unit, and dispatches
    wage = make_case(
        w, title="讨要工钱", description="老板拖欠我们三个月工资不给", cat="dispute-wage"
    )
    staff = new_page()
    log_in(staff, "grid_a1")
    staff.goto(f"/cases/{wage.pk}/")
    suggested = staff.locator(f"[data-testid=triage-unit][data-value='{w.department.pk}']")
    suggested.wait_for()
    suggested.click()
    assert staff.locator("[data-testid=to-unit]").input_value() == str(w.department.pk)
    wage.refresh_from_db()
    assert wage.unit == w.grid_a1  # nothing applied by the suggestion itself
    staff.click("[data-testid=act-dispatch]")
    staff.locator("[data-testid=owner]:has-text('县住建局')").wait_for()
    wage.refresh_from_db()
    assert wage.owner_unit == w.department and wage.state == State.SUBMITTED


def test_a_hot_spot_is_flagged_on_the_map(e2e_world, new_page):
    """Issue 14 (5c): many similar requests in one grid within days raise a ⚑ on the 民情地图."""
    from tests.cases.factories import ensure_categories, make_case

    ensure_categories()
    w = e2e_world
    for i, text in enumerate(
        [
            "人民路的路灯坏了，晚上很黑",
            "人民路路灯不亮好几天了，晚上黑乎乎",
            "人民路那排路灯晚上不亮",
        ]
    ):
        make_case(w, title="路灯不亮", description=text, lat=34.72 + i * 0.0005, lng=104.89)
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "town_a")
    page.goto("/map/")
    assert w.grid_a1.name in page.locator("[data-testid=triage-map-flags]").inner_text()
    flag = page.locator("#lx-civic-map [data-testid=triage-map-flag]")
    flag.wait_for()
    assert flag.count() == 1 and "3" in flag.inner_text()
    flag.click()
    page.locator("#lx-civic-map .leaflet-popup-content a").wait_for()
    assert errors == []
