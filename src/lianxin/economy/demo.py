"""Demo step: the ledgers of issue 12 for the demo county — three years of 村级集体经济 income,
两新组织 with party organisations, and 党建联合体 with members from several towns.

Scale (the seed quotes 庆阳市: 2.69 亿元 over its villages, 村均 21.35 万元; 两新 coverage
94.9 % of 非公经济组织, 93 % of 社会组织, 87.5 % of 新业态企业; 29 alliances city-wide): the demo county (武山县) has
357 villages and communities, so its ledger is scaled to the same 村均 — the latest year's
总收入 is about 357 × 21.35 万 ≈ 7 600 万元 — and its 两新 to the same rates (37/39, 40/43, 7/8):
about 50 enterprises and 40 social organisations; five alliances for one county.

Deterministic: its own random stream seeded by the county code, so the other steps' draws
from ``ctx.rng`` are untouched. About one village in 25 stays below 5 万元 (薄弱村); tourism
income is given to a few villages, as Shangyang's is; a few villages have no entry for the
latest year (未填报), so the summary shows that case too.

Idempotent: income rows that exist are kept, 两新 units are added only up to the target counts,
alliances and their members only when missing — a second run changes nothing. Units and
members are made through ``org.tree`` (``unit_add``, ``alliance_member_add``) as the county
admin, so they are audited like ones made on screen.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.economy.models import NewEconomyEnterprise, VillageIncome
from lianxin.economy.services_two_new import new_economy_set
from lianxin.org.models import (
    TOWN_KINDS,
    VILLAGE_KINDS,
    AllianceMember,
    Membership,
    PartyOrgForm,
    Role,
    Unit,
    UnitKind,
)
from lianxin.org.tree import alliance_member_add, unit_add

DEMO_ORDER = 63
TARGET_AVERAGE = 213_500.0  # 村均 21.35 万元 for the latest year
# (ledger category, unit kind, units, of which with a party organisation):
# 37/39 = 94.9 % 非公经济组织, 40/43 = 93.0 % 社会组织, 7/8 = 87.5 % 新业态企业
LIANGXIN_TARGETS = (
    ("non_public", UnitKind.ENTERPRISE, 39, 37),
    ("social", UnitKind.SOCIAL_ORG, 43, 40),
    ("new_economy", UnitKind.ENTERPRISE, 8, 7),
)
NEW_ECONOMY = (
    "快递服务有限公司",
    "网约车服务有限公司",
    "直播电商有限公司",
    "外卖配送服务站",
    "网络货运有限公司",
    "同城跑腿服务有限公司",
)
INDUSTRIES = (
    "蔬菜产销专业合作社",
    "建材有限公司",
    "商贸有限公司",
    "物流有限公司",
    "食品加工有限公司",
    "农机服务专业合作社",
    "电子商务有限公司",
    "中药材种植专业合作社",
    "养殖专业合作社",
    "餐饮服务有限公司",
    "劳务派遣有限公司",
    "汽车维修有限公司",
    "果品储藏有限公司",
)
SOCIETIES = (
    "老年人协会",
    "志愿者协会",
    "书画协会",
    "社会工作服务中心",
    "慈善协会",
    "个体劳动者协会",
    "青年创业协会",
    "秦腔爱好者协会",
    "红白理事会服务中心",
    "乡村旅游协会",
)
FORMS = (PartyOrgForm.SINGLE, PartyOrgForm.SINGLE, PartyOrgForm.JOINT, PartyOrgForm.FUNCTIONAL)


def _yuan(value: float) -> Decimal:
    return Decimal(str(round(value, -2))).quantize(Decimal("0.01"))


def _incomes(ctx: DemoContext, villages: list[Unit]) -> int:
    """Three years per village, the latest scaled to ``TARGET_AVERAGE``; returns rows added."""
    rng = random.Random(f"economy-{ctx.county_code}")
    year = timezone.localdate(ctx.now).year - 1  # the last complete year, and the two before
    years = (year - 2, year - 1, year)
    clerk_of = dict(
        Membership.objects.filter(
            role=Role.VILLAGE_STAFF, unit_id__in=[v.pk for v in villages]
        ).values_list("unit_id", "user_id")
    )
    plans = []  # (village, weak, tourism share, {year: total}, {year: shares})
    for i, v in enumerate(villages):
        weak = i % 25 == 5
        tourism = rng.uniform(0.3, 0.8) if i % 15 == 3 else 0.0
        base = rng.uniform(20_000, 45_000) if weak else rng.uniform(60_000, 330_000)
        totals, shares = {}, {}
        scale = 1.0
        for y in years:
            totals[y] = base * scale
            shares[y] = [rng.uniform(0.1, 1.0) for _ in range(5)]
            scale *= 1.0 + rng.uniform(-0.04, 0.14)
        if i % 40 == 17:
            del totals[year]  # 未填报 for the latest year
        plans.append((v, weak, tourism, totals, shares))
    # Scale the villages that are not weak so the latest year's 村均 is the seed's.
    latest = [(weak, t[year] * (1 + tour)) for _v, weak, tour, t, _s in plans if year in t]
    weak_sum = sum(total for weak, total in latest if weak)
    strong_sum = sum(total for weak, total in latest if not weak)
    factor = (TARGET_AVERAGE * len(latest) - weak_sum) / strong_sum if strong_sum else 1.0
    have = set(
        VillageIncome.objects.filter(village__in=villages, year__in=years).values_list(
            "village_id", "year"
        )
    )
    rows = []
    for v, weak, tourism, totals, shares in plans:
        for y, raw in totals.items():
            if (v.pk, y) in have:
                continue
            total = raw if weak else raw * factor
            s = sum(shares[y])
            parts = [total * p / s for p in shares[y]]
            rows.append(
                VillageIncome(
                    village=v,
                    year=y,
                    operating=_yuan(parts[0]),
                    contracting=_yuan(parts[1]),
                    investment=_yuan(parts[2]),
                    subsidy=_yuan(parts[3]),
                    other=_yuan(parts[4]),
                    tourism=_yuan(total * tourism),
                    note="",
                    updated_by_id=clerk_of.get(v.pk),
                )
            )
    VillageIncome.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _covered_ids(units: list[Unit]) -> set[int]:
    return set(
        Unit.objects.filter(
            kind=UnitKind.PARTY_ORG, is_active=True, belongs_to__in=units
        ).values_list("belongs_to_id", flat=True)
    )


def _liangxin(actor: Any, county: Unit, towns: list[Unit]) -> int:
    """Enterprises and social organisations up to ``LIANGXIN_TARGETS`` per ledger category,
    spread over the towns (every third one under a village); returns units added."""
    marked = set(NewEconomyEnterprise.objects.values_list("unit_id", flat=True))
    added = 0
    for category, kind, target, target_covered in LIANGXIN_TARGETS:
        have = [
            u
            for u in Unit.objects.under(county).filter(kind=kind, is_active=True)
            if kind != UnitKind.ENTERPRISE or (u.pk in marked) == (category == "new_economy")
        ]
        covered = len(_covered_ids(have))
        names = {"non_public": INDUSTRIES, "social": SOCIETIES}.get(category, NEW_ECONOMY)
        for n in range(max(0, target - len(have))):
            town = towns[(n + len(category)) % len(towns)]
            parent = town
            if n % 3 == 2:
                parent = (
                    Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS)
                    .order_by("code")
                    .first()
                    or town
                )
            short = town.name.removesuffix("街道").rstrip("镇乡")
            place = parent.name if parent is not town else short
            name = f"{place}{names[(n // len(towns) + n) % len(names)]}"
            unit = unit_add(actor=actor, parent=parent, kind=kind, name=name)
            added += 1
            if category == "new_economy":
                new_economy_set(actor=actor, unit=unit, flag=True)
            if covered < target_covered:
                unit_add(
                    actor=actor,
                    parent=unit,
                    kind=UnitKind.PARTY_ORG,
                    name=f"{name}党支部",
                    belongs_to=unit,
                    party_org_form=FORMS[n % len(FORMS)],
                )
                covered += 1
    return added


def _alliance_plans(county: Unit, towns: list[Unit]) -> list[tuple[Unit, str, list[Unit]]]:
    def villages(town: Unit, n: int) -> list[Unit]:
        return list(Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).order_by("code")[:n])

    def liangxin(kind: str, n: int, offset: int = 0) -> list[Unit]:
        """``n`` of the county's units of ``kind``, spread over its towns (every k-th by code)."""
        units = list(Unit.objects.under(county).filter(kind=kind, is_active=True).order_by("code"))
        step = max(1, len(units) // max(n, 1))
        return units[offset::step][:n]

    departments = list(
        Unit.objects.filter(parent=county, kind=UnitKind.DEPARTMENT).order_by("code")[:2]
    )
    first, second = towns[0], towns[1 % len(towns)]
    return [
        (
            county,
            "渭河川区乡村振兴党建联合体",
            [v for t in towns[:6] for v in villages(t, 1)] + liangxin(UnitKind.ENTERPRISE, 2),
        ),
        (
            second,
            f"{second.name}蔬菜产业党建联合体",
            villages(second, 4) + villages(first, 1) + liangxin(UnitKind.ENTERPRISE, 1),
        ),
        (
            first,
            f"{first.name}城市基层党建联合体",
            villages(first, 3) + departments[:1] + liangxin(UnitKind.SOCIAL_ORG, 2),
        ),
        (
            county,
            "武山县新兴领域党建联合体",
            liangxin(UnitKind.ENTERPRISE, 4, offset=1)
            + liangxin(UnitKind.SOCIAL_ORG, 4, offset=1)
            + [v for t in towns[:2] for v in villages(t, 1)]
            + departments,
        ),
    ]


def _alliances(actor: Any, county: Unit, towns: list[Unit]) -> int:
    """The planned alliances and their members, where missing; returns members added."""
    added = 0
    for parent, name, members in _alliance_plans(county, towns):
        alliance = Unit.objects.filter(parent=parent, kind=UnitKind.ALLIANCE, name=name).first()
        if alliance is None:
            alliance = unit_add(actor=actor, parent=parent, kind=UnitKind.ALLIANCE, name=name)
        have = set(
            AllianceMember.objects.filter(alliance=alliance).values_list("member_id", flat=True)
        )
        for member in dict.fromkeys(members):
            if member.pk not in have:
                alliance_member_add(actor=actor, alliance=alliance, member=member)
                added += 1
    return added


def demo_build(ctx: DemoContext) -> None:
    county = ctx.county
    villages = list(Unit.objects.under(county).filter(kind__in=VILLAGE_KINDS).order_by("code"))
    rows = _incomes(ctx, villages)
    ctx.log(f"村级集体经济 {len(villages)} 个村、{rows} 条年度收入（三年）")
    admin = (
        Membership.objects.filter(role=Role.COUNTY_ADMIN, unit=county, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    towns = list(Unit.objects.filter(parent=county, kind__in=TOWN_KINDS).order_by("code"))
    if admin is None or not towns:
        return
    units = _liangxin(admin.user, county, towns)
    members = _alliances(admin.user, county, towns)
    n_alliances = Unit.objects.under(county).filter(kind=UnitKind.ALLIANCE).count()
    ctx.log(f"两新组织新增 {units} 个；党建联合体 {n_alliances} 个（新增成员 {members} 个）")
