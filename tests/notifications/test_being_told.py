"""Each event notifies the right person, and nobody else (issue 15, "being told")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.cases import services as s
from lianxin.notifications.models import Notification
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def told(world, kind):
    """The world's user keys that hold a notice of ``kind``."""
    ids = set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))
    return {name for name, u in world.users.items() if u.pk in ids}


# --- requests -----------------------------------------------------------------------------


def test_request_accepted_tells_the_reporter(world):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    assert told(world, "case_accept") == {"resident_a"}
    n = Notification.objects.get(kind="case_accept")
    assert "路灯不亮" in n.title and n.url == f"/cases/t/{case.code}/"
    with pytest.raises(s.CaseError):  # a repeat accept changes nothing and tells nobody
        s.case_accept(case=case, actor=world.users["grid_a1"])
    assert Notification.objects.filter(kind="case_accept").count() == 1


def test_handler_changed_after_acceptance_only(world):
    case = make_case(world)
    s.case_dispatch(case=case, actor=world.users["town_a"], to_unit=world.grid_a2)
    assert told(world, "case_handler") == set()  # routing before anyone signed: internal
    case = s.case_accept(case=case, actor=world.users["village_a"])
    s.case_transfer(
        case=case, actor=world.users["village_a"], to_unit=world.department, reason="属住建"
    )
    assert told(world, "case_handler") == {"resident_a"}
    assert "县住建局" in Notification.objects.get(kind="case_handler").body


def test_resolved_links_to_the_rating(world):
    case = make_case(world)
    case = s.case_accept(case=case, actor=world.users["grid_a1"])
    s.case_resolve(case=case, actor=world.users["grid_a1"], resolution="已更换灯泡")
    assert told(world, "case_done") == {"resident_a"}
    assert Notification.objects.get(kind="case_done").url == f"/cases/t/{case.code}/evaluate/"


def test_reopened_tells_the_reporter_and_the_queue(world):
    case = make_case(world)
    case = s.case_accept(case=case, actor=world.users["grid_a1"])
    case = s.case_resolve(case=case, actor=world.users["grid_a1"], resolution="已更换灯泡")
    Notification.objects.all().delete()
    s.case_reopen(case=case, actor=world.users["town_a"], reason="群众反映仍不亮")
    assert told(world, "case_reopen") == {"resident_a"}
    assert "grid_a1" in told(world, "assigned")  # the handling unit's queue, as before


# --- wishes -------------------------------------------------------------------------------


def _resident_wish(world):
    from lianxin.wishes import services as ws
    from lianxin.wishes.models import WishCategory

    return ws.wish_post(
        actor=world.users["resident_a"],
        unit=world.grid_a1,
        title="想要一台收音机",
        category=WishCategory.DAILY,
    )


