"""民情地图 on an intranet: the tile server cannot be reached, so the map switches to a plain
background, says so, and still shows grid boundaries and request points."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[104.87, 34.70], [104.90, 34.70], [104.90, 34.73], [104.87, 34.73], [104.87, 34.70]]
    ],
}


def test_map_without_tiles_keeps_boundaries_and_points(e2e_world, new_page, settings):
    from lianxin.cases.models import Case
    from lianxin.grids.services import boundary_set
    from tests.cases.factories import make_case

    # A port nothing listens on: every tile request fails at once, as on an intranet.
    settings.LIANXIN_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    boundary_set(actor=e2e_world.users["county_admin"], grid=e2e_world.grid_a1, geojson=SQUARE)
    case = make_case(e2e_world, title="内网地图诉求")
    Case.objects.filter(pk=case.pk).update(lat=34.715, lng=104.885)

    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "town_a")
    page.goto("/map/", wait_until="domcontentloaded")
    page.locator("#lx-civic-map.lx-no-tiles").wait_for(state="attached", timeout=15000)
    page.locator("#lx-civic-map[data-loaded]").wait_for()
    assert "底图无法加载" in page.locator("body").inner_text()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.leaflet-tile-pane')).display")
        == "none"
    )
    # The grid's boundary is drawn (an SVG path in the overlay pane) and the request shows.
    page.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    assert page.locator(".lx-point-marker, .lx-cluster-marker").count() >= 1
    assert errors == []
