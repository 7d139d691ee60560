"""Writes to the 阵地 module: archive records, surveys, imports, bookings and upgrade plans.

Every write is atomic and leaves an audit row. Callers hand in objects they fetched
through the scoped selectors; services re-check the scope where a unit is named directly.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.photos import photo_clean
from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Unit
from lianxin.org.scoping import user_scope
from lianxin.venues.models import (
    FUND_FIELDS,
    PLAN_NEXT,
    Condition,
    DutyShift,
    PhotoKind,
    PlanStatus,
    StaffCertificate,
    Structure,
    SurveyCampaign,
    SurveyResponse,
    UpgradePlan,
    Venue,
    VenueHazard,
    VenueKind,
    VenuePhoto,
)

if TYPE_CHECKING:
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


def _require_scope(actor: Any, unit: Unit) -> None:
    if not user_scope(actor).covers(unit):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))


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
    *, actor: Any, unit: Unit, kind: str, values: dict[str, Any]
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
    actor: Any,
    unit: Unit,
    kind: str = VenueKind.SERVICE_CENTER,
    values: dict[str, Any],
    request=None,
) -> tuple[Venue, list[str]]:
    """Create or update the venue of ``kind`` at ``unit`` (档案信息库). A 党群服务中心 is one per
    village/community; other kinds are matched by name. Returns the venue and the changed
    fields; an unchanged record is not written (so importing a file twice changes nothing)."""
    _require_scope(actor, unit)
    _check_kind(unit, kind)
    clean = _normalise(values)
    qs = Venue.objects.select_for_update().filter(unit=unit, kind=kind)
    if kind != VenueKind.SERVICE_CENTER:
        qs = qs.filter(name=clean.get("name", ""))
    venue = qs.first()
    created = venue is None
    if created:
        venue = _fresh_venue(unit, kind, clean)
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
    *, actor: Any, venue: Venue, description: str, severity: str, found_on: date | None = None
) -> VenueHazard:
    _require_scope(actor, venue.unit)
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
    *, actor: Any, hazard: VenueHazard, resolved_on: date | None = None
) -> VenueHazard:
    _require_scope(actor, hazard.venue.unit)
    if hazard.resolved_on is not None:
        return hazard
    hazard.resolved_on = resolved_on or timezone.localdate()
    if hazard.resolved_on < hazard.found_on:
        raise ValidationError(_("消除日期不能早于发现日期。"))
    hazard.save(update_fields=["resolved_on", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=hazard, reason="resolved")
    return hazard


# --- photos ---------------------------------------------------------------------------------


def _photo_store(*, actor: Any, venue: Venue, upload, kind: str, **links: Any) -> VenuePhoto:
    """Clean the upload (JPEG, no EXIF/GPS) and store it as a photo of the venue; ``links``
    names what else it belongs to (plan, signage_check, inspection) and its caption."""
    clean = photo_clean(upload)
    photo = VenuePhoto(
        venue=venue, kind=kind, width=clean.width, height=clean.height, uploaded_by=actor, **links
    )
    photo.image.save(clean.content.name, clean.content, save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_add(
    *,
    actor: Any,
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


# --- survey campaigns -------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *, actor: Any, unit: Unit, name: str, due_on: date, request=None
) -> SurveyCampaign:
    """全覆盖摸排: a county (or town) opens a campaign over every village/community below it."""
    _require_scope(actor, unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("截止日期不能早于今天。")})
    if SurveyCampaign.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("已有同名的摸排任务。")})
    campaign = SurveyCampaign.objects.create(unit=unit, name=name, due_on=due_on, opened_by=actor)
    audit_record(action=AuditAction.CREATE, actor=actor, target=campaign, request=request)
    return campaign


@transaction.atomic
def campaign_close(*, actor: Any, campaign: SurveyCampaign) -> SurveyCampaign:
    _require_scope(actor, campaign.unit)
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at", "updated_at"])
        audit_record(action=AuditAction.UPDATE, actor=actor, target=campaign, reason="closed")
    return campaign


@transaction.atomic
def campaign_chase(
    *, actor: Any, campaign: SurveyCampaign, missing: list[Unit], request=None
) -> int:
    """催报: tell the staff of every village still missing that the survey is waiting for them.

    One notice per village and day (a second press the same day sends nothing new).
    """
    from lianxin.notifications.models import NotificationKind
    from lianxin.notifications.services import notify
    from lianxin.org.models import Membership, Role

    _require_scope(actor, campaign.unit)
    if not campaign.is_open:
        raise ValidationError(_("摸排任务已结束。"))
    staff: dict[int, list] = {}
    for m in (
        Membership.objects.active()
        .filter(unit__in=missing, role=Role.VILLAGE_STAFF)
        .select_related("user")
    ):
        staff.setdefault(m.unit_id, []).append(m.user)
    today = timezone.localdate()
    sent = 0
    for unit in missing:
        created = notify(
            recipients=staff.get(unit.pk, []),
            kind=NotificationKind.WARNING,
            title=_("请尽快填报：%(name)s") % {"name": campaign.name},
            body=_("%(unit)s的阵地信息尚未填报，截止日期 %(due)s。")
            % {"unit": unit.name, "due": f"{campaign.due_on:%Y-%m-%d}"},
            url=reverse("venues:campaign_mine", args=[campaign.pk]),
            dedupe_key=f"venues:campaign:{campaign.pk}:chase:{unit.pk}:{today:%Y%m%d}",
        )
        sent += len(created)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=campaign,
        reason="chase",
        request=request,
        extra={"villages": len(missing), "notices": sent},
    )
    return sent


def _snapshot(venue: Venue) -> dict[str, Any]:
    out = {}
    for name in ARCHIVE_FIELDS:
        value = getattr(venue, name)
        out[name] = str(value) if isinstance(value, Decimal) else value
    return out


@transaction.atomic
def survey_submit(
    *, actor: Any, campaign: SurveyCampaign, unit: Unit, values: dict[str, Any], request=None
) -> SurveyResponse:
    """A village fills or confirms its venue record for the campaign; submitting again
    updates the same response (one per venue and campaign)."""
    if not campaign.is_open:
        raise ValidationError(_("该摸排任务已结束。"))
    if not unit.is_under(campaign.unit) or unit.kind not in VILLAGE_KINDS:
        raise ValidationError(_("该单位不在本次摸排范围内。"))
    venue, _changed = venue_upsert(actor=actor, unit=unit, values=values, request=request)
    venue.surveyed_at = timezone.now()
    venue.save(update_fields=["surveyed_at", "updated_at"])
    response, created = SurveyResponse.objects.update_or_create(
        campaign=campaign,
        venue=venue,
        defaults={"submitted_by": actor, "snapshot": _snapshot(venue)},
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        target=response,
        request=request,
        reason="survey response",
    )
    return response


# --- xlsx import ------------------------------------------------------------------------------

# Column headers of the county office's sheet, in order (one row per venue).
SHEET_COLUMNS: list[tuple[str, str]] = [
    ("unit_code", "区划代码"),
    ("town", "乡镇（街道）"),
    ("unit", "村（社区）"),
    ("kind", "场所类型"),
    ("name", "名称"),
    ("address", "地址"),
    ("build_year", "建设年度"),
    ("floor_area", "建筑面积（㎡）"),
    ("office_area", "办公面积（㎡）"),
    ("service_area", "服务面积（㎡）"),
    ("service_share", "服务区域占比"),
    ("structure", "房屋结构"),
    ("floors", "层数"),
    ("condition", "房屋状况"),
    ("open_hazards", "未消除隐患"),
    ("lng", "经度"),
    ("lat", "纬度"),
    ("phone", "中心电话"),
    ("opening_hours", "开放时间"),
]
READ_ONLY_COLUMNS = {"town", "unit", "service_share", "open_hazards"}


def venues_import(*, actor: Any, data, dry_run: bool = True, request=None, **kwargs):
    """Import the archive sheet; see ``lianxin.venues.imports`` (the rules live there)."""
    from lianxin.venues.imports import venues_import as run

    return run(actor=actor, data=data, dry_run=dry_run, request=request, **kwargs)


@transaction.atomic
def venues_export(*, actor: Any, request=None) -> bytes:
    """The archive sheet of every venue the actor sees; each export leaves an EXPORT audit row."""
    from lianxin.core.spreadsheets import workbook_bytes
    from lianxin.venues.exports import archive_sheets

    _name, sheets = archive_sheets(actor=actor, params={}, request=request)
    return workbook_bytes(sheets)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        from lianxin.venues.models import Venue as _V

        out = []
        for name, msgs in exc.message_dict.items():
            try:
                label = str(_V._meta.get_field(name).verbose_name)
            except Exception:
                label = name
            out.extend(f"{label}：{m}" for m in msgs)
        return out
    return list(exc.messages)


# --- rooms and bookings: moved to lianxin.rooms.services (ADR 0006) ---------------------------

# transitional re-export for activities; the lead removes it
from lianxin.rooms.services import booking_cancel, booking_create  # noqa: E402, F401

# --- upgrade plans ----------------------------------------------------------------------------


def _check_funds(plan: UpgradePlan) -> None:
    total = sum((getattr(plan, f) or Decimal("0")) for f in FUND_FIELDS)
    if any((getattr(plan, f) or 0) < 0 for f in FUND_FIELDS) or (plan.budget or 0) < 0:
        raise ValidationError(_("金额不能为负数。"))
    if total != plan.budget:
        raise ValidationError(
            {
                "budget": _("各渠道资金合计 %(total)s 万元，与预算 %(budget)s 万元不一致。")
                % {"total": total, "budget": plan.budget}
            }
        )


@transaction.atomic
def plan_save(
    *,
    actor: Any,
    venue: Venue,
    values: dict[str, Any],
    plan: UpgradePlan | None = None,
    request=None,
) -> UpgradePlan:
    """提升计划: one per venue and year; the funding parts must add up to the budget."""
    _require_scope(actor, venue.unit)
    created = plan is None
    plan = plan or UpgradePlan(venue=venue, created_by=actor)
    for name, value in values.items():
        setattr(plan, name, value)
    _check_funds(plan)
    if UpgradePlan.objects.filter(venue=venue, year=plan.year).exclude(pk=plan.pk).exists():
        raise ValidationError({"year": _("该阵地本年度已有提升计划。")})
    plan.full_clean(exclude=["venue"], validate_constraints=False)
    plan.save()
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        target=plan,
        request=request,
    )
    return plan


@transaction.atomic
def plan_advance(*, actor: Any, plan: UpgradePlan, on_date: date | None = None) -> UpgradePlan:
    """Move a plan one step: planned → funded → under construction → accepted, with the date."""
    plan = UpgradePlan.objects.select_for_update().select_related("venue__unit").get(pk=plan.pk)
    _require_scope(actor, plan.venue.unit)
    nxt = PLAN_NEXT.get(plan.status)
    if nxt is None:
        raise ValidationError(_("该计划已验收。"))
    on_date = on_date or timezone.localdate()
    previous = [d for d in (plan.funded_on, plan.started_on) if d]
    if previous and on_date < max(previous):
        raise ValidationError(_("日期不能早于上一阶段。"))
    plan.status = nxt
    if nxt == PlanStatus.FUNDED:
        plan.funded_on = on_date
    elif nxt == PlanStatus.UNDER_CONSTRUCTION:
        plan.started_on = on_date
    else:
        plan.accepted_on = on_date
    plan.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=plan, reason=f"status {nxt}")
    return plan


# --- duty roster and certificates -------------------------------------------------------------


def _require_venue_staff(venue: Venue, staff: Any, message: str) -> None:
    """Only staff of the venue's unit or its town may be on its roster or hold its certificates."""
    from lianxin.venues.selectors import venue_staff_choices

    if not venue_staff_choices(venue=venue).filter(pk=staff.pk).exists():
        raise ValidationError({"staff": message})


