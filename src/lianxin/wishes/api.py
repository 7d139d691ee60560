"""JSON API for 微心愿 (session auth; same selectors and services as the pages)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm, service_refusal_as_409
from lianxin.api.paging import PageParams
from lianxin.core.params import Id, Text, Year
from lianxin.wishes import selectors, services
from lianxin.wishes.models import ClaimantKind

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


@router.get("/wishes", response=list[WishOut], url_name="wishes_list")
def wishes(request, page: Query[PageParams], status: Text = "", q: Text = ""):
    require_perm(request, "wishes.view_wish")
    return page.slice(selectors.wish_list(user=request.user, status=status, q=q))


@router.get("/claimable", response=list[WishOut], url_name="wishes_claimable")
def claimable(request, page: Query[PageParams]):
    require_perm(request, "wishes.claim_wish")
    return page.slice(selectors.wish_claimable(user=request.user))


@router.get("/wishes/{pk}", response=WishOut, url_name="wishes_detail")
def wish(request, pk: Id):
    require_perm(request, "wishes.own_wish")
    return selectors.wish_get(user=request.user, pk=pk)


@router.post("/wishes/{pk}/claim", response=WishOut, url_name="wishes_claim")
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


@router.get("/stats", url_name="wishes_stats")
def stats(request, year: Year | None = None):
    require_perm(request, "wishes.view_stats")
    data = selectors.wish_stats(user=request.user, year=year)
    data["per_month"] = [
        {"month": r["month"].strftime("%Y-%m"), "n": r["n"]} for r in data["per_month"]
    ]
    return data
