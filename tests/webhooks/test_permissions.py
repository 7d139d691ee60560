"""Every named permission of 回传推送 per role: the county administrator manages, a town's
administrator reads its own town's hand-offs, nobody else sees either."""

from __future__ import annotations

import pytest

from tests.permissions import assert_granted_exactly
from tests.webhooks.factories import make_subscription

pytestmark = pytest.mark.django_db


def test_menu_level(world):
    assert_granted_exactly(world, "webhooks.view_webhook", {"county_admin", "town_a", "town_b"})
    assert_granted_exactly(world, "webhooks.manage_webhook", {"county_admin"})


def test_on_a_town_a_subscription(world):
    sub, _secret = make_subscription(world, "https://h.example/", unit=world.town_a)
    assert_granted_exactly(world, "webhooks.view_webhook", {"county_admin", "town_a"}, obj=sub)
    assert_granted_exactly(world, "webhooks.manage_webhook", {"county_admin"}, obj=sub)


def test_on_a_county_subscription(world):
    sub, _secret = make_subscription(world, "https://h.example/", unit=world.county)
    assert_granted_exactly(world, "webhooks.view_webhook", {"county_admin"}, obj=sub)
    assert_granted_exactly(world, "webhooks.manage_webhook", {"county_admin"}, obj=sub)


def test_registering_for_a_unit(world):
    assert_granted_exactly(world, "webhooks.manage_webhook", {"county_admin"}, obj=world.town_b)
    assert_granted_exactly(
        world, "webhooks.view_webhook", {"county_admin", "town_b"}, obj=world.town_b
    )
