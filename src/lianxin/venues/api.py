"""JSON API of the 阵地 module (scoped like the pages)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ValidationError as PydanticValidationError

from lianxin.api.paging import PageParams
from lianxin.core.params import Id, Moment, Text, Token, parse_date
from lianxin.venues import selectors, services

router = Router(tags=["venues"])


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(perm)


class VenueOut(Schema):
    id: int
    name: str
    kind: str
    unit_code: str
    town: str | None
    address: str
    lat: float | None
    lng: float | None
    build_year: int | None
    floor_area: Decimal | None
    office_area: Decimal | None
    service_area: Decimal | None
    service_share: float | None
    structure: str
    floors: int | None
    condition: str

    @staticmethod
    def resolve_unit_code(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_town(obj) -> str | None:
        return obj.town.name if obj.town_id else None


class TownRollupOut(Schema):
    town: str | None
    code: str | None
    venues: int
    office_area: Decimal
    service_area: Decimal
    service_share: float | None


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


@router.get("/venues", response=list[VenueOut], url_name="venues_venue_list")
def venue_list(request, page: Query[PageParams], q: Text = ""):
    _need(request, "venues.view_venue")
    return page.slice(selectors.venue_list(user=request.user, q=q))


@router.get("/venues/{pk}", response=VenueOut, url_name="venues_venue")
def venue(request, pk: Id):
    _need(request, "venues.view_venue")
    return selectors.venue_get(user=request.user, pk=pk)


@router.get("/rollup", response=list[TownRollupOut], url_name="venues_rollup")
def rollup(request):
    _need(request, "venues.view_venue")
    return [
        {
            "town": t["name"],
            "code": t["code"],
            "venues": t["rollup"].venues,
            "office_area": t["rollup"].office_area,
            "service_area": t["rollup"].service_area,
            "service_share": t["rollup"].share,
        }
        for t in selectors.area_rollup_by_town(user=request.user)
    ]


@router.get("/rooms", response=list[RoomOut], url_name="venues_room_list")
def rooms(request, page: Query[PageParams], q: Text = ""):
    _need(request, "venues.book_room")
    return page.slice(selectors.room_list_bookable(user=request.user, q=q))


@router.get("/rooms/{pk}/slots", response=list[SlotOut], url_name="venues_room_slots")
def room_slots(request, pk: Id, day: Text = ""):
    _need(request, "venues.book_room")
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
    _need(request, "venues.book_room")
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    try:
        payload = BookingIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError as exc:
        raise HttpError(422, str(exc)) from exc
    try:
        booking = services.booking_create(
            actor=request.user, room=room, request=request, **payload.dict()
        )
    except ValidationError as exc:
        raise HttpError(409, "；".join(exc.messages)) from exc
    return Status(201, booking)


@router.get("/bookings", response=list[BookingOut], url_name="venues_booking_list")
def bookings(request, page: Query[PageParams]):
    _need(request, "venues.book_room")
    return page.slice(selectors.booking_list_mine(user=request.user))


class PlanYearOut(Schema):
    year: int
    venues: int
    budget: Decimal
    fund_provincial: Decimal
    fund_party_fee: Decimal
    fund_party_building: Decimal
    fund_other: Decimal
    planned: int
    funded: int
    under_construction: int
    accepted: int


class TownProgressOut(Schema):
    town: str | None
    code: str | None
    done: int
    expected: int


class CampaignProgressOut(Schema):
    id: int
    name: str
    done: int
    expected: int
    towns: list[TownProgressOut]


@router.get("/plans/summary", response=list[PlanYearOut], url_name="venues_plan_summary")
def plan_summary(request):
    _need(request, "venues.view_plan")
    return [
        {
            "year": r["year"],
            "venues": r["n"],
            "budget": r["budget"],
            "fund_provincial": r["fund_provincial"],
            "fund_party_fee": r["fund_party_fee"],
            "fund_party_building": r["fund_party_building"],
            "fund_other": r["fund_other"],
            "planned": r["n_planned"],
            "funded": r["n_funded"],
            "under_construction": r["n_under_construction"],
            "accepted": r["n_accepted"],
        }
        for r in selectors.plan_summary_by_year(user=request.user)
    ]


@router.get(
    "/campaigns/{pk}/progress", response=CampaignProgressOut, url_name="venues_campaign_progress"
)
def campaign_progress(request, pk: Id):
    """全覆盖摸排 completion by town (the caller's part of the tree)."""
    _need(request, "venues.fill_survey")
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    p = selectors.campaign_progress(user=request.user, campaign=campaign)
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "done": p["done"],
        "expected": p["expected"],
        "towns": [
            {"town": t["name"], "code": t["code"], "done": t["done"], "expected": t["expected"]}
            for t in p["towns"]
        ],
    }
