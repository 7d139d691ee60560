"""Importing the State Council's annual notice as a table (.xlsx): 日期 / 类型 / 名称.

The file is read by the one spreadsheet mechanism (``lianxin.core.spreadsheets.read_table``:
header found by its Chinese names, row numbers as Excel shows them, a row limit). Each row is
checked on its own and every problem is reported with its row number; a file with any error
writes nothing (a schedule half imported would count deadlines wrongly), and a dry run only
reports what would change. Rows are matched by date: an identical row is left alone, a
different one is corrected.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Field, ImportReport, Row, read_table
from lianxin.workdays.models import CalendarDay, DayKind, DaySource
from lianxin.workdays.services import (
    calendar_year_complete,
    check_manager,
    clean_day,
    clean_name,
    lock_year,
    mark_changed,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User

MAX_ROWS = 1000  # a year's notice has some forty rows
FIELDS = [
    Field("日期", "date", required=True, aliases=("date",)),
    Field("类型", "kind", required=True, aliases=("类型（放假/调休上班）", "类别", "kind")),
    Field("名称", "name", aliases=("节日", "节假日", "name")),
]
KIND_WORDS = {
    "放假": DayKind.HOLIDAY,
    "休息": DayKind.HOLIDAY,
    "休假": DayKind.HOLIDAY,
    "假日": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "调休上班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
    "调休": DayKind.WORKDAY,
    "workday": DayKind.WORKDAY,
}
_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    m = _DATE_TEXT.match(text)
    if not m:
        raise ValidationError(
            _("日期“%(v)s”无法识别，请写成 2027-01-01。") % {"v": text[:20]}
            if text
            else _("请填写日期。")
        )
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise ValidationError(_("日期“%(v)s”不存在。") % {"v": text[:20]}) from exc


def parse_kind(value: Any) -> str:
    text = "" if value is None else str(value).strip().replace(" ", "")
    kind = KIND_WORDS.get(text.lower()) or KIND_WORDS.get(text)
    if kind is None:
        raise ValidationError(
            _("类型“%(v)s”无法识别，应为“放假”或“调休上班”。") % {"v": text[:20]}
            if text
            else _("请填写类型（放假或调休上班）。")
        )
    return kind


def _parse_row(row: Row) -> tuple[date, str, str]:
    day = parse_date(row.values.get("date"))
    kind = parse_kind(row.values.get("kind"))
    raw_name = row.values.get("name")
    if raw_name is None or not str(raw_name).strip():
        raw_name = "调休上班" if kind == DayKind.WORKDAY else ""
    name = clean_name(str(raw_name))
    clean_day(day, kind)
    return day, kind, name


def parse_schedule(data: bytes, report: ImportReport) -> dict[date, tuple[int, str, str]]:
    """{date: (row number, kind, name)} of the good rows; bad rows go to ``report.errors``.
    Whole-file problems raise ``SpreadsheetError`` (a ValidationError) in Chinese."""
    table = read_table(data, FIELDS, max_rows=MAX_ROWS)
    rows: dict[date, tuple[int, str, str]] = {}
    for row in table:
        report.total += 1
        try:
            day, kind, name = _parse_row(row)
        except ValidationError as exc:
            report.error(row.number, "；".join(exc.messages))
            continue
        if day in rows:
            report.error(
                row.number,
                _("日期 %(day)s 与第 %(n)s 行重复。")
                % {"day": f"{day:%Y-%m-%d}", "n": rows[day][0]},
            )
            continue
        rows[day] = (row.number, kind, name)
    for number, message in ((e.number, e.message) for e in table.errors):
        report.error(number, message)
    return rows


def calendar_import(
    *,
    actor: User,
    data: bytes,
    dry_run: bool = True,
    complete: bool = False,
    reference: str = "",
    request: HttpRequest | None = None,
) -> ImportReport:
    """Import a notice's table; with ``complete`` the years it covers are then marked complete.

    Nothing is written on a dry run or when any row has an error. The import is audited once
    (counts and every changed date), and each year it touches gets a new revision."""
    check_manager(actor)
    report = ImportReport(dry_run=dry_run)
    rows = parse_schedule(data, report)
    existing = {d.date: d for d in CalendarDay.objects.filter(date__in=list(rows))}
    plan: list[tuple[date, str, str, CalendarDay | None]] = []
    for day, (number, kind, name) in sorted(rows.items()):
        old = existing.get(day)
        if old is None:
            report.created += 1
            report.change(number, _("新增 %(day)s %(name)s（%(kind)s）") % _fmt(day, kind, name))
        elif (old.kind, old.name) != (kind, name):
            report.updated += 1
            report.change(number, _("修改 %(day)s 为 %(name)s（%(kind)s）") % _fmt(day, kind, name))
        else:
            report.unchanged += 1
            continue
        plan.append((day, kind, name, old))
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        years = sorted({day.year for day in rows})
        year_rows = {y: lock_year(y) for y in years}
        for day, kind, name, old in plan:
            if old is None:
                CalendarDay.objects.create(
                    year=year_rows[day.year],
                    date=day,
                    kind=kind,
                    name=name,
                    source=DaySource.NOTICE,
                )
            else:
                old.kind, old.name, old.source = kind, name, DaySource.NOTICE
                old.save(update_fields=["kind", "name", "source", "updated_at"])
        if plan:
            mark_changed(*years)
        audit_record(
            action=AuditAction.IMPORT,
            actor=actor,
            request=request,
            target_repr=_("节假日安排 %(years)s") % {"years": "、".join(map(str, years))},
            extra={
                **report.as_dict(),
                "changed": [f"{d:%Y-%m-%d} {k} {n}" for d, k, n, _old in plan][:500],
            },
        )
        if complete:
            for y in years:
                if not year_rows[y].is_complete:
                    calendar_year_complete(
                        actor=actor, year=y, reference=reference, request=request
                    )
    return report


def _fmt(day: date, kind: str, name: str) -> dict[str, Any]:  # kind: a lazy label
    return {"day": f"{day:%Y-%m-%d}", "name": name, "kind": DayKind(kind).label}
