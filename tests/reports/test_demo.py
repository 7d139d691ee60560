"""The demo step: last month's brief of the county and of each town, the county's for the two
months before, stored and downloadable; run again, nothing is built twice."""

from __future__ import annotations

from datetime import date

import pytest

from lianxin.core.demo import demo_steps
from lianxin.reports import demo
from lianxin.reports.models import MonthlyReport, ReportState
from tests.clock import PINNED_AT
from tests.economy.factories import demo_context
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_runs_after_the_dashboards_rollup():
    names = [m.__name__ for m in demo_steps()]
    assert names.index("lianxin.reports.demo") > names.index("lianxin.dashboards.demo")


@pytest.mark.clock(PINNED_AT)  # the months built depend on the moment
def test_demo_builds_the_last_months_briefs(world, month_cases):
    ctx = demo_context(world)
    demo.demo_build(ctx)
    got = {(r.unit.name, r.month) for r in MonthlyReport.objects.select_related("unit")}
    last, sep, aug = date(2026, 10, 1), date(2026, 9, 1), date(2026, 8, 1)  # pinned 11-18
    assert got == {
        ("武山县", last),
        ("城关镇", last),
        ("洛门镇", last),
        ("武山县", sep),
        ("武山县", aug),
    }
    assert {r.state for r in MonthlyReport.objects.all()} == {ReportState.DONE}
    town = MonthlyReport.objects.get(unit=world.town_a, month=last)
    assert town.figures["cases_total"] == 3  # the month's requests of town A
    with town.pdf.open("rb") as fh:
        assert "城关镇" in pdf_text(fh.read())
    demo.demo_build(ctx)
    assert MonthlyReport.objects.count() == 5
    assert MonthlyReport.objects.filter(generated_at__isnull=True).count() == 0
