"""Room and booking pages: booking on the phone, approval and check-in, the door poster, the
.ics feed, the booking API and the no-show sweep command."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from lianxin.rooms.models import Booking, BookingStatus
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db


def test_resident_books_on_the_phone_and_second_booking_is_refused(world, client, login):
    room = f.room_for(f.venue_a(world))
    start = f.next_weekday(14)
    form = {
        "day": start.date().isoformat(),
        "start": "14:00",
        "hours": "1",
        "group_name": "象棋队",
        "audience": "general",
        "attendees": "6",
        "token": "abc",
    }
    login(world.users["resident_a"])
    url = reverse("rooms:room_book", args=[room.pk])
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302  # same form token: no second booking
    assert Booking.objects.count() == 1
    login(world.users["party_a"])
    response = client.post(url, {**form, "token": "other"})
    assert response.status_code == 422 and "已被预约" in response.content.decode()
    assert Booking.objects.count() == 1
    slots = client.get(
        url + f"?day={start.date().isoformat()}", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "已约满" in slots and "<html" not in slots


def test_staff_approve_and_check_in_page(world, client, login):
    room = f.room_for(f.venue_a(world), requires_approval=True)
    booking = f.booking_for(room, world.users["resident_a"], status=BookingStatus.PENDING)
    login(world.users["village_a"])
    assert "甲阵地舞蹈队" in client.get(reverse("rooms:booking_manage")).content.decode()
    client.post(reverse("rooms:booking_decide", args=[booking.pk]), {"approve": "1"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED
    login(world.users["resident_a"])
    response = client.post(reverse("rooms:room_checkin", args=[room.pk]))
    assert response.status_code == 422  # not yet time
    door = client.get(reverse("rooms:room_door", args=[room.pk]))
    assert door.status_code == 403  # the door poster is for staff


def test_room_door_poster_has_qr(world, client, login):
    room = f.room_for(f.venue_a(world))
    login(world.users["village_a"])
    html = client.get(reverse("rooms:room_door", args=[room.pk])).content.decode()
    assert "<svg" in html and reverse("rooms:room_checkin", args=[room.pk]) in html


def test_ics_feed_needs_the_token_and_hides_the_booker(world, client):
    room = f.room_for(f.venue_a(world))
    f.booking_for(room, world.users["resident_a"])
    response = client.get(reverse("rooms:room_ics", args=[room.pk, room.feed_token]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "甲阵地舞蹈队" in body
    assert "甲居民" not in body and "13900000001" not in body
    assert client.get(reverse("rooms:room_ics", args=[room.pk, "wrong"])).status_code == 404


def test_api_venues_and_booking(world, client, login):
    room = f.room_for(f.venue_a(world))
    login(world.users["town_a"])
    data = client.get("/api/v1/venues/venues").json()
    assert [v["name"] for v in data] == ["东关社区党群服务中心"]
    assert data[0]["service_share"] == pytest.approx(0.6)
    login(world.users["resident_a"])
    start = f.next_weekday(10)
    payload = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "group_name": "书法班",
        "audience": "general",
    }
    url = f"/api/v1/venues/rooms/{room.pk}/bookings"
    assert client.post(url, payload, content_type="application/json").status_code == 201
    assert client.post(url, payload, content_type="application/json").status_code == 409
    slots = client.get(
        f"/api/v1/venues/rooms/{room.pk}/slots?day={start.date().isoformat()}"
    ).json()
    assert sum(s["held"] for s in slots) == 1


def test_sweep_command_marks_no_shows(world):
    from django.core.management import call_command

    room = f.room_for(f.venue_a(world))
    booking = f.booking_for(room, world.users["resident_a"])
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=booking.starts_at - timedelta(days=30),
        ends_at=booking.ends_at - timedelta(days=30),
    )
    call_command("venues_sweep")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
