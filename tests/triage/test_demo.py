"""The demo's texts route the way a county does, and its step leaves a trained model."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from lianxin.triage import demo_texts

INTENTS = {i.key: i for i in demo_texts.INTENTS}


@pytest.mark.parametrize(
    ("intent", "place", "route", "category"),
    [
        ("wage", "village", "dept:人社", "dispute-wage"),  # 矛盾纠纷
        ("food", "seat", "dept:市场监管", "other-food"),
        ("school", "village", "dept:教育", "other-school"),
        ("clinic", "village", "dept:卫健", "other-health"),
        ("veteran", "seat", "dept:民政", "help-veteran"),  # 关心帮扶
        ("disabled", "village", "dept:民政", "help-disabled"),  # 关心帮扶
        ("village_road", "village", "@town", "infra-road"),
        ("county_road", "village", "dept:交通", "infra-road"),
        ("light", "seat", "dept:城管", "infra-light"),
        ("light", "community", "@town", "infra-light"),
        ("light", "village", "@village", "infra-light"),
        ("pipe_estate", "seat", "@property", "heat-property"),  # 物业供热
        ("pipe_street", "seat", "dept:水务", "infra-water"),
        ("drain_street", "community", "dept:住建", "env-sewage"),
    ],
)
def test_routes_follow_the_county(intent, place, route, category):
    assert INTENTS[intent].route(place) == route
    assert INTENTS[intent].category == category
    assert demo_texts.DEPARTMENTS[route[5:]] if route.startswith("dept:") else True


def test_about_a_quarter_is_vague():
    rng = random.Random(1)
    data = demo_texts.samples(rng, 2000, demo_texts.bench_places())
    share = sum(s.vague for s in data) / len(data)
    assert 0.15 < share < 0.3
    assert len({s.description for s in data}) > 1500  # not a handful of strings repeated


@pytest.mark.django_db
def test_the_demo_step_routes_and_trains(world):
    from lianxin.cases.models import Case, CaseStat, State
    from lianxin.core.demo import DemoContext
    from lianxin.org.models import Unit
    from lianxin.triage import demo
    from lianxin.triage.models import RoutingModel
    from tests.cases.test_stats import assert_rollup_current

    ctx = DemoContext(
        rng=random.Random(5),
        county_code="620524",
        households=0,
        now=timezone.now(),
        password_hash="x",
        log=lambda m: None,
        options={"triage": 300},
    )
    ctx.county = world.county
    demo.demo_build(ctx)
    names = set(Unit.objects.filter(parent=world.county).values_list("name", flat=True))
    assert {"县人力资源和社会保障局", "县教育局", "县卫生健康局", "县城市管理局"} <= names
    wages = Case.objects.filter(category__code="dispute-wage", state=State.CLOSED)
    assert wages.exists() and {c.unit.name for c in wages} == {"县人力资源和社会保障局"}
    lights = Case.objects.filter(category__code="infra-light", grid=world.grid_b1)
    assert lights.exists() and {c.unit for c in lights} == {world.village_b}  # a village's light
    assert Case.objects.filter(state=State.SUBMITTED).count() >= 2 * demo.CLUSTERS
    assert CaseStat.objects.exists()
    assert_rollup_current()
    assert RoutingModel.objects.count() == 1
