"""Writes to the 阵地 archive: venue records (build, upsert), hazards and photos.

Every write is atomic and leaves an audit row. Callers hand in objects they fetched through the
scoped selectors; services re-check the scope where a unit is named directly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.photos import photo_clean
from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Unit
from lianxin.org.scoping import require_covers
from lianxin.venues.models import (
    Condition,
    PhotoKind,
    Structure,
    UpgradePlan,
    Venue,
    VenueHazard,
    VenueKind,
    VenuePhoto,
)
from lianxin.venues.rules import require

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.compliance.models import SignageCheck


# The archive fields a survey or an import may set, in the order of the county's sheet.
ARCHIVE_FIELDS = (
    "name",
    "address",
    "build_year",
    "floor_area",
    "office_area",
    "service_area",
    "structure",
    "floors",
    "condition",
    "lng",
    "lat",
    "phone",
    "opening_hours",
)
DECIMAL_FIELDS = {"floor_area", "office_area", "service_area"}
INT_FIELDS = {"build_year", "floors"}
FLOAT_FIELDS = {"lng", "lat"}


def _require_scope(actor: User, unit: Unit) -> None:
    require_covers(actor, unit, message=_("该单位不在您的管辖范围内。"))


def town_of(unit: Unit) -> Unit | None:
    """The town/street a unit lies in (itself if it is one)."""
    if unit.kind in TOWN_KINDS:
        return unit
    parent = unit.parent if unit.parent_id else None  # no query when fetched with its parent
    if parent is not None and parent.kind in TOWN_KINDS:
        return parent
    return unit.ancestors().filter(kind__in=TOWN_KINDS).first()


def _choice_value(raw: str, choices) -> str | None:
    """A choice given by its value or by its Chinese label (as typed in the county's sheet)."""
    if raw in choices.values:
        return raw
    return {str(label): value for value, label in choices.choices}.get(raw)


def _normalise(values: dict[str, Any]) -> dict[str, Any]:
    """Coerce raw archive values (form or spreadsheet cells) and check them; raises
    ValidationError with one message per bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in ARCHIVE_FIELDS:
        if name not in values:
            continue
        raw = values[name]
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            out[name] = (
                ""
                if name in {"address", "structure", "condition", "phone", "opening_hours", "name"}
                else None
            )
            continue
        try:
            if name in DECIMAL_FIELDS:
                out[name] = Decimal(str(raw)).quantize(Decimal("0.1"))
                if out[name] < 0:
                    raise ValueError
            elif name in INT_FIELDS:
                out[name] = int(Decimal(str(raw)))
            elif name in FLOAT_FIELDS:
                out[name] = round(float(raw), 6)
            else:
                out[name] = str(raw)
        except (ValueError, InvalidOperation):
            errors[name] = _("“%(value)s”不是有效的数值。") % {"value": raw}
    for name, choices, message in (
        ("structure", Structure, _("房屋结构须为：砖混、框架、砖木、其他。")),
        ("condition", Condition, _("房屋状况须为：良好、一般、较差、危房。")),
    ):
        if out.get(name):
            value = _choice_value(out[name], choices)
            if value is None:
                errors[name] = message
            else:
                out[name] = value
    year = out.get("build_year")
    if year is not None and not (1900 <= year <= timezone.localdate().year):
        errors["build_year"] = _("建设年度须在 1900 年至今年之间。")
    floors = out.get("floors")
    if floors is not None and not (1 <= floors <= 50):
        errors["floors"] = _("层数须在 1 到 50 之间。")
    if "name" in out and not out["name"]:
        errors["name"] = _("请填写名称。")
    if errors:
        raise ValidationError(errors)
    return out


def _check_areas(venue: Venue) -> None:
    if (
        venue.floor_area is not None
        and venue.office_area is not None
        and venue.service_area is not None
        and venue.office_area + venue.service_area > venue.floor_area
    ):
        raise ValidationError({"service_area": _("办公面积与服务面积之和不能超过建筑面积。")})


def _same(old: Any, new: Any) -> bool:
    # Coordinates round-trip through spreadsheets at 6 decimals (about 0.1 m): that is no change.
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) <= 1e-6
    return old == new


def _apply(venue: Venue, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if not _same(getattr(venue, name), value):
            setattr(venue, name, value)
            changed.append(name)
    return changed


def _check_kind(unit: Unit, kind: str) -> None:
    if kind not in VenueKind.values:
        raise ValidationError({"kind": _("未知的场所类型。")})
    if kind == VenueKind.SERVICE_CENTER and unit.kind not in VILLAGE_KINDS:
        raise ValidationError({"kind": _("党群服务中心须建在村或社区。")})


def _fresh_venue(unit: Unit, kind: str, clean: dict[str, Any]) -> Venue:
    if not clean.get("name"):
        clean["name"] = _("%(unit)s党群服务中心") % {"unit": unit.name}
    return Venue(unit=unit, kind=kind, town=town_of(unit))


def _full_clean(venue: Venue) -> None:
    venue.full_clean(exclude=["unit", "town"], validate_unique=False, validate_constraints=False)


def venue_build_new(
    *, actor: User, unit: Unit, kind: str, values: dict[str, Any]
) -> tuple[Venue, list[str]]:
    """A new venue checked by exactly ``venue_upsert``'s rules (scope, kind, values, areas) but
    not saved, and the fields set: the import inserts a chunk's new venues at once. The caller
    must know that no venue of this key exists yet, and audit each one it saves."""
    _require_scope(actor, unit)
    _check_kind(unit, kind)
    clean = _normalise(values)
    venue = _fresh_venue(unit, kind, clean)
    fields = _apply(venue, clean)
    _check_areas(venue)
    _full_clean(venue)
    return venue, fields


@transaction.atomic
def venue_upsert(
    *,
    actor: User,
    unit: Unit,
    kind: str = VenueKind.SERVICE_CENTER,
    values: dict[str, Any],
    request=None,
) -> tuple[Venue, list[str]]:
    """Create or update the venue of ``kind`` at ``unit`` (档案信息库). A 党群服务中心 is one per
    village/community; other kinds are matched by name. Returns the venue and the changed
    fields; an unchanged record is not written (so importing a file twice changes nothing).

    Rule: venue staff only (the role of ``venues.change_venue``), covering ``unit``."""
    require(actor, "venues.change_venue")
    _require_scope(actor, unit)
    _check_kind(unit, kind)
    clean = _normalise(values)
    qs = Venue.objects.select_for_update().filter(unit=unit, kind=kind)
    if kind != VenueKind.SERVICE_CENTER:
        qs = qs.filter(name=clean.get("name", ""))
    found = qs.first()
    created = found is None
    venue = _fresh_venue(unit, kind, clean) if found is None else found
    changed = _apply(venue, clean)
    _check_areas(venue)
    if created or changed:
        _full_clean(venue)
        venue.save()
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            target=venue,
            request=request,
            extra={"fields": changed},
        )
    return venue, (["*"] if created else changed)


@transaction.atomic
def hazard_add(
    *, actor: User, venue: Venue, description: str, severity: str, found_on: date | None = None
) -> VenueHazard:
    """Record a safety hazard (安全隐患) found at a venue; it stays open until resolved.

    Rule ``venues.change_venue`` on the venue: its staff or the town/county above it keep the
    archive (a grid worker or a department sees it, but does not write it)."""
    require(actor, "venues.change_venue", venue)
    hazard = VenueHazard(
        venue=venue,
        description=description.strip(),
        severity=severity,
        found_on=found_on or timezone.localdate(),
    )
    hazard.full_clean()
    hazard.save()
    audit_record(action=AuditAction.CREATE, actor=actor, target=hazard)
    return hazard


@transaction.atomic
def hazard_resolve(
    *, actor: User, hazard: VenueHazard, resolved_on: date | None = None
) -> VenueHazard:
    """Mark a hazard resolved (消除), once, never before it was found.

    Rule ``venues.change_venue`` on the hazard's venue, as for recording it; resolving an
    already resolved hazard changes nothing (a double click)."""
    require(actor, "venues.change_venue", hazard.venue)
    if hazard.resolved_on is not None:
        return hazard
    hazard.resolved_on = resolved_on or timezone.localdate()
    if hazard.resolved_on < hazard.found_on:
        raise ValidationError(_("消除日期不能早于发现日期。"))
    hazard.save(update_fields=["resolved_on", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=hazard, reason="resolved")
    return hazard


# --- photos ---------------------------------------------------------------------------------


def _photo_store(*, actor: User, venue: Venue, upload, kind: str, **links: Any) -> VenuePhoto:
    """Clean the upload (JPEG, no EXIF/GPS) and store it as a photo of the venue; ``links``
    names what else it belongs to (plan, signage_check, inspection) and its caption."""
    clean = photo_clean(upload)
    photo = VenuePhoto(
        venue=venue, kind=kind, width=clean.width, height=clean.height, uploaded_by=actor, **links
    )
    photo.image.save(str(clean.content.name), clean.content, save=False)  # photo_clean names it
    photo.save()
    return photo


@transaction.atomic
def photo_add(
    *,
    actor: User,
    venue: Venue,
    upload,
    kind: str = PhotoKind.OTHER,
    caption: str = "",
    plan: UpgradePlan | None = None,
    signage_check: SignageCheck | None = None,
) -> VenuePhoto:
    """A venue photo, optionally an acceptance photo of a plan or a before/after photo of a
    signage check (整改前/整改后)."""
    _require_scope(actor, venue.unit)
    if plan is not None and plan.venue_id != venue.pk:
        raise ValidationError(_("照片与提升计划不属于同一阵地。"))
    if signage_check is not None and signage_check.venue_id != venue.pk:
        raise ValidationError(_("照片与挂牌检查不属于同一阵地。"))
    photo = _photo_store(
        actor=actor,
        venue=venue,
        upload=upload,
        kind=kind,
        caption=caption.strip()[:100],
        plan=plan,
        signage_check=signage_check,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=photo)
    return photo
