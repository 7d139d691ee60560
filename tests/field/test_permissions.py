"""Who reaches the offline app: the roles that may log visits (``visits.add_visit``), nobody
else; the manifest and the service worker carry nothing personal and are public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.permissions import EVERYONE

pytestmark = pytest.mark.django_db

VISITORS = {"county_admin", "town_a", "village_a", "grid_a1", "town_b", "village_b", "grid_b1"}
GET_ROUTES = ("field:shell", "field:data")
POST_ROUTES = ("field:sync_visit", "field:sync_case")


def test_the_app_declares_no_permission_of_its_own():
    import rules

    assert not [n for n in rules.permissions.permissions if n.startswith("field.")]


def test_every_route_by_role(world, client, login):
    """GET pages: 200 for the visiting roles, 403 for the others; the sync endpoints: an empty
    POST is refused input (400) for the visiting roles, 403 for the others."""
    wrong = []
    for user in sorted(EVERYONE):
        login(world.users[user])
        for route in GET_ROUTES:
            status = client.get(reverse(route)).status_code
            if status != (200 if user in VISITORS else 403):
                wrong.append((user, route, status))
        for route in POST_ROUTES:
            status = client.post(reverse(route), {}).status_code
            if status != (400 if user in VISITORS else 403):
                wrong.append((user, route, status))
    assert wrong == []


@pytest.mark.parametrize("route", (*GET_ROUTES, *POST_ROUTES))
def test_anonymous_goes_to_log_in(client, route):
    response = client.post(reverse(route)) if "sync" in route else client.get(reverse(route))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("route", ("field:manifest", "field:sw"))
def test_manifest_and_worker_are_public(client, route):
    assert client.get(reverse(route)).status_code == 200
