"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

from tests.reports.factories import stored_report


def _month():
    from tests.reports.conftest import last_month

    return last_month()


def _case(world):
    from tests.cases.factories import make_case

    return make_case(world, grid=world.grid_a1).pk


ROUTE_KWARGS = {
    "reports:unit": lambda world: {"pk": world.town_a.pk},
    "reports:generate": lambda world: {"pk": world.town_a.pk},
    "reports:report_pdf": lambda world: {"pk": stored_report(world.town_a, _month()).pk},
    "reports:report_xlsx": lambda world: {"pk": stored_report(world.town_a, _month()).pk},
    "reports:case_assign": lambda world: {"pk": _case(world)},
    "reports:case_supervise": lambda world: {"pk": _case(world)},
}
