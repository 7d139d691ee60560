"""Every named permission of the module, for every role of the shared world."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

STAFF = {
    "county_admin",
    "supervisor",
    "town_a",
    "town_b",
    "village_a",
    "village_b",
    "grid_a1",
    "grid_b1",
    "dept",
}
EVERYONE = STAFF | {"resident_a", "resident_b", "party_a", "party_b"}
EXPECTED = {
    "cases.submit_case": EVERYONE,
    "cases.view_own_case": EVERYONE,
    "cases.view_case": STAFF,
    "cases.enter_case": STAFF,
    "cases.handle_case": STAFF,
    "cases.view_rates": STAFF,
    "cases.view_ranking": {"county_admin", "supervisor", "town_a", "town_b"},
    "cases.export_ranking": {"county_admin", "supervisor", "town_a", "town_b"},
    "cases.print_poster": STAFF,
    "cases.manage_category": {"county_admin"},
    "cases.resident_menu": {"resident_a", "resident_b", "party_a", "party_b"},
    "notifications.view_notification": EVERYONE,
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_by_role(world, perm):
    allowed = {name for name, user in world.users.items() if user.has_perm(perm)}
    assert allowed == EXPECTED[perm]


def test_anonymous_has_none(world):
    from django.contrib.auth.models import AnonymousUser

    assert not any(AnonymousUser().has_perm(p) for p in EXPECTED)
