"""JSON API for 微心愿 (session auth; same selectors and services as the pages)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import AfterValidator

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
from lianxin.api.responses import (
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    body_doc,
    errors,
    read_body,
)
from lianxin.core.params import Id, Text, Year
from lianxin.org.scoping import user_scope
from lianxin.wishes import selectors, services
from lianxin.wishes.forms import LightForm
from lianxin.wishes.models import ClaimantKind, WishCategory

router = Router(tags=["wishes"])


class WishOut(Schema):
    """Names leave masked (张*); no phone or address ever leaves through the API."""

    id: int
    title: str
    category: str
    status: str
    value: Decimal | None
    beneficiary_masked: str
    community: str
    unit: str
    claimant_name: str
    published_at: datetime | None
    lit_at: datetime | None
    days_waiting: int | None

    @staticmethod
    def resolve_community(obj) -> str:
        return obj.community.name

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_days_waiting(obj) -> int | None:
        return obj.days_waiting()


class WishIn(Schema):
    """A new wish, bounded like the page's form. Staff post for someone (代为提交) in a grid of
    their scope (``unit``, ``beneficiary_name``); a resident posts their own, in their own grid.
    ``key`` makes the post idempotent: the same key from the same poster is the same wish."""

    title: Annotated[Text, Field(min_length=2, max_length=60)]
    category: WishCategory
    content: Annotated[
        str, Field(max_length=1000), AfterValidator(lambda v: v.replace("\x00", "").strip())
    ] = ""
    value: Annotated[Decimal, Field(ge=0, le=2000, max_digits=8, decimal_places=2)] | None = None
    unit: Id | None = None
    beneficiary_name: Annotated[Text, Field(max_length=50)] = ""
    beneficiary_tag: Annotated[Text, Field(max_length=20)] = ""
    key: Annotated[str, Field(max_length=36, pattern=r"^[A-Za-z0-9_-]+$")] | None = None


class ReasonIn(Schema):
    reason: Annotated[Text, Field(max_length=200)] = ""


class NoteIn(Schema):
    note: Annotated[Text, Field(max_length=200)] = ""


class ThanksIn(Schema):
    thanks: Annotated[Text, Field(max_length=200)] = ""


LIGHT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["photo"],
                    "properties": {
                        "photo": {"type": "string", "format": "binary"},
                        "note": {"type": "string", "maxLength": 300},
                    },
                }
            }
        },
    }
}


@router.get("/wishes", response={200: list[WishOut], **LIST_ERRORS}, url_name="wishes_list")
def wishes(request, page: Query[PageParams], status: Text = "", q: Text = ""):
    require_perm(request, "wishes.view_wish")
    return page.slice(selectors.wish_list(user=request.user, status=status, q=q))


@router.post(
    "/wishes", response={201: WishOut, **WRITE_ERRORS, **errors(400)}, url_name="wishes_post"
)
def wish_post(request, payload: WishIn):
    """Post a wish (the 提交心愿 page): pending until staff publish it."""
    require_perm(request, "wishes.post_wish")
    fields: dict[str, Any] = {
        "title": payload.title,
        "category": payload.category.value,
        "content": payload.content,
        "value": payload.value,
    }
    if user_scope(request.user).is_staff:
        unit = selectors.post_unit_get(user=request.user, pk=payload.unit) if payload.unit else None
        if unit is None:
            raise HttpError(422, _("代为提交时请选择本辖区内心愿人所在的网格。"))
        fields |= {
            "beneficiary_name": payload.beneficiary_name,
            "beneficiary_tag": payload.beneficiary_tag,
        }
    else:
        person = selectors.own_person(user=request.user)
        if person is None:
            raise PermissionDenied(_("您的账号尚未关联住户信息，请联系社区代为提交。"))
        unit = person.unit
    with service_refusal_as_409():
        wish = services.wish_post(
            actor=request.user,
            unit=unit,
            submission_key=payload.key or "",
            request=request,
            **fields,
        )
    return Status(201, wish)


@router.get("/mine", response={200: list[WishOut], **LIST_ERRORS}, url_name="wishes_mine")
def mine(request, page: Query[PageParams]):
    """Wishes the caller posted or that are for them (the 我的心愿 page)."""
    require_perm(request, "wishes.own_wish")
    return page.slice(selectors.wish_mine(user=request.user))


@router.get("/claimed", response={200: list[WishOut], **LIST_ERRORS}, url_name="wishes_claimed")
def claimed(request, page: Query[PageParams]):
    """Wishes the caller has claimed, newest claim first."""
    require_perm(request, "wishes.claim_wish")
    return page.slice(selectors.wish_claimed_by(user=request.user))


@router.get("/stale", response={200: list[WishOut], **LIST_ERRORS}, url_name="wishes_stale")
def stale(request, page: Query[PageParams]):
    """Published and unclaimed for a week or more in the caller's scope (the 催办 list)."""
    require_perm(request, "wishes.review_wish")
    return page.slice(selectors.wish_stale(user=request.user))


@router.get("/claimable", response={200: list[WishOut], **LIST_ERRORS}, url_name="wishes_claimable")
def claimable(request, page: Query[PageParams]):
    require_perm(request, "wishes.claim_wish")
    return page.slice(selectors.wish_claimable(user=request.user))


@router.get("/wishes/{pk}", response={200: WishOut, **READ_ERRORS}, url_name="wishes_detail")
def wish(request, pk: Id):
    require_perm(request, "wishes.own_wish")
    return selectors.wish_get(user=request.user, pk=pk)


