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


def test_the_missing_schedule_banner_is_for_county_and_town_administrators(world):
    from django.contrib.auth.models import AnonymousUser

    from lianxin.workdays.rules import sees_schedule_banner

    told = {name for name, user in world.users.items() if sees_schedule_banner.test(user)}
    assert told == {"county_admin", "town_a", "town_b"}
    assert not sees_schedule_banner.test(AnonymousUser())
    world.users["dept"].is_staff = True  # Django's staff flag: those who run the system
    assert sees_schedule_banner.test(world.users["dept"])
