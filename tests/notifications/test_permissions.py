"""Every named permission of the notifications per role, granted and denied (whose bell it is
is the selector's: ``for_user``)."""

from __future__ import annotations

import pytest

from tests.permissions import EVERYONE, assert_granted_exactly

EXPECTED = {
    "notifications.view_notification": EVERYONE,
    "notifications.change_preference": EVERYONE,  # one's own row only (the view's user)
    "notifications.view_delivery": {"county_admin"},
}


def test_every_named_permission_has_a_row():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("notifications.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)