@router.post("/wishes/{pk}/claim", response={200: WishOut, **WRITE_ERRORS}, url_name="wishes_claim")
def claim(request, pk: Id, kind: Text = "party_member", team: Id | None = None):
    """Claim as ``kind`` (query parameter: party_member, volunteer, team with ``team=<id>``, or
    unit: the staff member's own unit), resolved by the same selectors as the page."""
    require_perm(request, "wishes.claim_wish")
    wish = selectors.wish_get(user=request.user, pk=pk)
    claim_team = (
        selectors.claim_team_get(user=request.user, pk=team) if kind == ClaimantKind.TEAM else None
    )
    claim_unit = selectors.claim_unit(user=request.user) if kind == ClaimantKind.UNIT else None
    with service_refusal_as_409():
        return services.wish_claim(
            actor=request.user,
            wish=wish,
            kind=kind,
            team=claim_team,
            unit=claim_unit,
            request=request,
        )


def _step(request, pk: int, perm: str, fn, **kwargs):
    """One step on a wish the caller may open, through its service (rules in ``wishes.rules``)."""
    require_perm(request, perm)
    wish = selectors.wish_get(user=request.user, pk=pk)
    with service_refusal_as_409():
        return fn(actor=request.user, wish=wish, request=request, **kwargs)


def _step_with(request, pk: int, perm: str, schema, field: str, fn):
    """A step taking one text field of a JSON body, read once the wish was found in scope."""
    require_perm(request, perm)
    wish = selectors.wish_get(user=request.user, pk=pk)
    text = getattr(read_body(request, schema), field)
    with service_refusal_as_409():
        return fn(actor=request.user, wish=wish, request=request, **{field: text})


@router.post(
    "/wishes/{pk}/publish", response={200: WishOut, **WRITE_ERRORS}, url_name="wishes_publish"
)
def publish(request, pk: Id):
    """审核发布 a pending wish (a reviewing role over its grid)."""
    return _step(request, pk, "wishes.review_wish", services.wish_publish)


@router.post(
    "/wishes/{pk}/decline",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_decline",
    openapi_extra=body_doc(ReasonIn),
)
def decline(request, pk: Id):
    """退回 a pending wish, with the reason the resident is shown."""
    return _step_with(request, pk, "wishes.review_wish", ReasonIn, "reason", services.wish_decline)


@router.post(
    "/wishes/{pk}/chase",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_chase",
    openapi_extra=body_doc(NoteIn, required=False),
)
def chase(request, pk: Id):
    """催办: record that a published, unclaimed wish was pushed to the volunteers."""
    return _step_with(request, pk, "wishes.review_wish", NoteIn, "note", services.wish_chase)


@router.post(
    "/wishes/{pk}/release",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_release",
    openapi_extra=body_doc(ReasonIn, required=False),
)
def release(request, pk: Id):
    """放弃认领: the claimant (or reviewing staff) gives a claimed wish back to the wall."""
    return _step_with(request, pk, "wishes.claim_wish", ReasonIn, "reason", services.wish_release)


@router.post(
    "/wishes/{pk}/light",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_light",
    openapi_extra=LIGHT_BODY,
)
def light(request, pk: Id):
    """点亮 a claimed wish with a photo (multipart ``photo``, optional ``note``), checked by the
    page's form; the service strips the photo's EXIF."""
    require_perm(request, "wishes.claim_wish")
    wish = selectors.wish_get(user=request.user, pk=pk)
    form = LightForm(request.POST, request.FILES)
    if not form.is_valid():
        raise NinjaValidationError(
            [
                {"loc": ["body", name], "msg": str(msg), "type": "value_error"}
                for name, msgs in form.errors.items()
                for msg in msgs
            ]
        )
    with service_refusal_as_409():
        return services.wish_light(
            actor=request.user,
            wish=wish,
            photo=form.cleaned_data["photo"],
            note=form.cleaned_data["note"],
            request=request,
        )


@router.post(
    "/wishes/{pk}/confirm",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_confirm",
    openapi_extra=body_doc(ThanksIn, required=False),
)
def confirm(request, pk: Id):
    """The resident (or the clerk for them) confirms a lit wish came true."""
    return _step_with(request, pk, "wishes.own_wish", ThanksIn, "thanks", services.wish_confirm)


@router.post(
    "/wishes/{pk}/thank",
    response={200: WishOut, **WRITE_ERRORS},
    url_name="wishes_thank",
    openapi_extra=body_doc(ThanksIn),
)
def thank(request, pk: Id):
    """致谢 the claimant of a confirmed wish."""
    return _step_with(request, pk, "wishes.own_wish", ThanksIn, "thanks", services.wish_thank)


class CommunityCountOut(Schema):
    community__name: str
    community__code: str
    n: int


class TownCountOut(Schema):
    community__parent__name: str
    n: int


class ClaimantCountOut(Schema):
    claimant_name: str
    claimant_kind: str
    n: int


class MonthCountOut(Schema):
    month: str
    n: int


class WishStatsOut(Schema):
    """Wishes lit in the year, in the caller's scope (the 统计 page)."""

    year: int
    prev_year: int
    per_unit: list[CommunityCountOut]
    per_town: list[TownCountOut]
    per_claimant: list[ClaimantCountOut]
    per_month: list[MonthCountOut]
    total: int
    waiting: int


@router.get("/stats", response={200: WishStatsOut, **LIST_ERRORS}, url_name="wishes_stats")
def stats(request, year: Year | None = None):
    require_perm(request, "wishes.view_stats")
    data = selectors.wish_stats(user=request.user, year=year)
    data["per_month"] = [
        {"month": r["month"].strftime("%Y-%m"), "n": r["n"]} for r in data["per_month"]
    ]
    return data
