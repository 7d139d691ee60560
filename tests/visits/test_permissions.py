"""The visits module's named permissions per role over the test world, and on one household."""

from __future__ import annotations

import pytest

from tests.permissions import COUNTY, STAFF, TOWN_A, assert_granted_exactly

pytestmark = pytest.mark.django_db

VISITORS = {"county_admin", "town_a", "village_a", "grid_a1", "town_b", "village_b", "grid_b1"}
EXPECTED = {"visits.add_visit": VISITORS, "visits.view_visit": STAFF}


def test_every_named_permission_has_a_row():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("visits.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_on_a_household_of_town_a(world):
    household = world.households["a"]
    assert_granted_exactly(world, "visits.add_visit", {"county_admin"} | TOWN_A, obj=household)
    assert_granted_exactly(world, "visits.view_visit", COUNTY | TOWN_A, obj=household)
