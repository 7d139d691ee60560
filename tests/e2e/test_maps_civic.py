"""民情地图 in Chromium: a town clerk filters overdue, clicks a cluster down to one request and
opens it; the page is interactive in under a second (Performance API); a 360-px phone keeps
the filters collapsed above the map with 44-px touch targets. No tile server is reachable
here: the map shows its points without tiles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

POINTS = [(34.711, 104.881), (34.712, 104.882), (34.718, 104.888), (34.715, 104.895)]


def _requests(world):
    from lianxin.cases.models import Case
    from tests.cases.factories import make_case

    cases = []
    for i, (lat, lng) in enumerate(POINTS):
        case = make_case(world, title=f"地图诉求{i}")
        Case.objects.filter(pk=case.pk).update(lat=lat, lng=lng)
        cases.append(case)
    late = [c.pk for c in cases[:3]]
    Case.objects.filter(pk__in=late).update(resolve_due_at=timezone.now() - timedelta(days=1))
    return cases


def test_town_clerk_filters_overdue_and_clicks_a_cluster_down_to_a_request(e2e_world, new_page):
    cases = _requests(e2e_world)
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "town_a")
    page.goto("/map/", wait_until="domcontentloaded")
    page.locator("#lx-civic-map[data-loaded]").wait_for()
    interactive = page.evaluate("performance.getEntriesByType('navigation')[0].domInteractive")
    first_points = int(page.locator("#lx-civic-map").get_attribute("data-first-loaded-at"))
    print(f"map page: domInteractive {interactive:.0f} ms, first points at {first_points} ms")
    assert interactive < 1000

    with page.expect_response(lambda r: "points.json" in r.url and "overdue=1" in r.url):
        page.check("#mf-overdue")
    page.wait_for_timeout(200)
    # Only the three overdue requests remain: click clusters until one request is alone.
    for _ in range(6):
        if page.locator(".lx-point-marker").count():
            break
        zoom = page.evaluate("document.querySelector('#lx-civic-map').dataset.loaded")
        page.locator(".lx-cluster-marker").first.click()
        page.wait_for_function(
            "z => document.querySelector('#lx-civic-map').dataset.loaded !== z", arg=zoom
        )
        page.wait_for_timeout(300)
    assert page.locator(".lx-point-marker").count() >= 1
    page.locator(".lx-point-marker").first.click()
    link = page.locator(".leaflet-popup .lx-popup-open")
    link.wait_for()
    assert "超时" in page.locator(".leaflet-popup").inner_text()
    link.click()
    page.wait_for_url("**/cases/*/")
    assert any(f"/cases/{c.pk}/" in page.url for c in cases[:3])
    assert errors == []


def test_the_map_at_360_px(e2e_world, new_page):
    _requests(e2e_world)
    page = new_page(phone=True)
    log_in(page, "town_a")
    page.goto("/map/", wait_until="domcontentloaded")
    page.locator("#lx-civic-map[data-loaded]").wait_for()
    assert page.evaluate("document.querySelector('.lx-map-filters').open") is False
    summary = page.locator(".lx-map-filters summary").bounding_box()
    assert summary["height"] >= 44
    page.locator(".lx-map-filters summary").click()
    assert page.locator("#mf-state").bounding_box()["height"] >= 44
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
