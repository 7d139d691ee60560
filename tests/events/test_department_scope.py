"""A county department's handler is offered their department's events and the county's own,
never the events of the county's towns and villages (issue 8: 县住建局 took a queue ticket at
洛门镇's service day because the department membership was widened to the whole county)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.events import selectors
from lianxin.events.models import EventKind, QueueTicket, Registration
from lianxin.org.models import Role, UnitKind
from lianxin.org.scoping import forget_scope, home_units, membership_area
from lianxin.org.services import membership_grant, unit_create
from tests.conftest import make_user
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


def _luomen_service_day(world):
    return make_event(
        world,
        unit=world.village_b,
        actor=world.users["village_b"],
        kind=EventKind.SERVICE_DAY,
        title="洛门镇便民服务日",
        service_items=["家电维修"],
    )


def test_department_membership_is_its_own_area(world):
    assert membership_area(world.department) == world.department
    assert home_units(world.users["dept"]) == [world.department]


def test_village_branch_and_grid_still_count_as_their_village(world):
    assert membership_area(world.party_org_b) == world.village_b
    assert membership_area(world.grid_a1) == world.village_a
    assert membership_area(world.village_a) == world.village_a


def test_county_party_committee_is_not_widened_to_the_county(world):
    committee = unit_create(
        code="620524000000-P00", name="中共武山县委", kind=UnitKind.PARTY_ORG, parent=world.county
    )
    member = make_user("13900000009", unit=committee, role=Role.PARTY_MEMBER, phone="13900000009")
    event = _luomen_service_day(world)
    assert membership_area(committee) == committee
    assert event not in selectors.event_list(user=member)


def test_department_handler_is_not_offered_a_town_event(world):
    event = _luomen_service_day(world)
    offered = list(selectors.event_list(user=world.users["dept"]))
    assert event not in offered


def test_department_handler_is_offered_the_countys_own_event(world):
    county_training = make_event(
        world, unit=world.county, actor=world.users["county_admin"], title="全县干部轮训"
    )
    town_event = _luomen_service_day(world)
    offered = list(selectors.event_list(user=world.users["dept"]))
    assert county_training in offered
    assert town_event not in offered


def test_department_handler_cannot_open_register_or_queue_at_a_town_event(world, client, login):
    event = _luomen_service_day(world)
    item = event.service_items.get()
    login(world.users["dept"])
    assert client.get(reverse("events:event_detail", kwargs={"pk": event.pk})).status_code == 404
    assert client.post(reverse("events:event_register", kwargs={"pk": event.pk})).status_code == 404
    assert client.post(reverse("events:queue_take", kwargs={"pk": item.pk})).status_code == 404
    assert not Registration.objects.filter(user=world.users["dept"]).exists()
    assert not QueueTicket.objects.filter(user=world.users["dept"]).exists()


def test_village_party_member_is_still_offered_their_village(world):
    event = _luomen_service_day(world)
    member = make_user(
        "13900000010", unit=world.party_org_b, role=Role.PARTY_MEMBER, phone="13900000010"
    )
    assert event in selectors.event_list(user=member)
    # And a department handler who also lives in 张家村 is offered it through that membership.
    handler = world.users["dept"]
    membership_grant(user=handler, unit=world.village_b, role=Role.RESIDENT)
    forget_scope(handler)
    assert event in selectors.event_list(user=handler)
