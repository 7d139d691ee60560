"""Writes of 阵地规范化: signage campaigns and checks, checklists, inspections, task closure.

Every function is one transaction, checks its rule in ``compliance.rules`` (role and area
together) and leaves an audit row. The after-photo of a 销号 is in ``compliance.rectification``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.compliance.models import (
    Checklist,
    ChecklistItem,
    Inspection,
    InspectionScore,
    RectificationTask,
    SignageCampaign,
    SignageCheck,
    SignageEntry,
    SignageKind,
    SignageStandard,
    SignageStatus,
    SignageVerdict,
    TaskSource,
)
from lianxin.compliance.rules import require
from lianxin.org.models import Unit
from lianxin.venues import services as venue_services
from lianxin.venues.models import PhotoKind, Venue

if TYPE_CHECKING:
    from lianxin.accounts.models import User


# --- signage and wall rules (挂牌、制度上墙) -------------------------------------------------


@transaction.atomic
def signage_campaign_open(*, actor: User, unit: Unit, name: str, due_on: date) -> SignageCampaign:
    """专项整治: open a check of every venue's plaques and wall rules under ``unit``.

    Rule ``compliance.open_signage`` on the unit: a town or the county opens a campaign over
    its own area (a village clerk does not set the agenda of the level above); one name per
    unit, so a campaign is not opened twice by a double submit."""
    require(actor, "compliance.open_signage", unit)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if SignageCampaign.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("已有同名的整治任务。")})
    campaign = SignageCampaign.objects.create(unit=unit, name=name, due_on=due_on, opened_by=actor)
    audit_record(action=AuditAction.CREATE, actor=actor, target=campaign)
    return campaign


@transaction.atomic
def signage_check_submit(
    *,
    actor: User,
    campaign: SignageCampaign,
    venue: Venue,
    present: set[int],
    extras: list[str],
    notes: str = "",
    checked_on: date | None = None,
) -> SignageCheck:
    """Record what hangs at a venue against the standard set. Every missing standard item and
    every extra item (the 多、乱、杂) becomes a rectification task due by the campaign's date;
    a venue with none is 规范. Re-checking before rectification replaces the earlier record.

    Rule ``compliance.check_signage`` on the venue: its own staff or the town/county above it
    record what hangs there; a venue outside the campaign's unit is refused, and a rectified
    check is final (its tasks were closed with after-photos)."""
    require(actor, "compliance.check_signage", venue)
    if not venue.unit.is_under(campaign.unit):
        raise ValidationError(_("该阵地不在本次整治范围内。"))
    check = SignageCheck.objects.select_for_update().filter(campaign=campaign, venue=venue).first()
    if check is not None and check.status == SignageStatus.RECTIFIED:
        raise ValidationError(_("该阵地已整改完毕。"))
    if check is not None:
        check.entries.all().delete()
        check.tasks.all().delete()
    else:
        check = SignageCheck(campaign=campaign, venue=venue)
    standards = list(SignageStandard.objects.filter(is_active=True))
    extras = [e.strip()[:60] for e in extras if e and e.strip()]
    missing = [s for s in standards if s.pk not in present]
    check.status = SignageStatus.TO_RECTIFY if (missing or extras) else SignageStatus.COMPLIANT
    check.checked_by = actor
    check.checked_on = checked_on or timezone.localdate()
    check.notes = (notes or "").strip()[:200]
    check.save()
    SignageEntry.objects.bulk_create(
        [
            SignageEntry(
                check_record=check,
                standard=s,
                name=s.name,
                kind=s.kind,
                verdict=SignageVerdict.MISSING if s in missing else SignageVerdict.OK,
            )
            for s in standards
        ]
        + [
            SignageEntry(
                check_record=check, name=e, kind=SignageKind.PLAQUE, verdict=SignageVerdict.EXTRA
            )
            for e in extras
        ]
    )
    due = max(campaign.due_on, check.checked_on)
    RectificationTask.objects.bulk_create(
        [
            RectificationTask(
                venue=venue,
                source=TaskSource.SIGNAGE,
                signage_check=check,
                description=_("补挂：%(name)s") % {"name": s.name},
                due_on=due,
            )
            for s in missing
        ]
        + [
            RectificationTask(
                venue=venue,
                source=TaskSource.SIGNAGE,
                signage_check=check,
                description=_("撤除：%(name)s") % {"name": e},
                due_on=due,
            )
            for e in extras
        ]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=check,
        reason=check.status,
        extra={"missing": len(missing), "extra": len(extras)},
    )
    return check


# --- inspections (实地指导) and rectification tasks -----------------------------------------


@transaction.atomic
def checklist_create(
    *, actor: User, name: str, lines: str, pass_ratio: Decimal = Decimal("0.6")
) -> Checklist:
    """A configurable checklist; one item per line as 类别|检查内容|满分.

    Rule ``compliance.manage_checklist``: the checklist is the county's standard, so only the
    county admin writes one (every town then scores against the same items); names are unique
    and every item has a score of 1-100."""
    require(actor, "compliance.manage_checklist")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if Checklist.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已有同名的检查清单。")})
    items = []
    for n, line in enumerate((lines or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if (
            len(parts) != 3
            or not parts[0]
            or not parts[1]
            or not parts[2].isdigit()
            or not 1 <= int(parts[2]) <= 100
        ):
            raise ValidationError(
                {"lines": _("第 %(n)d 行格式应为：类别|检查内容|满分（1-100）。") % {"n": n}}
            )
        items.append((parts[0][:20], parts[1][:200], int(parts[2])))
    if not items:
        raise ValidationError({"lines": _("至少需要一个检查项。")})
    checklist = Checklist.objects.create(name=name, pass_ratio=pass_ratio, created_by=actor)
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(checklist=checklist, category=c, text=t, max_score=m, order=i)
            for i, (c, t, m) in enumerate(items)
        ]
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=checklist)
    return checklist


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    venue: Venue,
    checklist: Checklist,
    scores: dict[int, tuple[int, str]],
    notes: str = "",
    visited_on: date | None = None,
    due_in_days: int = 30,
    photos: list | None = None,
) -> Inspection:
    """实地指导: score every item of the checklist at the venue; an item under the pass line
    becomes a rectification task due in ``due_in_days``, followed to closure.

    Rule ``compliance.inspect`` on the venue: a town's or the county's visit to a venue in its
    area (a village does not inspect itself); every item is scored within its maximum."""
    require(actor, "compliance.inspect", venue)
    items = list(checklist.items.all())
    if not items:
        raise ValidationError(_("检查清单没有检查项。"))
    missing = [i for i in items if i.pk not in scores]
    if missing:
        raise ValidationError(_("请为每个检查项打分。"))
    rows = []
    for item in items:
        score, note = scores[item.pk]
        if not 0 <= score <= item.max_score:
            raise ValidationError(
                _("“%(item)s”得分须在 0 到 %(max)d 之间。")
                % {"item": item.text, "max": item.max_score}
            )
        rows.append(
            (
                item,
                score,
                (note or "").strip()[:200],
                score >= item.max_score * checklist.pass_ratio,
            )
        )
    visited_on = visited_on or timezone.localdate()
    inspection = Inspection.objects.create(
        venue=venue,
        checklist=checklist,
        inspector=actor,
        visited_on=visited_on,
        score=sum(r[1] for r in rows),
        max_score=sum(r[0].max_score for r in rows),
        notes=(notes or "").strip(),
    )
    InspectionScore.objects.bulk_create(
        [
            InspectionScore(inspection=inspection, item=i, score=s, note=n, passed=p)
            for i, s, n, p in rows
        ]
    )
    RectificationTask.objects.bulk_create(
        [
            RectificationTask(
                venue=venue,
                source=TaskSource.INSPECTION,
                inspection=inspection,
                description=f"{i.category}：{n or i.text}"[:300],
                due_on=visited_on + timedelta(days=due_in_days),
            )
            for i, _s, n, p in rows
            if not p
        ]
    )
    for upload in photos or []:
        venue_services._photo_store(
            actor=actor,
            venue=venue,
            upload=upload,
            kind=PhotoKind.INSPECTION,
            inspection=inspection,
        )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=inspection,
        extra={"score": inspection.score, "max": inspection.max_score},
    )
    return inspection


@transaction.atomic
def task_close(
    *, actor: User, task: RectificationTask, note: str, closed_on: date | None = None
) -> RectificationTask:
    """销号: close a rectification task with what was done and its after-photo (整改后照片,
    compliance.rectification). When the last task of a signage check closes, the venue counts as 已整改.

    Rule ``compliance.close_task`` on the task: the venue's staff or the levels above close it,
    once, with what was done and an after-photo (the town checking the closure sees the work)."""
    from lianxin.compliance.rectification import after_photo_error

    task = (
        RectificationTask.objects.select_for_update().select_related("venue__unit").get(pk=task.pk)
    )
    require(actor, "compliance.close_task", task)
    if task.closed_on is not None:
        raise ValidationError(_("该整改任务已完成。"))
    note = (note or "").strip()
    errors = {"note": _("请填写整改情况。")} if len(note) < 2 else {}
    errors.update(after_photo_error(task))
    if errors:
        raise ValidationError(errors)
    task.closed_on = closed_on or timezone.localdate()
    task.closed_by = actor
    task.closing_note = note[:200]
    task.save(update_fields=["closed_on", "closed_by", "closing_note", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=task, reason="closed")
    if (
        task.signage_check_id
        and not RectificationTask.objects.filter(
            signage_check_id=task.signage_check_id, closed_on__isnull=True
        ).exists()
    ):
        check = (
            SignageCheck.objects.select_for_update()
            .select_related("campaign", "venue")
            .get(pk=task.signage_check_id)
        )
        check.status = SignageStatus.RECTIFIED
        check.rectified_on = task.closed_on
        check.save(update_fields=["status", "rectified_on", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE, actor=actor, target=check, reason=SignageStatus.RECTIFIED
        )
    return task
