"""Every named permission of 我的数据 per role, and the object rule over one correction."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from lianxin.privacy import rules as privacy_rules
from tests.permissions import EVERYONE, TOWN_A, TOWN_B, assert_granted_exactly
from tests.privacy.factories import make_correction

CLERKS = {"county_admin", "town_a", "village_a", "town_b", "village_b"}

EXPECTED = {
    "privacy.view_own_data": EVERYONE,
    "privacy.request_correction": EVERYONE,
    "privacy.handle_correction": CLERKS,
}


def test_every_named_permission_has_a_row():
    named = {name for name in rules.permissions.permissions if name.startswith("privacy.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def test_handles_correction_is_a_clerk_over_the_residents_unit(world):
    corr_a = make_correction(world, "a")
    corr_b = make_correction(world, "b")
    holders_a = {
        n for n, u in world.users.items() if privacy_rules.handles_correction.test(u, corr_a)
    }
    holders_b = {
        n for n, u in world.users.items() if privacy_rules.handles_correction.test(u, corr_b)
    }
    assert holders_a == {"county_admin"} | (TOWN_A - {"grid_a1"})
    assert holders_b == {"county_admin"} | (TOWN_B - {"grid_b1"})
    assert not privacy_rules.handles_correction.test(AnonymousUser(), corr_a)
