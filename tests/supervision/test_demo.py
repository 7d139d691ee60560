"""The demo step: orders in every state with replies, 末位 decisions with notes, deterministic."""

from __future__ import annotations

import random
import time

import pytest
from django.utils import timezone

from lianxin.cases import demo as cases_demo
from lianxin.core.demo import DemoContext
from lianxin.supervision import demo
from lianxin.supervision.models import (
    Decision,
    DecisionKind,
    DecisionState,
    OrderKind,
    OrderRound,
    OrderState,
    SupervisionOrder,
)

pytestmark = pytest.mark.django_db


def _ctx(world):
    ctx = DemoContext(
        rng=random.Random(5),
        county_code="620524",
        households=0,
        now=timezone.now(),
        password_hash="x",
        log=lambda m: None,
        options={"cases": 600},
    )
    ctx.county = world.county
    return ctx


def _snapshot():
    return sorted(
        SupervisionOrder.objects.values_list("kind", "unit_id", "state", "round", "title")
    ), sorted(Decision.objects.values_list("kind", "unit_id", "state", "responsible"))


def test_demo_orders_in_every_state(world):
    from tests.cases.factories import ensure_categories

    assert demo.DEMO_ORDER > cases_demo.DEMO_ORDER
    ensure_categories()
    ctx = _ctx(world)
    cases_demo.demo_build(ctx)
    started = time.perf_counter()
    demo.demo_build(ctx)
    elapsed = time.perf_counter() - started
    orders = SupervisionOrder.objects.all()
    now = timezone.now()
    assert set(orders.values_list("state", flat=True)) == set(OrderState.values)
    assert set(orders.values_list("kind", flat=True)) == set(OrderKind.values)
    assert orders.overdue(now).exists()
    assert orders.filter(round__gt=1).exists()  # re-issued, history kept
    assert OrderRound.objects.filter(outcome="reissued").exclude(reply="").exists()
    assert any(r.replied_late for r in OrderRound.objects.exclude(replied_at=None))
    for o in orders.select_related("case"):
        assert o.issuer_unit.path != o.unit.path and o.unit.is_under(o.issuer_unit)
        if o.case_id:
            assert o.case.unit.is_under(o.unit)
    decisions = Decision.objects.all()
    assert set(decisions.values_list("kind", flat=True)) == set(DecisionKind.values)
    assert set(decisions.values_list("state", flat=True)) == set(DecisionState.values)
    assert all(d.notes.exists() for d in decisions)
    assert elapsed < 20, elapsed
    print(
        f"\nsupervision demo: {orders.count()} orders, {decisions.count()} decisions, {elapsed:.2f}s"
    )
    first = _snapshot()
    demo.demo_build(ctx)
    assert _snapshot() == first  # a second run adds nothing
    SupervisionOrder.objects.all().delete()
    Decision.objects.all().delete()
    demo.demo_build(ctx)
    assert _snapshot() == first  # deterministic
