"""Builders for 功能室预约 objects in the ``world`` tree (rooms, 错时 rules, bookings)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from lianxin.rooms.models import (
    Audience,
    Booking,
    BookingSlot,
    BookingStatus,
    Room,
    RoomFunction,
    SlotRule,
)

CANARY_GROUP_A = "甲阵地舞蹈队"


def room_for(venue, name="文化活动室", **fields) -> Room:
    defaults = {
        "function": RoomFunction.CULTURE,
        "capacity": 30,
        "opens_at": time(8),
        "closes_at": time(21),
    }
    defaults.update(fields)
    return Room.objects.get_or_create(venue=venue, name=name, defaults=defaults)[0]


def elders_morning(room) -> SlotRule:
    return SlotRule.objects.get_or_create(
        room=room,
        starts=time(8),
        ends=time(11),
        defaults={"audience": Audience.ELDERS, "weekdays": "01234"},
    )[0]


def next_weekday(hour: int, days_ahead: int = 7) -> datetime:
    """A weekday at ``hour`` local time at least a few days ahead."""
    day = timezone.localdate() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def booking_for(
    room, booker, *, hour=14, hours=1, status=BookingStatus.APPROVED, group=CANARY_GROUP_A
) -> Booking:
    start = next_weekday(hour)
    booking = Booking.objects.create(
        room=room,
        booker=booker,
        group_name=group,
        audience=Audience.GENERAL,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        status=status,
        purpose="金丝雀用途",
    )
    BookingSlot.objects.bulk_create(
        [
            BookingSlot(room=room, booking=booking, starts_at=start + timedelta(hours=h))
            for h in range(hours)
        ]
    )
    return booking


# The venues a room belongs to (imported last: tests.venues.factories re-exports the builders
# above, so either module may be imported first).
from tests.venues.factories import (  # noqa: E402, F401
    CANARY_HAZARD_A,
    hazard_for,
    plan_for,
    venue_a,
    venue_b,
    venue_for,
)
