"""Reads of 阵地规范化, already scoped to the caller (``visible_to``)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lianxin.compliance.models import (
    Checklist,
    Inspection,
    InspectionScore,
    RectificationTask,
    SignageCampaign,
    SignageCheck,
    SignageEntry,
    SignageStandard,
    SignageStatus,
    SignageVerdict,
)
from lianxin.org.scoping import under_q
from lianxin.venues.models import Venue, VenueKind, VenuePhoto

# --- signage --------------------------------------------------------------------------------


def signage_campaign_list(*, user) -> QuerySet[SignageCampaign]:
    return SignageCampaign.objects.visible_to(user).select_related("unit")


def signage_campaign_get(*, user, pk: int) -> SignageCampaign:
    return get_object_or_404(SignageCampaign.objects.visible_to(user).select_related("unit"), pk=pk)


def _campaign_venues(user, campaign) -> QuerySet[Venue]:
    """The service centres under the campaign's unit that the user sees."""
    return Venue.objects.visible_to(user).filter(
        under_q(campaign.unit, ("unit",)), kind=VenueKind.SERVICE_CENTER
    )


def signage_progress(*, user, campaign: SignageCampaign) -> dict:
    """Per town: venues, checked, compliant / to rectify / rectified — two GROUP BYs."""
    venues = _campaign_venues(user, campaign)
    expected = {
        r["town_id"]: r
        for r in venues.values("town_id", "town__name", "town__code").annotate(n=Count("id"))
    }
    counts = {
        r["venue__town_id"]: r
        for r in SignageCheck.objects.filter(campaign=campaign, venue__in=venues.values("pk"))
        .values("venue__town_id")
        .annotate(
            checked=Count("id"),
            **{s: Count("id", filter=Q(status=s)) for s in SignageStatus.values},
        )
    }
    towns = []
    for tid, r in sorted(expected.items(), key=lambda kv: kv[1]["town__code"] or ""):
        c: dict = dict(counts.get(tid) or {})
        towns.append(
            {
                "town_id": tid,
                "name": r["town__name"],
                "venues": r["n"],
                "checked": c.get("checked", 0),
                **{s: c.get(s, 0) for s in SignageStatus.values},
            }
        )
    total = {k: sum(t[k] for t in towns) for k in ("venues", "checked", *SignageStatus.values)}
    return {"towns": towns, "total": total}


