"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from lianxin.visits.services import visit_log


def _visit(world):
    return {"pk": visit_log(actor=world.users["grid_a1"], household=world.households["a"])[0].pk}


ROUTE_KWARGS = {
    "visits:visit_detail": _visit,
    "visits:household_history": lambda world: {"pk": world.households["a"].pk},
    "api:visits_detail": _visit,
}
