"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.volunteers.factories import make_post, make_team

ROUTE_KWARGS = {
    "volunteers:team_detail": lambda world: {"pk": make_team(world).pk},
    "volunteers:team_member_add": lambda world: {"pk": make_team(world).pk},
    "volunteers:team_member_remove": lambda world: {"pk": make_team(world).pk},
    "volunteers:post_detail": lambda world: {"pk": make_post(world).pk},
    "volunteers:area_add": lambda world: {"pk": make_post(world).pk},
    # Public card: 200 for anyone, the holder's name masked.
    "volunteers:post_card": lambda world: {"pk": make_post(world).pk},
    "volunteers:person_record": lambda world: {"pk": world.users["party_a"].pk},
}

CANARIES = lambda world: ["东关志愿服务队", "政策宣讲示范岗"]  # noqa: E731
