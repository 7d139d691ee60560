"""Reads of grid boundaries: the grids under a unit, the GeoJSON export, overlaps and gaps between
siblings, the re-assignment preview and the grid's public card. Scoped through org.scoping."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from lianxin.cases.models import OPEN_STATES, Case
from lianxin.core.masking import mask_phone
from lianxin.grids import geometry
from lianxin.grids.models import GridLeader
from lianxin.grids.rules import may_edit_grids
from lianxin.org.models import GRID_KINDS, VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.org.scoping import under_q
from lianxin.people.models import Household, Person
from lianxin.people.selectors import person_list

if TYPE_CHECKING:
    from lianxin.accounts.models import User

EDITABLE_KINDS = frozenset(
    {
        UnitKind.COUNTY,
        UnitKind.TOWN,
        UnitKind.STREET,
        UnitKind.VILLAGE,
        UnitKind.COMMUNITY,
        UnitKind.GRID,
    }
)
PREVIEW_LIMIT = 500


def unit_for_edit(*, user: User, code: str) -> Unit:
    """The unit whose grids ``user`` may redraw: 404 when they cannot see it, 403 when they may
    see but not edit it."""
    unit = Unit.objects.visible_to(user).select_related("parent").filter(code=code).first()
    if unit is None or unit.kind not in EDITABLE_KINDS:
        raise Http404
    if not may_edit_grids(user, unit):
        raise PermissionDenied("grids.edit_boundary")
    return unit


def grid_for_edit(*, user: User, code: str) -> Unit:
    grid = Unit.objects.visible_to(user).select_related("parent").filter(code=code).first()
    if grid is None or grid.kind not in GRID_KINDS:
        raise Http404
    if not may_edit_grids(user, grid):
        raise PermissionDenied("grids.edit_boundary")
    return grid


def grids_under(unit: Unit) -> QuerySet[Unit]:
    """Active grids and micro-grids in ``unit``'s subtree (the unit itself excluded)."""
    return (
        Unit.objects.under(unit, include_self=False)
        .filter(kind__in=GRID_KINDS, is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def _geom(boundary: Any) -> BaseGeometry | None:
    if not boundary:
        return None
    try:
        g = shape(boundary)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError):
        return None
    return None if g.is_empty else g


def boundaries_export(unit: Unit) -> dict:
    """A FeatureCollection of the unit's grids (those with a boundary), properties code, name,
    kind and parent code: the file ``boundaries_import`` reads back."""
    features = [
        {
            "type": "Feature",
            "geometry": g.boundary,
            "properties": {
                "code": g.code,
                "name": g.name,
                "kind": g.kind,
                "parent": g.parent.code if g.parent is not None else "",
            },
        }
        for g in grids_under(unit)
        if g.boundary
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass
class Analysis:
    overlaps: list[dict] = field(default_factory=list)  # a, b (Units), area, geometry (GeoJSON)
    gaps: list[dict] = field(default_factory=list)  # parent (Unit), area, geometry (GeoJSON)


def analysis(unit: Unit, *, only: Unit | None = None) -> Analysis:
    """Overlaps between sibling grids (same parent) and gaps inside each group of siblings;
    ``only``: keep the overlaps that involve that grid."""
    grids = list(grids_under(unit))
    by_parent: dict[int, list[Unit]] = {}
    for g in grids:
        by_parent.setdefault(g.parent_id or 0, []).append(g)
    parents = {g.pk: g for g in grids}
    parents[unit.pk] = unit
    result = Analysis()
    for parent_id, siblings in by_parent.items():
        named = [(g, geom) for g in siblings if (geom := _geom(g.boundary)) is not None]
        if not named:
            continue
        lat0 = named[0][1].centroid.y
        for o in geometry.overlaps(named):
            if only is not None and only.pk not in (o["a"].pk, o["b"].pk):
                continue
            result.overlaps.append(
                {
                    "a": o["a"],
                    "b": o["b"],
                    "area": round(geometry.area_m2(o["geometry"], lat0)),
                    "geometry": geometry.to_geojson(o["geometry"]),
                }
            )
        parent = parents.get(parent_id)
        if only is not None or len(named) < 2 and (parent is None or not parent.boundary):
            continue
        frame = _geom(parent.boundary) if parent is not None else None
        for gap in geometry.gaps([g for _u, g in named], frame):
            result.gaps.append(
                {
                    "parent": parent,
                    "area": round(gap["area"]),
                    "geometry": geometry.to_geojson(gap["geometry"]),
                }
            )
    return result


def analysis_geojson(result: Analysis) -> dict:
    features = [
        {
            "type": "Feature",
            "geometry": o["geometry"],
            "properties": {
                "kind": "overlap",
                "name": f"{o['a'].name} / {o['b'].name}",
                "area": o["area"],
            },
        }
        for o in result.overlaps
    ] + [
        {
            "type": "Feature",
            "geometry": g["geometry"],
            "properties": {
                "kind": "gap",
                "name": g["parent"].name if g["parent"] else "",
                "area": g["area"],
            },
        }
        for g in result.gaps
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True)
class Move:
    kind: str  # "household" or "case"
    pk: int
    label: str
    from_grid: Unit
    to_grid: Unit


class _Locator:
    """``org.geo.grid_locate`` over the grids of one subtree, built once per preview: the most
    specific grid (a micro-grid before its grid) containing the point, without a query per point."""

    def __init__(self, grids: list[Unit]) -> None:
        self.grids = [g for g in grids if _geom(g.boundary) is not None]
        geoms = [_geom(g.boundary) for g in self.grids]
        self.tree = STRtree(geoms) if geoms else None

    def __call__(self, lng: float | None, lat: float | None) -> Unit | None:
        if lng is None or lat is None or self.tree is None:
            return None
        hits = [int(i) for i in self.tree.query(Point(lng, lat), predicate="intersects")]
        if not hits:
            return None
        return self.grids[max(hits, key=lambda i: (self.grids[i].depth, -i))]


def regrid_preview(unit: Unit) -> list[Move]:
    """Households and open requests under ``unit`` whose point now lies in another grid of it
    (as ``org.geo.grid_locate`` decides: the most specific grid containing it). A point in no
    grid of the unit stays put."""
    moves: list[Move] = []
    grids = list(grids_under(unit))
    if unit.kind in GRID_KINDS:
        grids.insert(0, unit)
    _locate = _Locator(grids)
    households = (
        Household.objects.filter(under_q(unit, ("grid",)))
        .filter(lat__isnull=False, lng__isnull=False)
        .select_related("grid")
        .order_by("pk")
    )
    for h in households:
        target = _locate(h.lng, h.lat)
        if target is not None and target.pk != h.grid_id:
            moves.append(Move("household", h.pk, h.number, h.grid, target))
    cases = (
        Case.objects.filter(under_q(unit, ("grid",)), state__in=OPEN_STATES)
        .filter(lat__isnull=False, lng__isnull=False)
        .select_related("grid")
        .order_by("pk")
    )
    for c in cases:
        target = _locate(c.lng, c.lat)
        if target is not None and target.pk != c.grid_id:
            moves.append(Move("case", c.pk, c.code, c.grid, target))
    return moves


def preview_token(moves: list[Move]) -> str:
    """A digest of the preview: applying refuses when the moves changed since it was shown."""
    rows = sorted((m.kind, m.pk, m.from_grid.pk, m.to_grid.pk) for m in moves)
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:32]


def grid_workers(grid: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(unit=grid, role=Role.GRID_WORKER)
        .select_related("user")
        .order_by("pk")
    )


def grid_leaders(grid: Unit) -> QuerySet[GridLeader]:
    return GridLeader.objects.active().filter(grid=grid).order_by("post", "name")


LEADER_PICKS = 20


def leader_scope(grid: Unit) -> Unit:
    """Where a grid's leaders (楼栋长/中心户长/单元长) come from: the village or community the
    grid lies in (the grid itself when it lies under none)."""
    for unit in reversed(list(grid.ancestors())):
        if unit.kind in VILLAGE_KINDS:
            return unit
    return grid


def leader_candidates(*, user: User, grid: Unit, q: str = "") -> QuerySet[Person]:
    """The people a grid's leader may be chosen from: those the user may see
    (``people.selectors.person_list``, scoped) who belong to a unit under the grid's village or
    community, so a person of another village is never offered (nor accepted, see
    ``services.leader_assign``); ``q`` matches the name."""
    scope = leader_scope(grid)
    return person_list(user=user, q=q.strip()[:50]).filter(under_q(scope, ("unit",)))


def leader_choices(*, user: User, grid: Unit, q: str = "") -> list[dict]:
    """The picker's options: name, unit and the phone masked (the first ``LEADER_PICKS``)."""
    return [
        {
            "pk": p.pk,
            "name": p.name,
            "unit": p.unit.name if p.unit_id else "",
            "phone": mask_phone(p.phone or ""),
        }
        for p in leader_candidates(user=user, grid=grid, q=q)[:LEADER_PICKS]
    ]


def public_grid(*, code: str) -> Unit:
    grid = Unit.objects.filter(code=code, kind__in=GRID_KINDS, is_active=True).first()
    if grid is None:
        raise Http404
    return grid


def grid_card(grid: Unit) -> dict:
    """The public card (网格公示): the grid, its workers and leaders by name, phones masked."""
    workers = [
        {
            "name": m.user.display_name or m.user.display_login,
            "post": m.post or m.get_role_display(),
            "phone": mask_phone(m.user.phone or ""),
        }
        for m in grid_workers(grid)
    ]
    leaders = [
        {"name": x.name, "post": x.get_post_display(), "phone": mask_phone(x.phone)}
        for x in grid_leaders(grid)
    ]
    return {"grid": grid, "workers": workers, "leaders": leaders}


def grid_of(unit: Unit | None) -> Unit | None:
    """The grid a resident belongs to: their unit if it is a grid, else the nearest grid above
    it (a micro-grid's grid counts: the card of the smallest grid is the one that names the
    people who knock on the resident's door). None when the unit lies in no grid."""
    if unit is None:
        return None
    if unit.kind in GRID_KINDS and unit.is_active:
        return unit
    return unit.ancestors().filter(kind__in=GRID_KINDS, is_active=True).order_by("-depth").first()
