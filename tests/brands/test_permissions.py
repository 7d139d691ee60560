"""Every named permission of 党建品牌 and 合理化建议 per role over the test world, and the
object rules the views and services share (the level above decides a brand; staff over the
unit review a proposal)."""

from __future__ import annotations

import pytest

from lianxin.brands import rules
from tests.brands.factories import make_brand, make_proposal
from tests.permissions import COUNTY, PARTY, STAFF, TOWN_A, TOWN_B, assert_granted_exactly

pytestmark = pytest.mark.django_db

MANAGERS = (COUNTY - {"supervisor"}) | TOWN_A | TOWN_B

EXPECTED = {
    "brands.view_brand": STAFF,
    "brands.manage_brand": MANAGERS,
    "brands.submit_proposal": MANAGERS | PARTY | {"dept"},
    "brands.review_proposal": MANAGERS,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def _holders(world, rule, obj) -> set[str]:
    return {name for name, user in world.users.items() if rule(user, obj)}


def test_a_brand_is_decided_by_the_level_above_its_organisation(world):
    brand = make_brand(world)  # the party branch of village A: its level above is town A
    assert _holders(world, rules.may_decide_brand, brand) == {
        "county_admin",
        "supervisor",
        "town_a",
    }


def test_a_proposal_is_reviewed_by_managers_over_its_unit(world):
    proposal = make_proposal(world)
    assert _holders(world, rules.may_review_proposal, proposal) == {
        "county_admin",
        "town_a",
        "village_a",
    }
