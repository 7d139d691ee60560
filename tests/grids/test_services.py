"""Grid boundary services: validation, import report, overlaps and gaps on known squares, the
re-assignment of households and open requests (with the rates rollup checked against a full
rebuild), leaders and workers, and the audit rows."""

from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.cases.models import Case, CaseStat, State
from lianxin.grids import geometry, selectors, services
from lianxin.grids.models import GridLeader
from lianxin.org.geo import grid_locate
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.services import unit_create
from lianxin.people.models import Household
from tests.cases.factories import make_case
from tests.conftest import square

pytestmark = pytest.mark.django_db


def _m2(dx: float, dy: float, lat: float) -> float:
    return dx * dy * 111_320.0 * math.cos(math.radians(lat)) * 110_574.0


# ---------------------------------------------------------------------------- boundary_set
def test_boundary_set_stores_audits_and_resets_the_index(world):
    admin = world.users["county_admin"]
    assert grid_locate(lng=104.905, lat=34.715) is None
    services.boundary_set(actor=admin, grid=world.grid_a2, geojson=square(104.90, 34.71))
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.boundary["type"] == "Polygon"
    assert grid_locate(lng=104.905, lat=34.715) == world.grid_a2
    row = AuditEvent.objects.filter(target_id=str(world.grid_a2.pk), action="update").get()
    assert row.actor == admin
    assert row.extra["area_m2"] == pytest.approx(_m2(0.01, 0.01, 34.715), rel=1e-3)


@pytest.mark.parametrize(
    ("geojson", "message"),
    [
        ({"type": "Point", "coordinates": [104.9, 34.7]}, "必须是面"),
        ("not json", "必须是面"),
        ({"type": "Polygon", "coordinates": [[[104.9]]]}, "格式不正确"),
        (square(34.71, 104.88), "不在中国境内"),  # lat and lng swapped
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [104.88, 34.71],
                        [104.89, 34.72],
                        [104.89, 34.71],
                        [104.88, 34.72],
                        [104.88, 34.71],
                    ]
                ],
            },
            "自相交",
        ),
        (square(100.0, 30.0, 1.0), "面积过大"),
    ],
)
def test_boundary_set_refuses_bad_geometry(world, geojson, message):
    before = dict(world.grid_a1.boundary)
    with pytest.raises(ValidationError) as exc:
        services.boundary_set(
            actor=world.users["county_admin"], grid=world.grid_a1, geojson=geojson
        )
    assert message in " ".join(exc.value.messages)
    world.grid_a1.refresh_from_db()
    assert world.grid_a1.boundary == before


@pytest.mark.parametrize("who", ["grid_a1", "town_b", "village_b", "supervisor", "dept"])
def test_boundary_set_refuses_non_clerks_and_other_towns(world, who):
    with pytest.raises(PermissionDenied):
        services.boundary_set(
            actor=world.users[who], grid=world.grid_a1, geojson=square(104.88, 34.71)
        )


def test_village_clerk_may_redraw_their_grid(world):
    services.boundary_set(
        actor=world.users["village_a"], grid=world.grid_a1, geojson=square(104.88, 34.71, 0.02)
    )
    world.grid_a1.refresh_from_db()
    assert world.grid_a1.boundary["coordinates"][0][2] == [104.9, 34.73]


# ---------------------------------------------------------------------------- overlaps, gaps
def test_overlap_of_two_half_overlapping_squares(world):
    admin = world.users["county_admin"]
    services.boundary_set(actor=admin, grid=world.grid_a2, geojson=square(104.885, 34.71))
    result = selectors.analysis(world.village_a)
    assert len(result.overlaps) == 1
    o = result.overlaps[0]
    assert {o["a"], o["b"]} == {world.grid_a1, world.grid_a2}
    # 0.005° × 0.01° at 34.715°N: about 505,600 m²
    assert o["area"] == pytest.approx(_m2(0.005, 0.01, 34.715), rel=2e-3)
    assert 500_000 < o["area"] < 510_000
    assert result.gaps == []  # the hull of the two is their union


def test_touching_squares_neither_overlap_nor_gap(world):
    result = selectors.analysis(world.village_a)  # A1 and A2 share an edge at 104.89
    assert result.overlaps == [] and result.gaps == []


def test_gap_between_siblings_and_inside_the_parent(world):
    admin = world.users["county_admin"]
    services.boundary_set(actor=admin, grid=world.grid_a2, geojson=square(104.90, 34.71))
    result = selectors.analysis(world.village_a)
    assert result.overlaps == []
    assert len(result.gaps) == 1
    assert result.gaps[0]["area"] == pytest.approx(_m2(0.01, 0.01, 34.715), rel=2e-3)
    # micro-grids under A1: the parent's boundary is the frame, the uncovered quarter-strip is a gap
    m1 = unit_create(code="A1-M1", name="一号楼", kind=UnitKind.MICRO_GRID, parent=world.grid_a1)
    services.boundary_set(actor=admin, grid=m1, geojson=square(104.88, 34.71, 0.005))
    gaps = [g for g in selectors.analysis(world.village_a).gaps if g["parent"] == world.grid_a1]
    assert len(gaps) == 1
    assert gaps[0]["area"] == pytest.approx(
        _m2(0.01, 0.01, 34.715) - _m2(0.005, 0.005, 34.7125), rel=2e-3
    )


