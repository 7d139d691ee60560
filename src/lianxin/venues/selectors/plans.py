"""Scoped reads of 提升计划: plans, the yearly summary, hazards without a plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from lianxin.venues.models import (
    FUND_FIELDS,
    PlanStatus,
    UpgradePlan,
    Venue,
)
from lianxin.venues.selectors.archive import _open_hazard_exists

# --- plans ----------------------------------------------------------------------------------


def plan_list(*, user, year: int | None = None, status: str = "") -> QuerySet[UpgradePlan]:
    qs = UpgradePlan.objects.visible_to(user).select_related("venue", "venue__unit", "venue__town")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "venue__unit__path", "id")


def plan_get(*, user, pk: int) -> UpgradePlan:
    return get_object_or_404(
        UpgradePlan.objects.visible_to(user)
        .select_related("venue__unit")
        .prefetch_related("photos"),
        pk=pk,
    )


def plan_summary_by_year(*, user) -> list[dict]:
    """County view: per year how many venues, money per source and progress — one GROUP BY."""
    money = {f: Coalesce(Sum(f), Value(Decimal("0"))) for f in (*FUND_FIELDS, "budget")}
    rows = (
        UpgradePlan.objects.visible_to(user)
        .values("year")
        .annotate(
            n=Count("id"),
            **money,
            **{f"n_{s}": Count("id", filter=Q(status=s)) for s in PlanStatus.values},
        )
        .order_by("-year")
    )
    out: list[dict[str, Any]] = []
    for r in rows:
        row: dict[str, Any] = dict(r)
        row["progress"] = row[f"n_{PlanStatus.ACCEPTED}"] / row["n"] if row["n"] else None
        out.append(row)
    return out


def venues_hazard_without_plan(*, user) -> QuerySet[Venue]:
    """Venues with an open safety hazard and no plan in progress (flagged on the plan page)."""
    open_plan = UpgradePlan.objects.filter(venue=OuterRef("pk")).exclude(status=PlanStatus.ACCEPTED)
    return (
        Venue.objects.visible_to(user)
        .filter(_open_hazard_exists())
        .exclude(Exists(open_plan))
        .select_related("unit", "town")
        .annotate(
            open_hazards=Count("hazards", filter=Q(hazards__resolved_on__isnull=True)),
            worst=Count(
                "hazards", filter=Q(hazards__resolved_on__isnull=True, hazards__severity="high")
            ),
        )
        .order_by("-worst", "-open_hazards", "unit__path")
    )


def plan_years(*, user) -> list[int]:
    return list(
        UpgradePlan.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
