"""The demo tree's extras (issue 11): micro-grids in 城关镇's communities, a property-management
company with projects under two communities, 两新 organisations with and without a party
organisation, and a 党建联合体 with members from several towns. Deterministic: no draws from the
demo's random generator, so the later steps' draws stay as they were."""

from __future__ import annotations

from django.db.models import Q

from lianxin.org.models import AllianceMember, PartyOrgForm, Unit, UnitKind
from lianxin.org.services import unit_create

MICRO_PER_GRID = 3
# (town index, kind, name, party organisation form or None)
LIANGXIN = [
    (0, UnitKind.ENTERPRISE, "武山县渭水建材有限公司", PartyOrgForm.SINGLE),
    (0, UnitKind.ENTERPRISE, "城关镇惠民超市", None),
    (0, UnitKind.SOCIAL_ORG, "武山县义工联合会", PartyOrgForm.FUNCTIONAL),
    (1, UnitKind.ENTERPRISE, "洛门镇蔬菜产销合作社", PartyOrgForm.JOINT),
    (1, UnitKind.SOCIAL_ORG, "洛门镇老年人协会", None),
]


def _bbox(boundary: dict) -> tuple[float, float, float, float]:
    ring = boundary["coordinates"][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _box_polygon(x0: float, y0: float, x1: float, y1: float) -> dict:
    x0, y0, x1, y1 = (round(v, 6) for v in (x0, y0, x1, y1))
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _party_org(unit: Unit, form: str) -> Unit:
    return unit_create(
        code=f"{unit.code}-P01",
        name=f"{unit.name}党支部",
        kind=UnitKind.PARTY_ORG,
        parent=unit,
        belongs_to=unit,
        party_org_form=form,
    )


def demo_tree_extras(county: Unit) -> dict[str, int]:
    """Add the extras under ``county``; returns counts for the demo log."""
    towns = list(Unit.objects.filter(parent=county, kind__in=["town", "street"]).order_by("code"))
    chengguan = next((t for t in towns if t.name == "城关镇"), towns[0])
    communities = list(
        Unit.objects.filter(parent=chengguan, kind=UnitKind.COMMUNITY).order_by("code")
    )
    micro = 0
    for community in communities:
        for grid in Unit.objects.filter(parent=community, kind=UnitKind.GRID).order_by("code"):
            if not grid.boundary:
                continue
            x0, y0, x1, y1 = _bbox(grid.boundary)
            pad_x, h = (x1 - x0) * 0.05, (y1 - y0) / MICRO_PER_GRID
            for i in range(MICRO_PER_GRID):
                box = (x0 + pad_x, y0 + i * h + h * 0.05, x1 - pad_x, y0 + (i + 1) * h - h * 0.05)
                unit_create(
                    code=f"{grid.code}-M{i + 1:02d}",
                    name=f"{grid.name}{i + 1}号微网格",
                    kind=UnitKind.MICRO_GRID,
                    parent=grid,
                    boundary=_box_polygon(*box),
                    lng=round((box[0] + box[2]) / 2, 6),
                    lat=round((box[1] + box[3]) / 2, 6),
                )
                micro += 1

    company = unit_create(
        code=f"{chengguan.code}-E01",
        name="武山县安居物业服务有限公司",
        kind=UnitKind.ENTERPRISE,
        parent=chengguan,
    )
    _party_org(company, PartyOrgForm.JOINT)
    projects = 0
    for community, names in zip(
        communities[:2], (["安居花园", "渭滨小区"], ["城南佳苑"]), strict=False
    ):
        for j, name in enumerate(names, 1):
            unit_create(
                code=f"{community.code}-W{j:02d}",
                name=f"{name}物业项目",
                kind=UnitKind.PROPERTY_PROJECT,
                parent=community,
                management_company=company,
                lng=community.lng,
                lat=community.lat,
            )
            projects += 1

    liangxin = [company]
    seq: dict[tuple[int, str], int] = {(0, UnitKind.ENTERPRISE): 1}
    prefix = {UnitKind.ENTERPRISE: "E", UnitKind.SOCIAL_ORG: "S"}
    for town_i, kind, name, form in LIANGXIN:
        town = chengguan if town_i == 0 else [t for t in towns if t != chengguan][town_i - 1]
        n = seq[(town_i, kind)] = seq.get((town_i, kind), 0) + 1
        unit = unit_create(
            code=f"{town.code}-{prefix[kind]}{n:02d}", name=name, kind=kind, parent=town
        )
        if form:
            _party_org(unit, form)
        liangxin.append(unit)

    alliance = unit_create(
        code=f"{county.code}-L01",
        name="武山县城乡党建联合体",
        kind=UnitKind.ALLIANCE,
        parent=county,
    )
    first_villages = [
        Unit.objects.filter(parent=t)
        .filter(Q(kind="village") | Q(kind="community"))
        .order_by("code")
        .first()
        for t in towns[:4]
    ]
    members = [*[v for v in first_villages if v is not None], company, liangxin[1]]
    dept = Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT).order_by("code").first()
    if dept is not None:
        members.append(dept)
    AllianceMember.objects.bulk_create(
        [AllianceMember(alliance=alliance, member=m) for m in members]
    )
    return {
        "micro_grids": micro,
        "projects": projects,
        "liangxin": len(liangxin),
        "alliance_members": len(members),
    }
