"""Capacity holds under concurrent sign-ups (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lianxin.events import services
from lianxin.events.models import Event, RegistrationStatus
from tests.conftest import build_world, make_user
from tests.events.factories import make_event


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_overfill():
    if connection.vendor != "postgresql":
        pytest.skip("row locks only mean something on PostgreSQL")
    from lianxin.org.models import Role

    world = build_world()
    event = make_event(world, capacity=3)
    people = [
        make_user(f"1360000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(10)
    ]
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
    from lianxin.events.models import Registration
    from lianxin.org.models import Role

    world = build_world()
    event = make_event(world, capacity=3)
    first = [make_user(f"1350000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(6)]
    regs = [
        services.registration_create(actor=u, event=event) for u in first
    ]  # 3 confirmed, 3 waiting
    late = [make_user(f"1340000{i:04d}", unit=world.grid_a1, role=Role.RESIDENT) for i in range(6)]
    barrier = threading.Barrier(len(late) + 2)
    errors = []

    def cancel(reg):
        try:
            barrier.wait()
            services.registration_cancel(
                actor=reg.user, registration=Registration.objects.get(pk=reg.pk)
            )
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
    confirmed = list(
        event.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
            "user_id", flat=True
        )
    )
    assert len(confirmed) == 3
    # the two freed places went to the first two on the original waiting list, not to late-comers
    assert set(confirmed) == {first[2].pk, first[3].pk, first[4].pk}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_events_in_one_room_slot_book_it_once():
    """Several clerks publish events in the same room and hour at once: exactly one event
    (with its booking) is created, the others are refused whole."""
    if connection.vendor != "postgresql":
        pytest.skip("the race only means something on PostgreSQL")
    from datetime import timedelta

    from lianxin.events.models import EventKind
    from lianxin.org.models import Role
    from lianxin.rooms.models import Booking, BookingSlot
    from tests.rooms.factories import next_weekday, room_for
    from tests.venues.factories import venue_a

    world = build_world()
    room = room_for(venue_a(world))
    clerks = [
        make_user(f"1330000{i:04d}", unit=world.village_a, role=Role.VILLAGE_STAFF)
        for i in range(6)
    ]
    start = next_weekday(14)
    barrier = threading.Barrier(len(clerks))
    refused, done = [], []

    def run(i, user):
        try:
            barrier.wait()
            done.append(
                services.event_create(
                    actor=user,
                    unit=world.village_a,
                    kind=EventKind.CULTURE,
                    title=f"书画班{i}",
                    place="",
                    venue_room=room,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    capacity=10,
                )
            )
        except ValidationError as exc:
            refused.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, u)) for i, u in enumerate(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(done) == 1 and len(refused) == len(clerks) - 1
    assert Event.objects.count() == 1 and Booking.objects.count() == 1
    assert BookingSlot.objects.filter(room=room).count() == 2
