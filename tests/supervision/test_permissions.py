"""Every named permission of 督办问责 per role: the level above issues, reviews and decides; the
addressed unit's own staff reply; the subtree holding the addressed unit sees."""

from __future__ import annotations

import pytest

from tests.permissions import STAFF, assert_granted_exactly
from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db

ISSUERS = {"county_admin", "supervisor", "town_a", "town_b", "village_a", "village_b"}
ABOVE_VILLAGE_A = {"county_admin", "supervisor", "town_a"}
COUNTY = {"county_admin", "supervisor"}

WITHOUT_OBJECT = {
    "supervision.view_order": STAFF,
    "supervision.issue_order": ISSUERS,
    "supervision.review_order": ISSUERS,
    "supervision.reply_order": STAFF,
    "supervision.decide": ISSUERS,
    "supervision.follow_decision": ISSUERS,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(WITHOUT_OBJECT.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_issue_on_a_unit_is_for_the_levels_above_it(world):
    assert_granted_exactly(world, "supervision.issue_order", ABOVE_VILLAGE_A, obj=world.village_a)
    assert_granted_exactly(world, "supervision.issue_order", COUNTY, obj=world.town_a)
    # a village clerk is above its grids; a grid worker is above no one
    assert_granted_exactly(
        world, "supervision.issue_order", ABOVE_VILLAGE_A | {"village_a"}, obj=world.grid_a1
    )
    assert_granted_exactly(world, "supervision.decide", COUNTY, obj=world.town_a)
    assert_granted_exactly(world, "supervision.decide", ABOVE_VILLAGE_A, obj=world.village_a)


def test_an_order_is_seen_by_its_unit_and_above_answered_by_its_unit(world):
    order = issue(world)  # town A → village A
    assert_granted_exactly(
        world, "supervision.view_order", ABOVE_VILLAGE_A | {"village_a"}, obj=order
    )
    assert_granted_exactly(world, "supervision.reply_order", {"village_a"}, obj=order)
    assert_granted_exactly(world, "supervision.review_order", ABOVE_VILLAGE_A, obj=order)


def test_the_county_s_order_is_reviewed_by_the_county_only(world):
    order = issue(world, actor="supervisor")
    assert order.issuer_unit == world.county
    assert_granted_exactly(world, "supervision.review_order", COUNTY, obj=order)


def test_a_decision_is_followed_by_its_issuer_side(world):
    decision = decide(world)
    assert_granted_exactly(world, "supervision.follow_decision", ABOVE_VILLAGE_A, obj=decision)
    county_decision = decide(world, actor="supervisor", unit=world.town_a)
    assert_granted_exactly(world, "supervision.follow_decision", COUNTY, obj=county_decision)
