"""Booking limits: a horizon per room, a cap on one person's open bookings, no past slots."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lianxin.rooms import services
from lianxin.rooms.models import Booking, BookingSlot, BookingStatus, Room
from tests.rooms import factories as f

TODAY = date(2026, 3, 10)  # a Tuesday
NOW = datetime.combine(TODAY, time(9), tzinfo=timezone.get_fixed_timezone(8 * 60))


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _at(days: int, hour: int = 14) -> datetime:
    return datetime.combine(
        TODAY + timedelta(days=days), time(hour), tzinfo=timezone.get_current_timezone()
    )


def _book(world, room, start, *, user="resident_a", hours=1, **kw):
    return services.booking_create(
        actor=world.users[user] if isinstance(user, str) else user,
        room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        group_name="象棋队",
        audience="general",
        **kw,
    )


# --- horizon -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resident_books_up_to_the_room_horizon_and_not_a_day_more(world, clock):
    room = f.room_for(f.venue_a(world))
    assert room.booking_horizon_days == 60
    assert _book(world, room, _at(60, 20)).pk  # the whole last day is open
    with pytest.raises(ValidationError, match="最多可提前 60 天预约（最晚 2026-05-09）"):
        _book(world, room, _at(61, 8))
    with pytest.raises(ValidationError, match="最多可提前"):
        _book(world, room, datetime(2099, 3, 10, 14, tzinfo=timezone.get_current_timezone()))
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_each_room_has_its_own_horizon_and_new_rooms_take_the_setting(world, clock, settings):
    short = f.room_for(f.venue_a(world), name="议事室", booking_horizon_days=7)
    assert _book(world, short, _at(7)).pk
    with pytest.raises(ValidationError, match="最多可提前 7 天"):
        _book(world, short, _at(8))
    settings.LIANXIN_BOOKING_HORIZON_DAYS = 14
    assert f.room_for(f.venue_a(world), name="舞蹈室").booking_horizon_days == 14


@pytest.mark.django_db
def test_staff_over_the_venue_book_further_ahead_but_not_forever(world, clock):
    room = f.room_for(f.venue_a(world))
    assert _book(world, room, _at(200), user="village_a").pk
    assert _book(world, room, _at(201), user="town_a").pk
    with pytest.raises(ValidationError, match="工作人员最多可提前 366 天"):
        _book(world, room, _at(367), user="county_admin")
    # Staff of another town book village A's room as anybody else does.
    with pytest.raises(ValidationError, match="该功能室最多可提前 60 天"):
        _book(world, room, _at(200), user="town_b")


@pytest.mark.django_db
def test_past_slots_are_refused(world, clock):
    room = f.room_for(f.venue_a(world))
    with pytest.raises(ValidationError, match="过去"):
        _book(world, room, _at(0, 8))  # 08:00 today, it is 09:00


# --- open bookings per person -----------------------------------------------------------------


@pytest.mark.django_db
def test_fifth_open_booking_is_refused(world, clock):
    room = f.room_for(f.venue_a(world))
    for day in range(1, 5):
        _book(world, room, _at(day))
    with pytest.raises(ValidationError, match="已有 4 个未开始的预约，已达上限"):
        _book(world, room, _at(5))
    other_room = f.room_for(f.venue_b(world))  # the limit is per person, not per room
    with pytest.raises(ValidationError, match="已达上限"):
        _book(world, other_room, _at(5))
    assert Booking.objects.filter(booker=world.users["resident_a"]).count() == 4
    assert _book(world, room, _at(5), user="party_a").pk  # somebody else is not affected


@pytest.mark.django_db
def test_cancelled_rejected_and_past_bookings_do_not_count(world, clock, settings):
    settings.LIANXIN_BOOKING_MAX_OPEN_PER_PERSON = 2
    resident = world.users["resident_a"]
    room = f.room_for(f.venue_a(world))
    first = _book(world, room, _at(1))
    _book(world, room, _at(2))
    with pytest.raises(ValidationError, match="已达上限"):
        _book(world, room, _at(3))
    services.booking_cancel(actor=resident, booking=first)
    third = _book(world, room, _at(3))
    with pytest.raises(ValidationError, match="已达上限"):
        _book(world, room, _at(4))
    # Time passes: the booking of day 2 has started (then ended); it no longer counts.
    with time_machine.travel(_at(2, 15), tick=False):
        fourth = _book(world, room, _at(4))
        with pytest.raises(ValidationError, match="已达上限"):
            _book(world, room, _at(5))
        # A pending booking counts; once rejected it does not.
        approval = f.room_for(
            f.venue_a(world), name="议事室", function="deliberation", requires_approval=True
        )
        services.booking_cancel(actor=resident, booking=third)
        pending = _book(world, approval, _at(6))
        assert pending.status == BookingStatus.PENDING
        with pytest.raises(ValidationError, match="已达上限"):
            _book(world, room, _at(7))
        services.booking_decide(actor=world.users["village_a"], booking=pending, approve=False)
        assert _book(world, room, _at(7)).pk
    assert fourth.pk


@pytest.mark.django_db
def test_staff_over_the_venue_have_their_own_limit(world, clock, settings):
    settings.LIANXIN_BOOKING_MAX_OPEN_PER_PERSON = 1
    settings.LIANXIN_BOOKING_MAX_OPEN_PER_STAFF = 3
    room = f.room_for(f.venue_a(world))
    for day in range(1, 4):
        _book(world, room, _at(day), user="village_a")
    with pytest.raises(ValidationError, match="已有 3 个未开始的预约"):
        _book(world, room, _at(4), user="village_a")


@pytest.mark.django_db
def test_the_same_form_posted_again_at_the_limit_returns_the_booking(world, clock, settings):
    settings.LIANXIN_BOOKING_MAX_OPEN_PER_PERSON = 1
    room = f.room_for(f.venue_a(world))
    first = _book(world, room, _at(1), client_token="form-1")
    assert _book(world, room, _at(1), client_token="form-1").pk == first.pk


# --- through the pages and the event path -----------------------------------------------------


@pytest.mark.django_db
def test_booking_page_refuses_beyond_the_horizon_and_keeps_the_input(world, clock, login):
    room = f.room_for(f.venue_a(world))
    client = login(world.users["resident_a"])
    url = reverse("rooms:room_book", args=[room.pk])
    data = {
        "day": "2099-03-10",
        "start": "14:00",
        "hours": "1",
        "group_name": "太极拳队",
        "audience": "general",
        "attendees": "8",
        "purpose": "晨练",
    }
    r = client.post(url, data)
    assert r.status_code == 422
    body = r.content.decode()
    assert "最多可提前 60 天预约" in body and "太极拳队" in body and "晨练" in body
    for day in range(1, 5):
        _book(world, room, _at(day))
    r = client.post(url, {**data, "day": (TODAY + timedelta(days=6)).isoformat()})
    assert r.status_code == 422 and "已达上限" in r.content.decode()
    assert Booking.objects.count() == 4


@pytest.mark.django_db
def test_api_answers_409_beyond_the_horizon(world, clock, login):
    room = f.room_for(f.venue_a(world))
    r = login(world.users["resident_a"]).post(
        f"/api/v1/venues/rooms/{room.pk}/bookings",
        {
            "starts_at": "2099-03-10T14:00:00+08:00",
            "ends_at": "2099-03-10T15:00:00+08:00",
            "group_name": "太极拳队",
            "audience": "general",
        },
        content_type="application/json",
    )
    assert r.status_code == 409 and "最多可提前" in r.json()["detail"]


@pytest.mark.django_db
def test_api_refuses_times_without_a_zone_instead_of_failing(world, clock, login):
    room = f.room_for(f.venue_a(world))
    r = login(world.users["resident_a"]).post(
        f"/api/v1/venues/rooms/{room.pk}/bookings",
        {
            "starts_at": "2026-03-12T14:00:00",
            "ends_at": "2026-03-12T15:00:00",
            "group_name": "太极拳队",
            "audience": "general",
        },
        content_type="application/json",
    )
    assert r.status_code == 409 and "时区" in r.json()["detail"]


@pytest.mark.django_db
def test_an_event_books_its_room_further_ahead_than_residents(world, clock):
    from lianxin.events import services as activities
    from lianxin.events.models import EventKind

    room = f.room_for(f.venue_a(world))
    start = _at(120)
    event = activities.event_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        kind=EventKind.CULTURE,
        title="秋季书画展",
        place="",
        venue_room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
    )
    assert event.booking.starts_at == start
    with pytest.raises(ValidationError, match="最多可提前 366 天"):
        activities.event_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            kind=EventKind.CULTURE,
            title="后年",
            place="",
            venue_room=room,
            starts_at=_at(400),
            ends_at=_at(400, 16),
            capacity=20,
        )


@pytest.mark.django_db
def test_manager_sets_the_horizon_on_the_room_form(world, login):
    venue = f.venue_a(world)
    client = login(world.users["village_a"])
    url = reverse("rooms:room_add", args=[venue.pk])
    data = {
        "name": "书画室",
        "function": "culture",
        "capacity": "20",
        "opens_at": "08:00",
        "closes_at": "21:00",
        "slot_minutes": "60",
        "is_bookable": "on",
        "booking_horizon_days": "14",
    }
    assert (
        client.get(url).status_code == 200
        and 'name="booking_horizon_days"' in client.get(url).content.decode()
    )
    r = client.post(url, {**data, "booking_horizon_days": "5000"})
    assert r.status_code == 200 and "书画室" in r.content.decode()  # form shown again, input kept
    assert not Room.objects.filter(name="书画室").exists()
    assert client.post(url, data).status_code == 302
    assert Room.objects.get(name="书画室").booking_horizon_days == 14


@pytest.mark.django_db
def test_manager_changes_the_horizon_of_an_existing_room(world, login):
    room = f.room_for(f.venue_a(world))
    url = reverse("rooms:room_edit", args=[room.pk])
    assert login(world.users["town_b"]).get(url).status_code == 404  # another town's room
    client = login(world.users["village_a"])
    page = client.get(reverse("venues:venue_detail", args=[room.venue.pk])).content.decode()
    assert url in page
    r = client.get(url)
    assert r.status_code == 200 and 'value="60"' in r.content.decode()
    data = {
        "name": room.name,
        "function": room.function,
        "capacity": "30",
        "opens_at": "08:00",
        "closes_at": "21:00",
        "slot_minutes": "60",
        "is_bookable": "on",
        "booking_horizon_days": "0",
    }
    assert client.post(url, data).status_code == 200  # refused, shown again
    room.refresh_from_db()
    assert room.booking_horizon_days == 60
    assert client.post(url, {**data, "booking_horizon_days": "21"}).status_code == 302
    room.refresh_from_db()
    assert room.booking_horizon_days == 21


# --- concurrency (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_by_one_person_stay_within_the_limit(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only means something on PostgreSQL")
    from lianxin.accounts.models import User

    settings.LIANXIN_BOOKING_MAX_OPEN_PER_PERSON = 2
    rooms = [f.room_for(f.venue_a(world), name=f"活动室{i}") for i in range(3)]
    resident = world.users["resident_a"].pk
    start = f.next_weekday(14)
    n = 8
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            # different rooms and hours: only the per-person limit can stop them
            services.booking_create(
                actor=User.objects.get(pk=resident),
                room=rooms[i % 3],
                starts_at=start + timedelta(hours=i - 4),
                ends_at=start + timedelta(hours=i - 3),
                group_name=f"队{i}",
                audience="general",
            )
            result = "ok"
        except ValidationError as exc:
            result = "limit" if "已达上限" in exc.messages[0] else exc.messages[0]
        except Exception as exc:  # any other failure must show in the assertion
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["limit"] * (n - 2) + ["ok"] * 2, outcomes
    assert Booking.objects.filter(booker_id=resident).count() == 2
    assert BookingSlot.objects.count() == 2
