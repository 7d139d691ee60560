"""Venues' write services check the role, not only the scope: a village clerk covers their own
village, yet may not open a survey campaign or write an upgrade plan there (the county's and the
town's work), whichever way the call arrives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lianxin.venues import services
from lianxin.venues.models import SurveyCampaign, UpgradePlan
from tests.venues import factories as f
from tests.venues.test_services import _plan_values

pytestmark = pytest.mark.django_db


def test_a_village_clerk_may_not_open_a_campaign_over_their_own_village(world):
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            actor=world.users["village_a"],
            unit=world.village_a,
            name="自查",
            due_on=timezone.localdate() + timedelta(days=7),
        )
    assert not SurveyCampaign.objects.exists()
    campaign = services.campaign_open(
        actor=world.users["county_admin"],
        unit=world.village_a,
        name="自查",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    for action in (services.campaign_close, services.campaign_chase):
        kwargs = {"missing": []} if action is services.campaign_chase else {}
        with pytest.raises(PermissionDenied):
            action(actor=world.users["village_a"], campaign=campaign, **kwargs)


def test_a_village_clerk_may_not_write_their_venues_upgrade_plan(world):
    venue = f.venue_a(world)
    with pytest.raises(PermissionDenied):
        services.plan_save(actor=world.users["village_a"], venue=venue, values=_plan_values())
    assert not UpgradePlan.objects.exists()
    services.plan_save(actor=world.users["town_a"], venue=venue, values=_plan_values())
    assert UpgradePlan.objects.count() == 1


def test_only_venue_staff_write_the_archive_or_a_survey(world):
    campaign = services.campaign_open(
        actor=world.users["county_admin"],
        unit=world.town_a,
        name="全覆盖摸排",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    for name in ("grid_a1", "party_a", "resident_a", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.venue_upsert(
                actor=world.users[name],
                unit=world.village_a,
                values={"name": "东关社区党群服务中心"},
            )
        with pytest.raises(PermissionDenied):
            services.survey_submit(
                actor=world.users[name],
                campaign=campaign,
                unit=world.village_a,
                values={"name": "东关社区党群服务中心"},
            )
