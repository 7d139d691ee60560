"""Who may take a place at an event, and which place they get.

One copy of the sign-up rules, used by a person's own sign-up (``services.registration_create``)
and by the clerk's desk sign-up (``desk_signup.desk_register``): the audience decides who
may attend; while confirmed places remain a sign-up is confirmed, after that it waits.
"""

from __future__ import annotations

from lianxin.events.models import Audience, Event, RegistrationStatus
from lianxin.org.models import Role
from lianxin.org.scoping import user_scope
from lianxin.volunteers.models import TeamMember


def may_attend(user, event: Event) -> bool:
    """The event's audience admits the user: party members (and staff) for party events,
    staff for staff meetings, party members, staff and team members for volunteer events."""
    scope = user_scope(user)
    if event.audience == Audience.PARTY_MEMBERS:
        return scope.has_role(Role.PARTY_MEMBER) or scope.is_staff
    if event.audience == Audience.STAFF:
        return scope.is_staff
    if event.audience == Audience.VOLUNTEERS:
        return (
            scope.has_role(Role.PARTY_MEMBER)
            or scope.is_staff
            or TeamMember.objects.filter(user=user).exists()
        )
    return True


def place_status(event: Event) -> str:
    """CONFIRMED while the event has a free place, else WAITLISTED. Call it with the event
    row locked (``select_for_update``) so concurrent sign-ups never overfill."""
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    full = event.capacity is not None and confirmed >= event.capacity
    return RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
