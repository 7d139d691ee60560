"""What a booker hears about their booking: 已通过, 未通过, 已取消 (by someone else), and a reminder
the day before (``bookings_remind``, a periodic job).

Called from the step's service inside its transaction; e-mail and SMS follow the commit
(``notifications.delivery``). Nobody is told what they did themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.notifications.i18n import msg
from lianxin.notifications.models import Notification, NotificationKind
from lianxin.notifications.services import notify
from lianxin.rooms.models import Booking, BookingStatus

if TYPE_CHECKING:
    from lianxin.accounts.models import User

T_APPROVED = gettext_noop("预约已通过：%(room)s")
T_REFUSED = gettext_noop("预约未通过：%(room)s")
T_CANCELLED = gettext_noop("预约已取消：%(room)s")
T_REMINDER = gettext_noop("明天的预约：%(room)s")
B_WHEN = gettext_noop("%(when)s，%(group)s")


def _tell(booking: Booking, kind: str, title: str, dedupe_key: str | None = None) -> None:
    when = f"{timezone.localtime(booking.starts_at):%Y-%m-%d %H:%M}"
    room = f"{booking.room.venue.name} {booking.room.name}"
    notify(
        recipients=[booking.booker],
        kind=kind,
        title=_(title) % {"room": room},
        body=_(B_WHEN) % {"when": when, "group": booking.group_name},
        title_msg=msg(title, room=room),
        body_msg=msg(B_WHEN, when=when, group=booking.group_name),
        url=reverse("rooms:booking_mine"),
        dedupe_key=dedupe_key,
    )


def tell_decided(booking: Booking, actor: User) -> None:
    """审批: the booker hears whether it was approved or refused."""
    if booking.booker_id == actor.pk:
        return
    approved = booking.status == BookingStatus.APPROVED
    _tell(
        booking,
        NotificationKind.BOOKING_APPROVED if approved else NotificationKind.BOOKING_REFUSED,
        T_APPROVED if approved else T_REFUSED,
    )


def tell_cancelled(booking: Booking, actor: User) -> None:
    """Staff (or an event moving room) cancelled it: the booker hears; their own is no news."""
    if booking.booker_id != actor.pk:
        _tell(booking, NotificationKind.BOOKING_CANCELLED, T_CANCELLED)


def reminder_key(booking: Booking) -> str:
    return f"booking:{booking.pk}:remind"


def bookings_remind(*, now: datetime) -> int:
    """Periodic and idempotent: from ``LIANXIN_BOOKING_REMINDER_HOUR`` (local) on, every approved
    booking that starts tomorrow gets one reminder (a dedupe key per booking), so a late run
    catches up and a second run adds nothing. Returns how many were sent."""
    local = timezone.localtime(now)
    if local.hour < int(getattr(settings, "LIANXIN_BOOKING_REMINDER_HOUR", 9)):
        return 0
    start = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    due = list(
        Booking.objects.filter(
            status=BookingStatus.APPROVED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        )
        .select_related("room__venue", "booker")
        .order_by("starts_at", "pk")
    )
    done = set(
        Notification.objects.filter(dedupe_key__in=[reminder_key(b) for b in due]).values_list(
            "dedupe_key", flat=True
        )
    )
    sent = 0
    for booking in due:
        if reminder_key(booking) not in done:
            _tell(
                booking,
                NotificationKind.BOOKING_REMINDER,
                T_REMINDER,
                dedupe_key=reminder_key(booking),
            )
            sent += 1
    return sent
