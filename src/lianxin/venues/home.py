"""Home panels: a venue's to-dos for its staff (a resident's bookings: ``lianxin.rooms.home``).

The panel is venues', but most of its figures are other apps' (pending bookings from rooms, open
and overdue rectification tasks from compliance): an app adds its figures by defining
``venue_staff_stats(user) -> list[dict]`` in its ``figures`` module, so venues imports neither.
"""

from __future__ import annotations

from functools import cache

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.core.registry import app_modules
from lianxin.venues import selectors


@cache
def _stat_providers() -> list:
    return [m.venue_staff_stats for m in app_modules("figures") if hasattr(m, "venue_staff_stats")]


def home_panels(request) -> list[dict]:
    user = request.user
    panels = []
    if user.has_perm("rooms.manage_booking"):
        c = selectors.home_counts(user=user)
        stats = [stat for provide in _stat_providers() for stat in provide(user)]
        stats.append(
            {
                "label": _("证书将到期"),
                "value": c["certificates"],
                "url": reverse("venues:certificate_warnings"),
            }
        )
        panels.append(
            {
                "title": _("阵地"),
                "url": reverse("venues:venue_list"),
                "order": 30,
                "stats": stats,
            }
        )
    return panels