@transaction.atomic
def duty_assign(
    *, actor: Any, venue: Venue, staff: Any, day: date, post: str, starts=None, ends=None
) -> DutyShift:
    """坐班值班: put a staff member of the venue's unit (or its town) on duty for a day."""
    _require_scope(actor, venue.unit)
    _require_venue_staff(venue, staff, _("只能安排本村（社区）或所属乡镇的干部值班。"))
    shift = DutyShift.objects.filter(venue=venue, day=day, staff=staff).first() or DutyShift(
        venue=venue, day=day, staff=staff
    )
    shift.post = (post or "").strip() or _("坐班干部")
    if starts is not None:
        shift.starts = starts
    if ends is not None:
        shift.ends = ends
    shift.full_clean(validate_unique=False)
    shift.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=shift, reason="duty")
    return shift


@transaction.atomic
def duty_remove(*, actor: Any, shift: DutyShift) -> None:
    _require_scope(actor, shift.venue.unit)
    audit_record(action=AuditAction.DELETE, actor=actor, target=shift, reason="duty")
    shift.delete()


@transaction.atomic
def roster_copy_week(*, actor: Any, venue: Venue, from_monday: date) -> int:
    """Repeat last week's roster into the next week (a roster is mostly the same each week)."""
    _require_scope(actor, venue.unit)
    source = DutyShift.objects.filter(
        venue=venue, day__gte=from_monday, day__lt=from_monday + timedelta(days=7)
    )
    existing = set(
        DutyShift.objects.filter(
            venue=venue,
            day__gte=from_monday + timedelta(days=7),
            day__lt=from_monday + timedelta(days=14),
        ).values_list("day", "staff_id")
    )
    new = [
        DutyShift(
            venue=venue,
            day=s.day + timedelta(days=7),
            staff_id=s.staff_id,
            post=s.post,
            starts=s.starts,
            ends=s.ends,
        )
        for s in source
        if (s.day + timedelta(days=7), s.staff_id) not in existing
    ]
    DutyShift.objects.bulk_create(new)
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=venue, reason=f"roster copy {len(new)}"
    )
    return len(new)


@transaction.atomic
def certificate_save(
    *,
    actor: Any,
    venue: Venue,
    staff: Any,
    name: str,
    number: str = "",
    expires_on: date | None = None,
) -> StaffCertificate:
    """持证上岗: record (or renew) a certificate; the expiry drives the warning list."""
    _require_scope(actor, venue.unit)
    _require_venue_staff(venue, staff, _("持证人须为本阵地的干部。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写证书名称。")})
    cert, created = StaffCertificate.objects.update_or_create(
        venue=venue,
        staff=staff,
        name=name,
        defaults={"number": number.strip(), "expires_on": expires_on},
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, target=cert
    )
    return cert
