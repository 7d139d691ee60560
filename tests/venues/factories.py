"""Builders for 阵地 objects in the ``world`` tree (through the services where it matters)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from lianxin.venues.models import (
    DutyShift,
    StaffCertificate,
    SurveyCampaign,
    UpgradePlan,
    Venue,
    VenueHazard,
    VenueKind,
    VenuePhoto,
)

CANARY_HAZARD_A = "甲阵地金丝雀隐患"


def venue_for(unit, **fields) -> Venue:
    defaults = {
        "name": f"{unit.name}党群服务中心",
        "kind": VenueKind.SERVICE_CENTER,
        "town": unit.parent,
        "floor_area": Decimal("300"),
        "office_area": Decimal("100"),
        "service_area": Decimal("150"),
        "build_year": 2001,
        "structure": "brick_concrete",
        "floors": 2,
        "condition": "fair",
    }
    defaults.update(fields)
    venue = Venue.objects.filter(unit=unit, kind=defaults["kind"], name=defaults["name"]).first()
    return venue or Venue.objects.create(unit=unit, **defaults)


def venue_a(world) -> Venue:
    return venue_for(world.village_a)


def venue_b(world) -> Venue:
    return venue_for(world.village_b)


def hazard_for(venue, description=CANARY_HAZARD_A) -> VenueHazard:
    return VenueHazard.objects.get_or_create(
        venue=venue,
        description=description,
        defaults={"severity": "high", "found_on": timezone.localdate() - timedelta(days=3)},
    )[0]


def plan_for(venue, year=2026, **fields) -> UpgradePlan:
    defaults = {
        "work_type": "repair",
        "budget": Decimal("20"),
        "fund_provincial": Decimal("10"),
        "fund_party_fee": Decimal("5"),
        "fund_party_building": Decimal("3"),
        "fund_other": Decimal("2"),
        "style_notes": "甲阵地风貌",
    }
    defaults.update(fields)
    return UpgradePlan.objects.get_or_create(venue=venue, year=year, defaults=defaults)[0]


def campaign_for(world) -> SurveyCampaign:
    return SurveyCampaign.objects.get_or_create(
        unit=world.county,
        name="2026年全覆盖摸排",
        defaults={
            "due_on": timezone.localdate() + timedelta(days=10),
            "opened_by": world.users["county_admin"],
        },
    )[0]


def duty_for(venue, staff, day=None) -> DutyShift:
    return DutyShift.objects.get_or_create(
        venue=venue, day=day or timezone.localdate(), staff=staff, defaults={"post": "坐班干部"}
    )[0]


def certificate_for(venue, staff, days=10) -> StaffCertificate:
    return StaffCertificate.objects.get_or_create(
        venue=venue,
        staff=staff,
        name="社会工作者职业资格证书",
        defaults={"expires_on": timezone.localdate() + timedelta(days=days)},
    )[0]


def photo_for(venue) -> VenuePhoto:
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    photo = VenuePhoto(venue=venue, kind="exterior", caption="甲阵地照片")
    photo.image.save("t.png", ContentFile(buf.getvalue()), save=False)
    photo.save()
    return photo
