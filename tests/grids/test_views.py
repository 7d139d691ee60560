"""The grid pages as a clerk: the editor, saving a polygon (the overlap warning), drawing a new
micro-grid, import report, export, re-assignment, grid staff and the public card."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.grids.models import GridLeader
from lianxin.org.models import Unit, UnitKind
from lianxin.people.models import Household
from tests.conftest import square

pytestmark = pytest.mark.django_db


def test_editor_lists_overlaps_and_gaps(world, client, login):
    from lianxin.grids import services

    services.boundary_set(
        actor=world.users["county_admin"], grid=world.grid_a2, geojson=square(104.885, 34.71)
    )
    login(world.users["village_a"])
    response = client.get(reverse("grids:map", args=[world.village_a.code]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "leaflet-draw/leaflet.draw.js" in text and "grids/editor.js" in text
    assert "重叠 50" in text  # ≈ 505,6xx m²
    assert 'id="grid-features"' in text and 'id="grid-analysis"' in text
    assert "<script>" not in text.split("</head>")[1].replace(
        '<script id="', ""
    )  # no inline script


def test_saving_an_overlapping_polygon_answers_the_warning(world, client, login):
    login(world.users["county_admin"])
    url = reverse("grids:boundary_save", args=[world.village_a.code, world.grid_a2.code])
    response = client.post(url, {"geojson": json.dumps(square(104.885, 34.71))})
    data = response.json()
    assert data["ok"] is True
    assert data["overlaps"][0]["name"] == "东关第1网格"
    assert data["warnings"][0].startswith("与“东关第1网格”重叠 ") and data["warnings"][0].endswith(
        " 平方米"
    )


def test_saving_bad_geojson_is_a_chinese_400(world, client, login):
    login(world.users["county_admin"])
    url = reverse("grids:boundary_save", args=[world.village_a.code, world.grid_a2.code])
    for body in ("{", json.dumps({"type": "Point", "coordinates": [1, 2]})):
        response = client.post(url, {"geojson": body})
        assert response.status_code == 400
        assert response.json()["ok"] is False and response.json()["error"]


def test_drawing_a_new_micro_grid(world, client, login):
    login(world.users["county_admin"])
    response = client.post(
        reverse("grids:grid_new", args=[world.village_a.code]),
        {
            "name": "一号楼",
            "parent": world.grid_a1.code,
            "geojson": json.dumps(square(104.888, 34.711, 0.004)),
        },
    )
    data = response.json()
    assert data["ok"] and data["code"] == f"{world.grid_a1.code}-M01"
    unit = Unit.objects.get(code=data["code"])
    assert unit.kind == UnitKind.MICRO_GRID and unit.parent == world.grid_a1 and unit.boundary
    assert data["warnings"] == []  # inside its grid, no sibling
    again = client.post(
        reverse("grids:grid_new", args=[world.village_a.code]),
        {
            "name": "二号楼",
            "parent": world.grid_a1.code,
            "geojson": json.dumps(square(104.889, 34.711, 0.004)),
        },
    ).json()
    assert again["code"].endswith("-M02") and "一号楼" in again["warnings"][0]
    bad = client.post(
        reverse("grids:grid_new", args=[world.village_a.code]),
        {"name": "三号楼", "parent": world.grid_a1.code, "geojson": "[]"},
    )
    assert bad.status_code == 400 and not Unit.objects.filter(name="三号楼").exists()


def test_import_page_shows_the_report(world, client, login):
    login(world.users["town_a"])
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": square(104.87, 34.70),
                "properties": {"code": world.grid_a1.code},
            },
            {
                "type": "Feature",
                "geometry": square(104.87, 34.70),
                "properties": {"name": "无此网格"},
            },
        ],
    }
    upload = SimpleUploadedFile(
        "town.geojson", json.dumps(data).encode(), content_type="application/geo+json"
    )
    response = client.post(reverse("grids:import", args=[world.town_a.code]), {"file": upload})
    text = response.content.decode()
    assert (
        response.status_code == 200 and "已匹配" in text and "未找到" in text and "无此网格" in text
    )
    bad = SimpleUploadedFile("x.geojson", b"nope")
    response = client.post(
        reverse("grids:import", args=[world.town_a.code]), {"file": bad}, follow=True
    )
    assert "有效的 GeoJSON" in response.content.decode()


def test_export_is_a_geojson_download(world, client, login):
    login(world.users["town_a"])
    response = client.get(reverse("grids:export", args=[world.town_a.code]))
    assert response["Content-Disposition"].endswith('.geojson"')
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
    from lianxin.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", target_id=str(world.town_a.pk)).count() == 1


def test_regrid_page_previews_then_applies(world, client, login):
    from lianxin.grids import services

    admin = world.users["county_admin"]
    services.boundary_set(actor=admin, grid=world.grid_a1, geojson=square(104.872, 34.71))
    services.boundary_set(actor=admin, grid=world.grid_a2, geojson=square(104.882, 34.71))
    login(world.users["village_a"])
    url = reverse("grids:regrid", args=[world.village_a.code])
    response = client.get(url)
    assert "A-0001" in response.content.decode()
    token = response.context["token"]
    response = client.post(url, {"token": token}, follow=True)
    assert "已调整 1 户" in response.content.decode()
    assert Household.objects.get(number="A-0001").grid == world.grid_a2
    response = client.post(url, {"token": token}, follow=True)  # stale now: nothing to move
    assert "重新预览" in response.content.decode()


def test_staff_page_and_public_card(world, client, login):
    login(world.users["village_a"])
    url = reverse("grids:staff", args=[world.grid_a1.code])
    client.post(
        url, {"action": "leader_add", "name": "王建国", "post": "building", "phone": "13912345678"}
    )
    client.post(url, {"action": "worker_add", "login": "13900000003", "post": "兼职网格员"})
    client.post(url, {"action": "worker_add", "login": "nobody"})
    assert "王建国" in client.get(url).content.decode()
    client.logout()
    card = client.get(reverse("grids:card", args=[world.grid_a1.code])).content.decode()
    assert "王建国" in card and "139****5678" in card and "13912345678" not in card
    assert "甲党员" in card and "139****0003" in card
    leader = GridLeader.objects.get()
    login(world.users["village_a"])
    client.post(url, {"action": "leader_remove", "pk": leader.pk})
    assert not GridLeader.objects.active().exists()
    assert client.get(reverse("grids:card", args=["nope"])).status_code == 404


def test_grid_worker_may_not_open_the_editor(world, client, login):
    login(world.users["grid_a1"])
    assert client.get(reverse("grids:map", args=[world.village_a.code])).status_code == 403
    login(world.users["village_a"])
    assert client.get(reverse("grids:map", args=[world.town_a.code])).status_code in (403, 404)
