"""Reads of the 阵地 module: scoping, rollups, ordering, progress and statistics."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.venues import selectors, services
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


def _second_village_a(world):
    return unit_create(
        code="620524100002",
        name="西关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_a,
        division_code="620524100002",
    )


def test_venue_list_is_scoped_and_furthest_from_target_first(world):
    a = f.venue_a(world)  # 150 / 250 = 60 %
    b = f.venue_b(world)
    a2 = f.venue_for(
        _second_village_a(world), office_area=Decimal("200"), service_area=Decimal("50")
    )  # 20 %
    unknown = f.venue_for(
        world.village_a, kind="bee_station", name="东关暖蜂驿站", office_area=None
    )
    admin = list(selectors.venue_list(user=world.users["county_admin"]))
    assert admin == [a2, a, b, unknown]
    assert admin[0].share == pytest.approx(0.2)
    assert list(selectors.venue_list(user=world.users["town_b"])) == [b]
    assert list(selectors.venue_list(user=world.users["resident_a"])) == []


def test_rollup_by_town_sums_areas_in_one_query(world):
    f.venue_a(world)
    f.venue_for(_second_village_a(world), office_area=Decimal("200"), service_area=Decimal("50"))
    f.venue_b(world)
    f.hazard_for(f.venue_b(world), "屋面渗漏")
    with CaptureQueriesContext(connection) as ctx:
        towns = selectors.area_rollup_by_town(user=world.users["county_admin"])
    assert len(ctx.captured_queries) <= 4  # scope + rollup + hazards (constant, not per town)
    by_name = {t["name"]: t["rollup"] for t in towns}
    assert by_name["城关镇"].venues == 2
    assert by_name["城关镇"].office_area == Decimal("300")
    assert by_name["城关镇"].share == pytest.approx(200 / 500)
    assert by_name["洛门镇"].open_hazards == 1
    assert towns[0]["name"] == "城关镇"  # 40 % is further from the target than 60 %
    total = selectors.area_rollup_total(user=world.users["county_admin"])
    assert total.venues == 3 and total.share == pytest.approx(350 / 750)
    assert [t["name"] for t in selectors.area_rollup_by_town(user=world.users["town_b"])] == [
        "洛门镇"
    ]


def test_campaign_progress_by_town_and_missing_list(world):
    campaign = f.campaign_for(world)
    _second_village_a(world)
    services.survey_submit(
        actor=world.users["village_a"],
        campaign=campaign,
        unit=world.village_a,
        values={"name": "东关社区党群服务中心"},
    )
    progress = selectors.campaign_progress(user=world.users["county_admin"], campaign=campaign)
    assert (progress["done"], progress["expected"]) == (1, 3)
    towns = {t["name"]: (t["done"], t["expected"]) for t in progress["towns"]}
    assert towns == {"城关镇": (1, 2), "洛门镇": (0, 1)}
    missing = [
        u.name
        for u in selectors.campaign_missing(user=world.users["county_admin"], campaign=campaign)
    ]
    assert missing == ["西关社区", "张家村"]
    town_b = selectors.campaign_progress(user=world.users["town_b"], campaign=campaign)
    assert (town_b["done"], town_b["expected"]) == (0, 1)


def test_campaign_visibility_follows_the_tree(world):
    county = f.campaign_for(world)
    from lianxin.venues.models import SurveyCampaign

    town_a_campaign = SurveyCampaign.objects.create(
        unit=world.town_a, name="城关", due_on=timezone.localdate()
    )
    assert set(selectors.campaign_list(user=world.users["village_a"])) == {county, town_a_campaign}
    assert set(selectors.campaign_list(user=world.users["town_b"])) == {county}
    assert list(selectors.campaign_list(user=world.users["resident_a"])) == []


def test_plan_summary_and_hazard_without_plan(world):
    a, b = f.venue_a(world), f.venue_b(world)
    f.hazard_for(a)
    f.hazard_for(b, "电线老化")
    f.plan_for(a, year=2026)
    f.plan_for(b, year=2025, status="accepted", accepted_on=timezone.localdate())
    rows = {r["year"]: r for r in selectors.plan_summary_by_year(user=world.users["county_admin"])}
    assert rows[2026]["n"] == 1 and rows[2026]["fund_provincial"] == Decimal("10")
    assert rows[2025]["progress"] == 1.0
    flagged = list(selectors.venues_hazard_without_plan(user=world.users["county_admin"]))
    assert flagged == [b]  # b's only plan is accepted and the hazard is still open


def test_public_board_shows_today_duty_and_certificates(world):
    venue = f.venue_a(world)
    f.duty_for(venue, world.users["village_a"])
    f.duty_for(venue, world.users["town_a"], day=timezone.localdate() + timedelta(days=1))
    f.certificate_for(venue, world.users["village_a"], days=-1)
    board = selectors.public_board(pk=venue.pk)
    assert [d["name"] for d in board["on_duty"]] == ["village_a"]
    assert board["on_duty"][0]["certificates"][0]["valid"] is False


def test_certificates_expiring(world):
    venue = f.venue_a(world)
    soon = f.certificate_for(venue, world.users["village_a"], days=10)
    from lianxin.venues.models import StaffCertificate

    StaffCertificate.objects.create(
        venue=venue,
        staff=world.users["town_a"],
        name="长期证",
        expires_on=timezone.localdate() + timedelta(days=400),
    )
    assert list(selectors.certificates_expiring(user=world.users["town_a"])) == [soon]
    assert list(selectors.certificates_expiring(user=world.users["town_b"])) == []


# --- the reads the views used to build themselves -----------------------------------------------


def test_venue_units_are_towns_and_villages_in_scope(world):
    units = list(selectors.venue_units(user=world.users["town_b"]))
    assert world.town_b in units and world.village_b in units
    assert world.town_a not in units and world.village_a not in units and world.grid_b1 not in units
    assert [u.path for u in units] == sorted(u.path for u in units)
    assert list(selectors.venue_units(user=world.users["resident_a"])) == []


def test_campaign_home_unit_is_the_highest_unit_in_scope(world):
    assert selectors.campaign_home_unit(user=world.users["county_admin"]) == world.county
    assert selectors.campaign_home_unit(user=world.users["town_a"]) == world.town_a
    assert selectors.campaign_home_unit(user=world.users["village_a"]) is None


def test_venue_hazards_are_scoped_and_open_first(world):
    venue = f.venue_a(world)
    done = f.hazard_for(venue, description="已消除的隐患")
    services.hazard_resolve(actor=world.users["village_a"], hazard=done)
    still_open = f.hazard_for(venue)
    assert selectors.venue_hazards(user=world.users["village_a"], venue=venue) == [still_open, done]
    assert selectors.venue_hazards(user=world.users["town_b"], venue=venue) == []
