"""Desk sign-up (窗口代报名): a clerk signs a person up for an event at the service desk.

For people without a phone or an account (an elder who walks in): the clerk who manages the
event picks a person (``people.Person``) from their own scope and signs them up under the
same rules as a person's own sign-up (``events.places``): the event must be open and not
over, its audience must admit the person, nobody holds two live places, and once the places
are taken the person goes on the waiting list. The event row is locked first, as in
``services.registration_create``, so desk and phone sign-ups never overfill together.
Every desk sign-up is audited with the clerk as the actor.
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.events.models import Audience, Event, EventStatus, Registration, RegistrationStatus
from lianxin.events.places import may_attend, place_status
from lianxin.org.scoping import user_scope
from lianxin.people.models import PartyMember, Person

SEARCH_LIMIT = 20
_NUMBER = re.compile(r"^(\d{11}|\d{17}[\dXx])$")  # a phone or an ID number typed in full


def may_desk_register(actor, event: Event) -> bool:
    """Staff who manage events and whose scope holds the event's unit (the roster's rule)."""
    return actor.has_perm("events.manage_event") and user_scope(actor).covers(event.unit)


def desk_people(*, actor, q: str) -> list[Person]:
    """People in the clerk's scope whose name contains ``q`` (or whose full phone or ID number
    is ``q``), at most ``SEARCH_LIMIT``; the page shows them masked."""
    q = (q or "").strip()
    if not q:
        return []
    qs = Person.objects.visible_to(actor).select_related("unit", "user")
    if _NUMBER.match(q):
        qs = qs.filter(Q(phone=q) | Q(id_number=q.upper()))
    else:
        qs = qs.filter(name__contains=q)
    return list(qs.order_by("name", "unit__path", "id")[:SEARCH_LIMIT])


def live_person_ids(*, event: Event, people: list[Person]) -> set[int]:
    """Which of ``people`` already hold a live (confirmed or waiting) place at ``event``."""
    users = {p.user_id: p.pk for p in people if p.user_id}
    rows = event.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(
        Q(person__in=people) | Q(user_id__in=users)
    )
    found = set()
    for person_id, user_id in rows.values_list("person_id", "user_id"):
        found.add(person_id or users.get(user_id))
    return found - {None}


def _person_may_attend(person: Person, event: Event) -> bool:
    """The audience rule for the person: through their account when they have one; without
    one, public events admit everyone, party and volunteer events a registered party member,
    staff meetings nobody."""
    if person.user_id:
        return may_attend(person.user, event)
    if event.audience == Audience.ALL:
        return True
    if event.audience in (Audience.PARTY_MEMBERS, Audience.VOLUNTEERS):
        return PartyMember.objects.filter(person=person).exists()
    return False


@transaction.atomic
def desk_register(*, actor: User, event: Event, person: Person, request=None) -> Registration:
    """Sign ``person`` up for ``event`` on the clerk's behalf (see the module docstring).

    Refuses (PermissionDenied) a clerk who does not manage the event or a person outside the
    clerk's scope; refuses (ValidationError, with a message) a closed event, an audience that
    does not admit the person, and a second live place.
    """
    event = Event.objects.select_for_update().select_related("unit").get(pk=event.pk)
    if not may_desk_register(actor, event):
        raise PermissionDenied("events.manage_event")
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("该人员不在您的管辖范围内。"))
    if event.status != EventStatus.OPEN or event.ends_at <= timezone.now():
        raise ValidationError(_("该活动已结束或已取消，不能报名。"))
    if not _person_may_attend(person, event):
        raise ValidationError(_("该活动不面向%(name)s所在的群体。") % {"name": person.name})
    if live_person_ids(event=event, people=[person]):
        raise ValidationError(_("%(name)s 已经报过名了。") % {"name": person.name})
    try:
        with transaction.atomic():
            reg = Registration.objects.create(
                event=event, person=person, user=person.user, status=place_status(event)
            )
    except IntegrityError as exc:
        raise ValidationError(_("%(name)s 已经报过名了。") % {"name": person.name}) from exc
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=reg,
        reason="desk sign-up",
        request=request,
        extra={"person": person.pk, "status": reg.status},
    )
    return reg


def desk_person_get(*, actor, pk: int) -> Person | None:
    """The person a desk sign-up names, if they lie in the clerk's scope (else ``None``)."""
    return Person.objects.visible_to(actor).select_related("user").filter(pk=pk).first()
