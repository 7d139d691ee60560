"""Every named permission of grid boundaries per role, and the object rule: clerks over the unit
(the county admin anywhere, a town clerk in their town, a village clerk in their village)."""

from __future__ import annotations

import pytest

from tests.permissions import TOWN_A, TOWN_B, assert_granted_exactly

pytestmark = pytest.mark.django_db

CLERKS = {"county_admin"} | (TOWN_A - {"grid_a1"}) | (TOWN_B - {"grid_b1"})

EXPECTED = {
    "grids.edit_boundary": CLERKS,
    "grids.manage_staff": CLERKS,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_on_a_grid_only_clerks_over_it(world, perm):
    assert_granted_exactly(world, perm, {"county_admin", "town_a", "village_a"}, obj=world.grid_a1)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_on_a_town_its_clerk_and_the_county(world, perm):
    assert_granted_exactly(world, perm, {"county_admin", "town_a"}, obj=world.town_a)
    assert_granted_exactly(world, perm, {"county_admin", "town_b"}, obj=world.town_b)