def test_wish_published_claimed_lit_tell_the_wisher(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from lianxin.wishes import services as ws
    from lianxin.wishes.models import ClaimantKind
    from tests.wishes.factories import jpeg_upload

    wish = _resident_wish(world)
    wish = ws.wish_publish(actor=world.users["village_a"], wish=wish)
    assert told(world, "wish_pub") == {"resident_a"}
    wish = ws.wish_claim(actor=world.users["party_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    assert told(world, "wish_claim") == {"resident_a"}
    assert "甲党员" in Notification.objects.get(kind="wish_claim").body
    ws.wish_light(actor=world.users["party_a"], wish=wish, photo=jpeg_upload())
    assert told(world, "wish_lit") == {"resident_a"}


def test_a_clerk_is_not_told_what_they_did(world):
    from tests.wishes.factories import make_wish

    make_wish(world, "published")  # posted and published by village_a for an elder
    assert told(world, "wish_pub") == set()


# --- bookings -----------------------------------------------------------------------------


def _pending_booking(world):
    from lianxin.rooms import services as rs
    from lianxin.rooms.models import Audience
    from tests.rooms import factories as f

    room = f.room_for(f.venue_a(world), requires_approval=True)
    start = f.next_weekday(14)
    return rs.booking_create(
        actor=world.users["resident_a"],
        room=room,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        group_name="象棋队",
        audience=Audience.GENERAL,
    )


def test_booking_approved_and_refused_tell_the_booker(world):
    from lianxin.rooms import services as rs

    booking = _pending_booking(world)
    rs.booking_decide(actor=world.users["village_a"], booking=booking, approve=True)
    assert told(world, "book_ok") == {"resident_a"}
    assert told(world, "book_refused") == set()
    Notification.objects.all().delete()
    rs.booking_cancel(actor=world.users["village_a"], booking=booking)
    assert told(world, "book_cancel") == {"resident_a"}


def test_refused_and_own_cancel(world):
    from lianxin.rooms import services as rs

    booking = _pending_booking(world)
    rs.booking_decide(actor=world.users["village_a"], booking=booking, approve=False)
    assert told(world, "book_refused") == {"resident_a"}
    booking = _pending_booking(world)
    rs.booking_cancel(actor=world.users["resident_a"], booking=booking)
    assert told(world, "book_cancel") == set()  # their own cancellation is no news


# --- events -------------------------------------------------------------------------------


def test_waiting_list_promotion_tells_the_promoted(world):
    from lianxin.events import services as es
    from tests.events.factories import make_event

    event = make_event(world, capacity=1)
    first = es.registration_create(actor=world.users["party_a"], event=event)
    es.registration_create(actor=world.users["resident_a"], event=event)  # waiting
    es.registration_cancel(actor=world.users["party_a"], registration=first)
    assert told(world, "promoted") == {"resident_a"}


def test_event_changed_and_cancelled_tell_everyone_signed_up(world):
    from lianxin.events import services as es
    from tests.events.factories import make_event

    event = make_event(world)
    es.registration_create(actor=world.users["resident_a"], event=event)
    es.registration_create(actor=world.users["party_a"], event=event)
    start = event.starts_at + timedelta(days=1)
    kw = dict(
        title=event.title, room=event.room, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    es.event_update(
        actor=world.users["village_a"], event=event, place=event.place, capacity=None, **kw
    )
    assert told(world, "event_change") == {"resident_a", "party_a"}
    es.event_cancel(actor=world.users["village_a"], event=event, reason="大风预警")
    assert told(world, "event_cancel") == {"resident_a", "party_a"}
    assert "大风预警" in Notification.objects.filter(kind="event_cancel").first().body


def test_an_edit_that_moves_nothing_tells_nobody(world):
    from lianxin.events import services as es
    from tests.events.factories import make_event

    event = make_event(world)
    es.registration_create(actor=world.users["resident_a"], event=event)
    es.event_update(
        actor=world.users["village_a"],
        event=event,
        title="东关社区村晚（新节目）",
        place=event.place,
        room=event.room,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=None,
    )
    assert told(world, "event_change") == set()


# --- staff warnings (the deadline sweep already tells them; it now reaches every channel) -----


def test_deadline_warning_and_supervision_reach_staff(world):
    from lianxin.cases.sweep import deadline_sweep

    case = make_case(world)
    deadline_sweep(now=case.accept_due_at - timedelta(minutes=30))
    assert "grid_a1" in told(world, "warning")
    deadline_sweep(now=case.accept_due_at + timedelta(minutes=1))
    assert "grid_a1" in told(world, "supervise") and "resident_a" not in told(world, "supervise")
    assert timezone.now()  # (the clock is pinned for this suite)


def test_the_notices_read_in_the_readers_language(world):
    from django.utils import translation

    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    n = Notification.objects.get(kind="case_accept")
    with translation.override("en"):
        assert n.shown_title == "Your request has been accepted: 路灯不亮"
        assert n.shown_body.startswith("Accepted by ")
    assert n.shown_title == "您的诉求已受理：路灯不亮"
