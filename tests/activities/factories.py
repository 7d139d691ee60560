"""Activities objects in town A's subtree, built through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianxin.activities import services
from lianxin.activities.models import EventKind, TeamKind


def make_event(
    world,
    *,
    capacity=None,
    kind=EventKind.CULTURE,
    starts_in=timedelta(days=2),
    unit=None,
    actor=None,
    title="东关社区村晚",
    **kw,
):
    start = timezone.now() + starts_in
    return services.event_create(
        actor=actor or world.users["village_a"],
        unit=unit or world.village_a,
        kind=kind,
        title=title,
        place="东关社区党群服务中心",
        room="多功能厅",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        **kw,
    )


def make_team(world, name="东关志愿服务队"):
    return services.team_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        name=name,
        kind=TeamKind.VOLUNTEER,
        leader=world.users["party_a"],
    )


def make_post(world):
    return services.model_post_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        holder=world.users["party_a"],
        title="政策宣讲示范岗",
        pledge="有事找我",
    )


def make_programme(world):
    from lianxin.org.models import Role

    return services.programme_create(
        actor=world.users["town_a"],
        unit=world.town_a,
        title="社区书记轮训",
        year=timezone.localdate().year,
        required_role=Role.PARTY_MEMBER,
    )


def make_brand(world):
    return services.brand_submit(
        actor=world.users["village_a"],
        unit=world.party_org_a,
        name="东关红色驿站",
        summary="以党建引领社区治理，打造十分钟服务圈。",
    )


def make_proposal(world):
    return services.proposal_submit(
        actor=world.users["party_a"],
        unit=world.village_a,
        title="增设夜间路灯",
        content="东关三组巷道夜间太暗，建议增设路灯。",
    )
