"""What the model learns as the "handling unit": a level relative to the request's place, or a
particular unit.

A county routes by level as much as by department: a village road goes to *its* town, a
street light in a village to *that* village, a burst pipe in a 小区 to *that* 小区's property
project. Learning the grid or village itself would learn nothing that carries to another place,
so such units are learned as ``@grid`` / ``@village`` / ``@town`` / ``@county`` / ``@property``
and resolved against the new request's own grid; departments (县人社局, 县教育局 …) and units
outside the request's own chain are learned as themselves (``u:<code>``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from lianxin.org.models import Unit, UnitKind

GRID_KINDS = (UnitKind.GRID, UnitKind.MICRO_GRID)
VILLAGE_KINDS = (UnitKind.VILLAGE, UnitKind.COMMUNITY)
TOWN_KINDS = (UnitKind.TOWN, UnitKind.STREET)
RELATIVE = ("@grid", "@village", "@town", "@county", "@property")


def unit_label(*, unit_kind: str, unit_path: str, unit_code: str, grid_path: str) -> str:
    """The label of a handling unit for a request located in the grid at ``grid_path``."""
    if unit_kind == UnitKind.PROPERTY_PROJECT:
        return "@property"
    on_chain = grid_path.startswith(unit_path)  # the unit is the grid or one of its ancestors
    if on_chain:
        if unit_kind in GRID_KINDS:
            return "@grid"
        if unit_kind in VILLAGE_KINDS:
            return "@village"
        if unit_kind in TOWN_KINDS:
            return "@town"
        if unit_kind == UnitKind.COUNTY:
            return "@county"
    return f"u:{unit_code}"


def chain(grid: Unit, ancestors: list[Unit] | None = None) -> dict[str, Unit]:
    """The grid's own levels: ``@grid``, ``@village``, ``@town``, ``@county`` → unit.

    ``ancestors``: the grid and its ancestors, root first, when already read (the workbench
    reads them for a whole page in one query, ``triage.workbench``)."""
    out: dict[str, Unit] = {}
    for u in grid.ancestors(include_self=True) if ancestors is None else ancestors:
        if u.kind in GRID_KINDS:
            out.setdefault("@grid", u)
        elif u.kind in VILLAGE_KINDS:
            out["@village"] = u
        elif u.kind in TOWN_KINDS:
            out["@town"] = u
        elif u.kind == UnitKind.COUNTY:
            out["@county"] = u
    out.setdefault("@grid", grid)
    return out


def place_of(grid: Unit | None, levels: dict[str, Unit] | None = None) -> str:
    """``seat`` (a community of the county seat, or a city street), ``community`` (another town's
    集镇), ``village``, or "" when unknown: the place kind the model reads with the text.
    ``levels``: the grid's ``chain`` when already read."""
    if grid is None:
        return ""
    levels = chain(grid) if levels is None else levels
    village, town, county = levels.get("@village"), levels.get("@town"), levels.get("@county")
    if village is None:
        return ""
    if village.kind == UnitKind.VILLAGE:
        return "village"
    if town is not None and (
        town.kind == UnitKind.STREET or (county is not None and town.name in (county.address or ""))
    ):
        return "seat"
    return "community"


def property_project(
    village: Unit | None, text: str, projects: list[Unit] | None = None
) -> Unit | None:
    """The property project of the request's community: the one whose 小区 the text names,
    else the community's only one (several and none named: None, a person must choose).
    ``projects``: the community's active property projects when already read."""
    if village is None:
        return None
    if projects is None:
        projects = list(
            Unit.objects.filter(parent=village, kind=UnitKind.PROPERTY_PROJECT, is_active=True)
        )
    named = [p for p in projects if p.name.removesuffix("物业项目") in text]
    if named:
        return named[0]
    return projects[0] if len(projects) == 1 else None


def resolve(label: str, grid: Unit | None, text: str = "") -> Unit | None:
    """The unit a label means for a request in ``grid`` (None when it means nothing there)."""
    if label.startswith("u:"):
        return Unit.objects.filter(code=label[2:], is_active=True).first()
    if grid is None:
        return None
    levels = chain(grid)
    if label == "@property":
        return property_project(levels.get("@village"), text)
    return levels.get(label)


LEVEL_NAMES = {
    "@grid": _("所在网格"),
    "@village": _("所在村（社区）"),
    "@town": _("所在乡镇（街道）"),
    "@county": _("县级"),
    "@property": _("所在小区物业"),
}
