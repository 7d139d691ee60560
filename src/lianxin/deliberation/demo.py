"""Demo step: 议事协商 in six communities and villages of the county.

Its own seeded random stream. Each place gets topics raised by its residents (or the clerk, or
from a request) with 附议 from its residents; twelve meetings across the five kinds (the
业主恳谈会 at a property project) with invitations, attendance by QR or marked by the clerk,
minutes and show-of-hands votes; decisions with action items in every state (to do, in
progress, done, overdue), one handed to 接诉即办, and most of them published on the 村务公开
page. Rows are inserted directly (a few hundred, under a second); the rules the services
enforce hold for them (quorum met before a vote, votes within those present, passed by the
meeting's rule).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.core.demo import DemoContext
from lianxin.deliberation.models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Attendance,
    CheckinHow,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QuorumRule,
    Topic,
    TopicSource,
    TopicStatus,
    TopicSupport,
    VoteRule,
)
from lianxin.deliberation.services.votes import needed_for, passes
from lianxin.org.models import VILLAGE_KINDS, Membership, Role, Unit, UnitKind
from lianxin.org.scoping import under_q
from lianxin.people.models import Person

DEMO_ORDER = 92  # after visits (90)
SEED = 20261203
PLACES = 6
TOPICS = [
    ("小区东门加装电动车充电桩", "电动车在楼道充电有安全隐患，希望在东门空地加装集中充电桩。"),
    ("老旧楼道照明改造", "3号楼、5号楼楼道灯损坏多年，夜间上下楼不便，老人容易摔倒。"),
    ("规范小区停车秩序", "车辆乱停占用消防通道，希望划定车位、统一管理。"),
    ("村口道路硬化", "村口至学校一段土路雨天泥泞，学生上学不便。"),
    ("增设老年人活动场所", "希望把闲置的村部二楼改为老年活动室，添置棋牌桌椅。"),
    ("垃圾分类收集点调整", "垃圾收集点离住户太近，夏天异味大，希望挪到路口。"),
    ("修缮村文化广场", "广场地砖破损、健身器材老化，希望维修更换。"),
    ("加装单元门禁", "外来人员随意进出，希望加装单元门禁提升安全。"),
    ("灌溉水渠清淤", "二组水渠淤积严重，春灌前需要组织清淤。"),
    ("设立便民理发点", "老人进城理发不便，希望每月在党群服务中心设理发点。"),
]
DECISIONS = [
    "同意实施，由{owner}负责，按期完成并在村务公开栏公示进展。",
    "原则同意，先行测算费用，资金由村集体和受益户按比例分担，{owner}牵头落实。",
]
ACTIONS = ["制定实施方案", "组织施工", "验收并公示", "测算费用并征求意见"]
KIND_PLAN = [
    MeetingKind.SUNSHINE,
    MeetingKind.BENCH,
    MeetingKind.OWNERS,
    MeetingKind.DEMOCRATIC,
    MeetingKind.REPRESENTATIVES,
    MeetingKind.SUNSHINE,
    MeetingKind.BENCH,
    MeetingKind.OWNERS,
    MeetingKind.DEMOCRATIC,
    MeetingKind.REPRESENTATIVES,
    MeetingKind.BENCH,
    MeetingKind.SUNSHINE,
]


def _places(county: Unit) -> list[Unit]:
    """Communities with a property project first (their 业主恳谈会), then villages."""
    villages = list(
        Unit.objects.filter(under_q(county, ("",)), kind__in=VILLAGE_KINDS).order_by("code")
    )
    with_project = set(
        Unit.objects.filter(kind=UnitKind.PROPERTY_PROJECT, parent__in=villages).values_list(
            "parent_id", flat=True
        )
    )
    villages.sort(key=lambda v: (v.pk not in with_project, v.code))
    return villages[:PLACES]


def demo_build(ctx: DemoContext) -> None:
    rng = random.Random(SEED)
    now = ctx.now
    places = _places(ctx.county)
    if not places:
        return
    clerks = dict(
        Membership.objects.filter(role=Role.VILLAGE_STAFF, unit__in=places)
        .order_by("id")
        .values_list("unit_id", "user_id")
    )
    projects = {
        p.parent_id: p
        for p in Unit.objects.filter(kind=UnitKind.PROPERTY_PROJECT, parent__in=places).order_by(
            "-code"
        )
    }
    people: dict[int, list[Person]] = {}
    for place in places:
        people[place.pk] = list(
            Person.objects.filter(under_q(place, ("unit",)))
            .select_related("unit")
            .order_by("id")[:40]
        )
    topics: dict[int, list[Topic]] = {}
    for i, place in enumerate(places):
        topics[place.pk] = _topics(rng, now, place, people[place.pk], clerks.get(place.pk), i)
    n_meetings = n_decisions = 0
    for i, kind in enumerate(KIND_PLAN):
        place = places[i % len(places)]
        if kind == MeetingKind.OWNERS:  # at the communities that have a property project
            with_project = [p for p in places if p.pk in projects] or [place]
            place = with_project[i % len(with_project)]
        unit = projects.get(place.pk) if kind == MeetingKind.OWNERS else place
        if unit is None:
            kind, unit = MeetingKind.REPRESENTATIVES, place
        upcoming = i >= len(KIND_PLAN) - 2
        n_decisions += _meeting(
            rng, now, i, kind, unit, place, people[place.pk], topics[place.pk], clerks, upcoming
        )
        n_meetings += 1
    _overdue_and_case(now, clerks)
    n_decisions = Decision.objects.count()
    ctx.log(
        f"议事协商：议题 {Topic.objects.count()} 个，会议 {n_meetings} 场，决议 {n_decisions} 项，"
        f"落实事项 {ActionItem.objects.count()} 项"
    )


def _topics(rng, now, place, residents, clerk_id, offset) -> list[Topic]:
    with_user = [p for p in residents if p.user_id]
    rows = []
    for j in range(5):
        title, content = TOPICS[(offset * 3 + j) % len(TOPICS)]
        raiser = with_user[j % len(with_user)] if with_user and j < 4 else None
        rows.append(
            Topic(
                unit=place,
                title=title,
                content=content,
                source=TopicSource.RESIDENT if raiser else TopicSource.STAFF,
                raised_by_id=raiser.user_id if raiser else clerk_id,
                created_at=now - timedelta(days=90 - j * 7, hours=rng.randint(0, 8)),
            )
        )
    Topic.objects.bulk_create(rows)
    supports = []
    for t in rows:
        backers = rng.sample(with_user, k=min(len(with_user), rng.randint(2, 12)))
        if t.raised_by_id and t.source == TopicSource.RESIDENT:
            backers = [b for b in backers if b.user_id != t.raised_by_id]
            supports.append(TopicSupport(topic=t, user_id=t.raised_by_id, created_at=t.created_at))
        supports += [
            TopicSupport(topic=t, user_id=b.user_id, created_at=t.created_at + timedelta(days=1))
            for b in backers
        ]
        t.support_count = sum(1 for s in supports if s.topic is t)
    TopicSupport.objects.bulk_create(supports)
    Topic.objects.bulk_update(rows, ["support_count"])
    return rows


def _meeting(rng, now, i, kind, unit, place, residents, topics, clerks, upcoming) -> int:
    start = (now + timedelta(days=3 + i)) if upcoming else (now - timedelta(days=70 - i * 6))
    start = start.replace(hour=15, minute=0, second=0, microsecond=0)
    rule = VoteRule.TWO_THIRDS if kind == MeetingKind.REPRESENTATIVES else VoteRule.MAJORITY
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        title=f"{unit.name}{MeetingKind(kind).label}（第{i + 1}期）",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place=f"{place.name}党群服务中心议事室",
        quorum_rule=QuorumRule.TWO_THIRDS
        if kind == MeetingKind.REPRESENTATIVES
        else QuorumRule.HALF,
        vote_rule=rule,
        status=MeetingStatus.SCHEDULED if upcoming else MeetingStatus.HELD,
        host=f"{place.name}党组织书记",
        recorder=f"{place.name}文书",
        convened_by_id=clerks.get(place.pk),
        created_at=start - timedelta(days=7),
    )
    invited = residents[: rng.randint(12, min(30, max(12, len(residents))))]
    present = 0
    rows = []
    for p in invited:
        came = not upcoming and rng.random() < 0.8
        present += came
        rows.append(
            Attendance(
                meeting=meeting,
                person=p,
                user_id=p.user_id,
                name=p.name[:50],
                checked_in_at=start + timedelta(minutes=rng.randint(-20, 10)) if came else None,
                how=(CheckinHow.QR if p.user_id else CheckinHow.MANUAL) if came else "",
            )
        )
    Attendance.objects.bulk_create(rows)
    agenda = [t for t in topics if t.status == TopicStatus.OPEN][:2] or topics[:1]
    decided = 0
    for order, topic in enumerate(agenda, 1):
        item = AgendaItem(meeting=meeting, order=order, topic=topic, title=topic.title)
        if not upcoming and present >= needed_for(meeting.quorum_rule, len(invited)):
            item.minutes = (
                f"与会人员围绕“{topic.title}”发言讨论，{topic.support_count} 位居民附议。"
            )
            against = rng.randint(0, 3)
            abstain = rng.randint(0, 2)
            votes_for = present - against - abstain if order == 1 or i % 4 else present // 3
            item.votes_for, item.votes_against, item.votes_abstain = votes_for, against, abstain
            item.present_at_vote, item.voted = present, True
            item.passed = passes(rule, votes_for, present)
        item.save()
        topic.status = TopicStatus.SCHEDULED
        if item.passed:
            _decide(rng, now, item, topic, meeting, place, clerks, i)
            decided += 1
        topic.save(update_fields=["status"])
    return decided


def _decide(rng, now, item, topic, meeting, place, clerks, i) -> None:
    owner = place if i % 3 else place.parent or place
    decision = Decision.objects.create(
        item=item,
        unit=meeting.unit,
        text=DECISIONS[i % 2].format(owner=owner.name),
        published_at=meeting.ends_at + timedelta(days=1) if i % 5 != 4 else None,
        decided_by_id=clerks.get(place.pk),
        created_at=meeting.ends_at,
    )
    topic.status = TopicStatus.DECIDED
    states = [ActionStatus.DONE, ActionStatus.DOING, ActionStatus.TODO]
    all_done = True
    for k in range(2):
        status = states[(i + k) % 3]
        due = (meeting.ends_at + timedelta(days=30 + 15 * k)).date()
        progress = {ActionStatus.DONE: 100, ActionStatus.DOING: rng.choice([30, 50, 70])}.get(
            status, 0
        )
        action = ActionItem.objects.create(
            decision=decision,
            owner_unit=owner,
            title=f"{ACTIONS[(i + k) % len(ACTIONS)]}：{topic.title}"[:100],
            due_on=due,
            status=status,
            progress=progress,
            done_at=meeting.ends_at + timedelta(days=20) if status == ActionStatus.DONE else None,
            created_at=meeting.ends_at,
        )
        all_done &= status == ActionStatus.DONE
        if progress:
            ActionUpdate.objects.create(
                action=action,
                note="已完成并验收" if status == ActionStatus.DONE else "正在推进，按计划实施",
                progress=progress,
                actor_id=clerks.get(place.pk),
                created_at=meeting.ends_at + timedelta(days=10),
            )
    if all_done:
        topic.status = TopicStatus.CLOSED


def _overdue_and_case(now, clerks) -> None:
    """Make sure one open action is past its due date (the 已逾期 state), whatever the clock."""
    action = (
        ActionItem.objects.exclude(status=ActionStatus.DONE).order_by("created_at", "id").first()
    )
    if action is not None:
        action.due_on = (now - timedelta(days=5)).date()
        action.save(update_fields=["due_on"])
    # One decision handed to 接诉即办 through the cases intake service (linked both ways).
    from lianxin.accounts.models import User
    from lianxin.cases.models import Category
    from lianxin.deliberation.services import decision_to_case

    category = Category.objects.filter(is_active=True).order_by("sort_order", "id").first()
    decision = Decision.objects.filter(case__isnull=True).order_by("id").select_related("unit")
    for d in decision[:3]:
        clerk = User.objects.filter(
            pk=clerks.get(d.unit.pk) or clerks.get(d.unit.parent_id)
        ).first()
        if clerk is None or category is None:
            continue
        try:
            decision_to_case(actor=clerk, decision=d, category=category)
        except (ValidationError, PermissionDenied):
            continue
        break
