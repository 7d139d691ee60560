"""The worker's periodic job: rebuild this month's and last month's dashboard rollup.

The worker calls every job each minute; the rollup is rebuilt when the last build is four
minutes old or more, so a figure is at most five minutes behind ("数据截至 HH:MM").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from lianxin.dashboards.models import DashboardBuild
from lianxin.dashboards.rollup import build_recent, current_month

EVERY = timedelta(minutes=4)


def dashboards_rollup(now: datetime) -> dict:
    last = (
        DashboardBuild.objects.filter(month=current_month(now))
        .values_list("built_at", flat=True)
        .first()
    )
    if last is not None and now - last < EVERY and last <= now:
        return {"skipped": True}
    return {"rows": build_recent(now)}


PERIODIC_JOBS = [("dashboards.rollup", dashboards_rollup)]
