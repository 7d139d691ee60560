"""Demo step: a year of 微心愿 across the county's villages, in every state.

Claimants are the demo's party-member accounts (in their own village where possible, else
their town) and, for a share, departments claiming as a unit. Confirmed wishes credit the
claimant's hours and points exactly as the service does (one record per wish).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.people.models import Person
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from lianxin.volunteers.services import DEFAULT_POINTS, WISH_HOURS
from lianxin.wishes.models import (
    ClaimantKind,
    Wish,
    WishCategory,
    WishClaim,
    WishEvent,
    WishEventKind,
    WishStatus,
)

DEMO_ORDER = 50
N_WISHES = 3000

WISHES = {
    WishCategory.DAILY: [
        "想要一台收音机",
        "想要一床厚棉被",
        "想要一个电暖器",
        "想要一双保暖棉鞋",
        "想要一套新床单",
        "想要一个电饭煲",
    ],
    WishCategory.STUDY: [
        "想要一个新书包",
        "想要一套课外读物",
        "想要一个台灯",
        "想要一本新华字典",
        "想学书法需要毛笔字帖",
    ],
    WishCategory.ELDER_CARE: [
        "希望有人陪我去医院复查",
        "希望有人帮忙打扫院子",
        "想请人帮忙理发",
        "希望每周有人上门聊聊天",
    ],
    WishCategory.HEALTH: [
        "想要一副老花镜",
        "想要一个血压计",
        "想要一根结实的拐杖",
        "想要一个轮椅坐垫",
    ],
    WishCategory.REPAIR: [
        "家里电线老化想请人检修",
        "水龙头漏水想请人修",
        "屋顶漏雨想请人补一补",
        "电视没有信号想请人调试",
    ],
    WishCategory.CULTURE: [
        "想学用智能手机视频通话",
        "想要一副象棋",
        "想去县城看一场秦腔",
        "想要一把二胡",
    ],
    WishCategory.OTHER: ["想拍一张全家福", "想给外地的孙子寄一封信", "想要几盆花"],
}
TAGS = ["独居老人", "独居老人", "留守儿童", "低保户", "残疾人", "困难群众"]
# Share of wishes per final state (the rest are confirmed).
STATE_WEIGHTS = [
    (WishStatus.PENDING, 0.03),
    (WishStatus.DECLINED, 0.03),
    (WishStatus.PUBLISHED, 0.10),
    (WishStatus.CLAIMED, 0.07),
    (WishStatus.LIT, 0.07),
    (WishStatus.CONFIRMED, 0.70),
]


def _pick_state(rng, age_days: int) -> str:
    if age_days < 3:
        return rng.choice([WishStatus.PENDING, WishStatus.PUBLISHED, WishStatus.CLAIMED])
    r, acc = rng.random(), 0.0
    for state, w in STATE_WEIGHTS:
        acc += w
        if r < acc:
            return state
    return WishStatus.CONFIRMED


def demo_build(ctx: DemoContext) -> None:
    rng, now, county = ctx.rng, ctx.now, ctx.county
    villages = {
        u.pk: u
        for u in Unit.objects.filter(kind__in=VILLAGE_KINDS, path__startswith=county.path).order_by(
            "code"
        )
    }
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, parent_id__in=villages.keys()).order_by("code")
    )
    people_by_grid: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pid, uid, name in (
        Person.objects.filter(unit__in=grids, birth_date__isnull=False)
        .values_list("id", "unit_id", "name")
        .order_by("id")
    ):
        if len(people_by_grid[uid]) < 40:
            people_by_grid[uid].append((pid, name))
    clerk_of: dict[int, int] = dict(
        Membership.objects.filter(role=Role.VILLAGE_STAFF, unit_id__in=villages.keys()).values_list(
            "unit_id", "user_id"
        )
    )
    members_by_village: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    members_by_town: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for m in (
        Membership.objects.filter(role=Role.PARTY_MEMBER, unit__path__startswith=county.path)
        .select_related("user", "unit")
        .order_by("id")
    ):
        entry = (m.user_id, m.user.display_name or m.user.username, m.unit_id)
        vid = m.unit_id if m.unit_id in villages else m.unit.parent_id
        members_by_village[vid].append(entry)
        if vid in villages:
            members_by_town[villages[vid].parent_id].append(entry)
    depts = list(
        Membership.objects.filter(role=Role.DEPT_HANDLER, unit__path__startswith=county.path)
        .select_related("unit")
        .order_by("id")
    )
    grids = [g for g in grids if g.parent_id in clerk_of]
    if not grids:
        ctx.log("微心愿：没有可用的网格，跳过")
        return

    wishes: list[Wish] = []
    plans: list[dict] = []
    for i in range(N_WISHES):
        grid = grids[i % len(grids)] if i < len(grids) else rng.choice(grids)
        village = villages[grid.parent_id]
        age = int(rng.random() ** 1.3 * 365)
        created = now - timedelta(days=age, hours=rng.randint(0, 12), minutes=rng.randint(0, 59))
        state = _pick_state(rng, age)
        category = rng.choice(list(WISHES))
        person = rng.choice(people_by_grid[grid.pk]) if people_by_grid[grid.pk] else None
        on_behalf = rng.random() < 0.7
        w = Wish(
            unit=grid,
            community=village,
            title=rng.choice(WISHES[category]),
            category=category,
            value=Decimal(rng.choice([30, 50, 80, 100, 150, 200, 300]))
            if rng.random() < 0.7
            else None,
            beneficiary_id=person[0] if person else None,
            beneficiary_name=person[1] if person else "王奶奶",
            beneficiary_tag=rng.choice(TAGS) if on_behalf else "",
            posted_by_id=clerk_of[village.pk],
            on_behalf=on_behalf,
            status=state,
            created_at=created,
        )
        plan = {
            "clerk": clerk_of[village.pk],
            "events": [(WishEventKind.POSTED, clerk_of[village.pk], created)],
        }
        t = created
        if state != WishStatus.PENDING:
            t = min(t + timedelta(hours=rng.randint(2, 48)), now)
            w.reviewed_by_id, w.reviewed_at = clerk_of[village.pk], t
            if state == WishStatus.DECLINED:
                w.decline_reason = rng.choice(
                    [
                        "不属于微心愿范围，已转民政救助",
                        "价值超出微心愿标准",
                        "信息不全，请补充后再提交",
                    ]
                )
                plan["events"].append((WishEventKind.DECLINED, clerk_of[village.pk], t))
            else:
                w.published_at = t
                plan["events"].append((WishEventKind.PUBLISHED, clerk_of[village.pk], t))
        if state in (WishStatus.CLAIMED, WishStatus.LIT, WishStatus.CONFIRMED):
            pool = members_by_village.get(village.pk) or members_by_town.get(village.parent_id)
            t = min(t + timedelta(hours=rng.randint(1, 24 * 10)), now)
            if pool and rng.random() < 0.85:
                uid, name, unit_id = rng.choice(pool)
                w.claimant_kind, w.claimed_by_id, w.claimant_name = (
                    ClaimantKind.PARTY_MEMBER,
                    uid,
                    name,
                )
                plan["home"] = unit_id
            elif depts:
                d = rng.choice(depts)
                w.claimant_kind, w.claimed_by_id, w.claimant_unit_id, w.claimant_name = (
                    ClaimantKind.UNIT,
                    d.user_id,
                    d.unit_id,
                    d.unit.name,
                )
                plan["home"] = d.unit_id
            else:
                w.status = state = WishStatus.PUBLISHED
            if w.claimed_by_id:
                w.claimed_at = t
                plan["events"].append((WishEventKind.CLAIMED, w.claimed_by_id, t))
        if state in (WishStatus.LIT, WishStatus.CONFIRMED):
            t = min(t + timedelta(hours=rng.randint(4, 24 * 7)), now)
            w.lit_at, w.lit_note = t, "心愿已送到心愿人手中"
            plan["events"].append((WishEventKind.LIT, w.claimed_by_id, t))
        if state == WishStatus.CONFIRMED:
            t = min(t + timedelta(hours=rng.randint(1, 72)), now)
            w.confirmed_at = t
            w.thanks = rng.choice(
                ["", "谢谢党员同志！", "感谢党和政府的关心", "太感谢了，心里暖暖的"]
            )
            plan["events"].append((WishEventKind.CONFIRMED, clerk_of[village.pk], t))
        wishes.append(w)
        plans.append(plan)
    Wish.objects.bulk_create(wishes, batch_size=1000)

    claims, events, records = [], [], []
    wish_points = DEFAULT_POINTS[SourceKind.WISH]
    for w, plan in zip(wishes, plans, strict=True):
        for kind, actor, at in plan["events"]:
            events.append(WishEvent(wish=w, kind=kind, actor_id=actor, created_at=at))
        if w.claimed_by_id:
            claims.append(
                WishClaim(
                    wish=w,
                    kind=w.claimant_kind,
                    user_id=w.claimed_by_id,
                    unit_id=w.claimant_unit_id,
                    created_at=w.claimed_at,
                )
            )
        if w.status == WishStatus.CONFIRMED:
            records.append(
                ServiceRecord(
                    user_id=w.claimed_by_id,
                    unit_id=plan["home"],
                    source_kind=SourceKind.WISH,
                    source_id=w.pk,
                    title=f"点亮心愿：{w.title}",
                    occurred_on=timezone.localdate(w.lit_at),
                    hours=WISH_HOURS,
                    points=wish_points,
                    status=RecordStatus.CONFIRMED,
                    confirmed_by_id=plan["clerk"],
                    confirmed_at=w.confirmed_at,
                    created_at=w.confirmed_at,
                )
            )
    WishClaim.objects.bulk_create(claims, batch_size=2000)
    WishEvent.objects.bulk_create(events, batch_size=2000)
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    by_state = defaultdict(int)
    for w in wishes:
        by_state[w.status] += 1
    summary = "，".join(f"{WishStatus(s).label} {n}" for s, n in sorted(by_state.items()))
    ctx.log(
        f"微心愿 {len(wishes)} 个（{summary}），认领记录 {len(claims)} 条，点亮积分记录 {len(records)} 条"
    )
