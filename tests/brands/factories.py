"""党建品牌 and 合理化建议 in town A's subtree, built through the services."""

from __future__ import annotations

from lianxin.brands import services


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
