"""JSON API of 功能室预约 (scoped like the pages), mounted at ``/api/v1/venues/`` as before."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, body_doc, read_body
from lianxin.core.masking import mask_name
from lianxin.core.params import Id, Moment, Text, Token, parse_date
from lianxin.rooms import selectors, services

API_PREFIX = "venues"  # the paths integrations already call (ADR 0006)

router = Router(tags=["venues"])


class RoomOut(Schema):
    id: int
    name: str
    function: str
    capacity: int
    venue: str

    @staticmethod
    def resolve_venue(obj) -> str:
        return obj.venue.name


class SlotOut(Schema):
    start: datetime
    end: datetime
    held: bool
    reserved_for: str | None


class BookingIn(Schema):
    """Bounded like the booking form (core.params types): out of range is 422, never a DB error."""

    starts_at: Moment
    ends_at: Moment
    group_name: Annotated[Text, Field(max_length=60)]
    audience: Annotated[Text, Field(max_length=20)]
    attendees: Annotated[int, Field(ge=1, le=500)] = 1
    purpose: Text = ""
    client_token: Token | None = None


class BookingOut(Schema):
    id: int
    room_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    group_name: str
    audience: str


class BookingDetailOut(BookingOut):
    """A booking as the booker and the staff over its venue see it; the booker's name masked
    (张*) as on the management page."""

    room: str
    venue: str
    attendees: int
    purpose: str
    booker_masked: str
    decided_at: datetime | None
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_room(obj) -> str:
        return obj.room.name

    @staticmethod
    def resolve_venue(obj) -> str:
        return obj.room.venue.name

    @staticmethod
    def resolve_booker_masked(obj) -> str:
        return mask_name(obj.booker.display_name or "")


class RefuseIn(Schema):
    reason: Annotated[Text, Field(max_length=200)] = ""


@router.get("/rooms", response={200: list[RoomOut], **LIST_ERRORS}, url_name="venues_room_list")
def rooms(request, page: Query[PageParams], q: Text = ""):
    require_perm(request, "rooms.book_room")
    return page.slice(selectors.room_list_bookable(user=request.user, q=q))


@router.get(
    "/rooms/{pk}/slots", response={200: list[SlotOut], **READ_ERRORS}, url_name="venues_room_slots"
)
def room_slots(request, pk: Id, day: Text = ""):
    require_perm(request, "rooms.book_room")
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    d = parse_date(day) if day else timezone.localdate()
    if d is None:
        raise HttpError(422, "day must be YYYY-MM-DD, 2000-01-01 .. 2100-12-31")
    return [
        {
            "start": s["start"],
            "end": s["end"],
            "held": s["held"],
            "reserved_for": s["rule"].audience if s["rule"] else None,
        }
        for s in selectors.room_day_slots(room=room, day=d)
    ]


@router.post(
    "/rooms/{pk}/bookings",
    response={201: BookingOut, **WRITE_ERRORS},
    url_name="venues_room_book",
    openapi_extra=body_doc(BookingIn),
)
def room_book(request, pk: Id):
    """Book a slot. The room is looked up in the caller's reach before the body is read, so
    a room outside it answers 404 whatever is posted; a held slot answers 409."""
    require_perm(request, "rooms.book_room")
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    payload = read_body(request, BookingIn)
    with service_refusal_as_409(all_messages=True):
        booking = services.booking_create(
            actor=request.user, room=room, request=request, **payload.dict()
        )
    return Status(201, booking)


@router.get(
    "/bookings", response={200: list[BookingOut], **LIST_ERRORS}, url_name="venues_booking_list"
)
def bookings(request, page: Query[PageParams]):
    """The caller's own bookings, newest first (the 我的预约 page)."""
    require_perm(request, "rooms.book_room")
    return page.slice(selectors.booking_list_mine(user=request.user))


@router.get(
    "/bookings/manage",
    response={200: list[BookingDetailOut], **LIST_ERRORS},
    url_name="venues_booking_manage",
)
def bookings_manage(request, page: Query[PageParams], status: Text = ""):
    """Bookings of the rooms in the caller's staff scope (the 预约管理 page), ``status`` narrows."""
    require_perm(request, "rooms.manage_booking")
    return page.slice(selectors.booking_list_staff(user=request.user, status=status))


@router.get(
    "/bookings/{pk}", response={200: BookingDetailOut, **READ_ERRORS}, url_name="venues_booking"
)
def booking(request, pk: Id):
    """One booking: the caller's own, or one of a room in their staff scope."""
    require_perm(request, "rooms.book_room")
    return selectors.booking_get(user=request.user, pk=pk)


@router.post(
    "/bookings/{pk}/cancel",
    response={200: BookingDetailOut, **WRITE_ERRORS},
    url_name="venues_booking_cancel",
)
def booking_cancel(request, pk: Id):
    """Cancel before it starts: the booker, or staff over the venue (``can_cancel_booking``)."""
    require_perm(request, "rooms.book_room")
    b = selectors.booking_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return services.booking_cancel(actor=request.user, booking=b)


@router.post(
    "/bookings/{pk}/approve",
    response={200: BookingDetailOut, **WRITE_ERRORS},
    url_name="venues_booking_approve",
)
def booking_approve(request, pk: Id):
    """Approve a pending booking (``can_manage_booking``: staff over the venue)."""
    require_perm(request, "rooms.manage_booking")
    b = selectors.booking_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return services.booking_decide(actor=request.user, booking=b, approve=True)


@router.post(
    "/bookings/{pk}/refuse",
    response={200: BookingDetailOut, **WRITE_ERRORS},
    url_name="venues_booking_refuse",
    openapi_extra=body_doc(RefuseIn, required=False),
)
def booking_refuse(request, pk: Id):
    """Refuse a pending booking, with an optional reason; its slots are freed."""
    require_perm(request, "rooms.manage_booking")
    b = selectors.booking_get(user=request.user, pk=pk)
    payload = read_body(request, RefuseIn)
    with service_refusal_as_409():
        return services.booking_decide(
            actor=request.user, booking=b, approve=False, reason=payload.reason
        )


@router.post(
    "/bookings/{pk}/no-show",
    response={200: BookingDetailOut, **WRITE_ERRORS},
    url_name="venues_booking_no_show",
)
def booking_no_show(request, pk: Id):
    """Mark a started booking nobody checked in to as 未到场 (staff over the venue)."""
    require_perm(request, "rooms.manage_booking")
    b = selectors.booking_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return services.booking_mark_no_show(actor=request.user, booking=b)
