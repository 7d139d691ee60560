"""Reading the calendar. The schedule is national, not personal: no scoping beyond the
named permission (``workdays.view_calendar``) the views declare."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.workdays.models import CalendarDay, CalendarYear, DayKind


def calendar_years() -> QuerySet[CalendarYear]:
    """Every year with its numbers of days off and 调休 working days, newest first."""
    return (
        CalendarYear.objects.select_related("completed_by")
        .annotate(
            holiday_count=Count("days", filter=Q(days__kind=DayKind.HOLIDAY)),
            workday_count=Count("days", filter=Q(days__kind=DayKind.WORKDAY)),
        )
        .order_by("-year")
    )


def calendar_year(year: int) -> CalendarYear | None:
    return CalendarYear.objects.select_related("completed_by").filter(year=year).first()


def year_days(year: int) -> QuerySet[CalendarDay]:
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def day_get(pk: int) -> CalendarDay:
    day = CalendarDay.objects.select_related("year").filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


def default_year() -> int:
    """The year the page opens on: next year from 1 November (when its notice comes out)."""
    today = timezone.localdate()
    return today.year + 1 if today.month >= 11 else today.year


def recompute_pending_years() -> dict[int, int]:
    """{year: revision} of complete years whose provisional deadlines await the worker."""
    return dict(
        CalendarYear.objects.filter(recompute_pending=True, is_complete=True).values_list(
            "year", "revision"
        )
    )
