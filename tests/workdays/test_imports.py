"""Importing the notice's table: dry run, row-by-row Chinese errors, all or nothing, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.workdays import imports
from lianxin.workdays.imports import calendar_import
from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind, DaySource
from tests.workdays.helpers import NOTICE_2027, xlsx


def test_dry_run_reports_and_writes_nothing(world):
    report = calendar_import(
        actor=world.users["county_admin"], data=xlsx(NOTICE_2027), dry_run=True
    )
    assert report.ok and report.created == 7 and report.total == 7
    assert any("2027-01-01 元旦（放假）" in c for c in report.changes)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_good_file_is_imported_under_a_title_row_and_again_changes_nothing(world):
    admin = world.users["county_admin"]
    data = xlsx(NOTICE_2027, title="国务院办公厅关于2027年部分节假日安排的通知")
    report = calendar_import(actor=admin, data=data, dry_run=False)
    assert report.ok and report.created == 7
    days = {d.date: d for d in CalendarDay.objects.filter(date__year=2027)}
    assert days[date(2027, 2, 8)].kind == DayKind.HOLIDAY  # "2027年2月8日"
    assert (
        days[date(2027, 2, 20)].kind == DayKind.WORKDAY
        and days[date(2027, 2, 20)].name == "春节调休"
    )
    assert {d.source for d in days.values()} == {DaySource.NOTICE}
    audit = AuditEvent.objects.get(action="import")
    assert (
        audit.actor == admin
        and audit.extra["created"] == 7
        and "2027-01-01 holiday 元旦" in audit.extra["changed"]
    )
    assert not CalendarYear.objects.get(year=2027).is_complete  # not asked to complete

    again = calendar_import(actor=admin, data=data, dry_run=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)


def test_import_may_complete_the_year(world):
    calendar_import(
        actor=world.users["county_admin"],
        data=xlsx(NOTICE_2027),
        dry_run=False,
        complete=True,
        reference="国办发明电〔2026〕",
    )
    year = CalendarYear.objects.get(year=2027)
    assert year.is_complete and year.recompute_pending and year.reference == "国办发明电〔2026〕"


def test_a_changed_row_corrects_the_day(world):
    admin = world.users["county_admin"]
    calendar_import(actor=admin, data=xlsx(NOTICE_2027), dry_run=False)
    report = calendar_import(
        actor=admin, data=xlsx([(date(2027, 1, 1), "放假", "新年")]), dry_run=False
    )
    assert report.updated == 1
    assert CalendarDay.objects.get(date=date(2027, 1, 1)).name == "新年"


def test_bad_rows_are_reported_by_row_and_nothing_is_written(world):
    rows = [
        (date(2027, 1, 1), "放假", "元旦"),  # row 2: good
        ("2027-13-01", "放假", "春节"),  # row 3: no such month
        ("明年元旦", "放假", "元旦"),  # row 4: not a date
        (date(2027, 1, 4), "调休上班", "补班"),  # row 5: a Monday
        (date(2027, 2, 6), "请假", "春节"),  # row 6: unknown kind
        (date(2027, 1, 1), "放假", "元旦"),  # row 7: same date as row 2
        (date(2027, 2, 7), "放假", None),  # row 8: no name
        (None, None, "备注"),  # row 9: no date, no kind
    ]
    report = calendar_import(actor=world.users["county_admin"], data=xlsx(rows), dry_run=False)
    errors = dict(report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9]
    assert "不存在" in errors[3]
    assert "无法识别" in errors[4]
    assert "周六或周日" in errors[5]
    assert "放假" in errors[6] and "调休上班" in errors[6]
    assert "第 2 行重复" in errors[7]
    assert "请填写名称" in errors[8]
    assert "请填写日期" in errors[9]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_formula_looking_text_and_formulas_are_refused_not_stored(world):
    rows = [
        (date(2027, 1, 1), "放假", ("text", '=HYPERLINK("http://evil","元旦")')),  # text cell
        (date(2027, 1, 2), "放假", "=1+1"),  # a real formula
        (date(2027, 1, 3), "放假", ("text", "@SUM(A1)")),
        (date(2027, 2, 6), "放假", ("text", "+cmd")),
    ]
    report = calendar_import(actor=world.users["county_admin"], data=xlsx(rows), dry_run=False)
    errors = dict(report.errors)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "公式符号" in errors[2] and "公式符号" in errors[4] and "公式符号" in errors[5]
    assert "请填写名称" in errors[3]  # a formula has no value as read: never run, never kept
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_whole_file_problems_are_chinese_errors_not_crashes(world, monkeypatch):
    admin = world.users["county_admin"]
    with pytest.raises(ValidationError, match="xlsx"):
        calendar_import(actor=admin, data=b"not a spreadsheet", dry_run=True)
    with pytest.raises(ValidationError, match="类型"):
        calendar_import(actor=admin, data=xlsx(NOTICE_2027, header=("日期", "名称")), dry_run=True)
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    with pytest.raises(ValidationError, match="超过 5 行"):
        calendar_import(actor=admin, data=xlsx(NOTICE_2027), dry_run=True)


def test_a_town_admin_cannot_import(world):
    with pytest.raises(PermissionDenied):
        calendar_import(actor=world.users["town_a"], data=xlsx(NOTICE_2027), dry_run=False)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
