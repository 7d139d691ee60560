"""The calendar's first rows, from the two calendar packages (used by the data migration).

``chinese_calendar`` carries the official schedules of 2004–(its last year); ``holidays``
carries the official notices it lists (``China.special_public_holidays``, 2001 onwards). For a
year only ``holidays`` knows, its days off are taken from ``holidays.China`` and its 调休 working
days from the "substituted from" pairs of the notice. Years that neither package has from an
official notice are not seeded: ``holidays`` estimates future years by rule (no 调休, days off
moved by its own "observed" rule), which is not the State Council's schedule, so such a year
stays missing until an administrator enters or imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

HOLIDAY = "holiday"
WORKDAY = "workday"


@dataclass(frozen=True)
class SeedDay:
    date: date
    kind: str
    name: str
    source: str


def _chinese_calendar_days() -> tuple[set[int], list[SeedDay]]:
    from chinese_calendar import constants

    names = {h.value: getattr(h, "chinese", h.value) for h in constants.Holiday}
    days = [
        SeedDay(d, HOLIDAY, names.get(n, n), "chinese_calendar")
        for d, n in constants.holidays.items()
    ]
    days += [
        SeedDay(d, WORKDAY, names.get(n, n), "chinese_calendar")
        for d, n in constants.workdays.items()
    ]
    years = set(range(min(d.date.year for d in days), max(d.date.year for d in days) + 1))
    return years, days


def holidays_official_years() -> set[int]:
    """The years for which ``holidays`` follows an official notice (not its own estimate)."""
    special = _special()
    if not special:
        return set()
    return set(range(2001, max(special) + 1))


def _special() -> dict:
    from holidays.countries import china

    static = getattr(china, "ChinaStaticHolidays", None)
    return dict(getattr(static, "special_public_holidays", None) or {})


def _holidays_days(year: int) -> Iterator[SeedDay]:
    from holidays.countries.china import China

    for day, name in sorted(China(years=year, language="zh_CN").items()):
        yield SeedDay(day, HOLIDAY, str(name).split(";")[0].strip()[:50], "holidays")
    entries = _special().get(year, ())
    if entries and isinstance(entries[0], int):
        entries = (entries,)
    for entry in entries:
        # (month, day, made-up month, made-up day[, made-up year]): a day off made up by working
        # on another day; a (month, day, name) entry is an extra day off without one.
        if len(entry) in (4, 5) and all(isinstance(v, int) for v in entry):
            made_up_year = entry[4] if len(entry) == 5 else year
            made_up = date(made_up_year, entry[2], entry[3])
            yield SeedDay(made_up, WORKDAY, "调休上班", "holidays")


def seed_days() -> tuple[dict[int, str], list[SeedDay]]:
    """({year: source}, days) of every officially known year, one row per date."""
    cc_years, days = _chinese_calendar_days()
    years = dict.fromkeys(sorted(cc_years), "chinese_calendar")
    for year in sorted(holidays_official_years() - cc_years):
        years[year] = "holidays"
        days.extend(_holidays_days(year))
    by_date: dict[date, SeedDay] = {}
    for day in days:
        if day.date.year in years:
            by_date.setdefault(day.date, day)
    return years, sorted(by_date.values(), key=lambda d: d.date)


def seed(CalendarYear, CalendarDay) -> int:  # noqa: N803 (historical models from a migration)
    """Insert the seed into empty tables (historical or current models); returns the day count.
    Years already present are left alone, so running it again adds nothing."""
    years, days = seed_days()
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    rows = {
        y: CalendarYear(year=y, is_complete=True, source=src, reference=_reference(src))
        for y, src in years.items()
        if y not in existing
    }
    CalendarYear.objects.bulk_create(rows.values())
    ids = dict(CalendarYear.objects.filter(year__in=rows).values_list("year", "id"))
    new = [
        CalendarDay(
            year_id=ids[d.date.year], date=d.date, kind=d.kind, name=d.name, source=d.source
        )
        for d in days
        if d.date.year in ids
    ]
    CalendarDay.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _reference(source: str) -> str:
    return {
        "chinese_calendar": "国务院办公厅关于部分节假日安排的通知（chinese_calendar 收录）",
        "holidays": "国务院办公厅关于部分节假日安排的通知（holidays 收录）",
    }.get(source, "")


def ensure_seeded() -> int:
    """Seed the current tables when they are empty (after a test database flush)."""
    from lianxin.workdays.models import CalendarDay, CalendarYear

    if CalendarYear.objects.exists():
        return 0
    return seed(CalendarYear, CalendarDay)
