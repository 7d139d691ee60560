"""Per-role matrices of every 议事协商 permission, with and without the object."""

from __future__ import annotations

import pytest

from tests.deliberation.factories import make_action, make_meeting, make_topic
from tests.permissions import COUNTY, EVERYONE, PARTY, RESIDENTS, STAFF, assert_granted_exactly

pytestmark = pytest.mark.django_db

CONVENERS = {"county_admin", "town_a", "town_b", "village_a", "village_b"}
EXPECTED = {
    "deliberation.raise_topic": EVERYONE,
    "deliberation.support_topic": RESIDENTS | PARTY,
    "deliberation.view_topics": STAFF,
    "deliberation.convene_meeting": CONVENERS,
    "deliberation.track_action": CONVENERS | {"grid_a1", "grid_b1", "dept"},
    "deliberation.checkin": EVERYONE,
    "deliberation.view_area": RESIDENTS | PARTY,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_support_a_topic_only_as_its_residents(world):
    topic = make_topic(world)
    assert_granted_exactly(
        world, "deliberation.support_topic", {"resident_a", "party_a"}, obj=topic
    )


def test_view_topics_over_the_subtree(world):
    topic = make_topic(world)
    assert_granted_exactly(
        world, "deliberation.view_topics", COUNTY | {"town_a", "village_a"}, obj=topic
    )


def test_convene_over_the_meeting_unit(world):
    meeting = make_meeting(world)
    assert_granted_exactly(
        world, "deliberation.convene_meeting", {"county_admin", "town_a", "village_a"}, obj=meeting
    )
    assert_granted_exactly(
        world,
        "deliberation.convene_meeting",
        {"county_admin", "town_a", "village_a"},
        obj=world.village_a,
    )


def test_track_an_action_of_the_owner_or_deciding_unit(world):
    action = make_action(world)
    assert_granted_exactly(
        world, "deliberation.track_action", {"county_admin", "town_a", "village_a"}, obj=action
    )
    action.owner_unit = world.department
    action.save()
    assert_granted_exactly(
        world,
        "deliberation.track_action",
        {"county_admin", "town_a", "village_a", "dept"},
        obj=action,
    )
