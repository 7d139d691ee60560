"""Route kwargs for the route-scoping test: every request lies in town A's subtree."""


def _case(world, **kw):
    from tests.cases.factories import make_case

    return make_case(world, grid=world.grid_a1, **kw).pk


ROUTE_KWARGS = {
    "triage:attach": lambda world: {"pk": _case(world)},
    "triage:case_panel": lambda world: {"pk": _case(world)},
    "triage:merge": lambda world: {"pk": _case(world), "into": _case(world, reporter="resident_b")},
}
