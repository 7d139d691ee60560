"""Demo step: a quarter of 走访 across 武山县, coverage between about 60% and 95% per village.

Its own seeded random stream (the steps before it keep theirs). Each village gets a target rate;
that share of its households is visited once or twice between the quarter's start and now, by
the grid's worker (else the village clerk); households left over are due, vulnerable ones among
them overdue on the shorter interval. The visits are bulk rows; each is then credited to its
visitor through ``visits.services.visit_credit`` (the volunteers' service-record entry point,
once per visit), so demo visits count in volunteer hours and points like logged ones.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.core.demo import DemoContext
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit
from lianxin.people.models import Household
from lianxin.visits.models import NEED_TAGS, Visit, VisitKind
from lianxin.visits.selectors import Quarter
from lianxin.visits.services import visit_credit

DEMO_ORDER = 90
SEED = 20261118
NOTES = (
    "家中一切正常",
    "老人身体尚好，叮嘱注意保暖",
    "反映路灯不亮",
    "咨询医保报销",
    "邻里纠纷已调解",
)


def demo_build(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    county = ctx.county
    now = ctx.now
    quarter = Quarter.of(timezone.localdate(now))
    start = timezone.make_aware(datetime.combine(quarter.start, time(9)))
    span = max(int((now - start).total_seconds() // 3600), 1)
    villages = list(
        Unit.objects.filter(kind__in=VILLAGE_KINDS, path__startswith=county.path).order_by("code")
    )
    workers: dict[int, int] = {}
    for unit_id, user_id in (
        Membership.objects.filter(
            role__in=(Role.GRID_WORKER, Role.VILLAGE_STAFF), unit__path__startswith=county.path
        )
        .values_list("unit_id", "user_id")
        .order_by("-role", "id")
    ):
        workers.setdefault(unit_id, user_id)
    visitors = User.objects.in_bulk(set(workers.values()))
    rows: list[Visit] = []
    rates: list[float] = []
    for village in villages:
        households = list(
            Household.objects.filter(grid__path__startswith=village.path)
            .select_related("grid")
            .order_by("number")
        )
        clerk = workers.get(village.pk)
        if not households or clerk is None:
            continue
        rate = rng.uniform(0.62, 0.93)
        rates.append(rate)
        rng.shuffle(households)
        n = round(len(households) * rate)
        for h in households[:n]:
            visitor = workers.get(h.grid_id) or clerk
            for _i in range(1 + (rng.random() < 0.3)):
                at = start + timedelta(hours=rng.randrange(span))
                kind = rng.choice(VisitKind.values)
                rows.append(
                    Visit(
                        household=h,
                        grid=h.grid,
                        visitor=visitors[visitor],
                        visited_at=min(at, now),
                        kind=kind,
                        met=rng.choice(("户主", "老人", "家属")),
                        notes=rng.choice(NOTES),
                        needs=rng.sample(NEED_TAGS, rng.randrange(0, 3)),
                        lat=h.lat,
                        lng=h.lng,
                    )
                )
    Visit.objects.bulk_create(rows, batch_size=2000)
    if rows and rows[0].pk is None:  # a backend that returns no ids from a bulk insert
        rows = list(
            Visit.objects.filter(grid__path__startswith=county.path).select_related(
                "household", "grid", "visitor"
            )
        )
    for visit in rows:
        visit_credit(visit)
    if rates:
        rates.sort()
        ctx.log(
            f"走访：{len(rows)} 次（均已计入志愿服务积分），{len(rates)} 个村（社区），目标覆盖率 "
            f"{rates[0]:.0%} / {rates[len(rates) // 2]:.0%} / {rates[-1]:.0%}（最低/中位/最高）"
        )
