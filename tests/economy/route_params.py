"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.economy.factories import make_income

ROUTE_KWARGS = {
    "economy:town": lambda world: {"pk": world.town_a.pk},
    "economy:entry": lambda world: {
        "pk": make_income(world.village_a, 2025, total=123456).village_id,
        "year": 2025,
    },
}
