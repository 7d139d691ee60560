"""JSON API for events, sign-up and the points ranking (session auth)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from lianxin.activities import selectors, services
from lianxin.api.paging import PageParams
from lianxin.core.params import Id, Text, clean_month

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


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(perm)


@router.get("/events", response=list[EventOut], url_name="activities_events")
def events(request, page: Query[PageParams], kind: Text = "", when: Text = "upcoming"):
    _need(request, "activities.register")
    return page.slice(selectors.event_list(user=request.user, kind=kind, when=when))


@router.get("/events/{pk}", response=EventOut, url_name="activities_event")
def event(request, pk: Id):
    _need(request, "activities.register")
    return selectors.event_get(user=request.user, pk=pk)


@router.post(
    "/events/{pk}/register", response=RegistrationOut, url_name="activities_event_register"
)
def register(request, pk: Id):
    _need(request, "activities.register")
    ev = selectors.event_get(user=request.user, pk=pk)
    try:
        return services.registration_create(actor=request.user, event=ev, request=request)
    except ValidationError as exc:
        raise HttpError(409, exc.messages[0]) from exc


@router.get("/ranking", url_name="activities_ranking")
def ranking(request, month: Text = ""):
    _need(request, "activities.view_points")
    data = selectors.ranking(
        user=request.user, month=clean_month(month)
    )  # bad or out of range: this month
    return {
        "month": data["month"].strftime("%Y-%m"),
        "rows": [
            {
                "user_id": r["user_id"],
                "name": r["user__display_name"] or r["user__username"],
                "unit": r["unit__name"],
                "points": r["points"],
                "hours": float(r["hours"] or 0),
            }
            for r in data["rows"]
        ],
    }
