"""末位问责 ranks units fairly: no full satisfaction marks for ratings nobody gave; the overdue
list of a bottom unit is the ranked month's, paginated, with full dates, and exported too; a
不满意 rating is charged to the unit and handler that resolved the request."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import Rating
from lianxin.cases.sweep import deadline_sweep
from tests.cases.factories import make_case
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def _resolved(world, *, grid=None, user="grid_a1", rating=None, resident="resident_a"):
    now = timezone.now()
    case = make_case(world, grid=grid, reporter=resident, now=now - timedelta(hours=3))
    s.case_accept(case=case, actor=world.users[user], now=now - timedelta(hours=2))
    s.case_resolve(
        case=case, actor=world.users[user], resolution="好了", now=now - timedelta(hours=1)
    )
    if rating:
        s.case_evaluate(case=case, rating=rating, user=world.users[resident])
    return case


def test_unit_without_ratings_gets_no_satisfaction_points(world):
    # town A: perfect response and resolution, one rating 基本满意 out of two rated → 50%
    _resolved(world, rating=Rating.SATISFIED)
    _resolved(world, rating=Rating.UNSATISFIED)
    # town B: the same perfect response and resolution, nobody rated
    _resolved(world, grid=world.grid_b1, user="grid_b1", resident="resident_b")
    month = f"{timezone.localdate():%Y-%m}"
    ranked, _worst = rates.ranking(
        user=world.users["county_admin"], month=month, weights=(20, 40, 40)
    )
    by_unit = {row.unit: row for row in ranked}
    b = by_unit[world.town_b]
    assert b.rates.rated == 0 and b.rates.satisfaction_rate is None
    assert b.score == 100.0  # scored on 20 + 40 only, renormalised: (20·1 + 40·1) / 60
    a = by_unit[world.town_a]
    assert a.score == pytest.approx(100 * (20 + 40 + 40 * 0.5) / 100)
    # with only the satisfaction weight, nobody rated means no points at all
    ranked, _ = rates.ranking(user=world.users["county_admin"], month=month, weights=(0, 0, 100))
    assert {row.unit: row.score for row in ranked}[world.town_b] is None


def test_ranking_page_says_no_ratings_and_states_the_rule(world, login):
    _resolved(world, grid=world.grid_b1, user="grid_b1", resident="resident_b")
    month = f"{timezone.localdate():%Y-%m}"
    body = (
        login(world.users["county_admin"])
        .get(reverse("cases:ranking") + f"?month={month}")
        .content.decode()
    )
    assert 'data-testid="no-ratings"' in body and "无评价" in body
    assert 'data-testid="ranking-rule"' in body


def _overdue_scene(world, n=21):
    """Town B (the bottom one): ``n`` requests of this month past both deadlines, one of last month."""
    _resolved(world)  # town A: a perfect month
    start = timezone.localtime().replace(day=2, hour=9, minute=0)
    for i in range(n):
        make_case(
            world, grid=world.grid_b1, reporter="resident_b", title=f"本月超时{i:02d}", now=start
        )
    make_case(
        world,
        grid=world.grid_b1,
        reporter="resident_b",
        title="上月超时",
        now=start - timedelta(days=20),
    )
    deadline_sweep(now=timezone.now())  # the worker marks them overdue: decided, and failed
    return f"{start:%Y-%m}"


def test_overdue_list_is_the_months_paginated_with_full_dates(world, login):
    month = _overdue_scene(world)
    ranked, worst = rates.ranking(user=world.users["county_admin"], month=month, bottom=1)
    assert [x.unit for x in worst] == [world.town_b] and worst[0].overdue_count == 21
    c = login(world.users["county_admin"])
    url = reverse("cases:ranking") + f"?month={month}&bottom=1"
    first = c.get(url).content.decode()
    assert (
        len(re.findall(r"本月超时\d\d", first)) == 20 and "上月超时" not in first
    )  # 20 a page, this month only
    assert "超时未签收" in first and f"{month}-" in first  # the missed deadline with its year
    second = c.get(url + "&page=2").content.decode()
    assert len(re.findall(r"本月超时\d\d", second)) == 1 and "上月超时" not in second


def test_ranking_export_carries_the_overdue_list(world, login):
    import io

    from openpyxl import load_workbook

    month = _overdue_scene(world, n=3)
    r = login(world.users["county_admin"]).get(
        reverse("cases:ranking_export") + f"?month={month}&bottom=1"
    )
    wb = load_workbook(io.BytesIO(r.content))
    assert len(wb.worksheets) == 2
    cells = [[v for v in row] for row in wb.worksheets[1].iter_rows(values_only=True)]
    titles = [row[2] for row in cells]
    assert sorted(t for t in titles if t and t.startswith("本月超时")) == [
        "本月超时00",
        "本月超时01",
        "本月超时02",
    ]
    assert "上月超时" not in titles
    assert any(row[0] == world.town_b.name and row[3] == "超时未签收" for row in cells)


def test_unit_with_nothing_decided_is_not_ranked_bottom(world):
    _resolved(world)  # town A: decided and perfect
    make_case(world, grid=world.grid_b1, reporter="resident_b")  # town B: just arrived
    month = f"{timezone.localdate():%Y-%m}"
    ranked, worst = rates.ranking(user=world.users["county_admin"], month=month, bottom=1)
    assert ranked[-1].unit == world.town_b and ranked[-1].score is None
    assert world.town_b not in [x.unit for x in worst]
