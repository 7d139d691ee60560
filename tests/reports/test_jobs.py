"""The worker's monthly schedule: from the 1st, last month's brief of every unit of the five
levels, a batch per run, never twice (fixed clock)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from lianxin.audit.models import AuditEvent
from lianxin.core.registry import periodic_jobs
from lianxin.reports.models import MonthlyReport, ReportState
from lianxin.reports.services import reports_schedule
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db
FIRST = datetime(2026, 12, 1, 0, 0, 30, tzinfo=SHANGHAI)


def _units(world):
    return {
        world.county,
        world.town_a,
        world.town_b,
        world.village_a,
        world.village_b,
        world.grid_a1,
        world.grid_a2,
        world.grid_b1,
        world.department,
    }


def test_registered_with_the_worker():
    assert "reports.monthly" in [name for name, _job in periodic_jobs()]


@pytest.mark.clock(FIRST)
def test_first_of_month_briefs_every_unit_once(world):
    result = reports_schedule(now=FIRST, batch=100)
    assert result == {"month": "2026-11", "queued": len(_units(world))}
    reports = MonthlyReport.objects.filter(month=date(2026, 11, 1))
    assert {r.unit for r in reports} == _units(world)
    assert {r.state for r in reports} == {ReportState.DONE}  # the immediate backend built them
    assert all(r.pdf and r.xlsx for r in reports)
    # the province and the city have no brief, nor do party organisations
    assert not MonthlyReport.objects.exclude(unit__in=_units(world)).exists()
    created = AuditEvent.objects.filter(action="create", target_type="reports.monthlyreport")
    assert created.count() == len(_units(world))
    assert {e.actor_name for e in created} == {"system"}
    # the worker runs every minute: nothing more happens that month
    for _run in range(3):
        assert reports_schedule(now=FIRST, batch=100)["queued"] == 0
    assert MonthlyReport.objects.count() == len(_units(world))


@pytest.mark.clock(FIRST)
def test_batches_catch_up_over_runs(world):
    total = len(_units(world))
    assert reports_schedule(now=FIRST, batch=4)["queued"] == 4
    first = set(MonthlyReport.objects.values_list("unit__kind", flat=True))
    assert "county" in first  # the county and towns first (shallowest)
    assert reports_schedule(now=FIRST, batch=4)["queued"] == 4
    assert reports_schedule(now=FIRST, batch=4)["queued"] == total - 8
    assert reports_schedule(now=FIRST, batch=4)["queued"] == 0


@pytest.mark.clock(datetime(2026, 12, 9, 15, 0, tzinfo=SHANGHAI))
def test_a_late_worker_still_makes_last_months(world):
    """Missed the 1st (the worker was down): the first run after catches up, same state."""
    now = datetime(2026, 12, 9, 15, 0, tzinfo=SHANGHAI)
    assert reports_schedule(now=now, batch=100)["month"] == "2026-11"
    assert MonthlyReport.objects.filter(month=date(2026, 11, 1)).count() == len(_units(world))


@pytest.mark.clock(FIRST)
def test_a_brief_the_user_asked_for_is_not_made_again(world):
    from lianxin.reports.services import report_request

    report_request(actor=world.users["town_a"], unit=world.town_a, month=date(2026, 11, 1))
    reports_schedule(now=FIRST, batch=100)
    assert MonthlyReport.objects.filter(unit=world.town_a).count() == 1
    created = AuditEvent.objects.filter(action="create", target_type="reports.monthlyreport")
    assert (
        created.filter(target_id=str(MonthlyReport.objects.get(unit=world.town_a).pk)).count() == 1
    )


@pytest.mark.clock(FIRST)
def test_a_task_delivered_twice_builds_once(world):
    from lianxin.reports.services import report_build

    report = MonthlyReport.objects.create(unit=world.town_a, month=date(2026, 11, 1))
    assert report_build(report_id=report.pk) is True
    assert report_build(report_id=report.pk) is False
    assert AuditEvent.objects.filter(action="create", target_id=str(report.pk)).count() == 1


@pytest.mark.clock(datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI))
def test_year_boundary(world):
    assert reports_schedule(now=datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), batch=1) == {
        "month": "2026-12",
        "queued": 1,
    }
