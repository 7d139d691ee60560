"""The cases demo builds in any year, also when its deadlines reach a year without a holiday
schedule (they are marked 暂按工作日计算 and keep their basis, as real requests do)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from django.utils import timezone

from lianxin.cases import demo
from lianxin.cases.models import Case
from lianxin.core.demo import DemoContext
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db


@pytest.mark.clock(datetime(2031, 6, 15, 10, 0, tzinfo=SHANGHAI))  # no 节假日安排 that far ahead
def test_demo_builds_when_deadlines_are_provisional(world):
    ctx = DemoContext(
        rng=random.Random(5),
        county_code="620524",
        households=0,
        now=timezone.now(),
        password_hash="x",
        log=lambda m: None,
        options={"cases": 60},
    )
    ctx.county = world.county
    demo.demo_build(ctx)
    provisional = Case.objects.filter(due_provisional=True)
    assert provisional.exists()
    assert all(
        isinstance(basis, dict) and basis
        for basis in provisional.values_list("due_basis", flat=True)
    )
