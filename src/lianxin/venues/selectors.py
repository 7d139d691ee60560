"""Scoped reads of the 阵地 module. Rollups are single aggregate queries, never Python loops."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Unit
from lianxin.org.scoping import scope_queryset, scoped_units
from lianxin.venues.models import (
    FUND_FIELDS,
    DutyShift,
    PlanStatus,
    StaffCertificate,
    SurveyCampaign,
    SurveyResponse,
    UpgradePlan,
    Venue,
    VenueHazard,
    VenueKind,
    VenuePhoto,
)


def service_share_target() -> float:
    """The county's goal for 服务区域占比 (办公场所最小化、服务区域最大化); a setting."""
    return float(getattr(settings, "LIANXIN_VENUE_SERVICE_SHARE_TARGET", 0.7))


def _share(office, service):
    """service / (office + service) as a float, NULL when nothing is known."""
    return Cast(service, FloatField()) / NullIf(
        Cast(office, FloatField()) + Cast(service, FloatField()), Value(0.0)
    )


# Open hazards first on every database (PostgreSQL sorts NULL last in ascending order).
HAZARD_ORDER = (F("resolved_on").asc(nulls_first=True), "-found_on", "id")


def _open_hazard_exists():
    return Exists(VenueHazard.objects.filter(venue=OuterRef("pk"), resolved_on__isnull=True))


def _archive_rows(user) -> QuerySet[Venue]:
    """The user's venues with their service share and count of open hazards (list and export)."""
    return (
        Venue.objects.visible_to(user)
        .select_related("unit", "town")
        .annotate(
            share=_share(F("office_area"), F("service_area")),
            open_hazards=Count("hazards", filter=Q(hazards__resolved_on__isnull=True)),
        )
    )


def venue_list(
    *, user, q: str = "", town_id: int | None = None, kind: str = "", flag: str = ""
) -> QuerySet[Venue]:
    """The archive, furthest below the service-share target first (unknown shares last)."""
    qs = _archive_rows(user)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(unit__name__contains=q) | Q(unit__code=q))
    if town_id:
        qs = qs.filter(town_id=town_id)
    if kind:
        qs = qs.filter(kind=kind)
    if flag == "hazard":
        qs = qs.filter(open_hazards__gt=0)
    elif flag == "poor":
        qs = qs.filter(condition__in=["poor", "dangerous"])
    return qs.order_by(F("share").asc(nulls_last=True), "unit__path", "id")


def venue_get(*, user, pk: int) -> Venue:
    return get_object_or_404(Venue.objects.visible_to(user).select_related("unit", "town"), pk=pk)


def venue_detail_related(*, venue: Venue) -> dict:
    rooms = list(venue.rooms.prefetch_related("slot_rules"))
    office = sum((r.area or 0) for r in rooms if r.function == "office")
    service = sum((r.area or 0) for r in rooms if r.function != "office")
    return {
        "room_areas": {
            "office": office,
            "service": service,
            "share": float(service / (office + service)) if office + service else None,
        },
        "inspections": list(
            venue.inspections.select_related("checklist").order_by("-visited_on", "-id")[:10]
        ),
        "open_tasks": list(venue.tasks.filter(closed_on__isnull=True).order_by("due_on")),
        "hazards": list(venue.hazards.order_by(*HAZARD_ORDER)),
        "photos": list(venue.photos.filter(plan__isnull=True)[:12]),
        "rooms": rooms,
        "plans": list(venue.plans.all()),
    }


@dataclass
class AreaRollup:
    venues: int
    floor_area: Decimal
    office_area: Decimal
    service_area: Decimal
    share: float | None
    open_hazards: int
    poor: int

    @property
    def gap(self) -> float | None:
        return None if self.share is None else service_share_target() - self.share


def _rollup_annotations():
    return {
        "n": Count("id"),
        "floor": Coalesce(Sum("floor_area"), Value(Decimal("0"))),
        "office": Coalesce(
            Sum("office_area", filter=Q(service_area__isnull=False)), Value(Decimal("0"))
        ),
        "service": Coalesce(
            Sum("service_area", filter=Q(office_area__isnull=False)), Value(Decimal("0"))
        ),
        "poor": Count("id", filter=Q(condition__in=["poor", "dangerous"])),
    }


def _hazard_counts(qs) -> dict:
    return {
        row["venue__town_id"]: row["n"]
        for row in VenueHazard.objects.filter(venue__in=qs.values("pk"), resolved_on__isnull=True)
        .values("venue__town_id")
        .annotate(n=Count("venue_id", distinct=True))
    }


def _rollup(row, hazards: int) -> AreaRollup:
    total = (row["office"] or 0) + (row["service"] or 0)
    return AreaRollup(
        venues=row["n"],
        floor_area=row["floor"],
        office_area=row["office"],
        service_area=row["service"],
        share=float(row["service"] / total) if total else None,
        open_hazards=hazards,
        poor=row["poor"],
    )


def area_rollup_by_town(*, user, kind: str = VenueKind.SERVICE_CENTER) -> list[dict]:
    """Office vs service area per town in one GROUP BY, towns furthest below target first."""
    base = Venue.objects.visible_to(user)
    if kind:
        base = base.filter(kind=kind)
    rows = list(
        base.values("town_id", "town__name", "town__code")
        .annotate(**_rollup_annotations())
        .order_by("town__code")
    )
    hazards = _hazard_counts(base)
    out = [
        {
            "town_id": r["town_id"],
            "name": r["town__name"],
            "code": r["town__code"],
            "rollup": _rollup(r, hazards.get(r["town_id"], 0)),
        }
        for r in rows
    ]
    out.sort(key=lambda t: (t["rollup"].share is None, t["rollup"].share or 0))
    return out


