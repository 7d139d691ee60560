"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.wishes.factories import make_wish


def _pk(state: str):
    return lambda world: {"pk": make_wish(world, state).pk}


ROUTE_KWARGS = {
    "wishes:wish_detail": _pk("published"),
    "wishes:wish_publish": _pk("pending"),
    "wishes:wish_decline": _pk("pending"),
    "wishes:wish_chase": _pk("published"),
    "wishes:wish_claim": _pk("published"),
    "wishes:wish_release": _pk("claimed"),
    "wishes:wish_light": _pk("claimed"),
    "wishes:wish_confirm": _pk("lit"),
    "wishes:wish_thank": _pk("confirmed"),
    "wishes:wish_photo": _pk("lit"),
    # The public wall of town A's community: 200 for anyone, but never a full name or phone.
    "wishes:wall": lambda world: {"code": world.village_a.code},
    "api:wishes_detail": _pk("published"),
    "api:wishes_claim": _pk("published"),
    "api:wishes_publish": _pk("pending"),
    "api:wishes_decline": _pk("pending"),
    "api:wishes_chase": _pk("published"),
    "api:wishes_release": _pk("claimed"),
    "api:wishes_light": _pk("claimed"),
    "api:wishes_confirm": _pk("lit"),
    "api:wishes_thank": _pk("confirmed"),
}

# Claiming is a party member's (the positive control of the route walk): party_a, of village A.
ROUTE_OWNERS = {"api:wishes_claim": "party_a"}

CANARIES = lambda world: ["甲金丝雀", "13811112222", "东关社区3组12号"]  # noqa: E731
