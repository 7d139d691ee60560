"""Every named permission of events per role over the test world, and the object rules the
views and services share (staff over the event's unit; a registrant for their own place)."""

from __future__ import annotations

import pytest

from lianxin.events import rules, services
from tests.events.factories import make_event
from tests.permissions import COUNTY, EVERYONE, STAFF, TOWN_A, TOWN_B, assert_granted_exactly

pytestmark = pytest.mark.django_db

MANAGERS = (COUNTY - {"supervisor"}) | TOWN_A | TOWN_B

EXPECTED = {
    "events.view_event": STAFF,
    "events.manage_event": MANAGERS,
    "events.register": EVERYONE,
    "events.own_record": EVERYONE,
}


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def _holders(world, rule, obj) -> set[str]:
    return {name for name, user in world.users.items() if rule(user, obj)}


def test_an_event_is_run_by_the_staff_over_its_unit(world):
    event = make_event(world)
    assert _holders(world, rules.covers_event, event) == {
        "county_admin",
        "supervisor",
        "town_a",
        "village_a",
    }
    assert _holders(world, rules.may_manage_event, event) == {"county_admin", "town_a", "village_a"}


def test_a_registration_is_cancelled_by_its_registrant_or_staff_over_the_event(world):
    event = make_event(world, capacity=5)
    reg = services.registration_create(actor=world.users["party_a"], event=event)
    assert _holders(world, rules.may_cancel_registration, reg) == {
        "party_a",
        "county_admin",
        "supervisor",
        "town_a",
        "village_a",
    }
