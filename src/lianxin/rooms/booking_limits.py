"""How far ahead and how much one person may book: the limits ``booking_create`` enforces.

A booking holds a room for everybody else, so without limits one resident could hold 30
evenings or a slot in 2099. The rules:

- **Past slots** are refused (in ``booking_create``).
- **Horizon.** Residents and groups may book up to the room's ``booking_horizon_days`` ahead
  (set by the venue's manager on the room form; new rooms get ``LIANXIN_BOOKING_HORIZON_DAYS``,
  60). Staff over the venue — the county, town, village staff and grid workers whose scope
  covers the venue's unit, i.e. the people who run it and organise its events (an activities
  event books its room through them) — plan further ahead: up to
  ``LIANXIN_BOOKING_STAFF_HORIZON_DAYS`` (366), or the room's horizon if that is longer.
- **Open bookings.** One person may hold at most ``LIANXIN_BOOKING_MAX_OPEN_PER_PERSON`` (4)
  open bookings — pending or confirmed and not yet started — across all rooms; cancelled,
  rejected, started and past ones do not count. Staff booking a room of their own venue book on
  behalf of groups and events, so they have their own, larger limit,
  ``LIANXIN_BOOKING_MAX_OPEN_PER_STAFF`` (30), still a bound on a misused staff account.

The count is made after locking the booker's user row (``SELECT … FOR UPDATE``) in the booking's
transaction, so two bookings by one person posted at the same moment are counted one after the
other and cannot both slip under the limit (PostgreSQL; SQLite serialises writers anyway).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.org.models import Role
from lianxin.org.scoping import user_scope
from lianxin.rooms.models import Booking, BookingStatus, Room

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Statuses of a booking that still lies ahead and holds its slots.
OPEN_STATUSES = (BookingStatus.PENDING, BookingStatus.APPROVED)
VENUE_STAFF_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)


def books_as_staff(actor: User, room: Room) -> bool:
    """Whether ``actor`` books ``room`` as staff over its venue (the staff horizon and limit)."""
    scope = user_scope(actor)
    return scope.has_role(*VENUE_STAFF_ROLES) and scope.covers(room.venue.unit)


def last_bookable_day(*, room: Room, as_staff: bool, today: date | None = None) -> date:
    today = today or timezone.localdate()
    days = room.booking_horizon_days
    if as_staff:
        days = max(days, settings.LIANXIN_BOOKING_STAFF_HORIZON_DAYS)
    return today + timedelta(days=days)


def check_horizon(*, room: Room, starts_at: datetime, as_staff: bool) -> None:
    """Refuse a slot beyond the horizon (by local calendar day: the whole last day is open)."""
    last = last_bookable_day(room=room, as_staff=as_staff)
    if timezone.localdate(starts_at) > last:
        if as_staff:
            message = _("工作人员最多可提前 %(n)d 天预约（最晚 %(last)s）。")
            days = (last - timezone.localdate()).days
        else:
            message = _("该功能室最多可提前 %(n)d 天预约（最晚 %(last)s），请另选日期。")
            days = room.booking_horizon_days
        raise ValidationError(message % {"n": days, "last": last.strftime("%Y-%m-%d")})


def open_booking_limit(*, as_staff: bool) -> int:
    if as_staff:
        return settings.LIANXIN_BOOKING_MAX_OPEN_PER_STAFF
    return settings.LIANXIN_BOOKING_MAX_OPEN_PER_PERSON


def open_bookings(actor: User, *, now: datetime | None = None):
    """The actor's bookings that count against the limit: pending or confirmed, not started."""
    return Booking.objects.filter(
        booker=actor, status__in=OPEN_STATUSES, starts_at__gt=now or timezone.now()
    )


def lock_booker(actor: User) -> None:
    """Lock the booker's user row until the booking's transaction ends (see the module doc)."""
    list(
        get_user_model()
        .objects.select_for_update()
        .filter(pk=actor.pk)
        .values_list("pk", flat=True)
    )


def check_open_bookings(*, actor: User, as_staff: bool) -> None:
    """Count after ``lock_booker``, in the transaction that creates the booking."""
    limit = open_booking_limit(as_staff=as_staff)
    if open_bookings(actor).count() >= limit:
        raise ValidationError(
            _("您已有 %(n)d 个未开始的预约，已达上限，请先使用或取消已有预约后再预约。")
            % {"n": limit}
        )