def signage_checks(*, user, campaign: SignageCampaign, status: str = "") -> QuerySet[SignageCheck]:
    qs = (
        SignageCheck.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("venue", "venue__town")
        .prefetch_related(
            Prefetch("entries", queryset=SignageEntry.objects.exclude(verdict="ok")),
            Prefetch("photos", queryset=VenuePhoto.objects.order_by("kind", "id")),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("venue__unit__path")


def signage_unchecked(*, user, campaign: SignageCampaign) -> QuerySet[Venue]:
    done = SignageCheck.objects.filter(campaign=campaign).values("venue_id")
    return (
        _campaign_venues(user, campaign)
        .exclude(pk__in=done)
        .select_related("town")
        .order_by("unit__path")
    )


def signage_check_for(*, campaign: SignageCampaign, venue: Venue) -> SignageCheck | None:
    return (
        SignageCheck.objects.filter(campaign=campaign, venue=venue)
        .prefetch_related("entries", "tasks", "photos")
        .first()
    )


def signage_check_marks(*, check: SignageCheck | None) -> tuple[set[int] | None, str]:
    """What the phone form shows of an earlier check: the standards ticked as present (None
    when never checked) and the extra items, one per line. Uses the prefetched entries."""
    if check is None:
        return None, ""
    entries = list(check.entries.all())
    present = {
        e.standard_id
        for e in entries
        if e.verdict == SignageVerdict.OK and e.standard_id is not None
    }
    return present, "\n".join(e.name for e in entries if e.verdict == SignageVerdict.EXTRA)


def signage_standards() -> list[SignageStandard]:
    return list(SignageStandard.objects.filter(is_active=True))


# --- inspections and tasks ------------------------------------------------------------------


def checklists(*, active_only: bool = False) -> QuerySet[Checklist]:
    qs = Checklist.objects.annotate(n_items=Count("items"))
    return qs.active() if active_only else qs


def checklist_get(*, pk: int) -> Checklist:
    return get_object_or_404(Checklist.objects.prefetch_related("items"), pk=pk, is_active=True)


def inspection_list(*, user, venue: Venue | None = None) -> QuerySet[Inspection]:
    qs = Inspection.objects.visible_to(user).select_related(
        "venue", "venue__town", "checklist", "inspector"
    )
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.annotate(n_failed=Count("scores", filter=Q(scores__passed=False))).order_by(
        "-visited_on", "-id"
    )


def inspection_get(*, user, pk: int) -> Inspection:
    return get_object_or_404(
        Inspection.objects.visible_to(user)
        .select_related("venue__unit", "checklist", "inspector")
        .prefetch_related(
            Prefetch("scores", queryset=InspectionScore.objects.select_related("item")),
            "tasks",
            "photos",
        ),
        pk=pk,
    )


def inspection_scores_by_town(*, user, months: int = 12) -> dict:
    """Scores over time: the average score rate per town and month (one GROUP BY)."""
    from django.db.models.functions import TruncMonth

    today = timezone.localdate()  # calendar months: 31-day steps reached back a thirteenth month
    y, m = divmod(today.year * 12 + today.month - 1 - (months - 1), 12)
    since = date(y, m + 1, 1)
    rows = list(
        Inspection.objects.visible_to(user)
        .filter(visited_on__gte=since)
        .annotate(month=TruncMonth("visited_on"))
        .values("venue__town_id", "venue__town__name", "month")
        .annotate(score=Sum("score"), max_score=Sum("max_score"), n=Count("id"))
        .order_by("venue__town__name", "month")
    )
    month_keys = sorted({r["month"] for r in rows})
    towns: dict[int, dict] = {}
    for r in rows:
        t = towns.setdefault(r["venue__town_id"], {"name": r["venue__town__name"], "cells": {}})
        t["cells"][r["month"]] = {
            "rate": r["score"] / r["max_score"] if r["max_score"] else None,
            "n": r["n"],
        }
    table = [
        {"name": t["name"], "cells": [t["cells"].get(m) for m in month_keys]}
        for t in sorted(towns.values(), key=lambda t: t["name"] or "")
    ]
    return {"months": month_keys, "towns": table}


def task_list(
    *, user, state: str = "open", venue: Venue | None = None
) -> QuerySet[RectificationTask]:
    qs = RectificationTask.objects.visible_to(user).select_related("venue", "venue__town")
    if venue is not None:
        qs = qs.filter(venue=venue)
    if state == "open":
        qs = qs.filter(closed_on__isnull=True)
    elif state == "overdue":
        qs = qs.filter(closed_on__isnull=True, due_on__lt=timezone.localdate())
    elif state == "closed":
        qs = qs.filter(closed_on__isnull=False)
    return qs.order_by(F("closed_on").desc(nulls_first=True), "due_on", "id")


def task_get(*, user, pk: int) -> RectificationTask:
    return get_object_or_404(
        RectificationTask.objects.visible_to(user).select_related("venue__unit"), pk=pk
    )


def signage_check_get(*, user, pk: int) -> SignageCheck:
    return get_object_or_404(
        SignageCheck.objects.visible_to(user).select_related("venue__unit"), pk=pk
    )


def task_counts(*, user) -> dict[str, int]:
    """Open and overdue rectification tasks the user sees (the venue staff's home panel)."""
    today = timezone.localdate()
    return (
        RectificationTask.objects.visible_to(user)
        .filter(closed_on__isnull=True)
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
