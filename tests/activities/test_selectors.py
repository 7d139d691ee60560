"""The selectors the views call: every lookup is narrowed to the caller's scope."""

import pytest

from lianxin.activities import selectors, services
from lianxin.activities.models import RegistrationStatus, SourceKind
from tests.activities.factories import make_brand, make_event, make_post, make_programme, make_team

pytestmark = pytest.mark.django_db


def test_admin_and_party_org_units_are_scoped(world):
    units = list(selectors.admin_units(user=world.users["town_b"]))
    assert world.town_b in units and world.village_b in units
    assert world.town_a not in units and world.village_a not in units
    assert world.grid_b1 not in units  # grids hold no events
    assert list(selectors.party_org_units(user=world.users["town_b"])) == [world.party_org_b]


def test_event_links_are_scoped(world):
    make_programme(world)
    make_team(world)
    make_post(world)
    programmes, teams, posts = selectors.event_links(user=world.users["town_b"])
    assert programmes == teams == posts == []
    programmes, teams, posts = selectors.event_links(user=world.users["town_a"])
    assert len(programmes) == len(teams) == len(posts) == 1


def test_post_area_grids_only_under_the_post_and_in_scope(world):
    post = make_post(world)
    assert selectors.post_area_grids(user=world.users["village_a"], post=post) == [
        world.grid_a1,
        world.grid_a2,
    ]
    assert selectors.post_area_grids(user=world.users["grid_a1"], post=post) == [world.grid_a1]
    assert selectors.post_area_grids(user=world.users["town_b"], post=post) == []


def test_ranking_unit_is_scoped(world):
    assert (
        selectors.ranking_unit(user=world.users["town_a"], code=world.village_a.code)
        == world.village_a
    )
    assert selectors.ranking_unit(user=world.users["town_b"], code=world.village_a.code) is None
    assert selectors.ranking_unit(user=world.users["town_a"], code="") is None
    codes = {u.code for u in selectors.ranking_units(user=world.users["town_b"])}
    assert world.village_b.code in codes and world.village_a.code not in codes


def test_team_member_get_within_the_opened_team(world):
    team = make_team(world)
    services.team_member_add(
        actor=world.users["village_a"], team=team, user=world.users["resident_a"]
    )
    assert (
        selectors.team_member_get(team=team, user_id=str(world.users["resident_a"].pk)).user
        == world.users["resident_a"]
    )
    assert selectors.team_member_get(team=team, user_id=world.users["resident_b"].pk) is None
    assert selectors.team_member_get(team=team, user_id="x") is None


def test_my_events_status_and_feed_unit(world):
    full = make_event(world, capacity=1, title="满员的讲座")
    services.registration_create(actor=world.users["party_a"], event=full)
    services.registration_create(actor=world.users["resident_a"], event=full)
    assert selectors.my_events(user=world.users["resident_a"]).count() == 1
    assert (
        selectors.my_events(
            user=world.users["resident_a"], status=RegistrationStatus.CONFIRMED
        ).count()
        == 0
    )
    assert selectors.feed_unit(code=world.village_a.code) == world.village_a
    assert selectors.feed_unit(code=world.grid_a1.code) is None


def test_points_unit_rules_and_own_totals(world):
    assert selectors.points_unit(user=world.users["town_a"]) == world.town_a
    assert selectors.points_unit(user=world.users["resident_a"]) is None
    services.point_rule_set(
        actor=world.users["town_a"], unit=world.town_a, source_kind=SourceKind.ATTENDANCE, points=7
    )
    effective = dict(selectors.point_rules_effective(unit=world.village_a))
    assert effective[SourceKind.ATTENDANCE.label] == 7
    assert len(selectors.point_rule_list(user=world.users["town_a"])) == 1
    assert len(selectors.point_rule_list(user=world.users["town_b"])) == 0
    assert selectors.my_point_totals(user=world.users["resident_a"]) == {"p": None, "h": None}


def test_brand_reviews_and_proposal_unit(world):
    project = make_brand(world)
    assert list(selectors.brand_reviews(project=project)) == []
    assert selectors.proposal_unit(user=world.users["party_a"]) == world.village_a
    assert selectors.proposal_unit(user=world.users["town_b"]) == world.town_b
