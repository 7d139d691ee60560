"""Route kwargs for the route walk: a 举报 against town A's village, handled by the county's
supervisor (the only user of the test world strictly above it with the supervisor role)."""

from tests.tipoffs.factories import CANARIES as _CANARY_VALUES
from tests.tipoffs.factories import make_tipoff


def _tipoff(world):
    return {"pk": make_tipoff(world).pk}


ROUTE_KWARGS = {
    "tipoffs:detail": _tipoff,
    "tipoffs:step": _tipoff,
    "tipoffs:reveal": _tipoff,
}
ROUTE_OWNERS = {
    "tipoffs:detail": "supervisor",
    "tipoffs:step": "supervisor",
    "tipoffs:reveal": "supervisor",
}


def CANARIES(world):  # noqa: N802  (the walk's hook name)
    """The walk's own actors (town B, a department, a resident) must never see these."""
    make_tipoff(world)
    return list(_CANARY_VALUES)
