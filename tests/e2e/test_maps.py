"""The three page maps run on the one map module (core/map.js): the intake pin fills the
hidden inputs, a request and a venue show their point. No tile server is reachable here; the
maps must work without tiles."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_intake_pin_fills_the_location_inputs(e2e_world, new_page):
    page = new_page(phone=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "13900000001")
    page.goto(f"/cases/new/?u={e2e_world.grid_a1.code}")
    page.locator("#lx-intake-map.leaflet-container").wait_for()
    assert page.evaluate("typeof window.LxMap") == "object"
    page.locator("#lx-intake-map").click(position={"x": 60, "y": 40})
    page.locator("#lx-intake-map .leaflet-marker-icon").wait_for()
    lat = page.locator("input[name=lat]").input_value()
    lng = page.locator("input[name=lng]").input_value()
    assert re.fullmatch(r"-?\d+\.\d{6}", lat) and re.fullmatch(r"-?\d+\.\d{6}", lng)
    assert errors == []


def test_request_and_venue_pages_show_their_point(e2e_world, new_page):
    from lianxin.cases.models import Case
    from tests.cases.factories import make_case
    from tests.venues.factories import venue_a

    w = e2e_world
    case = make_case(w)
    Case.objects.filter(pk=case.pk).update(lat=34.72, lng=104.89)
    venue = venue_a(w)
    venue.lat, venue.lng = 34.72, 104.89
    venue.save(update_fields=["lat", "lng"])

    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "village_a")
    page.goto(f"/cases/{case.pk}/")
    page.locator("#lx-case-map .leaflet-marker-icon").wait_for()
    page.goto(f"/venues/{venue.pk}/")
    page.locator("#venue-map path.leaflet-interactive").wait_for()
    assert errors == []
