"""Every role against every calendar permission."""

from __future__ import annotations

import pytest

VIEWERS = {"county_admin", "supervisor", "town_a", "village_a", "grid_a1", "dept"}
MANAGERS = {"county_admin"}
ROLES = [
    "county_admin",
    "supervisor",
    "town_a",
    "village_a",
    "grid_a1",
    "dept",
    "resident_a",
    "party_a",
]


@pytest.mark.parametrize("who", ROLES)
def test_view_and_manage_calendar(world, who):
    user = world.users[who]
    assert user.has_perm("workdays.view_calendar") == (who in VIEWERS)
    assert user.has_perm("workdays.manage_calendar") == (who in MANAGERS)
