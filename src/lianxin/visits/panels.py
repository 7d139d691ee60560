""" "来自走访" on the request and wish pages (``lianxin.core.panels``): the visits that raised the
object, linked back to each visit, for a user who may see those visits (their grid is in scope).
Cases and wishes know nothing of visits; the link the other way is the visit's own page."""

from __future__ import annotations

from django.template.loader import render_to_string

from lianxin.cases.models import Case
from lianxin.visits import selectors
from lianxin.wishes.models import Wish


def detail_panels(obj, user) -> list[str]:
    if isinstance(obj, Case):
        visits = selectors.visits_visible(user).filter(case=obj)
    elif isinstance(obj, Wish):
        visits = selectors.visits_visible(user).filter(wish=obj)
    else:
        return []
    rows = list(visits.order_by("-visited_at")[:5])
    if not rows:
        return []
    return [render_to_string("visits/partials/origin_panel.html", {"visits": rows})]
