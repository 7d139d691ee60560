"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.economy.factories import make_income


def _alliance(world):
    from tests.economy.liangxin_factories import alliance

    return alliance(world.town_a, "620524100000-L09", "城关共建联合体", [world.village_a])


def _enterprise(world):
    from tests.economy.liangxin_factories import liangxin

    return liangxin(world.town_a, "620524100000-E09", "城关建材公司")


ROUTE_KWARGS = {
    "economy:town": lambda world: {"pk": world.town_a.pk},
    "economy:entry": lambda world: {
        "pk": make_income(world.village_a, 2025, total=123456).village_id,
        "year": 2025,
    },
    "economy:alliance": lambda world: {"pk": _alliance(world).pk},
    "economy:two_new_mark": lambda world: {"pk": _enterprise(world).pk},
}
