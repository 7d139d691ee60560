"""The model guarantees: exactly one owner, an append-only timeline."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from lianxin.cases.models import Case, CaseEvent
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_owner_constraint_rejects_no_owner_and_two_owners(world):
    case = make_case(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner_unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(owner_user=world.users["grid_a1"])


def test_events_are_immutable(world):
    event = make_case(world).events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        CaseEvent.objects.filter(pk=event.pk).update(note="x")
