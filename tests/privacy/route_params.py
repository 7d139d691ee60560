"""Route kwargs for the route-scoping test: a correction request of town A's resident."""

from tests.privacy.factories import make_correction

ROUTE_KWARGS = {
    "privacy:correction_detail": lambda world: {"pk": make_correction(world, "a").pk},
}

CANARIES = lambda world: ["甲金丝雀", "13811112222"]  # noqa: E731
