"""Demo step: 党建品牌 and 合理化建议 (after the events step; ADR 0008)."""

from __future__ import annotations

from datetime import timedelta

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
from lianxin.org.demo import county_people

DEMO_ORDER = 62

BRANDS = ["红色驿站", "连心桥", "渭水先锋", "邻里守望", "田间课堂", "银发先锋", "一线红旗"]
PROPOSALS = [
    ("增设夜间路灯", "巷道夜间太暗，老人出行不便，建议增设路灯。"),
    ("建立老年食堂", "独居老人吃饭难，建议利用服务中心闲置房间办老年食堂。"),
    ("规范停车", "小区门口乱停车，建议划定停车位。"),
    ("增加快递代收点", "快递无人代收，建议在服务中心设代收点。"),
    ("开设周末课堂", "留守儿童周末无人看管，建议开设周末课堂。"),
]


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
