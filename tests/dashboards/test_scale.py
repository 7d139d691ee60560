"""The dashboard at scale: the same number of queries per page whatever the data (1 vs 3 towns,
few vs many requests), the 12-month trends read from the rollup and equal to the GROUP BY over
the requests month by month (also after old months change), and every number equal to the
list it drills down to."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.cases.selectors import CaseFilters, case_list
from lianxin.dashboards import charts
from lianxin.dashboards.figures import FIGURES
from lianxin.dashboards.rollup import (
    CASE_KEYS,
    TREND_MONTHS,
    build_all,
    build_case_months,
    build_recent,
    current_month,
    months_back,
)
from lianxin.dashboards.selectors import dashboard_figures, dashboard_trends, drill_rows
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from tests.cases.factories import make_case
from tests.cases.test_stats import random_actions as random_case_actions
from tests.dashboards.test_rollup import random_other_actions, raw_rates

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _levels(world):
    return {
        "county": world.county,
        "town": world.town_a,
        "village": world.village_a,
        "grid": world.grid_a1,
        "department": world.department,
    }


def _third_town(world):
    town = unit_create(
        code="620524102000",
        name="龙台镇",
        kind=UnitKind.TOWN,
        parent=world.county,
        division_code="620524102000",
    )
    village = unit_create(
        code="620524102201",
        name="龙台村",
        kind=UnitKind.VILLAGE,
        parent=town,
        division_code="620524102201",
    )
    return unit_create(
        code="620524102201-G01", name="龙台第1网格", kind=UnitKind.GRID, parent=village
    )


def _page_queries(client, unit) -> int:
    url = f"/dashboards/{unit.pk}/"
    assert client.get(url).status_code == 200  # warm the session, scope and nav caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_queries_per_page_do_not_grow_with_towns_or_requests(world, client, login):
    login(world.users["county_admin"])
    make_case(world, grid=world.grid_a1)
    build_all(months=2)
    small = {name: _page_queries(client, u) for name, u in _levels(world).items()}
    charts._render.cache_clear()  # the larger page draws its charts afresh: still no query
    grid_c = _third_town(world)
    rng = random.Random(5)
    random_case_actions(world, rng, steps=40)
    for i in range(4):
        make_case(world, grid=grid_c, title=f"路面破损{i}")
    random_other_actions(world, rng, steps=10)
    build_all(months=3)
    large = {name: _page_queries(client, u) for name, u in _levels(world).items()}
    assert large == small
    # a page is a handful of reads whatever the level (the session and menu included)
    assert max(large.values()) <= 20, large


def _trend_values(trend):
    return [v for _m, v in trend.points]


def _assert_trends_equal_the_requests(world, now):
    admin = world.users["county_admin"]
    window = months_back(current_month(now), TREND_MONTHS)
    for unit in _levels(world).values():
        trends = dashboard_trends(actor=admin, unit=unit, keys=tuple(CASE_KEYS), month=window[-1])
        for i, month in enumerate(window):
            rate = raw_rates(unit, month)
            expected = {
                "cases_total": rate.total,
                "response_rate": rate.response_rate,
                "resolution_rate": rate.resolution_rate,
                "satisfaction_rate": rate.satisfaction_rate,
                "on_time_rate": rate.on_time_rate,
            }
            got = {k: trends[k].points[i][1] for k in CASE_KEYS}
            for key, value in expected.items():
                if value is None:
                    assert got[key] is None, (unit.name, month, key)
                else:
                    assert float(got[key]) == pytest.approx(value), (
                        unit.name,
                        month,
                        key,
                        got[key],
                    )
        assert all(t.as_of is not None for t in trends.values())


def test_trends_come_from_the_rollup_and_follow_changes_to_old_months(world):
    rng = random.Random(11)
    random_case_actions(world, rng, steps=40)
    now = timezone.now()
    build_all(now=now)
    _assert_trends_equal_the_requests(world, now)
    window = months_back(current_month(now), TREND_MONTHS)
    assert build_case_months(window, now) == 0  # nothing changed: nothing rebuilt
    _assert_province_reads_the_rollup(world, now)
    # more requests created 40 and 75 days ago and handled: old months change
    random_case_actions(world, random.Random(12), steps=40)
    later = timezone.now()
    build_recent(later)  # the worker's job re-checks every month of the window
    _assert_trends_equal_the_requests(world, later)


def _assert_province_reads_the_rollup(world, now):
    """Above a county the request cards come from the rollup too (not live), equal all the same."""
    from lianxin.org.models import Role
    from tests.conftest import make_user

    province = world.county.parent.parent
    assert province.kind == UnitKind.PROVINCE
    admin = make_user("province_admin", unit=province, role=Role.COUNTY_ADMIN)
    month = current_month(now)
    data = dashboard_figures(actor=admin, unit=province, month=month)
    rate = raw_rates(province, month)
    total = data.figure("cases_total")
    assert not total.live and total.as_of is not None
    assert total.value == rate.total
    resolution = data.figure("resolution_rate").value
    if rate.resolution_rate is None:
        assert resolution is None
    else:
        assert float(resolution) == pytest.approx(rate.resolution_rate)
    city = data.children[0]
    assert city.unit == world.county.parent
    assert next(f for f in city.figures if f.key == "cases_total").value == rate.total


def test_the_trend_is_not_read_from_the_requests(world):
    """Without a rollup build the trend has nothing: it never counts the requests live."""
    make_case(world, grid=world.grid_a1)
    admin = world.users["county_admin"]
    trend = dashboard_trends(actor=admin, unit=world.county, keys=("cases_total",))
    assert _trend_values(trend["cases_total"])[-1] == 0
    assert trend["cases_total"].as_of is None
    build_all(months=1)
    trend = dashboard_trends(actor=admin, unit=world.county, keys=("cases_total",))
    assert _trend_values(trend["cases_total"])[-1] == 1


def _workbench_count(user, url: str) -> int:
    """How many requests the workbench lists for a dashboard link (same filters as its view)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    filters = CaseFilters(
        view=query.get("view", "all"),
        unit=int(query["unit"]) if "unit" in query else None,
        area=int(query["area"]) if "area" in query else None,
        grid=int(query["grid"]) if "grid" in query else None,
        month=query.get("month", ""),
        metric=query.get("metric", ""),
    )
    return case_list(user=user, filters=filters).count()


