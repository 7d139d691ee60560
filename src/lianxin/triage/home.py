"""Home-page panel (``lianxin.core.registry``): 热点预警 for staff, many similar requests in one
grid within days, each linking to the newest of them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.triage.hotspots import hot_spots_recent

SHOWN = 5


def home_panels(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated or not user.has_perm("triage.view_suggestions"):
        return []
    spots = hot_spots_recent(user=user)[0][:SHOWN]
    if not spots:
        return []
    days = int(getattr(settings, "LIANXIN_TRIAGE_HOTSPOT_DAYS", 7))
    return [
        {
            "title": _("热点预警"),
            "url": "",
            "order": 11,
            "items": [
                {
                    "label": f"{s.grid.name} · {s.category.label}",
                    "url": reverse("cases:case_detail", args=[s.cases[0].pk]),
                    "note": _("近 %(days)s 天 %(n)s 件类似诉求") % {"days": days, "n": s.count},
                }
                for s in spots
            ],
            "empty": "",
        }
    ]
