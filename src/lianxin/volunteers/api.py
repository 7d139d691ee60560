"""JSON API for the points ranking (session auth)."""

from __future__ import annotations

from ninja import Router, Schema

from lianxin.api.guards import require_perm
from lianxin.api.responses import LIST_ERRORS
from lianxin.core.params import Text, clean_month
from lianxin.volunteers import selectors

API_PREFIX = "activities"  # /api/v1/activities/ranking: the path from before the split (ADR 0008)
router = Router(tags=["activities"])


class RankingRowOut(Schema):
    user_id: int
    name: str
    unit: str | None
    points: int
    hours: float


class RankingOut(Schema):
    """The month's points ranking in the caller's scope (the 积分榜 page)."""

    month: str
    rows: list[RankingRowOut]


@router.get("/ranking", response={200: RankingOut, **LIST_ERRORS}, url_name="activities_ranking")
def ranking(request, month: Text = ""):
    require_perm(request, "volunteers.view_points")
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
