"""The selectors the views call: every lookup is narrowed to the caller's scope."""

import pytest

from lianxin.volunteers import selectors, services
from tests.volunteers.factories import make_post, make_team

pytestmark = pytest.mark.django_db


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
