"""The "next year's 节假日安排 is missing" banner on every page, for those who can act on it."""

from __future__ import annotations

from django.utils import timezone

from lianxin.workdays.rules import sees_schedule_banner

BANNER_FROM_MONTH = 11  # the State Council publishes the next year's schedule in November


def schedule_banner(request) -> dict:
    """From 1 November, county and town administrators (and system staff) are told while the
    next year's official schedule is not marked complete: deadlines crossing New Year are then
    counted Monday–Friday, provisionally."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    today = timezone.localdate()
    if today.month < BANNER_FROM_MONTH:
        return {}
    if not sees_schedule_banner.test(user):
        return {}
    from lianxin.workdays.calendar import schedule_complete

    year = today.year + 1
    if schedule_complete(year):
        return {}
    return {"workdays_banner": {"year": year}}
