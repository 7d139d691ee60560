"""The bookings API: the same services and scoping as the 预约 pages (suite pinned by tests/clock.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lianxin.rooms.models import Booking, BookingSlot, BookingStatus
from tests.api_contract import api_contract  # noqa: F401
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db

API = "/api/v1/venues"


def _room(world, **fields):
    return f.room_for(f.venue_a(world), **fields)


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_booking_detail_for_the_booker_and_the_staff_over_the_venue(world, client, login):
    booking = f.booking_for(_room(world), world.users["resident_a"])
    url = f"{API}/bookings/{booking.pk}"
    for who in ("resident_a", "town_a", "village_a", "county_admin"):
        login(world.users[who])
        r = client.get(url)
        assert r.status_code == 200, who
        data = r.json()
        assert data["status"] == "approved" and data["room"] == "文化活动室"
        assert data["booker_masked"] == "甲**"  # 甲居民, as on the management page
    for who in ("town_b", "village_b", "resident_b", "dept"):
        login(world.users[who])
        assert client.get(url).status_code == 404, who


def test_staff_list_is_their_venues_only(world, client, login):
    f.booking_for(_room(world), world.users["resident_a"], status=BookingStatus.PENDING)
    login(world.users["town_a"])
    rows = client.get(f"{API}/bookings/manage?status=pending").json()
    assert [r["group_name"] for r in rows] == [f.CANARY_GROUP_A]
    assert client.get(f"{API}/bookings/manage?status=approved").json() == []
    login(world.users["town_b"])
    assert client.get(f"{API}/bookings/manage").json() == []
    login(world.users["resident_a"])
    assert client.get(f"{API}/bookings/manage").status_code == 403
    login(world.users["town_a"])
    assert client.get(f"{API}/bookings/manage?limit=201").status_code == 422


def test_the_booker_cancels_and_the_slot_is_free_again(world, client, login):
    booking = f.booking_for(_room(world), world.users["resident_a"])
    login(world.users["resident_b"])
    assert _post(client, f"{API}/bookings/{booking.pk}/cancel").status_code == 404
    login(world.users["resident_a"])
    r = _post(client, f"{API}/bookings/{booking.pk}/cancel")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert not BookingSlot.objects.filter(booking=booking).exists()
    r = _post(client, f"{API}/bookings/{booking.pk}/cancel")
    assert r.status_code == 409  # 该预约已不能取消


def test_staff_over_the_venue_cancel_for_the_booker(world, client, login):
    booking = f.booking_for(_room(world), world.users["resident_a"])
    login(world.users["village_b"])
    assert _post(client, f"{API}/bookings/{booking.pk}/cancel").status_code == 404
    login(world.users["village_a"])
    assert _post(client, f"{API}/bookings/{booking.pk}/cancel").json()["status"] == "cancelled"


def test_approve_a_pending_booking(world, client, login):
    booking = f.booking_for(_room(world), world.users["resident_a"], status=BookingStatus.PENDING)
    url = f"{API}/bookings/{booking.pk}/approve"
    login(world.users["resident_a"])  # the booker may not approve their own booking
    assert _post(client, url).status_code == 403
    login(world.users["town_b"])
    assert _post(client, url).status_code == 404
    login(world.users["village_a"])
    r = _post(client, url)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    booking.refresh_from_db()
    assert booking.decided_by == world.users["village_a"]
    assert _post(client, url).status_code == 409  # 只有待审批的预约可以审批


def test_refuse_frees_the_slots_and_keeps_the_reason(world, client, login):
    from lianxin.audit.models import AuditEvent

    booking = f.booking_for(_room(world), world.users["resident_a"], status=BookingStatus.PENDING)
    url = f"{API}/bookings/{booking.pk}/refuse"
    login(world.users["resident_b"])
    assert _post(client, url, {"reason": "x"}).status_code == 403
    login(world.users["village_a"])
    assert _post(client, url, {"reason": "x" * 201}).status_code == 422
    r = _post(client, url, {"reason": "当天检修"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert not BookingSlot.objects.filter(booking=booking).exists()
    assert AuditEvent.objects.filter(reason__contains="当天检修").exists()


def test_no_show_only_after_the_start(world, client, login, clock):
    booking = f.booking_for(_room(world), world.users["resident_a"])
    url = f"{API}/bookings/{booking.pk}/no-show"
    login(world.users["resident_a"])
    assert _post(client, url).status_code == 403
    login(world.users["village_a"])
    assert _post(client, url).status_code == 409  # not started yet
    clock.move_to(booking.starts_at + timedelta(minutes=30))
    login(world.users["village_a"])  # a week on: the idle session has ended
    r = _post(client, url)
    assert r.status_code == 200 and r.json()["status"] == "no_show"


def test_book_refusals_are_declared_statuses(world, client, login):
    room = _room(world)
    login(world.users["resident_a"])
    url = f"{API}/rooms/{room.pk}/bookings"
    assert _post(client, url, {"starts_at": "not a time"}).status_code == 422
    start = f.next_weekday(10)
    body = {
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "group_name": "书法班",
        "audience": "general",
        "client_token": "tok-1",
    }
    first = _post(client, url, body)
    again = _post(client, url, body)  # the same token: the same booking, not a second one
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Booking.objects.filter(booker=world.users["resident_a"]).count() == 1
    login(world.users["resident_b"])
    assert _post(client, url, body).status_code == 404  # town A's room is not theirs to book


def test_openapi_declares_the_error_responses(world, client, login):
    login(world.users["town_a"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    op = paths["/api/v1/venues/bookings/{pk}/approve"]["post"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(op["responses"])
    refuse = paths["/api/v1/venues/bookings/{pk}/refuse"]["post"]
    assert "reason" in refuse["requestBody"]["content"]["application/json"]["schema"]["properties"]


def test_error_bodies_carry_machine_codes_and_chinese(world, client, login):
    booking = f.booking_for(_room(world), world.users["resident_a"])
    login(world.users["resident_a"])
    denied = _post(client, f"{API}/bookings/{booking.pk}/approve")
    assert denied.status_code == 403 and denied.json()["code"] == "permission_denied"
    login(world.users["town_b"])
    missing = client.get(f"{API}/bookings/{booking.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    login(world.users["village_a"])
    refused = _post(client, f"{API}/bookings/{booking.pk}/approve")
    assert refused.json() == {"code": "conflict", "detail": "只有待审批的预约可以审批。"}
    bad = _post(client, f"{API}/bookings/{booking.pk}/refuse", {"reason": 5})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    assert bad.json()["errors"][0]["loc"] == ["body", "reason"]
