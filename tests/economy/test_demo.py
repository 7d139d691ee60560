from __future__ import annotations

import pytest

from lianxin.economy import demo
from lianxin.economy.models import VillageIncome
from tests.clock import PINNED_AT
from tests.economy.factories import demo_context

pytestmark = pytest.mark.django_db


def _ctx(world):
    return demo_context(world)


@pytest.mark.clock(PINNED_AT)  # asserts this quarter/year: the moment is part of the test
def test_demo_is_deterministic_and_covers_three_years(world):
    demo.demo_build(_ctx(world))
    first = sorted((r.village_id, r.year, r.total) for r in VillageIncome.objects.all())
    assert {y for _v, y, _t in first} == {2023, 2024, 2025}
    VillageIncome.objects.all().delete()
    demo.demo_build(_ctx(world))
    again = sorted((r.village_id, r.year, r.total) for r in VillageIncome.objects.all())
    assert first == again
