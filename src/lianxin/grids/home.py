"""The resident's "我的网格" home panel: who serves their grid (names, masked phones) and a link to
the grid's public card (网格公示), so a resident finds their grid worker without asking."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.grids import selectors
from lianxin.org.scoping import user_scope

SHOWN = 3  # people named on the panel; the card lists them all


def home_panels(request) -> list[dict]:
    if not request.user.is_authenticated or user_scope(request.user).is_staff:
        return []
    person = getattr(request.user, "person", None)
    grid = selectors.grid_of(getattr(person, "unit", None))
    if grid is None:
        return []
    card = selectors.grid_card(grid)
    url = reverse("grids:card", args=[grid.code])
    people = [*card["workers"], *card["leaders"]]
    items = [
        {
            "label": p["name"],
            "url": url,
            "note": " · ".join(x for x in (p["post"], p["phone"]) if x),
        }
        for p in people[:SHOWN]
    ]
    return [
        {
            "title": _("我的网格：%(grid)s") % {"grid": grid.name},
            "order": 96,
            "url": url,
            "items": items,
            "empty": _("本网格暂未公示网格员。"),
            "action": {"label": _("查看网格公示卡"), "url": url},
        }
    ]
