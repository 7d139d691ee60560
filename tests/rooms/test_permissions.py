"""Every named permission of 功能室预约 per role over the test world, and the object rules
the services check (staff over the booking's or room's venue; the booker cancels their own)."""

from __future__ import annotations

import pytest

from lianxin.rooms.rules import can_cancel_booking, can_manage_booking, can_manage_rooms_of
from tests.permissions import EVERYONE, STAFF, assert_granted_exactly
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db

VENUE_STAFF = {"county_admin", "town_a", "town_b", "village_a", "village_b"}

EXPECTED = {
    "rooms.book_room": EVERYONE,
    "rooms.manage_booking": VENUE_STAFF,
    "rooms.manage_room": VENUE_STAFF,
    "rooms.view_usage": STAFF,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def _holders(world, rule, obj) -> set[str]:
    return {name for name, user in world.users.items() if rule(user, obj)}


def test_managing_a_booking_needs_venue_staff_over_its_venue(world):
    booking = f.booking_for(f.room_for(f.venue_a(world)), world.users["resident_a"])
    assert _holders(world, can_manage_booking, booking) == {"county_admin", "town_a", "village_a"}
    other = f.booking_for(f.room_for(f.venue_b(world)), world.users["resident_b"])
    assert _holders(world, can_manage_booking, other) == {"county_admin", "town_b", "village_b"}


def test_cancelling_a_booking_is_for_its_booker_or_the_venue_staff(world):
    booking = f.booking_for(f.room_for(f.venue_a(world)), world.users["resident_a"])
    assert _holders(world, can_cancel_booking, booking) == {
        "resident_a",
        "county_admin",
        "town_a",
        "village_a",
    }


def test_managing_rooms_needs_venue_staff_over_the_venue(world):
    assert _holders(world, can_manage_rooms_of, f.venue_a(world)) == {
        "county_admin",
        "town_a",
        "village_a",
    }
    assert _holders(world, can_manage_rooms_of, f.venue_b(world)) == {
        "county_admin",
        "town_b",
        "village_b",
    }
