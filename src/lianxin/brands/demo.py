"""Demo step: 党建品牌 and 合理化建议 (after the events step; ADR 0008)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from lianxin.brands.models import (
    BrandProject,
    BrandRating,
    BrandReview,
    BrandStatus,
    Proposal,
    ProposalStatus,
)
from lianxin.core.db import analyze
from lianxin.core.demo import DemoContext
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit, UnitKind

DEMO_ORDER = 62

BRANDS = ["红色驿站", "连心桥", "渭水先锋", "邻里守望", "田间课堂", "银发先锋", "一线红旗"]
PROPOSALS = [
    ("增设夜间路灯", "巷道夜间太暗，老人出行不便，建议增设路灯。"),
    ("建立老年食堂", "独居老人吃饭难，建议利用服务中心闲置房间办老年食堂。"),
    ("规范停车", "小区门口乱停车，建议划定停车位。"),
    ("增加快递代收点", "快递无人代收，建议在服务中心设代收点。"),
    ("开设周末课堂", "留守儿童周末无人看管，建议开设周末课堂。"),
]


def county_people(ctx: DemoContext) -> SimpleNamespace:
    """The demo county's villages, grids, clerks, town staff, county admin, party members and
    residents, as every activities-side demo step reads them (no randomness: the steps' draws
    from ``ctx.rng`` stay in the order they always had)."""
    rng, now, county = ctx.rng, ctx.now, ctx.county
    tz = timezone.get_current_timezone()  # events start at local hours (Asia/Shanghai)
    today = timezone.localdate(now)  # the county's date: UTC's is a day behind until 08:00
    villages = list(
        Unit.objects.filter(kind__in=VILLAGE_KINDS, path__startswith=county.path).order_by("code")
    )
    vmap = {v.pk: v for v in villages}
    party_orgs = dict(
        Unit.objects.filter(kind=UnitKind.PARTY_ORG, parent_id__in=vmap.keys()).values_list(
            "parent_id", "id"
        )
    )
    grids_of: dict[int, list[int]] = defaultdict(list)
    for gid, vid in Unit.objects.filter(kind=UnitKind.GRID, parent_id__in=vmap.keys()).values_list(
        "id", "parent_id"
    ):
        grids_of[vid].append(gid)
    clerk_of = dict(
        Membership.objects.filter(role=Role.VILLAGE_STAFF, unit_id__in=vmap.keys()).values_list(
            "unit_id", "user_id"
        )
    )
    town_staff = dict(
        Membership.objects.filter(
            role=Role.TOWN_STAFF, unit__path__startswith=county.path
        ).values_list("unit_id", "user_id")
    )
    admin_id = (
        Membership.objects.filter(role=Role.COUNTY_ADMIN, unit=county)
        .values_list("user_id", flat=True)
        .first()
    )
    members: dict[int, list[int]] = defaultdict(list)  # village id -> party member user ids
    for uid, unit_id, parent_id in (
        Membership.objects.filter(role=Role.PARTY_MEMBER, unit__path__startswith=county.path)
        .values_list("user_id", "unit_id", "unit__parent_id")
        .order_by("id")
    ):
        vid = unit_id if unit_id in vmap else parent_id
        if vid in vmap:
            members[vid].append(uid)
    residents: dict[int, list[int]] = defaultdict(list)
    for uid, parent_id in (
        Membership.objects.filter(role=Role.RESIDENT, unit__path__startswith=county.path)
        .values_list("user_id", "unit__parent_id")
        .order_by("id")
    ):
        residents[parent_id].append(uid)
    active = [v for v in villages if members.get(v.pk)]
    home_of = {uid: vid for vid, uids in members.items() for uid in uids}
    return SimpleNamespace(
        rng=rng,
        now=now,
        county=county,
        tz=tz,
        today=today,
        villages=villages,
        vmap=vmap,
        party_orgs=party_orgs,
        grids_of=grids_of,
        clerk_of=clerk_of,
        town_staff=town_staff,
        admin_id=admin_id,
        members=members,
        residents=residents,
        active=active,
        home_of=home_of,
    )


def demo_build(ctx: DemoContext) -> None:
    w = county_people(ctx)
    rng = w.rng
    now = w.now
    today = w.today
    party_orgs = w.party_orgs
    clerk_of = w.clerk_of
    town_staff = w.town_staff
    admin_id = w.admin_id
    members = w.members
    active = w.active

    brands = []
    for v in rng.sample(active, min(30, len(active))):
        if v.pk not in party_orgs:
            continue
        status = rng.choice(
            [
                BrandStatus.APPROVED,
                BrandStatus.APPROVED,
                BrandStatus.SUBMITTED,
                BrandStatus.REJECTED,
            ]
        )
        decided = status != BrandStatus.SUBMITTED
        brands.append(
            BrandProject(
                unit_id=party_orgs[v.pk],
                name=f"{v.name}·{rng.choice(BRANDS)}",
                summary="以党建引领基层治理，党员带头、群众参与，打造服务群众的特色品牌。",
                submitted_by_id=clerk_of[v.pk],
                status=status,
                decided_by_id=town_staff.get(v.parent_id) if decided else None,
                decided_at=now - timedelta(days=rng.randint(30, 200)) if decided else None,
                decision_note="同意命名"
                if status == BrandStatus.APPROVED
                else ("特色不够鲜明" if decided else ""),
            )
        )
    BrandProject.objects.bulk_create(brands)
    BrandReview.objects.bulk_create(
        [
            BrandReview(
                project=b,
                year=today.year - 1,
                rating=rng.choice(BrandRating.values),
                comment="年度评审",
                reviewer_id=b.decided_by_id or admin_id,
            )
            for b in brands
            if b.status == BrandStatus.APPROVED
        ]
    )
    proposals = []
    for v in active:
        for uid in members[v.pk][:2]:
            title, content = rng.choice(PROPOSALS)
            status = rng.choice(list(ProposalStatus.values))
            created = now - timedelta(days=rng.randint(5, 300))
            reviewed = status != ProposalStatus.SUBMITTED
            proposals.append(
                Proposal(
                    unit=v,
                    title=title,
                    content=content,
                    submitted_by_id=uid,
                    status=status,
                    created_at=created,
                    reviewed_by_id=clerk_of.get(v.pk) if reviewed else None,
                    reviewed_at=created + timedelta(days=7) if reviewed else None,
                    review_note="已研究" if reviewed else "",
                    implementation_due=timezone.localdate(created + timedelta(days=60))
                    if status in (ProposalStatus.ADOPTED, ProposalStatus.IMPLEMENTED)
                    else None,
                    implementation_note="已落实" if status == ProposalStatus.IMPLEMENTED else "",
                    implemented_at=created + timedelta(days=40)
                    if status == ProposalStatus.IMPLEMENTED
                    else None,
                )
            )
    Proposal.objects.bulk_create(proposals, batch_size=1000)
    # Fresh planner statistics after the bulk load; without them a scoped GROUP BY over the
    # demo's wishes picks a nested loop and takes a second instead of a few milliseconds.
    analyze()
    ctx.log(f"党建品牌 {len(brands)} 个，合理化建议 {len(proposals)} 条")
