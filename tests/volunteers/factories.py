"""Teams and model posts in town A's subtree, built through the services."""

from __future__ import annotations

from lianxin.volunteers import services
from lianxin.volunteers.models import TeamKind


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
