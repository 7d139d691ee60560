"""Writes of grid boundaries and grid staff. Each is keyword-only, transactional and audited;
who may act is ``grids.rules.may_edit_grids`` (clerks over the unit)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case
from lianxin.cases.services import case_regrid
from lianxin.grids import geometry, selectors
from lianxin.grids.models import GridLeader, LeaderPost
from lianxin.grids.rules import may_edit_grids
from lianxin.org.geo import grid_index_reset
from lianxin.org.models import GRID_KINDS, Membership, Role, Unit, UnitKind
from lianxin.org.services import membership_grant, membership_revoke, unit_create
from lianxin.people.models import Household, Person

if TYPE_CHECKING:
    from django.http import HttpRequest

    from lianxin.accounts.models import User

MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _require_edit(actor: User, unit: Unit) -> None:
    if not may_edit_grids(actor, unit):
        raise PermissionDenied("grids.edit_boundary")


@transaction.atomic
def boundary_set(
    *, actor: User, grid: Unit, geojson: Any, request: HttpRequest | None = None
) -> Unit:
    """Store a grid's or micro-grid's boundary.

    Rule: only a Polygon/MultiPolygon inside China, valid (no self-intersection), neither tiny
    nor over 2,000 km² (``geometry.parse_boundary``); only a clerk over the grid; audited with
    the area; the point-in-grid index is reset so new points land in the new shape.
    """
    if grid.kind not in GRID_KINDS:
        raise ValidationError(_("只有网格和微网格可以设置边界。"))
    _require_edit(actor, grid)
    geom = geometry.parse_boundary(geojson)
    had = grid.boundary is not None
    grid.boundary = geometry.to_geojson(geom)
    grid.save(update_fields=["boundary", "updated_at"])
    grid_index_reset()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=grid,
        reason=_("修改网格边界") if had else _("绘制网格边界"),
        request=request,
        extra={"area_m2": round(geometry.area_m2(geom))},
    )
    return grid


def _new_code(parent: Unit, kind: str) -> str:
    prefix = f"{parent.code}-{'M' if kind == UnitKind.MICRO_GRID else 'G'}"
    taken = set(Unit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def grid_draw(
    *,
    actor: User,
    parent: Unit,
    name: str,
    geojson: Any,
    request: HttpRequest | None = None,
) -> Unit:
    """Create a grid (under a village, community, town or street) or a micro-grid (under a grid)
    from a drawn polygon.

    Rule: a clerk over ``parent``; the kind follows the parent; the code is the parent's code
    with -G01/-M01…; created through ``org.services.unit_create`` (audited there) and its
    boundary set through ``boundary_set`` — an invalid polygon creates nothing.
    """
    _require_edit(actor, parent)
    name = (name or "").strip()[:100]
    if not name:
        raise ValidationError(_("请填写网格名称。"))
    if parent.kind in GRID_KINDS:
        kind = UnitKind.MICRO_GRID
    elif parent.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.TOWN, UnitKind.STREET):
        kind = UnitKind.GRID
    else:
        raise ValidationError(_("网格只能建在乡镇、村（社区）或网格之下。"))
    if parent.kind == UnitKind.MICRO_GRID:
        raise ValidationError(_("微网格之下不能再建网格。"))
    geometry.parse_boundary(geojson)  # refuse before creating anything
    grid = unit_create(
        code=_new_code(parent, kind), name=name, kind=kind, parent=parent, actor=actor
    )
    return boundary_set(actor=actor, grid=grid, geojson=geojson, request=request)


# ------------------------------------------------------------------------------ import
MATCHED, NOT_FOUND, INVALID, AMBIGUOUS = "matched", "not_found", "invalid", "ambiguous"
STATUS_LABELS = {
    MATCHED: _("已匹配"),
    NOT_FOUND: _("未找到"),
    INVALID: _("边界无效"),
    AMBIGUOUS: _("名称不唯一"),
}


@dataclass
class ImportRow:
    number: int
    code: str
    name: str
    status: str
    message: str = ""
    grid: Unit | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _read_collection(file: IO[bytes] | IO[str] | bytes | str) -> list[dict]:
    raw = file if isinstance(file, bytes | str) else file.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError(_("文件过大（最大 10 MB）。"))
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("文件不是 UTF-8 编码的 GeoJSON。")) from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise ValidationError(_("文件不是有效的 GeoJSON。")) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValidationError(_("文件必须是一个 GeoJSON FeatureCollection。"))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise ValidationError(_("文件中没有要素。"))
    return features


@transaction.atomic
def boundaries_import(
    *,
    actor: User,
    parent_unit: Unit,
    file: IO[bytes] | IO[str] | bytes | str,
    request: HttpRequest | None = None,
) -> list[ImportRow]:
    """Import the boundaries of a whole town (or village) from one FeatureCollection.

    Rule: each feature is matched to a grid or micro-grid under ``parent_unit`` by its
    ``properties.code``, else by ``properties.name`` (a name shared by two grids is ambiguous
    and skipped); a feature whose geometry fails ``parse_boundary`` is reported, not applied;
    the valid rows are applied together in this one transaction and the file is audited once
    with the counts. Returns one report row per feature.
    """
    _require_edit(actor, parent_unit)
    features = _read_collection(file)
    grids = list(selectors.grids_under(parent_unit))
    by_code = {g.code: g for g in grids}
    by_name: dict[str, list[Unit]] = {}
    for g in grids:
        by_name.setdefault(g.name, []).append(g)
    rows: list[ImportRow] = []
    for i, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        code = str(props.get("code") or "").strip()[:64]
        name = str(props.get("name") or "").strip()[:100]
        grid = by_code.get(code) if code else None
        if grid is None and not code and name:
            hits = by_name.get(name, [])
            if len(hits) > 1:
                rows.append(ImportRow(i, code, name, AMBIGUOUS, _("有多个同名网格，请填写编码。")))
                continue
            grid = hits[0] if hits else None
        if grid is None:
            rows.append(ImportRow(i, code, name, NOT_FOUND, _("本单位下没有该编码或名称的网格。")))
            continue
        try:
            geom = geometry.parse_boundary(feature.get("geometry"))
        except ValidationError as exc:
            rows.append(ImportRow(i, code, name, INVALID, " ".join(exc.messages), grid))
            continue
        grid.boundary = geometry.to_geojson(geom)
        grid.save(update_fields=["boundary", "updated_at"])
        rows.append(ImportRow(i, code or grid.code, name or grid.name, MATCHED, "", grid))
    grid_index_reset()
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUS_LABELS}
    audit_record(
        action=AuditAction.IMPORT,
        actor=actor,
        target=parent_unit,
        reason=_("导入网格边界"),
        request=request,
        extra=counts,
    )
    return rows


def boundaries_export_file(*, actor: User, unit: Unit, request: HttpRequest | None = None) -> dict:
    """The GeoJSON download of a unit's grids (``selectors.boundaries_export``).

    Rule: every export leaves an audit row (等保: 数据导出留痕); only clerks over the unit.
    """
    _require_edit(actor, unit)
    data = selectors.boundaries_export(unit)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=unit,
        reason=_("导出网格边界"),
        request=request,
        extra={"features": len(data["features"])},
    )
    return data


# ------------------------------------------------------------------------------ regrid
@transaction.atomic
def regrid_apply(
    *, actor: User, unit: Unit, token: str, request: HttpRequest | None = None
) -> dict[str, int]:
    """Re-assign the households and open requests of ``unit`` whose point now lies in another
    grid, exactly as previewed.

    Rule: the preview is recomputed and must match ``token`` (nothing changed since the clerk
    saw it), else nothing moves; households (and their members registered at the old grid) move
    directly, requests through ``cases.services.case_regrid`` (which keeps the rates rollup
    right); one audit row with the counts.
    """
    _require_edit(actor, unit)
    moves = selectors.regrid_preview(unit)
    if token != selectors.preview_token(moves):
        raise ValidationError(_("边界或数据已变化，请重新预览后再确认。"))
    households = cases = 0
    pairs: dict[tuple[int, int], list[int]] = {}
    for m in moves:
        if m.kind == "household":
            pairs.setdefault((m.from_grid.pk, m.to_grid.pk), []).append(m.pk)
        elif case_regrid(case=Case.objects.get(pk=m.pk), actor=actor, to_grid=m.to_grid):
            cases += 1
    for (from_id, to_id), pks in pairs.items():
        for i in range(0, len(pks), 500):
            chunk = pks[i : i + 500]
            households += Household.objects.filter(pk__in=chunk).update(grid_id=to_id)
            Person.objects.filter(household_id__in=chunk, unit_id=from_id).update(unit_id=to_id)
    result = {"households": households, "cases": cases}
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=unit,
        reason=_("按新边界调整户和诉求所属网格"),
        request=request,
        extra={
            **result,
            "moves": [[m.kind, m.pk, m.from_grid.code, m.to_grid.code] for m in moves[:200]],
        },
    )
    return result


# ------------------------------------------------------------------------------ grid staff
@transaction.atomic
def leader_assign(
    *,
    actor: User,
    grid: Unit,
    name: str,
    post: str,
    phone: str = "",
    person: Person | None = None,
    request: HttpRequest | None = None,
) -> GridLeader:
    """Name a micro-grid leader (楼栋长/中心户长/单元长) of a grid; clerks over the grid; audited.

    Rule: a leader chosen from the register (``person``) must be someone the actor may see who
    belongs under the grid's village or community (``selectors.leader_candidates``): a leader
    answers for neighbours, so a person of another village is refused even if a form sends one.
    """
    _require_edit(actor, grid)
    if grid.kind not in GRID_KINDS:
        raise ValidationError(_("只有网格和微网格可以设置网格长。"))
    if (
        person is not None
        and not selectors.leader_candidates(user=actor, grid=grid).filter(pk=person.pk).exists()
    ):
        raise ValidationError(_("只能选择本村（社区）的人员。"))
    name = (name or (person.name if person else "")).strip()
    if not name:
        raise ValidationError(_("请填写姓名。"))
    if post not in LeaderPost.values:
        raise ValidationError(_("请选择职务。"))
    phone = (phone or (person.phone if person else "") or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ValidationError(_("联系电话格式不正确。"))
    leader = GridLeader.objects.create(grid=grid, person=person, name=name, post=post, phone=phone)
    audit_record(action=AuditAction.CREATE, actor=actor, target=leader, request=request)
    return leader


@transaction.atomic
def leader_remove(*, actor: User, leader: GridLeader, request: HttpRequest | None = None) -> None:
    """End a leader's post (the row stays, inactive); clerks over the grid; audited."""
    _require_edit(actor, leader.grid)
    leader.is_active = False
    leader.save(update_fields=["is_active", "updated_at"])
    audit_record(action=AuditAction.DELETE, actor=actor, target=leader, request=request)


@transaction.atomic
def worker_assign(
    *, actor: User, grid: Unit, user: User, post: str = "", request: HttpRequest | None = None
) -> Membership:
    """Make ``user`` a grid worker of ``grid`` (an org membership, audited by org)."""
    _require_edit(actor, grid)
    if grid.kind not in GRID_KINDS:
        raise ValidationError(_("只有网格和微网格可以配备网格员。"))
    return membership_grant(user=user, unit=grid, role=Role.GRID_WORKER, post=post, actor=actor)


@transaction.atomic
def worker_remove(
    *, actor: User, membership: Membership, request: HttpRequest | None = None
) -> None:
    """End a grid worker's membership at a grid (audited by org)."""
    if membership.role != Role.GRID_WORKER:
        raise ValidationError(_("该任职不是网格员。"))
    _require_edit(actor, membership.unit)
    membership_revoke(membership=membership, actor=actor)
