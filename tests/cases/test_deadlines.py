from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lianxin.cases.deadlines import add_due, add_working_days, compute_due, is_workday
from lianxin.cases.models import Category, DeadlineRule, DueUnit, Priority

TZ = ZoneInfo("Asia/Shanghai")
# Working days are read from the calendar table (lianxin.workdays), seeded by its migration.
pytestmark = pytest.mark.django_db


def test_national_day_holiday_is_skipped():
    # 2025-09-30 (Tue) + 1 working day: 10-01..10-08 are holidays -> 2025-10-09
    start = datetime(2025, 9, 30, 10, 0, tzinfo=TZ)
    assert add_working_days(start, 1).date().isoformat() == "2025-10-09"


def test_tiaoxiu_saturday_counts_as_workday():
    # 2025-09-28 is a Sunday make-up working day (调休) before National Day
    assert is_workday(datetime(2025, 9, 28).date())
    start = datetime(2025, 9, 26, 9, 0, tzinfo=TZ)  # Friday
    assert add_working_days(start, 1).date().isoformat() == "2025-09-28"


def test_beyond_calendar_years_falls_back_to_weekdays_and_logs(caplog):
    caplog.set_level(logging.WARNING, logger="lianxin.cases.deadlines")
    start = datetime(2035, 1, 5, 9, 0, tzinfo=TZ)  # a Friday
    assert add_working_days(start, 1).date().isoformat() == "2035-01-08"
    assert "2035" in caplog.text


def test_hours():
    start = datetime(2025, 5, 1, 9, 0, tzinfo=TZ)
    assert add_due(start, 4, DueUnit.HOURS) == start + timedelta(hours=4)


@pytest.mark.django_db
def test_rule_inherited_from_parent_and_overridable():
    child = Category.objects.get(code="infra-light")
    start = datetime(2025, 6, 3, 9, 0, tzinfo=TZ)  # Tuesday
    accept, resolve = compute_due(child, Priority.NORMAL, start)
    assert accept == start + timedelta(hours=24)
    assert resolve.date().isoformat() == "2025-06-17"  # 10 working days
    DeadlineRule.objects.create(
        category=child,
        priority=Priority.NORMAL,
        accept_amount=2,
        accept_unit=DueUnit.HOURS,
        resolve_amount=1,
        resolve_unit=DueUnit.WORKDAYS,
    )
    accept, resolve = compute_due(child, Priority.NORMAL, start)
    assert accept == start + timedelta(hours=2)
    assert resolve.date().isoformat() == "2025-06-04"