def test_overlaps_only_between_siblings(world):
    m1 = unit_create(code="A1-M1", name="一号楼", kind=UnitKind.MICRO_GRID, parent=world.grid_a1)
    services.boundary_set(
        actor=world.users["county_admin"], grid=m1, geojson=square(104.88, 34.71, 0.005)
    )
    assert selectors.analysis(world.village_a).overlaps == []  # a micro-grid inside its grid


# ---------------------------------------------------------------------------- import / export
def _fc(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _f(geometry_, **props):
    return {"type": "Feature", "geometry": geometry_, "properties": props}


def test_import_reports_every_row_and_applies_only_the_valid(world):
    admin = world.users["county_admin"]
    unit_create(code="A1-M1", name="三号楼", kind=UnitKind.MICRO_GRID, parent=world.grid_a1)
    unit_create(code="A2-M1", name="三号楼", kind=UnitKind.MICRO_GRID, parent=world.grid_a2)
    data = _fc(
        _f(square(104.87, 34.70), code=world.grid_a1.code),
        _f(square(104.90, 34.70), name="东关第2网格"),
        _f(square(104.95, 34.75), code=world.grid_b1.code),  # another town's grid
        _f({"type": "Point", "coordinates": [104.9, 34.7]}, code="A1-M1"),
        _f(square(104.88, 34.71, 0.002), name="三号楼"),
        _f(square(104.88, 34.71), name="不存在"),
    )
    rows = services.boundaries_import(actor=admin, parent_unit=world.town_a, file=data)
    assert [r.status for r in rows] == [
        "matched",
        "matched",
        "not_found",
        "invalid",
        "ambiguous",
        "not_found",
    ]
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6]
    assert "必须是面" in rows[3].message
    world.grid_a1.refresh_from_db()
    world.grid_a2.refresh_from_db()
    world.grid_b1.refresh_from_db()
    assert world.grid_a1.boundary["coordinates"][0][0] == [104.87, 34.7]
    assert world.grid_a2.boundary["coordinates"][0][0] == [104.9, 34.7]
    assert world.grid_b1.boundary["coordinates"][0][0] == [104.95, 34.75]
    assert Unit.objects.get(code="A1-M1").boundary is None
    row = AuditEvent.objects.get(action="import", target_id=str(world.town_a.pk))
    assert row.extra == {"matched": 2, "not_found": 2, "invalid": 1, "ambiguous": 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "UTF-8"),
        (b"{not json", "有效的 GeoJSON"),
        (b'{"type": "Feature"}', "FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "没有要素"),
    ],
)
def test_import_refuses_a_bad_file(world, data, message):
    with pytest.raises(ValidationError) as exc:
        services.boundaries_import(
            actor=world.users["county_admin"], parent_unit=world.town_a, file=data
        )
    assert message in " ".join(exc.value.messages)


def test_export_round_trips_through_import(world):
    exported = selectors.boundaries_export(world.town_a)
    assert {f["properties"]["code"] for f in exported["features"]} == {
        world.grid_a1.code,
        world.grid_a2.code,
    }
    rows = services.boundaries_import(
        actor=world.users["town_a"], parent_unit=world.town_a, file=json.dumps(exported)
    )
    assert [r.status for r in rows] == ["matched", "matched"]


def test_import_refused_outside_the_clerks_unit(world):
    with pytest.raises(PermissionDenied):
        services.boundaries_import(
            actor=world.users["town_b"], parent_unit=world.town_a, file=_fc()
        )


# ---------------------------------------------------------------------------- regrid
def _stat_rows():
    fields = [
        "month",
        "grid_id",
        "unit_id",
        "category_id",
        "handler_id",
        "town_id",
        "village_id",
        "total",
        "open",
        "resolved",
    ]
    return sorted(tuple(r) for r in CaseStat.objects.values_list(*fields) if r[7])


