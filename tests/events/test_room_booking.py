"""An event that names a venues room books it through the venues booking service."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.events import services
from lianxin.events.models import Event, EventKind
from lianxin.rooms.models import Booking, BookingSlot, BookingStatus
from tests.rooms.factories import elders_morning, next_weekday, room_for
from tests.venues.factories import venue_a, venue_b

pytestmark = pytest.mark.django_db


def _create(world, room, *, start=None, hours=2, actor=None, **kw):
    start = start or next_weekday(14)
    kw.setdefault("capacity", 20)
    return services.event_create(
        actor=actor or world.users["village_a"],
        unit=world.village_a,
        kind=EventKind.CULTURE,
        title="东关书画班",
        place="",
        venue_room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **kw,
    )


def test_event_with_room_books_it_as_a_group_booking(world):
    room = room_for(venue_a(world))
    event = _create(world, room)
    booking = event.booking
    assert booking is not None and booking.room == room and booking.status == BookingStatus.APPROVED
    assert booking.booker == world.users["village_a"] and booking.purpose == "东关书画班"
    assert (booking.starts_at, booking.ends_at) == (event.starts_at, event.ends_at)
    assert BookingSlot.objects.filter(booking=booking).count() == 2
    # The place defaults to the venue, the room text to the room's name.
    assert event.place == room.venue.name and event.room == room.name


def test_clash_is_refused_and_nothing_is_half_created(world):
    room = room_for(venue_a(world))
    _create(world, room)
    with pytest.raises(ValidationError) as exc:
        _create(world, room, start=next_weekday(15), hours=1)
    assert "该时段已被预约" in str(exc.value)
    assert Event.objects.count() == 1 and Booking.objects.count() == 1


def test_outside_hours_or_reserved_window_is_refused(world):
    room = room_for(venue_a(world))
    with pytest.raises(ValidationError) as exc:
        _create(world, room, start=next_weekday(20), hours=2)  # closes 21:00
    assert "开放时间" in str(exc.value)
    elders_morning(room)
    with pytest.raises(ValidationError) as exc:
        _create(world, room, start=next_weekday(9), hours=1)
    assert "专用时段" in str(exc.value)
    assert not Event.objects.exists() and not Booking.objects.exists()


def test_capacity_above_the_room_is_refused(world):
    room = room_for(venue_a(world), capacity=30)
    with pytest.raises(ValidationError) as exc:
        _create(world, room, capacity=50)
    assert "容纳人数" in str(exc.value)
    assert not Event.objects.exists()


def test_cancel_releases_the_slot(world):
    room = room_for(venue_a(world))
    event = _create(world, room)
    services.event_cancel(actor=world.users["village_a"], event=event, reason="天气原因")
    event.refresh_from_db()
    assert event.booking.status == BookingStatus.CANCELLED
    assert not BookingSlot.objects.filter(room=room).exists()
    again = _create(world, room)  # the slot is free again
    assert again.booking.status == BookingStatus.APPROVED


def test_moving_the_event_moves_the_booking_and_a_refused_move_keeps_the_old(world):
    room = room_for(venue_a(world))
    other = room_for(venue_a(world), name="民主议事室")
    event = _create(world, room)
    old = event.booking
    start = next_weekday(16)
    services.event_update(
        actor=world.users["village_a"],
        event=event,
        title=event.title,
        place=event.place,
        room="",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=20,
    )
    event.refresh_from_db()
    old.refresh_from_db()
    assert old.status == BookingStatus.CANCELLED and event.booking != old
    assert event.booking.starts_at == start and event.booking.status == BookingStatus.APPROVED
    assert sorted(BookingSlot.objects.filter(room=room).values_list("starts_at", flat=True)) == [
        start,
        start + timedelta(hours=1),
    ]
    # Another event holds the other room at 10:00; moving there is refused and changes nothing.
    blocker = _create(world, other, start=next_weekday(10), hours=1)
    with pytest.raises(ValidationError):
        services.event_update(
            actor=world.users["village_a"],
            event=event,
            title=event.title,
            place=event.place,
            room="",
            starts_at=blocker.starts_at,
            ends_at=blocker.ends_at,
            capacity=20,
            venue_room=other,
        )
    event.refresh_from_db()
    assert event.venue_room == room and event.booking.status == BookingStatus.APPROVED
    assert BookingSlot.objects.filter(booking=event.booking).count() == 2
    # Dropping the room releases it; the free-text place stays.
    services.event_update(
        actor=world.users["village_a"],
        event=event,
        title=event.title,
        place="东关广场",
        room="",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=20,
        venue_room=None,
    )
    event.refresh_from_db()
    assert event.venue_room is None and event.booking is None and event.place == "东关广场"
    assert not BookingSlot.objects.filter(room=room).exists()


def test_another_subtrees_room_cannot_be_booked_by_the_service(world):
    with pytest.raises(PermissionDenied):
        _create(world, room_for(venue_b(world)))
    assert not Booking.objects.exists()


def _form(world, room_pk, start, **extra):
    data = {
        "unit": world.village_a.pk,
        "kind": "culture",
        "title": "东关书画班",
        "place": "",
        "venue_room": room_pk,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": "20",
        "audience": "all",
        "hours": "0",
    }
    data.update(extra)
    return data


def test_form_offers_only_own_rooms_and_refuses_a_crafted_post(world, client, login):
    mine, theirs = room_for(venue_a(world)), room_for(venue_b(world), name="乙村文化室")
    login(world.users["village_a"])
    page = client.get(reverse("events:event_new")).content.decode()
    assert f'value="{mine.pk}"' in page and "乙村文化室" not in page
    r = client.post(reverse("events:event_new"), _form(world, theirs.pk, next_weekday(14)))
    assert r.status_code == 200 and not Event.objects.exists() and not Booking.objects.exists()


def test_form_books_room_shows_it_and_keeps_input_on_a_clash(world, client, login):
    room = room_for(venue_a(world))
    login(world.users["village_a"])
    start = next_weekday(14)
    r = client.post(reverse("events:event_new"), _form(world, room.pk, start))
    assert r.status_code == 302, r.content.decode()[:3000]
    event = Event.objects.get()
    body = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "文化活动室" in body and "预约已确认" in body
    sheet = client.get(reverse("events:event_sheet", args=[event.pk])).content.decode()
    assert "文化活动室" in sheet
    r = client.post(reverse("events:event_new"), _form(world, room.pk, start, title="另一个活动"))
    body = r.content.decode()
    assert r.status_code == 200 and "该时段已被预约" in body and 'value="另一个活动"' in body
    assert Event.objects.count() == 1


def test_form_needs_a_place_or_a_room(world, client, login):
    login(world.users["village_a"])
    r = client.post(reverse("events:event_new"), _form(world, "", next_weekday(14)))
    assert r.status_code == 200 and "请填写地点，或选择要预约的功能室" in r.content.decode()
    assert not Event.objects.exists()


def test_edit_form_moves_the_room(world, client, login):
    room = room_for(venue_a(world))
    event = _create(world, room)
    login(world.users["village_a"])
    page = client.get(reverse("events:event_edit", args=[event.pk])).content.decode()
    assert f'<option value="{room.pk}" selected>' in page
    start = next_weekday(17)
    r = client.post(
        reverse("events:event_edit", args=[event.pk]),
        {
            "title": event.title,
            "venue_room": room.pk,
            "place": event.place,
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": "20",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    event.refresh_from_db()
    assert (
        event.booking.starts_at == start
        and Booking.objects.filter(status=BookingStatus.APPROVED).count() == 1
    )
