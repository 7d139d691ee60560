"""Every named permission of the reports per role, and the object rule over a unit."""

from __future__ import annotations

import pytest

from tests.permissions import COUNTY, STAFF, TOWN_A, assert_granted_exactly

pytestmark = pytest.mark.django_db

EXPECTED = {
    "reports.view_reports": set(STAFF),
    "reports.request_brief": set(STAFF),
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_on_a_town_only_its_staff_and_the_county(world, perm):
    """Town A's brief: town A's staff (and those below it see only their own units' briefs:
    the village and grid staff do not cover the town), the county; never town B's."""
    assert_granted_exactly(world, perm, set(COUNTY) | {"town_a"}, obj=world.town_a)
    assert_granted_exactly(world, perm, set(COUNTY) | set(TOWN_A), obj=world.grid_a1)
