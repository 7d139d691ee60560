"""限时办结: deadlines in hours or in Chinese working days.

Working days follow ``chinese_calendar`` (statutory holidays and 调休 make-up workdays).
For a year the library does not cover yet, fall back to Monday–Friday and log it once per
year, so a deployment keeps running when nobody has upgraded the calendar package.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar

from lianxin.cases.models import DeadlineRule, DueUnit, Priority

logger = logging.getLogger(__name__)
_fallback_logged: set[int] = set()

# Used when neither the category nor any of its ancestors has a rule for the priority.
DEFAULT_RULES = {
    Priority.NORMAL: (24, DueUnit.HOURS, 5, DueUnit.WORKDAYS),
    Priority.URGENT: (4, DueUnit.HOURS, 2, DueUnit.WORKDAYS),
    Priority.CRITICAL: (1, DueUnit.HOURS, 24, DueUnit.HOURS),
}


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _fallback_logged:
            _fallback_logged.add(day.year)
            logger.warning(
                "chinese_calendar has no data for %s; counting Monday-Friday as working days",
                day.year,
            )
        return day.weekday() < 5


def add_working_days(start: datetime, days: int) -> datetime:
    """The same clock time on the ``days``-th working day after ``start``'s date."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_workday(current.date()):
            counted += 1
    return current


def add_due(start: datetime, amount: int, unit: str) -> datetime:
    if unit == DueUnit.WORKDAYS:
        # Count in local (Asia/Shanghai) dates: a holiday is a local day.
        from django.utils import timezone

        local = timezone.localtime(start)
        return add_working_days(local, amount)
    return start + timedelta(hours=amount)


def rule_for(category, priority: str) -> tuple[int, str, int, str]:
    """The rule of the category, else of its nearest ancestor, else the default."""
    node = category
    seen = 0
    while node is not None and seen < 10:
        rule = DeadlineRule.objects.filter(category=node, priority=priority).first()
        if rule is not None:
            return (rule.accept_amount, rule.accept_unit, rule.resolve_amount, rule.resolve_unit)
        node = node.parent
        seen += 1
    return DEFAULT_RULES.get(priority, DEFAULT_RULES[Priority.NORMAL])


def compute_due(category, priority: str, start: datetime) -> tuple[datetime, datetime]:
    """(accept_due_at, resolve_due_at) counted from ``start``."""
    a_amount, a_unit, r_amount, r_unit = rule_for(category, priority)
    return add_due(start, a_amount, a_unit), add_due(start, r_amount, r_unit)
