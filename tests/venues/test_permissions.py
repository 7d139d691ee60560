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


def test_change_venue_on_a_venue_of_town_a(world):
    from tests.venues import factories as f

    assert_granted_exactly(
        world, "venues.change_venue", {"county_admin", "town_a", "village_a"}, obj=f.venue_a(world)
    )


@pytest.mark.parametrize(("role", "allowed"), [("village_a", True), ("village_b", False)])
def test_duty_services_need_the_role_over_the_venue(world, role, allowed):
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from lianxin.venues import services
    from tests.venues import factories as f

    venue, actor = f.venue_a(world), world.users[role]
    staff, today = world.users["village_a"], timezone.localdate()
    if allowed:
        shift = services.duty_assign(actor=actor, venue=venue, staff=staff, day=today, post="坐班")
        services.duty_remove(actor=actor, shift=shift)
        return
    with pytest.raises(PermissionDenied):
        services.duty_assign(actor=actor, venue=venue, staff=staff, day=today, post="坐班")
    with pytest.raises(PermissionDenied):
        services.roster_copy_week(actor=actor, venue=venue, from_monday=today)
    with pytest.raises(PermissionDenied):
        services.certificate_save(actor=actor, venue=venue, staff=staff, name="证书")


@pytest.mark.parametrize(("role", "status"), [("supervisor", 403), ("village_a", 302)])
def test_roster_post_follows_the_rule(world, client, login, role, status):
    from django.urls import reverse
    from django.utils import timezone

    from tests.venues import factories as f

    venue = f.venue_a(world)
    login(world.users[role])
    response = client.post(
        reverse("venues:venue_roster", args=[venue.pk]),
        {
            "staff": world.users["village_a"].pk,
            "day": timezone.localdate().isoformat(),
            "post": "坐班",
            "starts": "08:30",
            "ends": "17:30",
        },
    )
    assert response.status_code == status
