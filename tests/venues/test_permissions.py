"""Every venues.* permission per role of the test world, granted and denied (the rooms and
compliance permissions are tested in tests/rooms and tests/compliance)."""

from __future__ import annotations

import pytest

from tests.permissions import STAFF, assert_granted_exactly

pytestmark = pytest.mark.django_db

VENUE_STAFF = {"county_admin", "town_a", "town_b", "village_a", "village_b"}
TOWN_OR_COUNTY = {"county_admin", "town_a", "town_b"}

EXPECTED = {
    "venues.view_venue": STAFF,
    "venues.change_venue": VENUE_STAFF,
    "venues.open_campaign": {"county_admin"},
    "venues.fill_survey": VENUE_STAFF,
    "venues.export_venues": TOWN_OR_COUNTY,
    "venues.import_venues": {"county_admin"},
    "venues.view_photo": STAFF,
    "venues.view_plan": STAFF,
    "venues.manage_plan": TOWN_OR_COUNTY,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_matrix_covers_every_venues_permission():
    import rules

    declared = {name for name in rules.permissions.permissions if name.startswith("venues.")}
    assert declared == set(EXPECTED)
