"""Capacity holds under concurrent sign-ups (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lianxin.activities import services
from lianxin.activities.models import Event, RegistrationStatus
from tests.activities.factories import make_event
from tests.conftest import build_world, make_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_overfill():
    if connection.vendor != "postgresql":
        pytest.skip("row locks only mean something on PostgreSQL")
    from lianxin.org.models import Role

    world = build_world()
    event = make_event(world, capacity=3)
    people = [make_user(f"1360000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(10)]
    barrier = threading.Barrier(len(people))
    errors = []

    def run(user):
        try:
            barrier.wait()
            services.registration_create(actor=user, event=Event.objects.get(pk=event.pk))
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert event.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 7
