"""Scoped reads of 功能室预约: bookable rooms, a day's slots, bookings, the week's usage.

Rollups are single aggregate queries over the slot table, never Python loops over bookings.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lianxin.org.scoping import scope_queryset
from lianxin.rooms.models import (
    HOLDING_STATUSES,
    Booking,
    BookingSlot,
    BookingStatus,
    Room,
    SlotRule,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def room_list_bookable(*, user: User, q: str = "") -> QuerySet[Room]:
    qs = Room.objects.bookable_by(user).select_related("venue", "venue__unit")
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(venue__name__contains=q))
    return qs.order_by("venue__unit__path", "name")


def room_get_bookable(*, user: User, pk: int) -> Room:
    return get_object_or_404(
        Room.objects.bookable_by(user).select_related("venue__unit").prefetch_related("slot_rules"),
        pk=pk,
    )


def room_get(*, user: User, pk: int) -> Room:
    return get_object_or_404(
        Room.objects.visible_to(user).select_related("venue__unit").prefetch_related("slot_rules"),
        pk=pk,
    )


def room_get_by_feed(*, pk: int, token: str) -> Room:
    return get_object_or_404(Room.objects.select_related("venue"), pk=pk, feed_token=token)


def room_day_slots(*, room: Room, day: date) -> list[dict]:
    """The day's slots of a room: time, whether held, and the 错时 rule that reserves it."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, room.opens_at, tzinfo=tz)
    end = datetime.combine(day, room.closes_at, tzinfo=tz)
    held = set(
        BookingSlot.objects.filter(room=room, starts_at__gte=start, starts_at__lt=end).values_list(
            "starts_at", flat=True
        )
    )
    held = {timezone.localtime(t) for t in held}
    rules = [r for r in room.slot_rules.all() if r.applies_on(day.weekday())]
    now = timezone.now()
    out = []
    t = start
    step = timedelta(minutes=room.slot_minutes)
    while t + step <= end:
        rule = next((r for r in rules if r.starts <= t.time() < r.ends), None)
        out.append(
            {
                "start": t,
                "end": t + step,
                "held": t in held,
                "past": t < now,
                "rule": rule,
            }
        )
        t += step
    return out


def booking_list_mine(*, user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(booker=user)
        .select_related("room", "room__venue")
        .order_by("-starts_at")
    )


def _staff_bookings(user: User) -> QuerySet[Booking]:
    """Bookings of rooms in the user's staff scope (not the user's own bookings elsewhere)."""
    return scope_queryset(Booking.objects.all(), user, fields=("room__venue__unit",))


def booking_list_staff(*, user: User, status: str = "") -> QuerySet[Booking]:
    qs = _staff_bookings(user).select_related("room", "room__venue", "booker")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def booking_get(*, user: User, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.visible_to(user).select_related("room__venue__unit", "booker"), pk=pk
    )


def room_feed_bookings(*, room: Room) -> QuerySet[Booking]:
    since = timezone.now() - timedelta(days=30)
    return room.bookings.filter(
        status__in=[BookingStatus.PENDING, BookingStatus.APPROVED, BookingStatus.CHECKED_IN],
        ends_at__gte=since,
    ).order_by("starts_at")


def week_bounds(day: date) -> tuple[datetime, datetime]:
    monday = day - timedelta(days=day.weekday())
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    return start, start + timedelta(days=7)


def usage_stats(*, user: User, week_of: date) -> dict:
    """使用经常化: booked and used hours per room for the week, against its open hours; and
    the same by function and by group served. Two aggregate queries over the slot table."""
    start, end = week_bounds(week_of)
    rooms = list(
        Room.objects.visible_to(user)
        .select_related("venue")
        .order_by("venue__unit__path", "name")
        .values("id", "name", "function", "venue__name", "opens_at", "closes_at", "slot_minutes")
    )
    slots = scope_queryset(BookingSlot.objects.all(), user, fields=("room__venue__unit",)).filter(
        starts_at__gte=start, starts_at__lt=end, booking__status__in=HOLDING_STATUSES
    )
    per_room = {
        r["room_id"]: r
        for r in slots.values("room_id").annotate(
            booked=Count("id"),
            used=Count("id", filter=Q(booking__status=BookingStatus.CHECKED_IN)),
        )
    }
    by_group = list(
        slots.values("booking__audience")
        .annotate(
            booked=Count("id"),
            used=Count("id", filter=Q(booking__status=BookingStatus.CHECKED_IN)),
            minutes=Sum("room__slot_minutes"),
            used_minutes=Sum(
                "room__slot_minutes", filter=Q(booking__status=BookingStatus.CHECKED_IN)
            ),
        )
        .order_by("booking__audience")
    )
    table: list[dict[str, Any]] = []
    by_function: dict[str, dict] = {}
    for r in rooms:
        open_hours = (
            7
            * (
                (r["closes_at"].hour * 60 + r["closes_at"].minute)
                - (r["opens_at"].hour * 60 + r["opens_at"].minute)
            )
            / 60
        )
        hit = per_room.get(r["id"], {"booked": 0, "used": 0})
        booked = hit["booked"] * r["slot_minutes"] / 60
        used = hit["used"] * r["slot_minutes"] / 60
        row = {
            **r,
            "open_hours": open_hours,
            "booked_hours": booked,
            "used_hours": used,
            "utilisation": booked / open_hours if open_hours else None,
        }
        table.append(row)
        f = by_function.setdefault(
            r["function"],
            {
                "function": r["function"],
                "rooms": 0,
                "open_hours": 0.0,
                "booked_hours": 0.0,
                "used_hours": 0.0,
            },
        )
        f["rooms"] += 1
        f["open_hours"] += open_hours
        f["booked_hours"] += booked
        f["used_hours"] += used
    for f in by_function.values():
        f["utilisation"] = f["booked_hours"] / f["open_hours"] if f["open_hours"] else None
    table.sort(key=lambda r: -(r["utilisation"] or 0))
    return {
        "start": start,
        "end": end - timedelta(days=1),
        "rooms": table,
        "by_function": sorted(by_function.values(), key=lambda f: f["function"]),
        "by_group": [
            {
                "audience": g["booking__audience"],
                "booked_hours": (g["minutes"] or 0) / 60,
                "used_hours": (g["used_minutes"] or 0) / 60,
            }
            for g in by_group
        ],
    }


def pending_count(*, user: User) -> int:
    """Pending bookings of rooms in the user's staff scope that have not started (home panel)."""
    return (
        _staff_bookings(user)
        .filter(status=BookingStatus.PENDING, starts_at__gte=timezone.now())
        .count()
    )


def upcoming_bookings(*, user: User, limit: int = 5) -> list[Booking]:
    return list(
        Booking.objects.filter(
            booker=user,
            ends_at__gte=timezone.now(),
            status__in=[BookingStatus.PENDING, BookingStatus.APPROVED],
        )
        .select_related("room", "room__venue")
        .order_by("starts_at")[:limit]
    )


def slot_rule_get(*, user: User, pk: int) -> SlotRule:
    return get_object_or_404(
        SlotRule.objects.visible_to(user).select_related("room__venue__unit"), pk=pk
    )
