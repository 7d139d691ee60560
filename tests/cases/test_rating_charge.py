"""A rating is charged to the unit and handler that resolved the request: a 不满意 reopens the
request to the level above, which handles it from then on, but the grid (and its worker) that
resolved it keep the 不满意 in the rollup, the rates page and the ranking."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import Case, CaseStat, Rating, State
from lianxin.cases.stats import stats_rebuild
from tests.cases.factories import make_case
from tests.cases.test_stats import assert_rollup_current, rollup_table
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]
MONTH = f"{PINNED_AT:%Y-%m}"


def _unsatisfied_by_grid(world) -> Case:
    case = make_case(world, grid=world.grid_a1)
    worker = world.users["grid_a1"]
    s.case_accept(case=case, actor=worker)
    s.case_resolve(case=case, actor=worker, resolution="已更换灯泡")
    s.case_evaluate(
        case=case, user=world.users["resident_a"], rating=Rating.UNSATISFIED, comment="还是不亮"
    )
    case.refresh_from_db()
    assert case.state == State.REOPENED and case.unit == world.village_a  # to the level above
    return case


def _row(unit, handler=None) -> CaseStat:
    return CaseStat.objects.get(unit=unit, handler=handler)


def test_unsatisfied_charged_to_the_grid_and_worker_not_the_village(world):
    case = _unsatisfied_by_grid(world)
    assert (case.rated_unit, case.rated_handler) == (world.grid_a1, world.users["grid_a1"])
    grid_row = _row(world.grid_a1, world.users["grid_a1"])
    assert (grid_row.rated, grid_row.satisfied) == (1, 0)
    village_row = _row(world.village_a)
    assert (village_row.total, village_row.open, village_row.rated) == (1, 1, 0)
    assert_rollup_current()
    before = rollup_table()
    stats_rebuild()
    assert rollup_table() == before

    admin = world.users["county_admin"]
    by_unit = {row.key: row for row in rates.rates_by(user=admin, dimension="unit", month=MONTH)}
    assert by_unit[world.grid_a1.pk].rated == 1 and by_unit[world.grid_a1.pk].satisfaction_rate == 0
    assert by_unit[world.village_a.pk].rated == 0
    by_handler = {
        row.key: row for row in rates.rates_by(user=admin, dimension="handler", month=MONTH)
    }
    assert by_handler[world.users["grid_a1"].pk].rated == 1
    assert None not in by_handler or by_handler[None].rated == 0

    ranked, _worst = rates.ranking(user=admin, month=MONTH, level="grid")
    (grid,) = [x for x in ranked if x.unit == world.grid_a1]
    assert grid.rates.rated == 1 and grid.rates.satisfaction_rate == 0
    assert world.village_a not in [x.unit for x in ranked]  # the grid level lists grids only


def test_ranking_page_offers_grid_rows(world, login):
    _unsatisfied_by_grid(world)
    resp = login(world.users["county_admin"]).get(
        reverse("cases:ranking"), {"month": MONTH, "level": "grid"}
    )
    assert resp.status_code == 200
    rows = {x.unit.pk: x for x in resp.context["ranked"]}
    assert rows[world.grid_a1.pk].rates.rated == 1


def test_department_keeps_its_unsatisfied_after_the_reopen(world):
    case = make_case(world, grid=world.grid_a1)
    s.case_transfer(
        case=case, actor=world.users["village_a"], to_unit=world.department, reason="属部门职责"
    )
    dept = world.users["dept"]
    s.case_accept(case=Case.objects.get(pk=case.pk), actor=dept)
    s.case_resolve(case=Case.objects.get(pk=case.pk), actor=dept, resolution="已处理")
    s.case_evaluate(
        case=Case.objects.get(pk=case.pk), user=world.users["resident_a"], rating=Rating.UNSATISFIED
    )
    ranked, _worst = rates.ranking(
        user=world.users["county_admin"], month=MONTH, level="department"
    )
    (row,) = [x for x in ranked if x.unit == world.department]
    assert (row.rates.rated, row.rates.satisfied) == (1, 0)
    assert_rollup_current()


def test_list_behind_the_rating_numbers_follows_the_charge(world, login):
    case = _unsatisfied_by_grid(world)
    client = login(world.users["county_admin"])
    resp = client.get(
        reverse("cases:workbench"), {"unit": world.grid_a1.pk, "metric": "rated", "month": MONTH}
    )
    assert [c.pk for c in resp.context["page_obj"].object_list] == [case.pk]
    resp = client.get(
        reverse("cases:workbench"), {"unit": world.village_a.pk, "metric": "rated", "month": MONTH}
    )
    assert list(resp.context["page_obj"].object_list) == []


def test_backfill_from_the_timeline(world):
    case = _unsatisfied_by_grid(world)
    Case.objects.filter(pk=case.pk).update(rated_unit=None, rated_handler=None)
    stats_rebuild()
    migration = importlib.import_module("lianxin.cases.migrations.0011_backfill_rated_unit")
    migration.backfill(apps, None)
    case.refresh_from_db()
    assert (case.rated_unit, case.rated_handler) == (world.grid_a1, world.users["grid_a1"])
    assert _row(world.grid_a1, world.users["grid_a1"]).rated == 1
    assert_rollup_current()
