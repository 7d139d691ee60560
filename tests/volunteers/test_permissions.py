"""Every named permission of teams, posts and points per role over the test world, and the
object rules the services check (staff over the team's or post's unit)."""

from __future__ import annotations

import pytest

from lianxin.volunteers import rules
from tests.permissions import COUNTY, STAFF, TOWN_A, TOWN_B, assert_granted_exactly
from tests.volunteers.factories import make_post, make_team

pytestmark = pytest.mark.django_db

MANAGERS = (COUNTY - {"supervisor"}) | TOWN_A | TOWN_B

EXPECTED = {
    "volunteers.view_team": STAFF,
    "volunteers.manage_team": MANAGERS,
    "volunteers.view_points": STAFF,
    "volunteers.manage_points": {"county_admin", "town_a", "town_b"},
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def _holders(world, rule, obj) -> set[str]:
    return {name for name, user in world.users.items() if rule(user, obj)}


def test_a_team_is_managed_by_team_managers_over_its_unit(world):
    team = make_team(world)
    assert _holders(world, rules.may_manage_team, team) == {"county_admin", "town_a", "village_a"}
    post = make_post(world)
    assert _holders(world, rules.covers_unit, post) == {
        "county_admin",
        "supervisor",
        "town_a",
        "village_a",
    }
