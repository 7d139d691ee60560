"""议事协商 objects in town A's subtree (东关社区), built through the services."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from lianxin.deliberation import services
from lianxin.deliberation.models import MeetingKind, QuorumRule, VoteRule
from lianxin.org.models import UnitKind

CANARY_TOPIC = "甲议题金丝雀"


def project_a(world):
    """A property project (物业项目) under 东关社区, for 业主恳谈会."""
    from lianxin.org.models import Unit
    from lianxin.org.services import unit_create

    existing = Unit.objects.filter(code="620524100001-W01").first()
    return existing or unit_create(
        code="620524100001-W01",
        name="彩虹城B区",
        kind=UnitKind.PROPERTY_PROJECT,
        parent=world.village_a,
    )


def make_topic(world, *, title=CANARY_TOPIC, by="resident_a"):
    return services.topic_raise(
        actor=world.users[by],
        title=title,
        content="小区东门路灯坏了三个月，晚上出行不便。",
        unit=world.village_a if by != "resident_a" else None,
    )


def make_meeting(
    world,
    *,
    kind=MeetingKind.SUNSHINE,
    unit=None,
    starts_in=timedelta(minutes=30),
    topics=(),
    quorum_rule=QuorumRule.HALF,
    vote_rule=VoteRule.MAJORITY,
    room=None,
    place="东关社区党群服务中心",
):
    start = timezone.now() + starts_in
    return services.meeting_create(
        actor=world.users["village_a"],
        unit=unit or world.village_a,
        kind=kind,
        title="东关社区阳光议事厅",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place=place,
        room=room,
        quorum_rule=quorum_rule,
        vote_rule=vote_rule,
        host="王主任",
        recorder="李干事",
        topics=list(topics),
    )


def held_item(world, *, votes=(2, 0, 0)):
    """A meeting with the topic on its agenda, both 东关 residents invited and present, and
    the item voted (``votes``: for, against, abstain)."""
    topic = make_topic(world)
    meeting = make_meeting(world, topics=[topic])
    services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.village_a)
    for row in meeting.attendances.all():
        services.attendance_mark(actor=world.users["village_a"], attendance=row)
    item = meeting.items.get()
    services.minutes_record(
        actor=world.users["village_a"], item=item, minutes="大家同意尽快修复路灯。"
    )
    f, a, b = votes
    item = services.vote_record(
        actor=world.users["village_a"], item=item, votes_for=f, votes_against=a, votes_abstain=b
    )
    return topic, meeting, item


def make_decision(world):
    topic, meeting, item = held_item(world)
    decision = services.decision_record(
        actor=world.users["village_a"], item=item, text="由社区联系县住建局一月内修复东门路灯。"
    )
    return decision


def make_action(world, *, due=None):
    decision = make_decision(world)
    return services.action_add(
        actor=world.users["village_a"],
        decision=decision,
        owner_unit=world.village_a,
        title="修复东门路灯",
        due_on=due or timezone.localdate() + timedelta(days=30),
    )


__all__ = ["date"]
