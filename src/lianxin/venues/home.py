"""Home panels: a venue's to-dos for its staff; a resident's upcoming room bookings."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.venues import selectors


def home_panels(request) -> list[dict]:
    user = request.user
    panels = []
    if user.has_perm("venues.manage_booking"):
        c = selectors.home_counts(user=user)
        tasks = reverse("venues:task_list")
        panels.append(
            {
                "title": _("阵地"),
                "url": reverse("venues:venue_list"),
                "order": 30,
                "stats": [
                    {
                        "label": _("待审批预约"),
                        "value": c["pending"],
                        "url": reverse("venues:booking_manage") + "?status=pending",
                    },
                    {"label": _("整改未完成"), "value": c["tasks_open"], "url": tasks},
                    {
                        "label": _("整改逾期"),
                        "value": c["tasks_overdue"],
                        "url": tasks + "?state=overdue",
                    },
                    {
                        "label": _("证书将到期"),
                        "value": c["certificates"],
                        "url": reverse("venues:certificate_warnings"),
                    },
                ],
            }
        )
    if user.has_perm("venues.book_room") and not user.has_perm("venues.view_venue"):
        items = [
            {
                "label": f"{b.room.venue.name} · {b.room.name}",
                "url": reverse("venues:booking_mine"),
                "note": f"{timezone.localtime(b.starts_at):%m-%d %H:%M} {b.get_status_display()}",
            }
            for b in selectors.upcoming_bookings(user=user)
        ]
        panels.append(
            {
                "title": _("我的功能室预约"),
                "url": reverse("venues:room_list"),
                "order": 31,
                "items": items,
                "empty": _("没有即将到来的预约。"),
            }
        )
    return panels
