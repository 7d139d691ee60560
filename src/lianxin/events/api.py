"""JSON API for events and sign-up (session auth)."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS
from lianxin.core.masking import mask_phone
from lianxin.core.params import Id, Text
from lianxin.events import selectors, services

API_PREFIX = "activities"  # /api/v1/activities/…: the paths from before the split (ADR 0008)
router = Router(tags=["activities"])


class EventOut(Schema):
    id: int
    title: str
    kind: str
    unit: str
    place: str
    room: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None
    status: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name


class RegistrationOut(Schema):
    id: int
    event_id: int
    status: str


class MyRegistrationOut(RegistrationOut):
    """One of the caller's own sign-ups, with the event it is for."""

    event_title: str
    event_starts_at: datetime
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_event_title(obj) -> str:
        return obj.event.title

    @staticmethod
    def resolve_event_starts_at(obj) -> datetime:
        return obj.event.starts_at


class RosterOut(RegistrationOut):
    """A roster row for the staff running the event: the name as on the roster page, the
    phone masked as on the printed sign-in sheet."""

    name: str
    phone_masked: str
    desk: bool
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.registrant_name

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return mask_phone(obj.registrant_phone)

    @staticmethod
    def resolve_desk(obj) -> bool:
        return bool(obj.person_id and not obj.user_id)


class CancelOut(Schema):
    """The cancelled sign-up, and the one promoted from the waiting list into its place."""

    cancelled: RegistrationOut
    promoted: RegistrationOut | None


@router.get("/events", response={200: list[EventOut], **LIST_ERRORS}, url_name="activities_events")
def events(request, page: Query[PageParams], kind: Text = "", when: Text = "upcoming"):
    require_perm(request, "events.register")
    return page.slice(selectors.event_list(user=request.user, kind=kind, when=when))


@router.get("/events/{pk}", response={200: EventOut, **READ_ERRORS}, url_name="activities_event")
def event(request, pk: Id):
    require_perm(request, "events.register")
    return selectors.event_get(user=request.user, pk=pk)


@router.post(
    "/events/{pk}/register",
    response={200: RegistrationOut, **WRITE_ERRORS},
    url_name="activities_event_register",
)
def register(request, pk: Id):
    """Sign up; a full event puts the caller on the waiting list (``status: waitlisted``)."""
    require_perm(request, "events.register")
    ev = selectors.event_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return services.registration_create(actor=request.user, event=ev, request=request)


@router.get(
    "/events/{pk}/registrations",
    response={200: list[RosterOut], **READ_ERRORS},
    url_name="activities_event_roster",
)
def roster(request, page: Query[PageParams], pk: Id):
    """The sign-ups of an event the caller runs (the roster on the event page): staff over the
    event's unit with ``events.manage_event``."""
    require_perm(request, "events.manage_event")
    ev = selectors.event_manage_get(user=request.user, pk=pk)
    return page.slice(selectors.event_roster(event=ev))


@router.get(
    "/registrations",
    response={200: list[MyRegistrationOut], **LIST_ERRORS},
    url_name="activities_my_registrations",
)
def my_registrations(request, page: Query[PageParams], status: Text = ""):
    """The caller's own sign-ups (not cancelled), newest event first."""
    require_perm(request, "events.register")
    return page.slice(selectors.my_events(user=request.user, status=status))


@router.post(
    "/registrations/{pk}/cancel",
    response={200: CancelOut, **WRITE_ERRORS},
    url_name="activities_registration_cancel",
)
def registration_cancel(request, pk: Id):
    """Cancel a sign-up: the registrant, or staff over the event's unit; a freed place goes to
    the first person waiting."""
    require_perm(request, "events.register")
    reg = selectors.registration_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        promoted = services.registration_cancel(
            actor=request.user, registration=reg, request=request
        )
    reg.refresh_from_db()
    return {"cancelled": reg, "promoted": promoted}


@router.post(
    "/registrations/{pk}/attend",
    response={200: RosterOut, **WRITE_ERRORS},
    url_name="activities_registration_attend",
)
def registration_attend(request, pk: Id):
    """Mark a confirmed registrant present from the roster (staff over the event's unit)."""
    require_perm(request, "events.manage_event")
    reg = selectors.registration_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return services.attendance_mark(actor=request.user, registration=reg, request=request)
