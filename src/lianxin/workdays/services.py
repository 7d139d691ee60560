"""Every change to the working-day calendar: one function per step, each audited.

The county administrator keeps the table in line with the State Council's annual notice
(国务院办公厅关于××年部分节假日安排的通知): add, correct or delete a day, import the notice's
table, and mark a year's schedule complete. Marking complete is what makes deadlines counted
through that year final; until then they are provisional and the worker counts them again
once it is marked (``recompute_pending``). Every change bumps the year's ``revision`` so other
processes drop their cached copy of the calendar (``lianxin.workdays.calendar``).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.workdays import calendar
from lianxin.workdays.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CalendarDay,
    CalendarYear,
    DayKind,
    DaySource,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User

MANAGE_PERM = "workdays.manage_calendar"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CalendarError(ValidationError):
    """An invalid calendar change; the message is for the user."""


def check_manager(actor: User | None) -> None:
    """Only holders of ``workdays.manage_calendar`` (the county administrator) change it."""
    if actor is None or not actor.has_perm(MANAGE_PERM):
        raise PermissionDenied(MANAGE_PERM)


def clean_name(value: str) -> str:
    """A day's name: required, at most 50 characters, never text a spreadsheet would run."""
    name = (value or "").strip()
    if not name:
        raise CalendarError(_("请填写名称，如“元旦”“春节”。"), code="name")
    if name.startswith(FORMULA_TRIGGERS):
        raise CalendarError(_("名称不能以 = + - @ 等公式符号开头。"), code="name")
    if len(name) > 50:
        raise CalendarError(_("名称不能超过 50 个字。"), code="name")
    return name


def clean_day(day: date, kind: str) -> None:
    """A day off may be any date; a 调休 working day is a Saturday or Sunday worked."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CalendarError(
            _("年份应在 %(a)s–%(b)s 之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR}, code="date"
        )
    if kind not in DayKind.values:
        raise CalendarError(_("类型应为“放假”或“调休上班”。"), code="kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise CalendarError(
            _("%(day)s 是周一至周五，本来就是工作日；调休上班日应是周六或周日。")
            % {"day": f"{day:%Y-%m-%d}"},
            code="kind",
        )


def lock_year(year: int) -> CalendarYear:
    row, _created = CalendarYear.objects.get_or_create(year=year)
    return CalendarYear.objects.select_for_update().get(pk=row.pk)


def mark_changed(*years: int) -> None:
    """Bump the years' revisions and drop cached calendars, now and again after commit."""
    CalendarYear.objects.filter(year__in=years).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    calendar.invalidate(*years)
    transaction.on_commit(lambda: calendar.invalidate(*years))


def _snapshot(day: CalendarDay) -> dict[str, str]:
    return {"date": f"{day.date:%Y-%m-%d}", "kind": day.kind, "name": day.name}


@transaction.atomic
def calendar_day_create(
    *,
    actor: User,
    day: date,
    kind: str,
    name: str,
    source: str = DaySource.MANUAL,
    request: HttpRequest | None = None,
) -> CalendarDay:
    """Add one day off or 调休 working day (one row per date)."""
    check_manager(actor)
    clean_day(day, kind)
    name = clean_name(name)
    year = lock_year(day.year)
    if CalendarDay.objects.filter(date=day).exists():
        raise CalendarError(
            _("%(day)s 已录入，请修改原记录。") % {"day": f"{day:%Y-%m-%d}"}, code="date"
        )
    row = CalendarDay.objects.create(year=year, date=day, kind=kind, name=name, source=source)
    mark_changed(day.year)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=row,
        request=request,
        extra={"after": _snapshot(row)},
    )
    return row