def test_preview_then_apply_moves_households_and_open_requests(world):
    admin = world.users["county_admin"]
    open_case = make_case(world, lat=34.715, lng=104.886)
    closed = make_case(world, lat=34.715, lng=104.887)
    Case.objects.filter(pk=closed.pk).update(state=State.CLOSED)
    from lianxin.cases.stats import stats_rebuild

    stats_rebuild()
    # A1 shrinks to its western half; A2 grows over the eastern half, where the points lie.
    services.boundary_set(actor=admin, grid=world.grid_a1, geojson=square(104.872, 34.71, 0.01))
    services.boundary_set(
        actor=admin,
        grid=world.grid_a2,
        geojson={
            "type": "Polygon",
            "coordinates": [
                [
                    [104.882, 34.71],
                    [104.90, 34.71],
                    [104.90, 34.72],
                    [104.882, 34.72],
                    [104.882, 34.71],
                ]
            ],
        },
    )
    moves = selectors.regrid_preview(world.village_a)
    assert sorted((m.kind, m.pk) for m in moves) == sorted(
        [("household", world.households["a"].pk), ("case", open_case.pk)]
    )
    assert all(m.from_grid == world.grid_a1 and m.to_grid == world.grid_a2 for m in moves)
    token = selectors.preview_token(moves)
    with pytest.raises(ValidationError):
        services.regrid_apply(actor=admin, unit=world.village_a, token="stale")
    assert Household.objects.get(pk=world.households["a"].pk).grid == world.grid_a1

    result = services.regrid_apply(actor=admin, unit=world.village_a, token=token)
    assert result == {"households": 1, "cases": 1}
    assert Household.objects.get(pk=world.households["a"].pk).grid == world.grid_a2
    world.persons["a"].refresh_from_db()
    assert world.persons["a"].unit == world.grid_a2
    assert Case.objects.get(pk=open_case.pk).grid == world.grid_a2
    assert Case.objects.get(pk=closed.pk).grid == world.grid_a1  # history stays
    assert open_case.events.filter(kind="note", is_public=False).exists()
    kept = _stat_rows()
    assert any(r[1] == world.grid_a2.pk and r[8] == 1 for r in kept)  # A2 counts it open
    stats_rebuild()
    assert _stat_rows() == kept  # the incremental rollup equals a full rebuild
    row = AuditEvent.objects.get(action="update", target_id=str(world.village_a.pk))
    assert row.extra["households"] == 1 and row.extra["cases"] == 1
    assert selectors.regrid_preview(world.village_a) == []


def test_regrid_refused_to_another_town(world):
    with pytest.raises(PermissionDenied):
        services.regrid_apply(actor=world.users["town_b"], unit=world.village_a, token="x")


# ---------------------------------------------------------------------------- grid staff
def test_leaders_and_workers_on_the_public_card(world):
    clerk = world.users["village_a"]
    leader = services.leader_assign(
        actor=clerk, grid=world.grid_a1, name="王建国", post="building", phone="13912345678"
    )
    services.worker_assign(
        actor=clerk, grid=world.grid_a1, user=world.users["party_a"], post="专职网格员"
    )
    card = selectors.grid_card(world.grid_a1)
    assert card["leaders"] == [{"name": "王建国", "post": "楼栋长", "phone": "139****5678"}]
    assert {"name": "甲党员", "post": "专职网格员", "phone": "139****0003"} in card["workers"]
    assert AuditEvent.objects.filter(action="create", target_type="grids.gridleader").count() == 1
    services.leader_remove(actor=clerk, leader=leader)
    assert not GridLeader.objects.active().exists()
    m = Membership.objects.get(
        user=world.users["party_a"], unit=world.grid_a1, role=Role.GRID_WORKER
    )
    services.worker_remove(actor=clerk, membership=m)
    m.refresh_from_db()
    assert not m.is_active
    with pytest.raises(ValidationError):
        services.leader_assign(actor=clerk, grid=world.grid_a1, name="", post="building")
    with pytest.raises(ValidationError):
        services.leader_assign(actor=clerk, grid=world.grid_a1, name="李四", post="boss")
    with pytest.raises(PermissionDenied):
        services.leader_assign(
            actor=world.users["village_b"], grid=world.grid_a1, name="李四", post="unit"
        )


def test_geometry_area_of_a_hundredth_degree_square():
    g = geometry.parse_boundary(square(104.88, 34.71))
    assert 1_010_000 < geometry.area_m2(g) < 1_014_000


def test_town_wide_regrid_moves_a_request_to_another_village(world):
    from lianxin.cases.stats import stats_rebuild

    admin = world.users["county_admin"]
    village = unit_create(
        code="620524100002",
        name="西关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_a,
        division_code="620524100002",
    )
    west = unit_create(
        code="620524100002-G01", name="西关第1网格", kind=UnitKind.GRID, parent=village
    )
    case = make_case(world, lat=34.715, lng=104.881)
    stats_rebuild()
    services.boundary_set(actor=admin, grid=world.grid_a1, geojson=square(104.883, 34.71, 0.007))
    services.boundary_set(actor=admin, grid=west, geojson=square(104.87, 34.71, 0.013))
    moves = selectors.regrid_preview(world.town_a)
    assert [(m.kind, m.pk, m.to_grid) for m in moves] == [("case", case.pk, west)]
    services.regrid_apply(
        actor=world.users["town_a"], unit=world.town_a, token=selectors.preview_token(moves)
    )
    case.refresh_from_db()
    assert (case.grid, case.village, case.town) == (west, village, world.town_a)
    kept = _stat_rows()
    assert any(r[1] == west.pk and r[6] == village.pk for r in kept)
    stats_rebuild()
    assert _stat_rows() == kept
    with pytest.raises(PermissionDenied):  # a village clerk cannot re-assign across the town
        services.regrid_apply(actor=world.users["village_a"], unit=world.town_a, token="x")
