"""Route params for the route walk: the map's routes take no URL kwargs (the viewport is a
query string; tests/maps/test_viewport.py proves a sibling town gets no points with one)."""

ROUTE_KWARGS: dict = {}

CANARIES = lambda world: ["东关第1网格", "东关第2网格"]  # noqa: E731
