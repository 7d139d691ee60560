"""Booking rules: slots held once, 错时利用 windows, opening hours, approval, check-in, no-show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.rooms import services
from lianxin.rooms.models import Audience, Booking, BookingSlot, BookingStatus
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db


def _book(world, room, *, hour=14, hours=1, audience=Audience.GENERAL, user="resident_a", **kw):
    start = f.next_weekday(hour)
    return services.booking_create(
        actor=world.users[user],
        room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        group_name="象棋队",
        audience=audience,
        attendees=5,
        **kw,
    )


def test_booking_holds_slots_and_refuses_a_second_booking(world):
    room = f.room_for(f.venue_a(world))
    booking = _book(world, room, hours=2)
    assert booking.status == BookingStatus.APPROVED
    assert BookingSlot.objects.filter(booking=booking).count() == 2
    with pytest.raises(ValidationError, match="已被预约"):
        _book(world, room, hour=15, user="party_a")  # overlaps the second hour
    assert Booking.objects.count() == 1


def test_cancel_frees_the_slot(world):
    room = f.room_for(f.venue_a(world))
    booking = _book(world, room)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=world.users["resident_b"], booking=booking)
    services.booking_cancel(actor=world.users["resident_a"], booking=booking)
    assert not BookingSlot.objects.exists()
    assert _book(world, room, user="party_a").status == BookingStatus.APPROVED


def test_staggered_rule_reserves_mornings_for_elders(world):
    room = f.room_for(f.venue_a(world))
    f.elders_morning(room)
    with pytest.raises(ValidationError, match="老年人"):
        _book(world, room, hour=9, audience=Audience.CHILDREN)
    assert _book(world, room, hour=9, audience=Audience.ELDERS).pk


def test_opening_hours_slot_grid_and_past(world):
    room = f.room_for(f.venue_a(world))
    with pytest.raises(ValidationError, match="开放时间"):
        _book(world, room, hour=7)
    with pytest.raises(ValidationError, match="开放时间"):
        _book(world, room, hour=20, hours=2)
    with pytest.raises(ValidationError, match="开放时间"):
        _book(world, room, hour=20, hours=4)  # would run to midnight
    start = f.next_weekday(10) + timedelta(minutes=30)
    with pytest.raises(ValidationError, match="时段"):
        services.booking_create(
            actor=world.users["resident_a"],
            room=room,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            group_name="g",
            audience="general",
        )
    past = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=1)
    with pytest.raises(ValidationError, match="过去"):
        services.booking_create(
            actor=world.users["resident_a"],
            room=room,
            starts_at=past,
            ends_at=past + timedelta(hours=1),
            group_name="g",
            audience="general",
        )


def test_same_client_token_makes_one_booking(world):
    room = f.room_for(f.venue_a(world))
    b1 = _book(world, room, client_token="tok-1")
    b2 = _book(world, room, client_token="tok-1")
    assert b1.pk == b2.pk and Booking.objects.count() == 1


def test_approval_flow(world):
    room = f.room_for(
        f.venue_a(world), name="议事室", function="deliberation", requires_approval=True
    )
    booking = _book(world, room)
    assert booking.status == BookingStatus.PENDING
    with pytest.raises(PermissionDenied):
        services.booking_decide(actor=world.users["town_b"], booking=booking, approve=True)
    services.booking_decide(actor=world.users["village_a"], booking=booking, approve=False)
    booking.refresh_from_db()
    assert (
        booking.status == BookingStatus.REJECTED and booking.decided_by == world.users["village_a"]
    )
    assert not BookingSlot.objects.exists()


def test_check_in_by_door_qr_and_no_show_sweep(world):
    room = f.room_for(f.venue_a(world))
    booking = _book(world, room)
    with pytest.raises(ValidationError):
        services.booking_check_in(actor=world.users["resident_a"], room=room)  # too early
    services.booking_check_in(
        actor=world.users["resident_a"], room=room, now=booking.starts_at - timedelta(minutes=5)
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    other = _book(world, room, hour=16, user="party_a")
    assert services.bookings_sweep_no_shows(now=other.ends_at + timedelta(minutes=1)) == 1
    assert services.bookings_sweep_no_shows(now=other.ends_at + timedelta(minutes=1)) == 0
    other.refresh_from_db()
    assert other.status == BookingStatus.NO_SHOW
    swept = AuditEvent.objects.filter(
        target_type="rooms.booking", target_id=str(other.pk), reason="no_show sweep"
    )
    assert swept.count() == 1  # once, though the sweep ran twice
    assert not AuditEvent.objects.filter(target_id=str(booking.pk), reason="no_show sweep").exists()
