"""Named permissions of events and training, and the object rules over (user, object)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_staff_member
from lianxin.org.scoping import user_scope

can_manage = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)


@rules.predicate
def covers_event(user, event) -> bool:
    """The event's unit lies in the user's subtree (staff over it run it)."""
    return event is not None and user_scope(user).covers(event.unit)


@rules.predicate
def is_registrant(user, registration) -> bool:
    return registration is not None and registration.user_id == user.pk


# The roster, the door QR, hours and edits of one event: an event manager over its unit.
may_manage_event = can_manage & covers_event
# Cancelling a registration: its registrant, or staff over the event's unit.
may_cancel_registration = is_registrant | rules.predicate(
    lambda user, reg: reg is not None and user_scope(user).covers(reg.event.unit),
    name="covers_registration_event",
)

rules.add_perm("events.view_event", is_staff_member)
rules.add_perm("events.manage_event", can_manage)
rules.add_perm("events.register", is_authenticated)
rules.add_perm("events.own_record", is_authenticated)