@transaction.atomic
def calendar_day_update(
    *,
    actor: User,
    day: CalendarDay,
    date_value: date,
    kind: str,
    name: str,
    request: HttpRequest | None = None,
) -> CalendarDay:
    """Correct a day (its date, kind or name); moving it to another year touches both years."""
    check_manager(actor)
    clean_day(date_value, kind)
    name = clean_name(name)
    row = CalendarDay.objects.select_for_update().select_related("year").get(pk=day.pk)
    before = _snapshot(row)
    if CalendarDay.objects.filter(date=date_value).exclude(pk=row.pk).exists():
        raise CalendarError(
            _("%(day)s 已录入，请修改原记录。") % {"day": f"{date_value:%Y-%m-%d}"}, code="date"
        )
    old_year = row.year.year
    if date_value.year != old_year:
        row.year = lock_year(date_value.year)
    row.date, row.kind, row.name, row.source = date_value, kind, name, DaySource.MANUAL
    row.save()
    mark_changed(old_year, date_value.year)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=row,
        request=request,
        extra={"before": before, "after": _snapshot(row)},
    )
    return row


@transaction.atomic
def calendar_day_delete(
    *, actor: User, day: CalendarDay, request: HttpRequest | None = None
) -> None:
    """Delete a day entered by mistake (the audit row keeps what it was)."""
    check_manager(actor)
    row = CalendarDay.objects.select_for_update().select_related("year").get(pk=day.pk)
    before, year = _snapshot(row), row.year.year
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        target=row,
        request=request,
        extra={"before": before},
    )
    row.delete()
    mark_changed(year)


@transaction.atomic
def calendar_year_complete(
    *, actor: User, year: int, reference: str = "", request: HttpRequest | None = None
) -> CalendarYear:
    """确认: the year's official schedule is entered completely. Deadlines counted through it
    are final from now on, and those counted provisionally are counted again by the worker.
    A year without a single day off cannot be complete (every notice has 元旦 and 春节)."""
    check_manager(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(_("年份应在 %(a)s–%(b)s 之间。") % {"a": FIRST_YEAR, "b": LAST_YEAR})
    row = lock_year(year)
    if row.is_complete:
        raise CalendarError(_("%(year)s 年的节假日安排已确认。") % {"year": year})
    if not row.days.filter(kind=DayKind.HOLIDAY).exists():
        raise CalendarError(
            _("%(year)s 年还没有录入任何放假日期，请先录入或导入国务院办公厅通知中的安排。")
            % {"year": year}
        )
    row.is_complete = True
    row.recompute_pending = True
    row.completed_at = timezone.now()
    row.completed_by = actor
    row.reference = (reference or row.reference).strip()[:200]
    row.save()
    mark_changed(year)
    row.refresh_from_db(fields=["revision", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=row,
        request=request,
        reason=_("确认 %(year)s 年节假日安排完整") % {"year": year},
        extra={"is_complete": True, "reference": row.reference, "days": row.days.count()},
    )
    return row


@transaction.atomic
def calendar_year_reopen(
    *, actor: User, year: int, reason: str, request: HttpRequest | None = None
) -> CalendarYear:
    """撤销确认 (a year marked complete by mistake): deadlines counted through it from now on are
    provisional again. Deadlines already counted as final are not changed."""
    check_manager(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CalendarError(_("请填写撤销确认的理由。"))
    row = lock_year(year)
    if not row.is_complete:
        raise CalendarError(_("%(year)s 年的节假日安排尚未确认。") % {"year": year})
    row.is_complete = False
    row.recompute_pending = False
    row.completed_at = None
    row.completed_by = None
    row.save()
    mark_changed(year)
    row.refresh_from_db(fields=["revision", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=row,
        request=request,
        reason=reason[:500],
        extra={"is_complete": False},
    )
    return row


def recompute_done(*, years: dict[int, int]) -> int:
    """The worker counted the provisional deadlines again: clear ``recompute_pending`` of the
    years it saw, unless a year changed meanwhile (its revision moved: count once more)."""
    cleared = 0
    for year, revision in years.items():
        cleared += CalendarYear.objects.filter(
            year=year, revision=revision, recompute_pending=True
        ).update(recompute_pending=False)
    return cleared
