"""Route kwargs for the route-scoping test: every object lies in town A's subtree, issued by
town A (the owner) to its village."""

from tests.supervision.factories import decide, issue

ROUTE_KWARGS = {
    "supervision:order_detail": lambda world: {"pk": issue(world).pk},
    "supervision:decision_detail": lambda world: {"pk": decide(world).pk},
}
