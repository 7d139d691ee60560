"""Small fixtures for the 村级集体经济 tests (the pinned clock: 2026-11-18, so 2025 is last year)."""

from __future__ import annotations

from decimal import Decimal

from lianxin.economy.models import VillageIncome


def make_income(village, year=2025, *, total=100000, note="", **amounts) -> VillageIncome:
    """A row whose 经营性收入 is ``total`` unless amounts are given."""
    values = {"operating": Decimal(total)} if not amounts else {}
    values.update({k: Decimal(v) for k, v in amounts.items()})
    return VillageIncome.objects.create(village=village, year=year, note=note, **values)


def second_village(world):
    """A second village in town A (城关镇), so a town has several villages."""
    from lianxin.org.models import UnitKind
    from lianxin.org.services import unit_create

    return unit_create(
        code="620524100002",
        name="西关村",
        kind=UnitKind.VILLAGE,
        parent=world.town_a,
        division_code="620524100002",
    )


def demo_context(world):
    """The demo step's context over the shared world's county (its own random stream)."""
    import random

    from django.utils import timezone

    from lianxin.core.demo import DemoContext

    return DemoContext(
        rng=random.Random(1),
        county_code="620524",
        households=0,
        now=timezone.now(),
        password_hash="",
        log=lambda _m: None,
        county=world.county,
    )
