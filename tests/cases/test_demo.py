from __future__ import annotations

import random

import pytest
from django.utils import timezone

from lianxin.cases import demo
from lianxin.cases.models import Case, CaseEvent, State
from lianxin.core.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_builds_a_consistent_year(world):
    from tests.cases.factories import ensure_categories

    ensure_categories()
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
    demo.demo_build(ctx)
    cases = Case.objects.all()
    assert cases.count() == 600
    states = set(cases.values_list("state", flat=True))
    assert {State.CLOSED, State.IN_PROGRESS} <= states
    for c in cases:
        assert (c.owner_user_id is None) != (c.owner_unit_id is None)
        assert c.accept_due_at and c.resolve_due_at
        assert c.search_tokens.startswith(" ")
    assert CaseEvent.objects.filter(kind="submit").count() == 600
    # the demo leaves the rates rollup equal to a GROUP BY over its requests
    from lianxin.cases.models import CaseStat
    from tests.cases.test_stats import assert_rollup_current

    assert CaseStat.objects.exists()
    assert_rollup_current()
    # a new request after the demo gets a fresh id (sequences were reset)
    from tests.cases.factories import make_case

    highest = max(Case.objects.values_list("pk", flat=True))
    assert make_case(world).pk > highest
