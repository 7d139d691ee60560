"""Every named permission of the dashboards per role, and the object rule over a unit."""

from __future__ import annotations

import pytest

from tests.permissions import COUNTY, STAFF, TOWN_A, assert_granted_exactly

pytestmark = pytest.mark.django_db


def test_the_dashboards_are_for_staff(world):
    assert_granted_exactly(world, "dashboards.view_dashboards", set(STAFF))


def test_a_units_dashboard_is_for_staff_covering_it(world):
    """Town A's dashboard: town A's clerk and the county; a grid's: its chain up to the county;
    never town B's staff, never residents."""
    perm = "dashboards.view_dashboard"
    assert_granted_exactly(world, perm, set(COUNTY) | {"town_a"}, obj=world.town_a)
    assert_granted_exactly(world, perm, set(COUNTY) | set(TOWN_A), obj=world.grid_a1)
