"""The demo county's 阵地: 357 centres, ~37 in trouble, plans over three years, rooms in use."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from lianxin.rooms.models import Booking, BookingSlot, Room
from lianxin.venues.models import (
    DutyShift,
    SurveyCampaign,
    UpgradePlan,
    Venue,
    VenueHazard,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_the_wushan_archive(capsys):
    call_command("demo", households=60, only="org,people,venues")
    centres = Venue.objects.filter(kind="service_center")
    assert centres.count() == 357
    assert Venue.objects.exclude(kind="service_center").values("kind").distinct().count() == 3
    troubled = (
        centres.filter(Q(condition__in=["poor", "dangerous"]) | Q(hazards__isnull=False))
        .distinct()
        .count()
    )
    assert 35 <= troubled <= 40
    assert VenueHazard.objects.open().exists()
    years = set(UpgradePlan.objects.values_list("year", flat=True))
    assert len(years) == 3
    campaign = SurveyCampaign.objects.get()
    assert campaign.responses.count() == 341
    assert (
        not Room.objects.values("venue")
        .annotate(n=Count("id"))
        .filter(n__lt=3, venue__kind="service_center")
    )
    assert Booking.objects.count() > 3000
    held = BookingSlot.objects.values("room", "starts_at").annotate(n=Count("id")).filter(n__gt=1)
    assert not held.exists()
    assert DutyShift.objects.exists()
    # every plan's funding adds up exactly
    for plan in UpgradePlan.objects.all()[:100]:
        assert (
            plan.fund_provincial + plan.fund_party_fee + plan.fund_party_building + plan.fund_other
            == plan.budget
        )