COUNTED_LISTS = ("cases_total", "overdue", "supervised")
WORKER_LISTS = [
    f.key
    for f in FIGURES
    if not f.live and f.workbench is None and f.kind == "count" and f.key != "training_coverage"
]


@pytest.mark.parametrize("seed", [3, 4])
def test_every_number_equals_the_list_it_drills_down_to(world, seed):
    rng = random.Random(seed)
    random_case_actions(world, rng, steps=40)
    random_other_actions(world, rng, steps=20)
    now = timezone.now()
    build_all(months=3, now=now)
    admin = world.users["county_admin"]
    for month in months_back(current_month(now), 3):
        for unit in _levels(world).values():
            if unit.kind == UnitKind.PROVINCE:
                continue  # the workbench has no filter above the clerk's own scope (the county)
            data = dashboard_figures(actor=admin, unit=unit, month=month)
            rows = [(unit, data.figures)] + [(c.unit, c.figures) for c in data.children]
            for owner, figures in rows:
                for f in figures:
                    if f.key in COUNTED_LISTS:
                        if f.key != "cases_total" and month != current_month(now):
                            continue  # overdue and 督办 are figures of the moment
                        assert f.value == _workbench_count(admin, f.url), (
                            owner.name,
                            month,
                            f.key,
                        )
                    elif f.key in WORKER_LISTS:
                        listed = drill_rows(actor=admin, unit=owner, key=f.key, month=month)
                        assert f.value == listed.count(), (owner.name, month, f.key)


def test_a_rebuild_writes_only_the_rows_that_changed(world):
    for grid in (world.grid_a1, world.grid_a2, world.grid_b1):
        make_case(world, grid=grid)
    now = timezone.now()
    build_all(months=1, now=now)
    month = current_month(now)
    assert build_case_months([month], now, force=True) == 0  # same values: nothing written
    make_case(world, grid=world.grid_b1, title="井盖松动")
    written = build_case_months([month], timezone.now())
    # 诉求数 and the rates of 张家第1网格 and every unit above it, nothing of 城关镇's subtree
    above = len(world.grid_b1.ancestors(include_self=True))
    assert 0 < written <= above * len(CASE_KEYS)
    _assert_trends_equal_the_requests(world, timezone.now())
