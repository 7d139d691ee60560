"""Coverage drill-down: one grouped query per level, whatever the number of children."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.people.models import Household
from lianxin.visits import selectors
from lianxin.visits.selectors import Quarter
from lianxin.visits.services import visit_log

pytestmark = pytest.mark.django_db


def _count(user, unit, quarter) -> tuple[int, list]:
    selectors.coverage_children(user, unit, quarter)  # warm the user's scope cache
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.coverage_children(user, unit, quarter)
    return len(ctx.captured_queries), rows


def _add_grids(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        grid = unit_create(
            code=f"620524100001-G{i:02d}",
            name=f"东关第{i}网格",
            kind=UnitKind.GRID,
            parent=world.village_a,
        )
        Household.objects.create(number=f"A-1{i:03d}", grid=grid, address=f"东关{i}组1号")


def test_query_count_constant_in_children(world):
    quarter = Quarter.of(timezone.localdate())
    clerk = world.users["town_a"]
    few, rows_few = _count(clerk, world.village_a, quarter)
    assert len(rows_few) == 1  # grid_a1 holds a household, grid_a2 none
    _add_grids(world, 12, start=10)
    many, rows_many = _count(clerk, world.village_a, quarter)
    assert len(rows_many) == 13
    print(f"\ncoverage_children queries: {few} with 2 children, {many} with 14 children")
    assert few == many == 2


def test_grouping_by_child_prefix_counts_subtrees_and_visits_once(world):
    micro = unit_create(
        code="620524100001-G01-01",
        name="东关1网格1号楼",
        kind=UnitKind.MICRO_GRID,
        parent=world.grid_a1,
    )
    deep = Household.objects.create(number="A-0009", grid=micro, address="1号楼1单元")
    Household.objects.create(number="A-0010", grid=world.grid_a2, address="东关4组3号")
    admin = world.users["county_admin"]
    now = timezone.now()
    # minutes ago, not hours: at 00:30 on the 1st of a quarter two hours ago is the last quarter
    visit_log(actor=admin, household=deep, visited_at=now - timedelta(minutes=20))
    visit_log(actor=admin, household=deep, visited_at=now - timedelta(minutes=10))  # twice: once
    quarter = Quarter.of(timezone.localdate())
    rows = selectors.coverage_children(admin, world.village_a, quarter)
    assert [(r.unit.code, r.households, r.visited) for r in rows] == [
        ("620524100001-G01", 2, 1),  # its own household and the micro-grid's
        ("620524100001-G02", 1, 0),
    ]
    # the county level agrees with the per-unit totals
    towns = selectors.coverage_children(admin, world.county, quarter)
    for row in towns:
        total = selectors.coverage_for(admin, row.unit, quarter)
        assert (row.households, row.visited) == (total.households, total.visited)
    # scoped: town B's clerk sees no row of town A's village
    assert selectors.coverage_children(world.users["town_b"], world.village_a, quarter) == []
