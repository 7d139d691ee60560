"""JSON API of the 阵地 module (scoped like the pages)."""

from __future__ import annotations

from decimal import Decimal

from ninja import Query, Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.paging import PageParams
from lianxin.api.responses import LIST_ERRORS, READ_ERRORS
from lianxin.core.params import Id, Text
from lianxin.venues import selectors

router = Router(tags=["venues"])


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


@router.get("/venues", response={200: list[VenueOut], **LIST_ERRORS}, url_name="venues_venue_list")
def venue_list(request, page: Query[PageParams], q: Text = ""):
    require_perm(request, "venues.view_venue")
    return page.slice(selectors.venue_list(user=request.user, q=q))


@router.get("/venues/{pk}", response={200: VenueOut, **READ_ERRORS}, url_name="venues_venue")
def venue(request, pk: Id):
    require_perm(request, "venues.view_venue")
    return selectors.venue_get(user=request.user, pk=pk)


@router.get("/rollup", response={200: list[TownRollupOut], **LIST_ERRORS}, url_name="venues_rollup")
def rollup(request):
    require_perm(request, "venues.view_venue")
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


@router.get(
    "/plans/summary",
    response={200: list[PlanYearOut], **LIST_ERRORS},
    url_name="venues_plan_summary",
)
def plan_summary(request):
    require_perm(request, "venues.view_plan")
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
    "/campaigns/{pk}/progress",
    response={200: CampaignProgressOut, **READ_ERRORS},
    url_name="venues_campaign_progress",
)
def campaign_progress(request, pk: Id):
    """全覆盖摸排 completion by town (the caller's part of the tree)."""
    require_perm(request, "venues.fill_survey")
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
