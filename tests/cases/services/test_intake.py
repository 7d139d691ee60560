"""Intake (services/intake.py): the first owner, due times, one request per submission token."""

from __future__ import annotations

import pytest

from lianxin.cases.models import Case, Channel, EventKind, State
from lianxin.notifications.models import Notification
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_resident_intake_goes_to_grid_queue_with_due_times(world):
    case = make_case(world)
    assert case.state == State.SUBMITTED
    assert case.owner_unit == world.grid_a1 and case.owner_user is None
    assert case.accept_due_at and case.resolve_due_at and case.accept_due_at < case.resolve_due_at
    assert case.town == world.town_a and case.village == world.village_a
    assert len(case.code) == 10
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.SUBMIT]
    # the grid worker gets an assignment notification
    assert Notification.objects.filter(recipient=world.users["grid_a1"]).exists()


def test_staff_entry_is_owned_by_the_first_receiver(world):
    case = make_case(world, channel=Channel.STAFF, created_by=world.users["village_a"])
    assert case.owner_user == world.users["village_a"] and case.owner_unit is None
    assert case.unit == world.village_a


def test_idempotency_key_gives_one_case(world):
    a = make_case(world, idempotency_key="same")
    b = make_case(world, idempotency_key="same")
    assert a.pk == b.pk and Case.objects.count() == 1
