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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cancellations_and_signups_keep_capacity_and_order():
    if connection.vendor != "postgresql":
        pytest.skip("row locks only mean something on PostgreSQL")
    from lianxin.activities.models import Registration
    from lianxin.org.models import Role

    world = build_world()
    event = make_event(world, capacity=3)
    first = [make_user(f"1350000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(6)]
    regs = [services.registration_create(actor=u, event=event) for u in first]  # 3 confirmed, 3 waiting
    late = [make_user(f"1340000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(6)]
    barrier = threading.Barrier(len(late) + 2)
    errors = []

    def cancel(reg):
        try:
            barrier.wait()
            services.registration_cancel(actor=reg.user, registration=Registration.objects.get(pk=reg.pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    def signup(user):
        try:
            barrier.wait()
            services.registration_create(actor=user, event=Event.objects.get(pk=event.pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in regs[:2]]
    threads += [threading.Thread(target=signup, args=(u,)) for u in late]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    confirmed = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list("user_id", flat=True))
    assert len(confirmed) == 3
    # the two freed places went to the first two on the original waiting list, not to late-comers
    assert set(confirmed) == {first[2].pk, first[3].pk, first[4].pk}
