"""Events and training programmes in town A's subtree, built through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianxin.events import services
from lianxin.events.models import EventKind


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


def make_programme(world):
    from lianxin.org.models import Role

    return services.programme_create(
        actor=world.users["town_a"],
        unit=world.town_a,
        title="社区书记轮训",
        year=timezone.localdate().year,
        required_role=Role.PARTY_MEMBER,
    )
