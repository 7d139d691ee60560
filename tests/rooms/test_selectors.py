"""Reads of 功能室预约: who may book which rooms, a day's slots, the week's usage."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lianxin.rooms import selectors
from lianxin.rooms.models import BookingStatus
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db


def test_rooms_bookable_by_residents_of_the_village_only(world):
    room_a = f.room_for(f.venue_a(world))
    room_b = f.room_for(f.venue_b(world))
    assert list(selectors.room_list_bookable(user=world.users["resident_a"])) == [room_a]
    assert list(selectors.room_list_bookable(user=world.users["party_b"])) == [room_b]
    assert set(selectors.room_list_bookable(user=world.users["county_admin"])) == {room_a, room_b}
    assert list(selectors.room_list_bookable(user=world.users["town_b"])) == [room_b]


def test_day_slots_show_held_and_reserved(world):
    room = f.room_for(f.venue_a(world))
    f.elders_morning(room)
    booking = f.booking_for(room, world.users["resident_a"], hour=14)
    slots = selectors.room_day_slots(room=room, day=timezone.localtime(booking.starts_at).date())
    assert len(slots) == 13
    held = [timezone.localtime(s["start"]).hour for s in slots if s["held"]]
    assert held == [14]
    assert slots[0]["rule"].audience == "elders" and slots[4]["rule"] is None


def test_usage_stats_booked_vs_used(world):
    room = f.room_for(f.venue_a(world))
    used = f.booking_for(room, world.users["resident_a"], hour=9, hours=2)
    used.status = BookingStatus.CHECKED_IN
    used.checked_in_at = used.starts_at
    used.save()
    f.booking_for(room, world.users["resident_a"], hour=14, hours=1)
    stats = selectors.usage_stats(
        user=world.users["county_admin"], week_of=timezone.localtime(used.starts_at).date()
    )
    row = stats["rooms"][0]
    assert row["booked_hours"] == 3 and row["used_hours"] == 2
    assert row["open_hours"] == 7 * 13
    assert row["utilisation"] == pytest.approx(3 / 91)
    assert stats["by_function"][0]["booked_hours"] == 3
    assert {g["audience"]: g["booked_hours"] for g in stats["by_group"]} == {"general": 3}
    assert (
        selectors.usage_stats(user=world.users["town_b"], week_of=timezone.localdate())["rooms"]
        == []
    )
