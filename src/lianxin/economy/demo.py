"""Demo step: two years of 村级集体经济 figures for the demo county's villages (issue 12).

Deterministic: its own random stream seeded by the county code, so the other steps' draws from
``ctx.rng`` are untouched. About one village in 25 stays below 5 万元 (薄弱村); tourism
income is given to a few villages, as Shangyang's is; a few villages have no entry for the
latest year (未填报), so the summary shows that case too.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.economy.models import VillageIncome
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit

DEMO_ORDER = 63


def _yuan(value: float) -> Decimal:
    return Decimal(str(round(value, -2))).quantize(Decimal("0.01"))


def demo_build(ctx: DemoContext) -> None:
    rng = random.Random(f"economy-{ctx.county_code}")
    year = timezone.localdate(ctx.now).year - 1  # the last complete year, and the one before
    villages = list(Unit.objects.under(ctx.county).filter(kind__in=VILLAGE_KINDS).order_by("code"))
    clerk_of = dict(
        Membership.objects.filter(
            role=Role.VILLAGE_STAFF, unit_id__in=[v.pk for v in villages]
        ).values_list("unit_id", "user_id")
    )
    rows = []
    for i, v in enumerate(villages):
        weak = i % 25 == 5
        tourism = i % 15 == 3
        base = rng.uniform(20_000, 45_000) if weak else rng.uniform(80_000, 450_000)
        growth = rng.uniform(-0.05, 0.25)
        for y, scale in ((year - 1, 1.0), (year, 1.0 + growth)):
            if y == year and i % 40 == 17:
                continue  # 未填报 for the latest year
            total = base * scale
            shares = [rng.uniform(0.1, 1.0) for _ in range(5)]
            s = sum(shares)
            parts = [total * p / s for p in shares]
            rows.append(
                VillageIncome(
                    village=v,
                    year=y,
                    operating=_yuan(parts[0]),
                    contracting=_yuan(parts[1]),
                    investment=_yuan(parts[2]),
                    subsidy=_yuan(parts[3]),
                    other=_yuan(parts[4] * 0.3),
                    tourism=_yuan(total * rng.uniform(0.3, 0.8)) if tourism else Decimal("0"),
                    note="",
                    updated_by_id=clerk_of.get(v.pk),
                )
            )
    VillageIncome.objects.bulk_create(rows, batch_size=1000)
    ctx.log(f"村级集体经济 {len(villages)} 个村、{len(rows)} 条年度收入")
