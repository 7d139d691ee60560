"""Demo step: 督办 orders in every state and the 末位 decisions, after the requests (cases, 40).

Its own seeded random stream. The county supervisor issues orders on overdue requests, addressed
to the request's town (or its handling unit when no town staff can answer); each gets a fate:
awaiting a reply, overdue, replied (in time or late), accepted, re-issued and answered again,
re-issued and accepted. Last month's 末位 towns get a ranking order and a decision each
(约谈, 通报, 限期整改) with follow-up notes, some closed; a town issues an order to one of its
villages. Everything goes through the services (audited, notified) at back-dated moments.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.cases import rates
from lianxin.cases.models import Case
from lianxin.core.demo import DemoContext
from lianxin.org.models import STAFF_ROLES, TOWN_KINDS, VILLAGE_KINDS, Membership, Role, Unit
from lianxin.org.scoping import under_q
from lianxin.supervision import services
from lianxin.supervision.models import DecisionKind, SupervisionOrder
from lianxin.supervision.rules import can_issue

DEMO_ORDER = 93
SEED = 20261203
FATES = (
    "awaiting",
    "overdue",
    "replied",
    "replied_late",
    "accepted",
    "reissued",
    "reissued_accepted",
    "reissued_overdue",
)
INSTRUCTIONS = (
    "该诉求已超出办理时限，请立即核实情况、明确责任人，限期办结并书面回复办理结果。",
    "请主要负责同志亲自过问，查明超时原因，提出整改措施并书面回复。",
    "群众反映强烈，请于时限内办结，并将办理过程和群众满意情况书面回复。",
)
REPLIES = (
    "已召开专题会议研究，明确分管领导牵头，相关站所已现场处置完毕，群众表示认可。",
    "经核实，超时原因为涉及多部门协调。现已协调到位，预计三日内办结，届时补报结果。",
    "已约谈承办人，完成现场整改，并建立台账每日跟踪，后续将严格执行限时办结制度。",
)
REISSUE = "回复未说明具体办结时间和责任人，请补充后再次书面回复。"
NOTES = ("已完成约谈，形成约谈记录。", "整改方案已报送，正在逐项落实。", "复查整改情况，基本到位。")


def _staff_of(unit_ids) -> dict[int, int]:
    found: dict[int, int] = {}
    for unit_id, user_id in (
        Membership.objects.filter(unit_id__in=list(unit_ids), role__in=STAFF_ROLES)
        .exclude(role=Role.GRID_WORKER)
        .order_by("unit_id", "id")
        .values_list("unit_id", "user_id")
    ):
        found.setdefault(unit_id, user_id)
    return found


def _play(order: SupervisionOrder, fate: str, replier: User, start: datetime, rng) -> None:
    """Drive one order from its issue at ``start`` to its fate."""
    issuer = order.issued_by
    if fate in ("awaiting", "overdue"):
        return
    late = fate == "replied_late"
    at = order.reply_due_at + timedelta(hours=5) if late else start + timedelta(hours=20)
    services.order_reply(actor=replier, order=order, reply=rng.choice(REPLIES), now=at)
    if fate in ("replied", "replied_late"):
        return
    at += timedelta(hours=6)
    if fate == "accepted":
        services.order_accept(actor=issuer, order=order, note="回复属实，同意验收。", now=at)
        return
    due = at + (timedelta(hours=8) if fate == "reissued_overdue" else timedelta(days=3))
    services.order_reissue(actor=issuer, order=order, instruction=REISSUE, due_at=due, now=at)
    if fate == "reissued_overdue":
        return
    at += timedelta(hours=10)
    services.order_reply(actor=replier, order=order, reply=rng.choice(REPLIES), now=at)
    if fate == "reissued_accepted":
        services.order_accept(actor=issuer, order=order, note="补充回复清楚，验收通过。", now=at)


def demo_build(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    county = ctx.county or Unit.objects.filter(code__startswith=ctx.county_code).first()
    if county is None:
        return
    if SupervisionOrder.objects.filter(under_q(county)).exists():
        ctx.log("督办单已存在，跳过")  # a second run adds nothing
        return
    now = ctx.now
    sup = (
        Membership.objects.filter(role=Role.SUPERVISOR, unit=county).select_related("user").first()
        or Membership.objects.filter(role=Role.COUNTY_ADMIN, unit=county)
        .select_related("user")
        .first()
    )
    if sup is None:
        return
    supervisor = sup.user
    towns = list(Unit.objects.filter(parent=county, kind__in=TOWN_KINDS).order_by("code"))
    staff = _staff_of([t.pk for t in towns])
    issued = 0
    # 1. orders on overdue requests
    candidates = (
        Case.objects.filter(under_q(county, ("unit",)))
        .overdue(now)
        .select_related("unit", "town")
        .order_by("resolve_due_at", "pk")[: len(FATES) * 8]
    )
    # the request's town answers for it; a request sent to a department, the department
    picked = []
    for case in candidates:
        target = case.town if case.town and case.unit.is_under(case.town) else case.unit
        if can_issue(supervisor, target):  # not a request escalated to the county itself
            picked.append((case, target))
    repliers = _staff_of({t.pk for _c, t in picked})
    users = User.objects.in_bulk(set(staff.values()) | set(repliers.values()))
    picked = [(c, t) for c, t in picked if t.pk in repliers][: len(FATES) * 3]
    for i, (case, target) in enumerate(picked):
        fate = FATES[i % len(FATES)]
        hours_ago = 30 if fate == "awaiting" else 24 * rng.randint(4, 12)
        start = now - timedelta(hours=hours_ago)
        due = start + (timedelta(days=3) if fate == "awaiting" else timedelta(days=2))
        order = services.order_issue(
            actor=supervisor,
            unit=target,
            case=case,
            title=case.title[:120],
            instruction=rng.choice(INSTRUCTIONS),
            due_at=due,
            now=start,
        )
        _play(order, fate, users[repliers[target.pk]], start, rng)
        issued += 1
    # 2. last month's 末位 towns: a ranking order and a decision each
    month = f"{(timezone.localdate(now).replace(day=1) - timedelta(days=1)):%Y-%m}"
    _ranked, worst = rates.ranking(user=supervisor, month=month, level="town", now=now)
    decisions = 0
    start = now - timedelta(days=min(20, timezone.localdate(now).day + 5))
    kinds = list(DecisionKind.values)
    for j, row in enumerate(worst):
        replier_id = staff.get(row.unit.pk)
        if replier_id is None:
            continue
        order = services.order_issue(
            actor=supervisor,
            unit=row.unit,
            month=month,
            title=f"{month} 末位问责：{row.unit.name}",
            instruction=f"你单位 {month} 综合得分 {row.score} 分，列全县末位，超时诉求 "
            f"{row.overdue_count} 件。请分析原因，提出整改措施并书面回复。",
            due_at=start + timedelta(days=5),
            now=start,
        )
        _play(order, ("accepted", "replied", "overdue")[j % 3], users[replier_id], start, rng)
        issued += 1
        decision = services.decision_take(
            actor=supervisor,
            unit=row.unit,
            kind=kinds[j % len(kinds)],
            month=month,
            order=order,
            reason=f"{month} 三率综合得分列全县末位。",
            responsible=f"{row.unit.name}主要负责人",
            due_on=timezone.localdate(start) + timedelta(days=30),
            now=start,
        )
        for k in range(1 + j % 3):
            services.decision_note(
                actor=supervisor,
                decision=decision,
                text=NOTES[k],
                now=start + timedelta(days=2 + 3 * k),
            )
        if j % 3 == 0:
            services.decision_close(
                actor=supervisor,
                decision=decision,
                note="整改到位，问责决定办结。",
                now=start + timedelta(days=12),
            )
        decisions += 1
    # 3. a town supervises one of its villages and orders it to put things right
    for k, town in enumerate(towns[:3]):
        issuer_id = staff.get(town.pk)
        village = Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).order_by("code").first()
        clerk = _staff_of([village.pk]).get(village.pk) if village else None
        if issuer_id is None or village is None or clerk is None:
            continue
        begin = now - timedelta(days=6)
        order = services.order_issue(
            actor=users[issuer_id],
            unit=village,
            title=f"{village.name}网格走访进度滞后",
            instruction="本季度走访覆盖率偏低，请制定补访计划并书面回复。",
            due_at=begin + timedelta(days=3),
            now=begin,
        )
        _play(
            order,
            rng.choice(("accepted", "replied", "reissued")),
            User.objects.get(pk=clerk),
            begin,
            rng,
        )
        issued += 1
        decision = services.decision_take(
            actor=users[issuer_id],
            unit=village,
            kind=kinds[(2 + k) % len(kinds)],
            order=order,
            reason="走访覆盖率连续偏低。",
            responsible=f"{village.name}党组织书记",
            due_on=timezone.localdate(begin) + timedelta(days=20),
            now=begin + timedelta(days=1),
        )
        services.decision_note(
            actor=users[issuer_id], decision=decision, text=NOTES[1], now=begin + timedelta(days=3)
        )
        decisions += 1
    ctx.log(f"督办单 {issued} 件，问责决定 {decisions} 项")
