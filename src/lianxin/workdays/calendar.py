"""Reading the working-day calendar fast: each year is loaded once per process.

Deadline computation (``cases.deadlines``) asks :func:`year_calendar` for every day it walks,
so a year's days off and 调休 working days are read in one query into frozensets and kept.
A process learns of another process's change by comparing the years' ``revision`` numbers,
at most every :data:`REVALIDATE_SECONDS` (one query over the ~25 year rows); a change made in
this process drops the cache at once (:func:`invalidate`, called by the services).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import date

from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind

REVALIDATE_SECONDS = 30.0


@dataclass(frozen=True)
class YearCalendar:
    """One year's schedule: days off, make-up working days, and whether it is official."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    complete: bool
    revision: int | None = None

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        return day.weekday() < 5


_lock = threading.Lock()
_years: dict[int, YearCalendar] = {}
_revisions: dict[int, int] | None = None
_checked_at = 0.0


def invalidate(*years: int) -> None:
    """Forget every cached year in this process (after a change, and in tests); other
    processes notice the changed revision within ``REVALIDATE_SECONDS``."""
    global _revisions, _checked_at
    with _lock:
        _years.clear()
        _revisions = None
        _checked_at = 0.0


def _revalidate() -> None:
    global _revisions, _checked_at
    now = time.monotonic()
    if _revisions is not None and now - _checked_at < REVALIDATE_SECONDS:
        return
    current = dict(CalendarYear.objects.values_list("year", "revision"))
    with _lock:
        if current != _revisions:
            for year in [y for y, cal in _years.items() if current.get(y) != cal.revision]:
                del _years[year]
            _revisions = current
        _checked_at = now


def _load(year: int) -> YearCalendar:
    row = CalendarYear.objects.filter(year=year).values("id", "is_complete", "revision").first()
    if row is None:
        return YearCalendar(year, frozenset(), frozenset(), complete=False, revision=None)
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in CalendarDay.objects.filter(year_id=row["id"]).values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    return YearCalendar(
        year, frozenset(holidays), frozenset(workdays), row["is_complete"], row["revision"]
    )


def year_calendar(year: int) -> YearCalendar:
    """The year's calendar, from this process's cache when it is still current."""
    _revalidate()
    cal = _years.get(year)
    if cal is None:
        cal = _load(year)
        with _lock:
            _years[year] = cal
    return cal


def is_workday(day: date) -> bool:
    return year_calendar(day.year).is_workday(day)


def schedule_complete(year: int) -> bool:
    """Whether ``year``'s official schedule is marked complete (the banner's check on every
    admin page).

    Read from this process's calendar of the year, which is revalidated against the year table
    at most every ``REVALIDATE_SECONDS`` (one small query) and dropped at once on a change made
    in this process, so the banner costs no query on most pages; another process sees a change
    within that time."""
    return year_calendar(year).complete
