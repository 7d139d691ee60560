"""URL kwargs for the calendar routes (a national table: nothing here belongs to a subtree;
the sibling-subtree walk checks that non-county-admins are refused)."""

from __future__ import annotations


def _day(w):
    from lianxin.workdays.models import CalendarDay
    from lianxin.workdays.seed import ensure_seeded

    ensure_seeded()
    return CalendarDay.objects.filter(date__year=2026).order_by("date").first()


ROUTE_KWARGS = {
    "workdays:day_edit": lambda w: {"pk": _day(w).pk},
    "workdays:day_delete": lambda w: {"pk": _day(w).pk},
    "workdays:year_complete": lambda w: {"year": 2027},
    "workdays:year_reopen": lambda w: {"year": 2026},
}
# The calendar is the county administrator's (the positive control of the route walk).
ROUTE_OWNERS = dict.fromkeys(ROUTE_KWARGS, "county_admin")
