"""Route kwargs for the route-scoping test: every object lies in town A's subtree."""

ROUTE_KWARGS = {
    "grids:map": lambda world: {"code": world.village_a.code},
    "grids:grid_new": lambda world: {"code": world.village_a.code},
    "grids:boundary_save": lambda world: {"code": world.village_a.code, "grid": world.grid_a1.code},
    "grids:import": lambda world: {"code": world.town_a.code},
    "grids:export": lambda world: {"code": world.town_a.code},
    "grids:regrid": lambda world: {"code": world.village_a.code},
    "grids:staff": lambda world: {"code": world.grid_a1.code},
    "grids:leader_people": lambda world: {"code": world.grid_a1.code},
    "grids:card": lambda world: {"code": world.grid_a1.code},
}

CANARIES = lambda world: ["东关第1网格", "东关第2网格"]  # noqa: E731
