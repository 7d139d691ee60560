"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.brands.factories import make_brand, make_proposal


def _adopted(world):
    return {"pk": make_proposal(world).pk}


ROUTE_KWARGS = {
    "brands:brand_detail": lambda world: {"pk": make_brand(world).pk},
    "brands:brand_decide": lambda world: {"pk": make_brand(world).pk},
    "brands:brand_review": lambda world: {"pk": make_brand(world).pk},
    "brands:proposal_detail": _adopted,
    "brands:proposal_review": _adopted,
    "brands:proposal_implement": _adopted,
}

CANARIES = lambda world: ["东关红色驿站", "增设夜间路灯"]  # noqa: E731
