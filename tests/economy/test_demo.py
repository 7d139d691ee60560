from __future__ import annotations

import random

import pytest
from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.economy import demo
from lianxin.economy.models import VillageIncome
from tests.clock import PINNED_AT

pytestmark = pytest.mark.django_db


def _ctx(world) -> DemoContext:
    return DemoContext(
        rng=random.Random(1),
        county_code="620524",
        households=0,
        now=timezone.now(),
        password_hash="",
        log=lambda _m: None,
        county=world.county,
    )


@pytest.mark.clock(PINNED_AT)  # asserts this quarter/year: the moment is part of the test
def test_demo_is_deterministic_and_covers_two_years(world):
    demo.demo_build(_ctx(world))
    first = sorted((r.village_id, r.year, r.total) for r in VillageIncome.objects.all())
    assert {y for _v, y, _t in first} == {2024, 2025}
    VillageIncome.objects.all().delete()
    demo.demo_build(_ctx(world))
    again = sorted((r.village_id, r.year, r.total) for r in VillageIncome.objects.all())
    assert first == again
