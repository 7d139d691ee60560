"""The staff digest (每日待办) and the day-before booking reminder, with a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lianxin.cases.digest import staff_digest
from lianxin.notifications.models import Notification
from lianxin.rooms.telling import bookings_remind
from tests.cases.factories import make_case
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 18, 8, 30, tzinfo=SHANGHAI)


@pytest.mark.clock(MORNING)
def test_digest_lists_my_overdue_and_due_today(world):
    from lianxin.cases import services as s
    from lianxin.cases.models import Case

    late = make_case(world, title="井盖缺失")
    late = s.case_accept(case=late, actor=world.users["grid_a1"])
    Case.objects.filter(pk=late.pk).update(resolve_due_at=MORNING - timedelta(hours=2))
    today = make_case(world, title="垃圾未清")
    today = s.case_accept(case=today, actor=world.users["grid_a1"])
    Case.objects.filter(pk=today.pk).update(resolve_due_at=MORNING + timedelta(hours=6))
    later = make_case(world, title="树枝挡路")
    later = s.case_accept(case=later, actor=world.users["grid_a1"])
    Case.objects.filter(pk=later.pk).update(resolve_due_at=MORNING + timedelta(days=3))
    other = make_case(world, title="乙村路灯", grid=world.grid_b1, reporter="resident_b")
    Case.objects.filter(pk=other.pk).update(accept_due_at=MORNING - timedelta(hours=1))

    assert staff_digest(now=MORNING) == 2
    mine = Notification.objects.get(kind="digest", recipient=world.users["grid_a1"])
    assert mine.title == "今日待办：2026-11-18"
    assert mine.body.startswith("超时：1；今日到期：1。")
    assert late.code in mine.body and today.code in mine.body and later.code not in mine.body
    b = Notification.objects.get(kind="digest", recipient=world.users["grid_b1"])
    assert b.body.startswith("超时：1；今日到期：0。") and other.code in b.body
    assert not Notification.objects.filter(kind="digest", recipient=world.users["resident_a"])
    assert staff_digest(now=MORNING + timedelta(minutes=1)) == 0  # once a day


@pytest.mark.clock(datetime(2026, 11, 18, 7, 30, tzinfo=SHANGHAI))
def test_no_digest_before_the_hour(world):
    make_case(world)
    assert staff_digest(now=datetime(2026, 11, 18, 7, 30, tzinfo=SHANGHAI)) == 0


@pytest.mark.clock(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI))
def test_reminder_the_day_before(world):
    from lianxin.rooms.models import Audience, Booking, BookingStatus
    from tests.rooms import factories as f

    room = f.room_for(f.venue_a(world))

    def book(day, status=BookingStatus.APPROVED, who="resident_a"):
        start = datetime(2026, 11, day, 15, 0, tzinfo=SHANGHAI)
        return Booking.objects.create(
            room=room,
            booker=world.users[who],
            group_name="象棋队",
            audience=Audience.GENERAL,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=status,
        )

    tomorrow = book(19)
    book(20, who="party_a")  # the day after tomorrow: not yet
    book(19, status=BookingStatus.CANCELLED, who="party_a")
    early = datetime(2026, 11, 18, 8, 0, tzinfo=SHANGHAI)
    assert bookings_remind(now=early) == 0  # before the reminder hour
    assert bookings_remind(now=datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)) == 1
    [n] = Notification.objects.filter(kind="book_remind")
    assert n.recipient == world.users["resident_a"]
    assert "2026-11-19 15:00" in n.body
    assert bookings_remind(now=datetime(2026, 11, 18, 10, 1, tzinfo=SHANGHAI)) == 0
    assert tomorrow.pk
