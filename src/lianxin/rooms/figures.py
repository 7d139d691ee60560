"""What rooms adds to other apps' pages without them importing rooms (see ``venues.home``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.rooms import selectors

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def venue_staff_stats(user: User) -> list[dict]:
    """The venue staff's panel: bookings waiting for their decision."""
    return [
        {
            "label": _("待审批预约"),
            "value": selectors.pending_count(user=user),
            "url": reverse("rooms:booking_manage") + "?status=pending",
        }
    ]
