"""The demo's monthly briefs, built and stored as the worker's 1st-of-month run stores them, so
the 月度简报 page has PDFs and .xlsx to download on day one: last month's for the county and each
of its towns (乡镇/街道), and the county's for the two months before (the last three months of
briefs for every town would be 48 WeasyPrint renderings, several minutes; a town's older brief
is one 生成 click away). Runs after the dashboards' rollup (95), whose figures the briefs read;
built inline (no task queue) through ``services.report_build``, as the system.
"""

from __future__ import annotations

import time
from datetime import date

from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.org.models import TOWN_KINDS, Unit
from lianxin.reports import selectors as s
from lianxin.reports.models import MonthlyReport, ReportState
from lianxin.reports.services import report_build

DEMO_ORDER = 97
MONTHS = 3


def demo_units(county: Unit) -> list[Unit]:
    """The county, then its towns and streets by code."""
    towns = Unit.objects.filter(parent=county, kind__in=TOWN_KINDS, is_active=True).order_by("code")
    return [county, *towns]


def demo_months(ctx: DemoContext) -> list[date]:
    """The last ``MONTHS`` finished months before the demo's moment, newest first."""
    last = s.previous_month(timezone.localdate(ctx.now))
    return s.months_back(last, MONTHS)[::-1]


def demo_plan(county: Unit, months: list[date]) -> list[tuple[Unit, date]]:
    """(unit, month) of every brief the demo builds: newest month first."""
    units = demo_units(county)
    return [(u, months[0]) for u in units] + [(county, m) for m in months[1:]]


def demo_build(ctx: DemoContext) -> None:
    county = ctx.county  # set by the org step
    if county is None:
        return
    started = time.perf_counter()
    built = 0
    for unit, month in demo_plan(county, demo_months(ctx)):
        report, _created = MonthlyReport.objects.get_or_create(
            unit=unit, month=month, defaults={"created_at": ctx.now}
        )
        if report.state == ReportState.DONE:
            continue
        if report.state != ReportState.QUEUED:
            MonthlyReport.objects.filter(pk=report.pk).update(state=ReportState.QUEUED)
        built += report_build(report_id=report.pk, now=ctx.now)
    ctx.log(
        f"月度简报 {built} 份（上月县及各乡镇，前两月县级），{time.perf_counter() - started:.1f} 秒"
    )
