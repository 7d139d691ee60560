"""Home panel: a resident's upcoming room bookings (the venue staff's to-dos: venues.home)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.rooms import selectors


def home_panels(request) -> list[dict]:
    user = request.user
    panels = []
    if user.has_perm("rooms.book_room") and not user.has_perm("rooms.view_usage"):
        items = [
            {
                "label": f"{b.room.venue.name} · {b.room.name}",
                "url": reverse("rooms:booking_mine"),
                "note": f"{timezone.localtime(b.starts_at):%m-%d %H:%M} {b.get_status_display()}",
            }
            for b in selectors.upcoming_bookings(user=user)
        ]
        panels.append(
            {
                "title": _("我的功能室预约"),
                "url": reverse("rooms:room_list"),
                "order": 31,
                "items": items,
                "empty": _("没有即将到来的预约。"),
            }
        )
    return panels
