"""The viewport endpoint: SQL grid clustering (the same cells on SQLite and PostgreSQL, the
suite runs on both), counts, validation (400 in Chinese), scoping, filters, size bound."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case, State
from lianxin.maps import selectors
from tests.cases.factories import make_case

BBOX = "104.80,34.60,105.10,34.90"
# Points in 东关第1网格 (104.88..104.89, 34.71..34.72) and 东关第2网格 (104.89..104.90).
POINTS = [
    (34.711, 104.881),
    (34.712, 104.882),
    (34.713, 104.883),
    (34.718, 104.888),
    (34.715, 104.895),
    (34.716, 104.897),
]


def _place(world, points=POINTS, grid=None):
    cases = []
    for i, (lat, lng) in enumerate(points):
        case = make_case(world, grid=grid or world.grid_a1, title=f"地图诉求{i}")
        Case.objects.filter(pk=case.pk).update(lat=lat, lng=lng)
        cases.append(case)
    return cases


def _get(client, **params):
    query = {"bbox": BBOX, "zoom": "14", "layers": "cases", **params}
    return client.get(reverse("maps:points"), query)


def _expected_cells(points, west, south, zoom):
    cell = selectors.cell_degrees(zoom)
    cells: dict[tuple[int, int], int] = {}
    for lat, lng in points:
        key = (math.floor((lng - west) / cell), math.floor((lat - south) / cell))
        cells[key] = cells.get(key, 0) + 1
    return cells


@pytest.mark.parametrize("zoom", [8, 11, 14, 17])
def test_cells_match_the_python_grid_and_counts_add_up(world, client, login, zoom):
    _place(world)
    login(world.users["town_a"])
    response = _get(client, zoom=str(zoom))
    assert response.status_code == 200
    cells = response.json()["layers"]["cases"]
    expected = _expected_cells(POINTS, 104.80, 34.60, zoom)
    assert sorted(c["n"] for c in cells) == sorted(expected.values())
    assert sum(c["n"] for c in cells) == len(POINTS)
    for c in cells:
        assert 34.60 <= c["lat"] <= 34.90 and 104.80 <= c["lng"] <= 105.10


def test_cluster_rows_give_integer_cell_indices(world, town_a_user=None):
    _place(world)
    vp = selectors.Viewport(104.80, 34.60, 105.10, 34.90, 14, ("cases",))
    from lianxin.accounts.models import User

    user = User.objects.get(username="town_a")
    qs = selectors._layer(layer="cases", user=user, vp=vp, now=timezone.now())
    rows = selectors.cluster_rows(qs, vp)
    got = {(r["cx"], r["cy"]): r["n"] for r in rows}
    assert got == _expected_cells(POINTS, 104.80, 34.60, 14)


def test_a_single_point_carries_its_object(world, client, login):
    (case,) = _place(world, [(34.714, 104.884)])
    login(world.users["town_a"])
    (cell,) = _get(client, zoom="17").json()["layers"]["cases"]
    assert cell["n"] == 1 and cell["id"] == case.pk
    assert cell["href"] == reverse("cases:case_detail", args=[case.pk])
    assert cell["state_label"] == "待签收" and cell["overdue"] is False
    assert case.title in cell["title"]


def test_a_sibling_town_gets_no_points(world, client, login):
    _place(world)
    login(world.users["town_b"])
    body = client.get(
        reverse("maps:points"), {"bbox": BBOX, "zoom": "14", "layers": "cases,wishes,venues,events"}
    ).json()
    assert all(cells == [] for cells in body["layers"].values())
    grids = client.get(reverse("maps:grids"), {"bbox": BBOX, "zoom": "14"}).json()
    assert [f["properties"]["name"] for f in grids["features"]] == ["张家第1网格"]


def test_a_unit_outside_the_scope_is_refused(world, client, login):
    login(world.users["town_b"])
    response = _get(client, unit=str(world.village_a.pk))
    assert response.status_code == 400
    assert "管辖" in response.json()["error"]


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": ""},
        {"bbox": "a,b,c,d"},
        {"bbox": "1,2,3"},
        {"bbox": "105,34,104,35"},
        {"bbox": "100,30,130,60"},
        {"bbox": "nan,34,105,35"},
        {"zoom": "x"},
        {"zoom": "99"},
        {"layers": "nothing"},
        {"state": "bogus"},
        {"from": "2026-11-10", "to": "2026-11-01"},
    ],
)
def test_bad_params_are_400_in_chinese(world, client, login, params):
    login(world.users["town_a"])
    response = _get(client, **params)
    assert response.status_code == 400
    message = response.json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message)


def test_filters_overdue_state_and_unit(world, client, login):
    cases = _place(world)
    Case.objects.filter(pk=cases[0].pk).update(resolve_due_at=timezone.now() - timedelta(days=1))
    Case.objects.filter(pk=cases[1].pk).update(state=State.IN_PROGRESS)
    Case.objects.filter(pk=cases[5].pk).update(grid=world.grid_a2)
    login(world.users["town_a"])
    overdue = _get(client, zoom="19", overdue="1").json()["layers"]["cases"]
    assert [c["id"] for c in overdue] == [cases[0].pk] and overdue[0]["overdue"] is True
    in_progress = _get(client, zoom="19", state=State.IN_PROGRESS).json()["layers"]["cases"]
    assert [c["id"] for c in in_progress] == [cases[1].pk]
    by_unit = _get(client, zoom="19", unit=str(world.grid_a2.pk)).json()["layers"]["cases"]
    assert [c["id"] for c in by_unit] == [cases[5].pk]
    today = timezone.localdate().isoformat()
    assert (
        sum(c["n"] for c in _get(client, zoom="19", **{"from": today}).json()["layers"]["cases"])
        == 6
    )
    assert _get(client, zoom="19", to="2020-01-01").json()["layers"]["cases"] == []


def test_an_overdue_cluster_counts_its_late_requests(world, client, login):
    cases = _place(world)
    Case.objects.filter(pk__in=[cases[0].pk, cases[1].pk]).update(
        resolve_due_at=timezone.now() - timedelta(days=1)
    )
    login(world.users["town_a"])
    cells = _get(client, zoom="8").json()["layers"]["cases"]
    assert len(cells) == 1 and cells[0]["n"] == 6 and cells[0]["late"] == 2


def test_the_response_is_bounded(world, client, login, monkeypatch):
    _place(world)
    monkeypatch.setattr(selectors, "MAX_CELLS", 2)
    login(world.users["town_a"])
    body = _get(client, zoom="19").json()
    assert len(body["layers"]["cases"]) == 2 and body["truncated"] is True


def test_other_layers_use_their_units_point(world, client, login):
    from lianxin.org.models import Unit
    from tests.venues.factories import venue_a

    venue = venue_a(world)
    Unit.objects.filter(pk=venue.unit_id).update(lat=34.715, lng=104.885)
    login(world.users["town_a"])
    cells = _get(client, layers="venues", zoom="17").json()["layers"]["venues"]
    assert [c.get("id") for c in cells] == [venue.pk]
    assert cells[0]["href"] == reverse("venues:venue_detail", args=[venue.pk])
    login(world.users["town_b"])
    assert _get(client, layers="venues", zoom="17").json()["layers"]["venues"] == []


def test_a_resident_is_refused(world, client, login):
    login(world.users["resident_a"])
    assert _get(client).status_code in (302, 403)
