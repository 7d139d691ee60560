"""JSON API for events and sign-up (session auth)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
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


@router.get("/events", response=list[EventOut], url_name="activities_events")
def events(request, page: Query[PageParams], kind: Text = "", when: Text = "upcoming"):
    require_perm(request, "events.register")
    return page.slice(selectors.event_list(user=request.user, kind=kind, when=when))


@router.get("/events/{pk}", response=EventOut, url_name="activities_event")
def event(request, pk: Id):
    require_perm(request, "events.register")
    return selectors.event_get(user=request.user, pk=pk)


@router.post(
    "/events/{pk}/register", response=RegistrationOut, url_name="activities_event_register"
)
def register(request, pk: Id):
    require_perm(request, "events.register")
    ev = selectors.event_get(user=request.user, pk=pk)
    try:
        return services.registration_create(actor=request.user, event=ev, request=request)
    except ValidationError as exc:
        raise HttpError(409, exc.messages[0]) from exc
