"""The staff's booking list at any length (issue 16, 1): keyset pages newest start first, ties
on the start broken by the id, the status filter kept across pages, the same queries at any
depth and any size."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from lianxin.rooms.models import Audience, Booking, BookingStatus
from tests.keyset_walk import first_and_third_page_queries, pager_link, pks, walk
from tests.rooms import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("lianxin.rooms.views.BOOKING_MANAGE_PER_PAGE", 3)


def _bookings(world, days: int, *, first_day: int = 7) -> None:
    """Two rooms of village A booked at the same hour on ``days`` days: every start is tied
    across the rooms; pending and approved alternate by day."""
    venue = f.venue_a(world)
    rooms = [f.room_for(venue, name="文化活动室"), f.room_for(venue, name="书画室")]
    base = f.next_weekday(14, days_ahead=first_day)
    Booking.objects.bulk_create(
        [
            Booking(
                room=room,
                booker=world.users["resident_a"],
                group_name=f"队{d}",
                audience=Audience.GENERAL,
                starts_at=base + timedelta(days=d),
                ends_at=base + timedelta(days=d, hours=1),
                status=BookingStatus.PENDING if d % 2 else BookingStatus.APPROVED,
            )
            for d in range(days)
            for room in rooms
        ]
    )


def _expected(**filters) -> list[int]:
    rows = Booking.objects.filter(**filters)
    return [b.pk for b in sorted(rows, key=lambda b: (b.starts_at, b.pk), reverse=True)]


def test_staff_bookings_page_by_cursor_every_one_once_ties_by_id(world, client, login, small_pages):
    _bookings(world, 4)
    login(world.users["village_a"])
    url = reverse("rooms:booking_manage")
    pages = walk(client, url)
    seen = [pk for r in pages for pk in pks(r)]
    assert seen == _expected() and len(seen) == 8  # newest first, each booking once
    last = pages[-1]
    body = last.content.decode()
    assert 'data-testid="booking-manage-pager"' in body and "第 3 页" in body
    back = client.get(pager_link(last, "prev"))
    assert back.context["page_obj"].number == 2 and pks(back) == seen[3:6]
    first = client.get(pager_link(back, "prev"))
    assert pks(first) == seen[:3] and not first.context["page_obj"].has_previous


def test_the_status_filter_survives_paging(world, client, login, small_pages):
    _bookings(world, 8)
    login(world.users["village_a"])
    pages = walk(client, reverse("rooms:booking_manage") + "?status=pending")
    seen = [b for r in pages for b in r.context["page_obj"]]
    assert [b.pk for b in seen] == _expected(status=BookingStatus.PENDING) and len(seen) == 8
    assert {b.status for b in seen} == {BookingStatus.PENDING} and len(pages) == 3
    assert all(r.wsgi_request.GET["status"] == "pending" for r in pages)


def _forged(kind: str) -> str:
    """A cursor a client made up: signed with another salt, or the right shape unsigned."""
    if kind == "other-salt":
        key = ["rooms.bookings_staff", "n", 2, ["2020-01-01T00:00:00+00:00", 1]]
        return signing.dumps(key, salt="not-the-keyset")
    return {"garbled": "zzz", "long": "a" * 2000, "unsigned": "W10:1abc:xyz"}[kind]


@pytest.mark.parametrize("kind", ["other-salt", "garbled", "long", "unsigned"])
def test_a_forged_or_garbled_cursor_gives_the_first_page(world, client, login, small_pages, kind):
    _bookings(world, 3)
    login(world.users["village_a"])
    r = client.get(reverse("rooms:booking_manage") + "?cursor=" + _forged(kind))
    assert r.status_code == 200
    assert pks(r) == _expected()[:3] and r.context["page_obj"].number == 1


def test_booking_list_queries_do_not_grow_with_depth_or_rows(world, client, login, small_pages):
    _bookings(world, 5)
    login(world.users["village_a"])
    url = reverse("rooms:booking_manage")
    small = first_and_third_page_queries(client, url)
    _bookings(world, 20, first_day=30)
    large = first_and_third_page_queries(client, url)
    assert small[0] == small[1] == large[0] == large[1], (small, large)


def test_no_bookings_shows_the_empty_state_and_no_pager(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("rooms:booking_manage") + "?status=pending").content.decode()
    assert "booking-manage-pager" not in body and "暂无数据" in body
