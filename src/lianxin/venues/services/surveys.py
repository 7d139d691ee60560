"""Writes of 全覆盖摸排: campaigns (open, close, chase), survey answers, the sheet import/export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.org.models import VILLAGE_KINDS, Unit
from lianxin.venues.models import (
    SurveyCampaign,
    SurveyResponse,
    Venue,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User
from lianxin.venues.rules import require
from lianxin.venues.services.archive import ARCHIVE_FIELDS, _require_scope, venue_upsert

# --- survey campaigns -------------------------------------------------------------------------


@transaction.atomic
def campaign_open(
    *, actor: User, unit: Unit, name: str, due_on: date, request=None
) -> SurveyCampaign:
    """全覆盖摸排: the county opens a campaign over every village/community below it.

    Rule: the role (``venues.open_campaign``) and the scope (the actor covers ``unit``), so a
    call that skips the page is refused the same way."""
    require(actor, "venues.open_campaign")
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
def campaign_close(*, actor: User, campaign: SurveyCampaign) -> SurveyCampaign:
    """End a campaign: no more answers are taken (a closed survey is a record of that round).

    Rule: the actor covers the campaign's unit (the page asks ``venues.open_campaign``, the
    county's, and so does this service); closing twice changes nothing."""
    require(actor, "venues.open_campaign")
    _require_scope(actor, campaign.unit)
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at", "updated_at"])
        audit_record(action=AuditAction.UPDATE, actor=actor, target=campaign, reason="closed")
    return campaign


@transaction.atomic
def campaign_chase(
    *, actor: User, campaign: SurveyCampaign, missing: list[Unit], request=None
) -> int:
    """催报: tell the staff of every village still missing that the survey is waiting for them.

    One notice per village and day (a second press the same day sends nothing new). Rule: the
    campaign's owner role (``venues.open_campaign``) and scope.
    """
    from lianxin.notifications.models import NotificationKind
    from lianxin.notifications.services import notify
    from lianxin.org.models import Membership, Role

    require(actor, "venues.open_campaign")
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
    *, actor: User, campaign: SurveyCampaign, unit: Unit, values: dict[str, Any], request=None
) -> SurveyResponse:
    """A village fills or confirms its venue record for the campaign; submitting again
    updates the same response (one per venue and campaign). Rule: the role
    (``venues.fill_survey``), then the campaign is open and covers the unit, then venue_upsert's
    scope check."""
    require(actor, "venues.fill_survey")
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


def venues_import(*, actor: User, data, dry_run: bool = True, request=None, **kwargs):
    """Import the archive sheet; see ``lianxin.venues.imports`` (the rules live there)."""
    from lianxin.venues.imports import venues_import as run

    return run(actor=actor, data=data, dry_run=dry_run, request=request, **kwargs)


@transaction.atomic
def venues_export(*, actor: User, request=None) -> bytes:
    """The archive sheet of every venue the actor sees; each export leaves an EXPORT audit row."""
    from lianxin.core.spreadsheets import workbook_bytes
    from lianxin.venues.exports import archive_sheets

    _name, sheets = archive_sheets(actor=actor, params={}, request=request)
    return workbook_bytes(sheets)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        from lianxin.venues.models import Venue as _V

        out: list[str] = []
        for name, msgs in exc.message_dict.items():
            try:
                label = str(_V._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            except Exception:
                label = name
            out.extend(f"{label}：{m}" for m in msgs)
        return out
    return list(exc.messages)
