"""Scoped reads of the 阵地 archive. Rollups are single aggregate queries, never Python loops."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

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

from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, Unit
from lianxin.org.scoping import scoped_units
from lianxin.venues.models import (
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
        qs = qs.filter(open_hazards__gt=0)  # type: ignore[misc]  # annotated by _archive_rows
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
    out: list[dict[str, Any]] = [
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


def photo_signage_check(*, user, pk: int):
    """The signage check a photo is filed under, in the user's scope. Reached through the
    photo's foreign key so venues does not import compliance (compliance depends on venues)."""
    model: Any = VenuePhoto._meta.get_field("signage_check").related_model
    return get_object_or_404(model.objects.visible_to(user).select_related("venue__unit"), pk=pk)
