"""A county admin edits an existing grid's boundary on the editor (Leaflet.draw's edit tool):
drags a corner, saves, and the stored polygon changes with an audit row. No tile server is
reachable here; the editor works without tiles."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _point(page, lat: float, lng: float) -> tuple[float, float]:
    x, y = page.evaluate(
        "([lat, lng]) => { const p = window.LxGridEditor.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [lat, lng],
    )
    box = page.locator("#grid-editor").bounding_box()
    return box["x"] + x, box["y"] + y


def _corners(geometry: dict) -> set[tuple[float, float]]:
    ring = geometry["coordinates"][0]
    return {(round(x, 5), round(y, 5)) for x, y in ring}


def test_county_admin_drags_a_grid_corner_and_saves(e2e_world, new_page):
    from lianxin.audit.models import AuditEvent
    from lianxin.org.models import Unit

    w = e2e_world
    before = w.grid_a1.boundary
    assert (104.88, 34.71) in _corners(before)
    audits = AuditEvent.objects.filter(target_id=str(w.grid_a1.pk)).count()
    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "county_admin")
    page.goto(f"/grids/{w.village_a.code}/map/")
    page.locator("#grid-editor.leaflet-container").wait_for()
    page.locator(".leaflet-draw-edit-edit").click()
    page.locator(".leaflet-editing-icon").first.wait_for()
    # grid_a1's south-west corner (104.88, 34.71) is its own (the east corners are shared with
    # grid_a2): drag it south-west by about 0.002°.
    x, y = _point(page, 34.71, 104.88)
    tx, ty = _point(page, 34.708, 104.878)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move((x + tx) / 2, (y + ty) / 2, steps=4)
    page.mouse.move(tx, ty, steps=4)
    page.mouse.up()
    page.locator(".leaflet-draw-actions a", has_text="Save").click()
    saved = page.locator("#grid-saved")
    saved.wait_for(state="visible")
    assert w.grid_a1.name in saved.inner_text()
    after = Unit.objects.get(pk=w.grid_a1.pk).boundary
    assert after != before and after["type"] == "Polygon"
    corners = _corners(after)
    assert (104.88, 34.71) not in corners
    moved = min(corners, key=lambda c: (c[0] - 104.878) ** 2 + (c[1] - 34.708) ** 2)
    assert abs(moved[0] - 104.878) < 0.0005 and abs(moved[1] - 34.708) < 0.0005, corners
    # the other grid is untouched; the change is audited with the new area
    assert Unit.objects.get(pk=w.grid_a2.pk).boundary == w.grid_a2.boundary
    rows = AuditEvent.objects.filter(target_id=str(w.grid_a1.pk)).order_by("-id")
    assert rows.count() == audits + 1
    row = rows.first()
    assert row.actor == w.users["county_admin"] and row.reason == "修改网格边界"
    assert row.extra["area_m2"] > 0
    assert errors == []
