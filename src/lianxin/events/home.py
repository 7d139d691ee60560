"""Home panels: upcoming events near the user, and their own hours and points."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.events import selectors
from lianxin.volunteers import selectors as volunteer_selectors


def home_panels(request) -> list[dict]:
    user = request.user
    panels = []
    if user.has_perm("events.register"):
        items = [
            {
                "label": e.title,
                "url": reverse("events:event_detail", args=[e.pk]),
                "note": f"{timezone.localtime(e.starts_at):%m-%d %H:%M}",
            }
            for e in selectors.event_list(user=user)[:5]
        ]
        panels.append(
            {
                "title": _("近期活动"),
                "url": reverse("events:event_list"),
                "order": 45,
                "items": items,
                "empty": _("近期没有活动。"),
            }
        )
    totals = volunteer_selectors.my_point_totals(user=user)
    if totals["p"] is not None:
        url = reverse("events:my_record")
        panels.append(
            {
                "title": _("我的积分"),
                "url": url,
                "order": 46,
                "stats": [
                    {"label": _("积分"), "value": totals["p"], "url": url},
                    {"label": _("志愿时长"), "value": totals["h"], "url": url},
                ],
            }
        )
    return panels
