"""Every named permission of the working-day calendar per role, granted and denied."""

from __future__ import annotations

import pytest

from tests.permissions import STAFF, assert_granted_exactly

EXPECTED = {
    "workdays.view_calendar": STAFF,  # it decides everyone's deadlines
    "workdays.manage_calendar": {"county_admin"},  # the national schedule, kept once
}


def test_every_named_permission_has_a_row():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("workdays.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)
