"""JSON API of 功能室预约 (scoped like the pages), mounted at ``/api/v1/venues/`` as before."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ValidationError as PydanticValidationError

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
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


@router.get("/rooms", response=list[RoomOut], url_name="venues_room_list")
def rooms(request, page: Query[PageParams], q: Text = ""):
    require_perm(request, "rooms.book_room")
    return page.slice(selectors.room_list_bookable(user=request.user, q=q))


@router.get("/rooms/{pk}/slots", response=list[SlotOut], url_name="venues_room_slots")
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
    response={201: BookingOut},
    url_name="venues_room_book",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": BookingIn.model_json_schema()}},
        }
    },
)
def room_book(request, pk: Id):
    """Book a slot. The room is looked up in the caller's reach before the body is read, so
    a room outside it answers 404 whatever is posted; a held slot answers 409."""
    require_perm(request, "rooms.book_room")
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    try:
        payload = BookingIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise HttpError(422, str(exc)) from exc
    with service_refusal_as_409(all_messages=True):
        booking = services.booking_create(
            actor=request.user, room=room, request=request, **payload.dict()
        )
    return Status(201, booking)


@router.get("/bookings", response=list[BookingOut], url_name="venues_booking_list")
def bookings(request, page: Query[PageParams]):
    require_perm(request, "rooms.book_room")
    return page.slice(selectors.booking_list_mine(user=request.user))
