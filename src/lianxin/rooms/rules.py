"""Named permissions of 功能室预约, and the object rules the services and views share.

The named permissions say what a role may do at all; the predicates over (user, object) say
whether a user may do it to this booking or room: staff whose scope covers the room's venue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_staff_member
from lianxin.org.scoping import user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.rooms.models import Booking
    from lianxin.venues.models import Venue

# Staff who run a venue's rooms: the village/community, the town above it, the county.
is_venue_staff = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)

rules.add_perm("rooms.book_room", is_authenticated)
rules.add_perm("rooms.manage_booking", is_venue_staff)
rules.add_perm("rooms.manage_room", is_venue_staff)
rules.add_perm("rooms.view_usage", is_staff_member)


@rules.predicate
def can_manage_booking(user: User, booking: Booking) -> bool:
    """Approve, reject or mark a booking: rooms.manage_booking over the booking's venue."""
    return user.has_perm("rooms.manage_booking") and user_scope(user).covers(
        booking.room.venue.unit
    )


@rules.predicate
def can_cancel_booking(user: User, booking: Booking) -> bool:
    """Cancel a booking: the one who made it, or staff who may manage it."""
    return booking.booker_id == user.pk or can_manage_booking(user, booking)


@rules.predicate
def can_manage_rooms_of(user: User, venue: Venue) -> bool:
    """Add or change a venue's rooms and their 错时利用 rules: rooms.manage_room over the venue."""
    return user.has_perm("rooms.manage_room") and user_scope(user).covers(venue.unit)
