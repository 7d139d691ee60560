"""限时办结: deadlines in hours or in Chinese working days.

Working days follow the calendar table of ``lianxin.workdays`` (the State Council's 节假日安排:
days off and 调休 make-up working days), each year read once per process. A year whose official
schedule is not marked complete counts Monday–Friday plus whatever days have been entered,
and every deadline counted through such a year is *provisional*: ``Due.provisional`` is set and
``Due.basis`` keeps what is needed to count it again (start and number of working days), which
``cases.provisional`` does once the year's schedule is complete.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from lianxin.cases.models import DeadlineRule, DueUnit, Priority
from lianxin.workdays.calendar import year_calendar

logger = logging.getLogger(__name__)
_fallback_logged: set[int] = set()

# Used when neither the category nor any of its ancestors has a rule for the priority.
DEFAULT_RULES = {
    Priority.NORMAL: (24, DueUnit.HOURS, 5, DueUnit.WORKDAYS),
    Priority.URGENT: (4, DueUnit.HOURS, 2, DueUnit.WORKDAYS),
    Priority.CRITICAL: (1, DueUnit.HOURS, 24, DueUnit.HOURS),
}


@dataclass(frozen=True)
class Due:
    """A computed deadline; ``days``/``start`` are set when it was counted in working days."""

    at: datetime
    provisional: bool = False
    days: int | None = None
    start: datetime | None = None

    def basis(self) -> dict:
        """What a provisional deadline is counted again from (kept in ``Case.due_basis``)."""
        return {"from": self.start.isoformat() if self.start else None, "days": self.days}


def _warn_fallback(year: int) -> None:
    if year not in _fallback_logged:
        _fallback_logged.add(year)
        logger.warning(
            "no complete holiday schedule (节假日安排) for %s; counting Monday-Friday as working "
            "days and marking deadlines provisional",
            year,
        )


def is_workday(day: date) -> bool:
    cal = year_calendar(day.year)
    if not cal.complete:
        _warn_fallback(day.year)
    return cal.is_workday(day)


def add_working_days_detail(start: datetime, days: int) -> tuple[datetime, bool]:
    """(the same clock time on the ``days``-th working day after ``start``'s date, whether any
    day walked lies in a year without a complete official schedule)."""
    current = start
    counted = 0
    provisional = False
    cal = None
    while counted < days:
        current += timedelta(days=1)
        day = current.date()
        if cal is None or cal.year != day.year:
            cal = year_calendar(day.year)
            if not cal.complete:
                provisional = True
                _warn_fallback(day.year)
        if cal.is_workday(day):
            counted += 1
    return current, provisional


def add_working_days(start: datetime, days: int) -> datetime:
    """The same clock time on the ``days``-th working day after ``start``'s date."""
    return add_working_days_detail(start, days)[0]


def due_at(start: datetime, amount: int, unit: str) -> Due:
    if unit == DueUnit.WORKDAYS:
        # Count in local (Asia/Shanghai) dates: a holiday is a local day.
        local = timezone.localtime(start)
        at, provisional = add_working_days_detail(local, amount)
        return Due(at=at, provisional=provisional, days=amount, start=local)
    return Due(at=start + timedelta(hours=amount))


def add_due(start: datetime, amount: int, unit: str) -> datetime:
    return due_at(start, amount, unit).at


def recount(basis: dict) -> tuple[datetime, bool]:
    """Count a provisional deadline again from its ``basis`` with today's calendar."""
    start = timezone.localtime(datetime.fromisoformat(basis["from"]))
    return add_working_days_detail(start, int(basis["days"]))


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


def compute_due_detail(category, priority: str, start: datetime) -> tuple[Due, Due]:
    """(accept, resolve) deadlines counted from ``start``, each saying if it is provisional."""
    a_amount, a_unit, r_amount, r_unit = rule_for(category, priority)
    return due_at(start, a_amount, a_unit), due_at(start, r_amount, r_unit)


def compute_due(category, priority: str, start: datetime) -> tuple[datetime, datetime]:
    """(accept_due_at, resolve_due_at) counted from ``start``."""
    accept, resolve = compute_due_detail(category, priority, start)
    return accept.at, resolve.at


def due_basis_set(case, key: str, due: Due | None) -> None:
    """Keep ``case.due_basis[key]`` ("accept"/"resolve") for a provisional due time, drop it for
    a final one (or ``None``: a due time not counted by rule, e.g. an approved extension), and
    set ``case.due_provisional`` to whether any provisional due time remains."""
    basis = dict(case.due_basis or {})
    if due is not None and due.provisional:
        basis[key] = due.basis()
    else:
        basis.pop(key, None)
    case.due_basis = basis or None
    case.due_provisional = bool(basis)