def area_rollup_total(*, user, kind: str = VenueKind.SERVICE_CENTER) -> AreaRollup:
    base = Venue.objects.visible_to(user)
    if kind:
        base = base.filter(kind=kind)
    row = base.aggregate(**_rollup_annotations())
    hazards = VenueHazard.objects.filter(
        venue__in=base.values("pk"), resolved_on__isnull=True
    ).aggregate(n=Count("venue_id", distinct=True))["n"]
    return _rollup(row, hazards)


def venue_units(*, user) -> QuerySet[Unit]:
    """Towns and villages/communities in the user's scope, where a venue may be registered."""
    return scoped_units(user, *TOWN_KINDS, *VILLAGE_KINDS).order_by("path")


def campaign_home_unit(*, user) -> Unit | None:
    """The highest county or town in the user's scope: the unit a 摸排 or 挂牌整治 campaign covers."""
    return scoped_units(user, "county", *TOWN_KINDS).order_by("depth", "code").first()


def venue_hazards(*, user, venue: Venue) -> list[VenueHazard]:
    """The venue's hazards, open ones first (the htmx fragment on the venue page)."""
    return list(VenueHazard.objects.visible_to(user).filter(venue=venue).order_by(*HAZARD_ORDER))


def photo_get(*, user, pk: int) -> VenuePhoto:
    return get_object_or_404(VenuePhoto.objects.visible_to(user), pk=pk)


def hazard_get(*, user, pk: int) -> VenueHazard:
    return get_object_or_404(
        VenueHazard.objects.visible_to(user).select_related("venue__unit"), pk=pk
    )


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
    out = []
    for r in rows:
        r["progress"] = r[f"n_{PlanStatus.ACCEPTED}"] / r["n"] if r["n"] else None
        out.append(r)
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


# --- duty roster, certificates, public board ------------------------------------------------

CERT_WARN_DAYS = 30


def roster_week(*, venue: Venue, week_of: date) -> dict:
    monday = week_of - timedelta(days=week_of.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    shifts = list(
        DutyShift.objects.filter(venue=venue, day__gte=days[0], day__lte=days[-1]).select_related(
            "staff"
        )
    )
    return {
        "days": [{"day": d, "shifts": [s for s in shifts if s.day == d]} for d in days],
        "monday": monday,
    }


def venue_staff_choices(*, venue: Venue) -> QuerySet:
    """Staff who may be put on duty at a venue: the staff of its unit and the town above."""
    from lianxin.accounts.models import User
    from lianxin.org.models import STAFF_ROLES

    paths = venue.unit.ancestor_paths()[-2:]
    return (
        User.objects.filter(
            memberships__unit__path__in=paths,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def certificates_list(*, user, venue: Venue | None = None) -> QuerySet[StaffCertificate]:
    qs = StaffCertificate.objects.visible_to(user).select_related("venue", "staff")
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.order_by(F("expires_on").asc(nulls_last=True), "id")


def certificates_expiring(*, user, within_days: int = CERT_WARN_DAYS) -> QuerySet[StaffCertificate]:
    """Certificates that have lapsed or lapse within ``within_days`` (warned before lapse)."""
    limit = timezone.localdate() + timedelta(days=within_days)
    return certificates_list(user=user).filter(expires_on__lte=limit)


def public_board(*, pk: int) -> dict:
    """What the public page shows: no personal mobiles, only the centre's phone; staff on duty
    today with name, post and photo (亮牌服务), and their certificates' validity."""
    venue = get_object_or_404(Venue.objects.select_related("unit", "town"), pk=pk)
    today = timezone.localdate()
    shifts = list(
        DutyShift.objects.filter(venue=venue, day=today).select_related("staff").order_by("starts")
    )
    certs = StaffCertificate.objects.filter(venue=venue, staff_id__in=[s.staff_id for s in shifts])
    by_staff: dict[int, list] = {}
    for c in certs:
        by_staff.setdefault(c.staff_id, []).append(
            {
                "name": c.name,
                "expires_on": c.expires_on,
                "valid": c.expires_on is None or c.expires_on >= today,
            }
        )
    on_duty = [
        {
            "shift": s,
            "name": str(s.staff),  # a phone-number login is masked
            "has_photo": bool(s.staff.photo),
            "certificates": by_staff.get(s.staff_id, []),
        }
        for s in shifts
    ]
    rooms = list(
        venue.rooms.filter(is_bookable=True)
        .exclude(function="office")
        .prefetch_related("slot_rules")
    )
    return {"venue": venue, "today": today, "on_duty": on_duty, "rooms": rooms}


def duty_shift_public(*, pk: int) -> DutyShift:
    """A shift whose staff photo may be shown publicly: only around today (亮牌 on the board)."""
    today = timezone.localdate()
    return get_object_or_404(
        DutyShift.objects.select_related("staff"),
        pk=pk,
        day__gte=today - timedelta(days=1),
        day__lte=today + timedelta(days=1),
    )


def duty_shift_get(*, user, pk: int) -> DutyShift:
    return get_object_or_404(
        DutyShift.objects.visible_to(user).select_related("venue__unit"), pk=pk
    )


def home_counts(*, user) -> dict:
    """What needs a venue's staff today: pending bookings, open/overdue tasks, lapsing certificates."""
    from lianxin.compliance.selectors import task_counts
    from lianxin.rooms import selectors as room_selectors

    tasks = task_counts(user=user)
    return {
        "pending": room_selectors.pending_count(user=user),
        "tasks_open": tasks["open"],
        "tasks_overdue": tasks["overdue"],
        "certificates": certificates_expiring(user=user).count(),
    }
