"""JSON API of 走访 (scoped like the pages: the visits of the caller's subtree, logged by the
household's grid worker or the staff over its grid, through ``visits.services.visit_log``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, errors
from lianxin.core.params import Id, Moment, Text
from lianxin.visits import selectors, services
from lianxin.visits.models import VisitKind

router = Router(tags=["visits"])

# The visit's form_token column holds 64 characters and is unique over every visit: an API key
# is stored under the caller's own prefix, so one user's key never finds another user's visit.
_KEY_PREFIX = "api-{user}-"  # at most 24 characters for a bigint id: 24 + 40 = 64
MAX_KEY = 40

LongText = Annotated[
    str, Field(max_length=2000), AfterValidator(lambda v: v.replace("\x00", "").strip())
]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(_("须带时区，如 2026-11-18T10:00:00+08:00"))
    return value


AwareMoment = Annotated[Moment, AfterValidator(_aware)]


class VisitOut(Schema):
    """A visit as the visit page shows it to the staff over its grid (the household's address
    is on that page too; no person's ID or phone is part of a visit)."""

    id: int
    household_id: int
    household_number: str
    address: str
    grid: str
    grid_code: str
    visitor: str
    visited_at: datetime
    kind: VisitKind
    met: str
    notes: str
    needs: list[str]
    lat: float | None
    lng: float | None
    case_code: str | None
    wish_id: int | None
    created_at: datetime

    @staticmethod
    def resolve_household_number(obj) -> str:
        return obj.household.number

    @staticmethod
    def resolve_address(obj) -> str:
        return obj.household.address

    @staticmethod
    def resolve_grid(obj) -> str:
        return obj.grid.name

    @staticmethod
    def resolve_grid_code(obj) -> str:
        return obj.grid.code

    @staticmethod
    def resolve_visitor(obj) -> str:
        return str(obj.visitor)

    @staticmethod
    def resolve_case_code(obj) -> str | None:
        return obj.case.code if obj.case_id else None


class VisitIn(Schema):
    """One visit to a household, bounded like the form. ``visited_at`` defaults to now and may
    not lie ahead; a point is both ``lat`` and ``lng`` or neither."""

    household: Id
    kind: VisitKind = VisitKind.ROUTINE
    met: Annotated[Text, Field(max_length=100)] = ""
    notes: LongText = ""
    needs: Annotated[list[Annotated[Text, Field(max_length=20)]], Field(max_length=12)] = []
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lng: Annotated[float, Field(ge=-180, le=180)] | None = None
    visited_at: AwareMoment | None = None


@router.get("/visits", response={200: list[VisitOut], **LIST_ERRORS}, url_name="visits_list")
def visit_list(
    request,
    page: Query[PageParams],
    mine: bool = False,
    household: Id | None = None,
):
    """Visits in the caller's subtree, newest first; ``mine``: only those the caller made;
    ``household``: one household's history (a household outside the subtree lists nothing)."""
    require_perm(request, "visits.view_visit")
    if household is not None:
        h = selectors.household_get(request.user, household)
        if h is None:
            return []
        qs = selectors.household_visits(request.user, h)
    else:
        qs = selectors.visits_visible(request.user)
    if mine:
        qs = qs.filter(visitor=request.user)
    return page.slice(qs.order_by("-visited_at", "-id"))


@router.get("/visits/{pk}", response={200: VisitOut, **READ_ERRORS}, url_name="visits_detail")
def visit_detail(request, pk: Id):
    require_perm(request, "visits.view_visit")
    visit = selectors.visit_get(request.user, pk)
    if visit is None:
        raise Http404
    return visit


@router.post(
    "/visits",
    response={201: VisitOut, 200: VisitOut, **WRITE_ERRORS, **errors(400)},  # 400: not JSON
    url_name="visits_record",
)
def visit_record(
    request,
    payload: VisitIn,
    idempotency_key: str | None = Header(
        None, alias="Idempotency-Key", max_length=MAX_KEY, pattern=r"^[A-Za-z0-9_-]+$"
    ),
):
    """Record a visit (the 登记走访 form): only the household's grid worker or staff over its
    grid. The ``Idempotency-Key`` header makes a retry the
    same visit: 201 when recorded, 200 with the first visit when the key was used before; the
    same key for another household is 409."""
    require_perm(request, "visits.add_visit")
    household = selectors.household_get(request.user, payload.household)
    if household is None:
        raise Http404
    require_perm(request, "visits.add_visit", household)
    token = _token(request, idempotency_key)
    with service_refusal_as_409():
        visit, created = services.visit_log(
            actor=request.user,
            household=household,
            kind=payload.kind.value,
            met=payload.met,
            notes=payload.notes,
            needs=payload.needs,
            lat=payload.lat,
            lng=payload.lng,
            visited_at=payload.visited_at,
            form_token=token,
            request=request,
        )
    if not created and visit.household_id != household.pk:
        raise HttpError(409, _("该幂等键已用于另一户的走访。"))
    return Status(201 if created else 200, selectors.visit_get(request.user, visit.pk))


def _token(request, key: str | None) -> str | None:
    """The form token a caller's key is stored under (their prefix, then the key)."""
    if not key:
        return None
    if len(key) > MAX_KEY or not all(c.isascii() and (c.isalnum() or c in "-_") for c in key):
        raise HttpError(422, _("Idempotency-Key 须为 1–40 位字母、数字、- 或 _。"))
    return _KEY_PREFIX.format(user=request.user.pk) + key
