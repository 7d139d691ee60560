"""No double booking, ever: concurrent attempts on one slot make exactly one booking (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lianxin.rooms import services
from lianxin.rooms.models import Booking, BookingSlot
from tests.rooms import factories as f


def _race(n, work):
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            result = work(i)
            with lock:
                outcomes.append(result)
        except ValidationError:
            with lock:
                outcomes.append("refused")
        except Exception as exc:  # any other failure must show in the assertion
            with lock:
                outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_make_one_booking(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only means something on PostgreSQL")
    from lianxin.accounts.models import User

    room = f.room_for(f.venue_a(world))
    start = f.next_weekday(15)
    users = [
        world.users[k].pk
        for k in ("resident_a", "party_a", "village_a", "town_a", "county_admin", "grid_a1")
    ]

    def book(i):
        # overlapping windows: 14-16, 15-16, 15-17 … all contain the 15:00 slot
        offset = [-1, 0, 0, -1, 0, 0][i]
        hours = [2, 1, 2, 2, 1, 2][i]
        user = User.objects.get(pk=users[i])
        services.booking_create(
            actor=user,
            room=room,
            starts_at=start + timedelta(hours=offset),
            ends_at=start + timedelta(hours=offset + hours),
            group_name=f"队{i}",
            audience="general",
        )
        return "ok"

    outcomes = _race(len(users), book)
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("refused") == len(users) - 1
    assert Booking.objects.count() == 1
    assert BookingSlot.objects.filter(room=room, starts_at=start).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_identical_concurrent_posts_make_one_booking(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only means something on PostgreSQL")
    from lianxin.accounts.models import User

    room = f.room_for(f.venue_a(world))
    start = f.next_weekday(10)

    resident = world.users["resident_a"].pk

    def book(_i):
        user = User.objects.get(pk=resident)
        b = services.booking_create(
            actor=user,
            room=room,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            group_name="书法班",
            audience="general",
            client_token="same-form",
        )
        return f"ok:{b.pk}"

    outcomes = _race(20, book)
    assert len(set(outcomes)) == 1 and outcomes[0].startswith("ok:"), outcomes
    assert Booking.objects.count() == 1
