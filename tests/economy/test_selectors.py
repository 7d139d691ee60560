"""Totals, 村均, growth and weak villages on a small fixture (the pinned clock, 2026-11-18)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lianxin.economy.selectors import summary
from tests.economy.factories import make_income, second_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(world):
    west = second_village(world)
    # 2025: 东关 200 000 (+25% on 160 000), 西关 30 000 (weak, no 2024 row), 张家 90 000 (-10%).
    make_income(world.village_a, 2025, operating=150000, tourism=50000)
    make_income(world.village_a, 2024, total=160000)
    make_income(west, 2025, total=30000)
    make_income(world.village_b, 2025, total=90000)
    make_income(world.village_b, 2024, total=100000)
    return west


def test_county_figures(world, ledger):
    data = summary(user=world.users["county_admin"], year=2025)
    s = data.scope
    assert (s.villages, s.reported, s.missing) == (3, 3, 0)
    assert s.total == Decimal("320000")
    assert s.average == Decimal("106666.67")
    # like for like: 东关 and 张家 reported both years: 290 000 on 260 000
    assert s.growth == Decimal("11.5")
    assert [v.name for v, _t in s.weak] == ["西关村"]
    assert s.by_source["tourism"] == Decimal("50000")
    towns = {g.unit.name: g for g in data.groups}
    assert towns["城关镇"].total == Decimal("230000") and towns["城关镇"].average == Decimal(
        "115000"
    )
    assert towns["城关镇"].growth == Decimal("25.0")
    assert towns["洛门镇"].growth == Decimal("-10.0")
    assert data.threshold == Decimal("50000")


def test_missing_villages_are_counted_not_zero(world, ledger):
    data = summary(user=world.users["county_admin"], year=2024)
    s = data.scope
    assert (s.villages, s.reported, s.missing) == (3, 2, 1)
    assert s.average == Decimal("130000")  # 260 000 over the 2 that reported
    assert s.growth is None  # no 2023 figures
    assert s.weak == []


def test_town_drill_down_and_scope(world, ledger):
    data = summary(user=world.users["town_a"], year=2025, town=world.town_a)
    assert [line.village.name for line in data.lines] == ["东关社区", "西关村"]
    assert [line.weak for line in data.lines] == [False, True]
    assert data.lines[0].growth == Decimal("25.0")
    mine = summary(user=world.users["town_b"], year=2025)
    assert [g.unit.name for g in mine.groups] == ["洛门镇"]
    assert mine.scope.total == Decimal("90000")


def test_threshold_setting(world, ledger, settings):
    settings.LIANXIN_ECONOMY_WEAK_THRESHOLD = 100000
    data = summary(user=world.users["county_admin"], year=2025)
    assert sorted(v.name for v, _t in data.scope.weak) == ["张家村", "西关村"]
