from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lianxin.audit.models import AuditEvent
from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import Rating
from tests.cases.factories import make_case
from tests.clock import PINNED_AT

# The scenario spans three days and is ranked by month, so it runs mid-month whatever the
# run's clock (month boundaries: test_month_boundaries.py).
pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def scenario(world):
    """Town A: 3 requests (2 accepted in time, 2 resolved, ratings 满意 + 不满意 → reopened);
    town B: 1 request accepted late, resolved, rated 满意."""
    now = timezone.now()
    grid, resident = world.users["grid_a1"], world.users["resident_a"]
    a1 = make_case(world, now=now - timedelta(hours=5))
    s.case_accept(case=a1, actor=grid, now=now - timedelta(hours=4))
    s.case_resolve(case=a1, actor=grid, resolution="好了", now=now - timedelta(hours=2))
    s.case_evaluate(case=a1, rating=Rating.SATISFIED, user=resident)
    a2 = make_case(world, now=now - timedelta(hours=5))
    s.case_accept(case=a2, actor=grid, now=now - timedelta(hours=4))
    s.case_resolve(case=a2, actor=grid, resolution="好了", now=now - timedelta(hours=1))
    make_case(world)
    b1 = make_case(world, grid=world.grid_b1, reporter="resident_b", now=now - timedelta(days=3))
    s.case_accept(case=b1, actor=world.users["grid_b1"], now=now - timedelta(days=1))
    s.case_resolve(case=b1, actor=world.users["grid_b1"], resolution="好了", now=now)
    s.case_evaluate(case=b1, rating=Rating.SATISFIED, user=world.users["resident_b"])
    return a1, a2, b1


def test_rates_by_unit_and_scope(world):
    scenario(world)
    total = rates.rates_total(user=world.users["county_admin"])
    assert total.total == 4 and total.accepted_on_time == 2 and total.resolved == 3
    assert total.rated == 2 and total.satisfaction_rate == 1.0
    assert total.avg_hours is not None
    town_a = rates.rates_total(user=world.users["town_a"])
    # the third request is still inside its accept deadline: not counted yet (docs/rates.md)
    assert town_a.total == 3 and town_a.accept_decided == 2 and town_a.response_rate == 1.0
    rows = rates.rates_by(user=world.users["county_admin"], dimension="unit")
    assert {r.label for r in rows} == {world.grid_a1.name, world.grid_b1.name}
    assert {r.label for r in rates.rates_by(user=world.users["county_admin"], dimension="month")}


def test_rates_page_numbers_link_to_their_lists(world, login):
    a1, a2, b1 = scenario(world)
    c = login(world.users["county_admin"])
    r = c.get(reverse("cases:rates") + "?by=unit")
    body = r.content.decode()
    assert r.status_code == 200 and "100.0%" in body and 'title="2/2"' in body
    row = next(
        x
        for x in rates.rates_by(user=world.users["county_admin"], dimension="unit")
        if x.label == world.grid_a1.name
    )
    url = reverse("cases:workbench") + f"?unit={row.key}&metric=accepted_on_time"
    listed = c.get(url).content.decode()
    assert a1.code in listed and a2.code in listed and b1.code not in listed


def test_ranking_bottom_and_export_audited(world, login):
    scenario(world)
    month = f"{timezone.localdate():%Y-%m}"
    ranked, worst = rates.ranking(
        user=world.users["county_admin"], month=month, level="town", bottom=1
    )
    assert [x.unit for x in ranked] and len(worst) == 1
    assert worst[0].score == min(x.score for x in ranked)
    c = login(world.users["county_admin"])
    r = c.get(reverse("cases:ranking") + f"?month={month}&weights=20,40,40&bottom=1")
    assert r.status_code == 200 and 'data-testid="bottom-unit"' in r.content.decode()
    r = c.get(reverse("cases:ranking_export") + f"?month={month}")
    wb = load_workbook(io.BytesIO(r.content))
    names = [row[1].value for row in wb.active.iter_rows(min_row=2)]
    assert world.town_a.name in names and world.town_b.name in names
    assert AuditEvent.objects.filter(action="export", actor=world.users["county_admin"]).exists()


def test_ranking_weights_change_order(world):
    scenario(world)
    month = f"{timezone.localdate():%Y-%m}"
    admin = world.users["county_admin"]
    by_response, _ = rates.ranking(user=admin, month=month, weights=(100, 0, 0))
    by_resolution, _ = rates.ranking(user=admin, month=month, weights=(0, 100, 0))
    assert by_response[0].unit == world.town_a  # 2/2 decided in time vs 0/1
    # town A's third request passes its deadlines unresolved: 2/3 resolved vs town B's 1/1
    from lianxin.cases.models import Case
    from lianxin.cases.sweep import deadline_sweep

    deadline_sweep(
        now=max(Case.objects.values_list("resolve_due_at", flat=True)) + timedelta(minutes=1)
    )
    by_resolution, _ = rates.ranking(user=admin, month=month, weights=(0, 100, 0))
    assert by_resolution[0].unit == world.town_b


def test_ranking_needs_town_level(world, login):
    assert login(world.users["village_a"]).get(reverse("cases:ranking")).status_code == 403
