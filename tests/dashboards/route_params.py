"""Route kwargs for the route-scoping test: every dashboard shown is in town A's subtree."""

ROUTE_KWARGS = {
    "dashboards:unit": lambda world: {"pk": world.town_a.pk},
    "dashboards:drill": lambda world: {"pk": world.village_a.pk, "key": "wishes_posted"},
    "dashboards:chart": lambda world: {"pk": world.town_a.pk, "key": "cases_total"},
    "api:dashboards_unit": lambda world: {"pk": world.town_a.pk},
    "api:dashboards_trends": lambda world: {"pk": world.town_a.pk},
}
