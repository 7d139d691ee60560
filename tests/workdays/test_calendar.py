"""The calendar table: seeded from the packages, read once per year, current after a change."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianxin.cases.deadlines import add_working_days, add_working_days_detail, is_workday
from lianxin.workdays import calendar, seed
from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind, DaySource
from lianxin.workdays.services import calendar_day_create

TZ = ZoneInfo("Asia/Shanghai")


def test_seed_is_the_official_schedule_of_2004_to_2026_and_nothing_beyond():
    years = dict(CalendarYear.objects.values_list("year", "is_complete"))
    assert all(years[y] for y in range(2004, 2027))
    assert 2027 not in years  # neither package has the 2027 notice: no guesses seeded
    # every day of 2004-2026 agrees with chinese_calendar
    for day in (
        date(2026, 1, 1),
        date(2026, 1, 4),
        date(2025, 10, 8),
        date(2025, 9, 28),
        date(2024, 2, 18),
    ):
        assert is_workday(day) == chinese_calendar.is_workday(day), day
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).kind == DayKind.WORKDAY
    assert CalendarDay.objects.get(date=date(2026, 1, 1)).name == "元旦"
    assert CalendarDay.objects.filter(
        source=DaySource.CHINESE_CALENDAR, date__year=2026
    ).count() == (
        sum(1 for d in chinese_calendar.constants.holidays if d.year == 2026)
        + sum(1 for d in chinese_calendar.constants.workdays if d.year == 2026)
    )


def test_holidays_package_only_counts_as_official_for_notices_it_lists():
    """holidays.China(years=2027) answers (元旦, 春节 …, by rule) but lists no 2027 notice."""
    import holidays

    assert date(2027, 1, 1) in holidays.China(years=2027)
    assert 2027 not in seed.holidays_official_years()
    years, days = seed.seed_days()
    assert 2027 not in years and not [d for d in days if d.date.year == 2027]
    # where both packages know a year, the 调休 days parsed from holidays' notice agree
    made_up = {d.date for d in seed._holidays_days(2025) if d.kind == "workday"}
    assert made_up == {d for d in chinese_calendar.constants.workdays if d.year == 2025}


def test_seeding_again_adds_nothing():
    before = CalendarDay.objects.count()
    assert seed.seed(CalendarYear, CalendarDay) == 0
    assert CalendarDay.objects.count() == before


def test_a_year_is_read_once_then_served_from_memory():
    calendar.invalidate()
    with CaptureQueriesContext(connection) as first:
        add_working_days(datetime(2025, 9, 30, 10, tzinfo=TZ), 5)
    with CaptureQueriesContext(connection) as again:
        for _i in range(200):
            add_working_days(datetime(2025, 9, 30, 10, tzinfo=TZ), 5)
    assert len(first.captured_queries) == 3  # the revisions, the year row, its days
    assert len(again.captured_queries) == 0


def test_a_day_entered_changes_deadlines_at_once(world):
    start = datetime(2026, 12, 30, 9, tzinfo=TZ)  # Wednesday
    assert add_working_days(start, 1).date() == date(2026, 12, 31)
    calendar_day_create(
        actor=world.users["county_admin"],
        day=date(2026, 12, 31),
        kind=DayKind.HOLIDAY,
        name="试验假日",
    )
    assert add_working_days(start, 1).date() == date(2027, 1, 1)


def test_another_process_change_is_seen_after_the_revalidation_interval(monkeypatch):
    start = datetime(2026, 12, 30, 9, tzinfo=TZ)
    assert add_working_days(start, 1).date() == date(2026, 12, 31)
    # another process adds a day: the row and a new revision, but not this process's cache
    year = CalendarYear.objects.get(year=2026)
    CalendarDay.objects.create(
        year=year, date=date(2026, 12, 31), kind=DayKind.HOLIDAY, name="别处录入"
    )
    CalendarYear.objects.filter(pk=year.pk).update(revision=year.revision + 1)
    assert add_working_days(start, 1).date() == date(2026, 12, 31)  # still cached
    monkeypatch.setattr(
        calendar, "_checked_at", calendar._checked_at - calendar.REVALIDATE_SECONDS - 1
    )
    assert add_working_days(start, 1).date() == date(2027, 1, 1)


def test_a_year_without_a_complete_schedule_counts_monday_to_friday_and_says_so():
    start = datetime(2026, 12, 30, 9, tzinfo=TZ)
    at, provisional = add_working_days_detail(start, 3)
    assert at == datetime(2027, 1, 4, 9, tzinfo=TZ)  # 12-31, 01-01 (元旦 counted!), 01-04
    assert provisional
    at, provisional = add_working_days_detail(start, 1)
    assert at.date() == date(2026, 12, 31) and not provisional
