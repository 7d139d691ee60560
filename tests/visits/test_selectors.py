"""Coverage per quarter and households due a visit, on a fixed clock (the pinned suite:
2026-11-18 10:00 China time, so the quarter is 2026Q4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from lianxin.people.models import Household
from lianxin.visits import selectors
from lianxin.visits.selectors import Quarter
from lianxin.visits.services import visit_log
from tests.clock import PINNED_AT, SHANGHAI

pytestmark = pytest.mark.django_db


def _visit(world, household, days_ago: int, who="county_admin"):
    at = timezone.now() - timedelta(days=days_ago)
    return visit_log(actor=world.users[who], household=household, visited_at=at)[0]


@pytest.fixture
def extra(world):
    a2 = Household.objects.create(number="A-0002", grid=world.grid_a1, address="东关3组13号")
    a3 = Household.objects.create(
        number="A-0003", grid=world.grid_a2, address="东关4组1号", tags=["独居老人"]
    )
    a4 = Household.objects.create(number="A-0004", grid=world.grid_a2, address="东关4组2号")
    return {"a2": a2, "a3": a3, "a4": a4}


def test_quarter_parse_and_bounds():
    q = Quarter.parse("2026Q4", datetime(2026, 1, 1).date())
    assert (q.start.isoformat(), q.end.isoformat()) == ("2026-10-01", "2027-01-01")
    assert str(Quarter.parse("nonsense", datetime(2026, 5, 5).date())) == "2026Q2"
    assert str(q.next()) == "2027Q1" and str(Quarter(2026, 1).previous()) == "2025Q4"


@pytest.mark.clock(PINNED_AT)  # asserts this quarter/year: the moment is part of the test
def test_coverage_per_grid_village_town_county(world, extra):
    _visit(world, world.households["a"], 10)
    _visit(world, world.households["a"], 5)  # twice: still one household
    _visit(world, extra["a3"], 20)
    _visit(world, extra["a4"], 60)  # 2026-09-19: last quarter
    _visit(world, world.households["b"], 1)
    q = Quarter.of(timezone.localdate())
    admin = world.users["county_admin"]
    assert str(q) == "2026Q4"
    g1 = selectors.coverage_for(admin, world.grid_a1, q)
    assert (g1.households, g1.visited, g1.percent) == (2, 1, 50)
    village = selectors.coverage_for(admin, world.village_a, q)
    assert (village.households, village.visited) == (4, 2)
    county = selectors.coverage_for(admin, world.county, q)
    assert (county.households, county.visited) == (5, 3)
    prev = selectors.coverage_for(admin, world.village_a, q.previous())
    assert prev.visited == 1
    kids = selectors.coverage_children(admin, world.county, q)
    assert [(c.unit.name, c.households, c.visited) for c in kids] == [
        ("城关镇", 4, 2),
        ("洛门镇", 1, 1),
    ]
    # Scoped: town B's clerk sees none of town A's households.
    assert selectors.coverage_for(world.users["town_b"], world.town_a, q).households == 0


def test_due_intervals_vulnerable_shorter(world, extra, settings):
    settings.LIANXIN_VISIT_INTERVAL_DAYS = 90
    settings.LIANXIN_VISIT_VULNERABLE_INTERVAL_DAYS = 30
    _visit(world, world.households["a"], 89)  # not due
    _visit(world, extra["a2"], 91)  # due (90)
    _visit(world, extra["a3"], 31)  # vulnerable: due (30)
    # a4 never visited: due first
    due = selectors.households_due(world.users["county_admin"])
    numbers = [d.household.number for d in due]
    assert set(numbers[:2]) == {"A-0004", "B-0001"}  # never visited first
    assert numbers[2:] == ["A-0002", "A-0003"]  # then the longest since
    assert set(numbers) == {"A-0002", "A-0003", "A-0004", "B-0001"}
    assert "A-0001" not in numbers
    a3 = next(d for d in due if d.household.number == "A-0003")
    assert a3.vulnerable and a3.interval == 30 and a3.days_since == 31


def test_due_for_grid_worker_only_own_grid(world, extra):
    numbers = {
        d.household.number for d in selectors.households_due(world.users["grid_a1"], own_grids=True)
    }
    assert numbers == {"A-0001", "A-0002"}
    assert {
        d.household.number for d in selectors.households_due(world.users["grid_b1"], own_grids=True)
    } == {"B-0001"}


@pytest.mark.clock(datetime(2027, 1, 2, 9, 0, tzinfo=SHANGHAI))
def test_new_quarter_starts_empty(world):
    _visit(world, world.households["a"], 5)  # 2026-12-28
    q = Quarter.of(timezone.localdate())
    assert str(q) == "2027Q1"
    assert selectors.coverage_for(world.users["county_admin"], world.county, q).visited == 0
