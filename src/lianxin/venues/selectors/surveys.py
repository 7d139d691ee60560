"""Scoped reads of 全覆盖摸排: campaigns, their progress and the units still to answer."""

from __future__ import annotations

from django.db.models import (
    Count,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from lianxin.org.models import VILLAGE_KINDS, Unit
from lianxin.org.scoping import scope_queryset
from lianxin.venues.models import (
    SurveyCampaign,
    SurveyResponse,
    Venue,
    VenueKind,
)
from lianxin.venues.selectors.archive import _archive_rows

# --- campaigns --------------------------------------------------------------------------------


def _campaign_units(user, campaign: SurveyCampaign) -> QuerySet[Unit]:
    """The active villages/communities under a campaign's unit that the user sees (unordered,
    so callers may GROUP BY over it)."""
    return scope_queryset(
        Unit.objects.under(campaign.unit).filter(kind__in=VILLAGE_KINDS, is_active=True),
        user,
        fields=("",),
    )


def campaign_list(*, user) -> QuerySet[SurveyCampaign]:
    return (
        SurveyCampaign.objects.visible_to(user)
        .select_related("unit")
        .annotate(n_responses=Count("responses"))
    )


def campaign_get(*, user, pk: int) -> SurveyCampaign:
    return get_object_or_404(SurveyCampaign.objects.visible_to(user).select_related("unit"), pk=pk)


def campaign_progress(*, user, campaign: SurveyCampaign) -> dict:
    """Completion by town (e.g. 341/357): villages/communities under the campaign that the
    user sees, against those whose venue has answered. Two GROUP BY queries."""
    units = _campaign_units(user, campaign)
    expected = {
        r["parent_id"]: r
        for r in units.values("parent_id", "parent__name", "parent__code").annotate(n=Count("id"))
    }
    done = dict(
        SurveyResponse.objects.filter(campaign=campaign, venue__unit__in=units)
        .values("venue__unit__parent_id")
        .annotate(n=Count("venue__unit_id", distinct=True))
        .values_list("venue__unit__parent_id", "n")
    )
    towns = sorted(
        (
            {
                "town_id": tid,
                "name": r["parent__name"],
                "code": r["parent__code"],
                "expected": r["n"],
                "done": done.get(tid, 0),
                "rate": done.get(tid, 0) / r["n"] if r["n"] else None,
            }
            for tid, r in expected.items()
        ),
        key=lambda t: t["code"],
    )
    total_expected = sum(t["expected"] for t in towns)
    total_done = sum(t["done"] for t in towns)
    return {
        "towns": towns,
        "expected": total_expected,
        "done": total_done,
        "rate": total_done / total_expected if total_expected else None,
    }


def campaign_missing(
    *, user, campaign: SurveyCampaign, town_id: int | None = None
) -> QuerySet[Unit]:
    """The villages/communities that have not answered yet (to chase)."""
    units = _campaign_units(user, campaign)
    if town_id:
        units = units.filter(parent_id=town_id)
    answered = SurveyResponse.objects.filter(campaign=campaign).values("venue__unit_id")
    return units.exclude(pk__in=answered).select_related("parent").order_by("path")


def survey_units_for(*, user, campaign: SurveyCampaign) -> QuerySet[Unit]:
    """Villages/communities the user may fill in for this campaign."""
    return _campaign_units(user, campaign).order_by("path")


def survey_unit_get(*, user, campaign: SurveyCampaign, unit_id: int) -> Unit:
    return get_object_or_404(survey_units_for(user=user, campaign=campaign), pk=unit_id)


def survey_response_for(*, campaign: SurveyCampaign, unit: Unit) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(
        campaign=campaign, venue__unit=unit, venue__kind=VenueKind.SERVICE_CENTER
    ).first()


def service_center_of(*, unit: Unit) -> Venue | None:
    return Venue.objects.filter(unit=unit, kind=VenueKind.SERVICE_CENTER).first()


def venues_for_export(*, user) -> QuerySet[Venue]:
    return _archive_rows(user).order_by("unit__path", "kind", "id")
