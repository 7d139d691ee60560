"""URL kwargs for every 阵地规范化 route, each pointing at an object in town A's subtree."""

from tests.compliance import factories as c
from tests.venues import factories as f


def _a(w):
    return f.venue_a(w)


ROUTE_KWARGS = {
    "compliance:signage_detail": lambda w: {"pk": c.signage_campaign_for(w, w.town_a).pk},
    "compliance:signage_check": lambda w: {
        "pk": c.signage_campaign_for(w).pk,
        "venue_id": _a(w).pk,
    },
    "compliance:inspection_create": lambda w: {"pk": _a(w).pk},
    "compliance:inspection_detail": lambda w: {"pk": c.inspection_for(w, _a(w)).pk},
    "compliance:task_close": lambda w: {"pk": c.inspection_for(w, _a(w)).tasks.get().pk},
}


def CANARIES(w):  # noqa: N802
    """Town A's check and inspection details that town B must never see."""
    venue = _a(w)
    c.signage_check_for(w, venue)
    c.inspection_for(w, venue)
    return ["甲阵地多挂牌", "甲阵地卫生问题"]
