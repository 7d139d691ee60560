"""响应率, 解决率 and 按时办结率 count a request only once it is decided: handled, or its
deadline passed (the sweep's overdue mark). A request still inside its time limit is neither
a success nor a failure yet (docs/rates.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import Case
from lianxin.cases.sweep import deadline_sweep
from tests.cases.factories import make_case
from tests.cases.test_stats import assert_rollup_current
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def _two(world):
    """One request accepted and resolved in time, one just arrived (inside both deadlines)."""
    now = timezone.now()
    grid = world.users["grid_a1"]
    done = make_case(world, now=now - timedelta(hours=3))
    s.case_accept(case=done, actor=grid, now=now - timedelta(hours=2))
    s.case_resolve(case=done, actor=grid, resolution="好了", now=now - timedelta(hours=1))
    fresh = make_case(world)
    return done, fresh


def test_request_inside_its_deadline_is_not_a_failure(world):
    _two(world)
    total = rates.rates_total(user=world.users["county_admin"])
    assert total.total == 2
    assert total.accept_decided == 1 and total.response_rate == 1.0
    assert total.resolve_decided == 1 and total.resolution_rate == 1.0
    assert total.on_time_rate == 1.0
    assert_rollup_current()


def test_request_counts_as_failure_once_its_deadline_passed(world):
    _done, fresh = _two(world)
    fresh = Case.objects.get(pk=fresh.pk)
    deadline_sweep(now=fresh.accept_due_at + timedelta(minutes=1))
    assert_rollup_current()  # the overdue mark moved the rollup in the sweep's transaction
    total = rates.rates_total(user=world.users["county_admin"])
    assert total.accept_decided == 2 and total.response_rate == 0.5
    assert total.resolve_decided == 1  # the completion deadline has not passed yet
    fresh = Case.objects.get(pk=fresh.pk)
    deadline_sweep(now=fresh.resolve_due_at + timedelta(minutes=1))
    assert_rollup_current()
    total = rates.rates_total(user=world.users["county_admin"])
    assert total.resolve_decided == 2 and total.resolution_rate == 0.5 and total.on_time_rate == 0.5


def test_late_acceptance_stays_a_failure(world):
    _done, fresh = _two(world)
    fresh = Case.objects.get(pk=fresh.pk)
    late = fresh.accept_due_at + timedelta(hours=1)
    deadline_sweep(now=late)
    s.case_accept(case=Case.objects.get(pk=fresh.pk), actor=world.users["grid_a1"], now=late)
    assert_rollup_current()
    total = rates.rates_total(user=world.users["county_admin"])
    assert total.accept_decided == 2 and total.accepted_on_time == 1


def test_rates_page_states_every_definition(world, login):
    _two(world)
    body = login(world.users["county_admin"]).get(reverse("cases:rates")).content.decode()
    assert 'data-testid="rate-definitions"' in body
    for word in ("签收已判定", "办结已判定", "按时办结率", "未评价不计", "平均办理时长"):
        assert word in body
    assert 'title="1/1"' in body  # the response rate's numerator/denominator
