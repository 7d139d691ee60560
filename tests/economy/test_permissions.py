"""Every named permission of 村级集体经济 per role, and the object rule over a village."""

from __future__ import annotations

import pytest

from tests.permissions import assert_granted_exactly

pytestmark = pytest.mark.django_db

ENTRY = {"county_admin", "town_a", "town_b", "village_a", "village_b"}

EXPECTED = {
    "economy.view_income": ENTRY | {"supervisor"},
    "economy.set_income": ENTRY,
    "economy.import_income": {"county_admin", "town_a", "town_b"},
    "economy.view_two_new": ENTRY | {"supervisor"},
    "economy.view_alliances": ENTRY | {"supervisor"},
    "economy.mark_new_economy": {"county_admin", "town_a", "town_b"},
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_set_income_on_a_village(world):
    """The village's own staff, the town above it and the county admin; no sibling."""
    assert_granted_exactly(
        world, "economy.set_income", {"county_admin", "town_a", "village_a"}, obj=world.village_a
    )
    assert_granted_exactly(
        world, "economy.set_income", {"county_admin", "town_b", "village_b"}, obj=world.village_b
    )


def test_set_income_never_on_a_town(world):
    assert_granted_exactly(world, "economy.set_income", set(), obj=world.town_a)


@pytest.mark.parametrize("perm", ["economy.view_two_new", "economy.view_alliances"])
def test_ledger_units_only_inside_the_viewers_area(world, perm):
    """A unit of town A's: town A's viewers and the county; never town B's."""
    granted = {"county_admin", "supervisor", "town_a", "village_a"}
    assert_granted_exactly(world, perm, granted, obj=world.village_a)


def test_mark_new_economy_inside_the_town(world):
    assert_granted_exactly(
        world, "economy.mark_new_economy", {"county_admin", "town_a"}, obj=world.village_a
    )
