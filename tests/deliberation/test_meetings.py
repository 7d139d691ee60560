"""Meetings: kinds and units, the room booked through rooms' service (clashes refused with its
message), agenda, invitations, QR and manual attendance, quorum, votes by the meeting's rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.deliberation import services
from lianxin.deliberation.models import (
    CheckinHow,
    MeetingKind,
    MeetingStatus,
    QuorumRule,
    TopicStatus,
    VoteRule,
)
from lianxin.deliberation.services.votes import needed_for, passes
from lianxin.rooms.models import Booking, BookingStatus
from tests.deliberation.factories import held_item, make_meeting, make_topic, project_a
from tests.rooms.factories import next_weekday, room_for
from tests.venues.factories import venue_a

pytestmark = pytest.mark.django_db


def test_topics_on_the_agenda_are_scheduled(world):
    topic = make_topic(world)
    meeting = make_meeting(world, topics=[topic])
    assert [i.topic for i in meeting.items.all()] == [topic]
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SCHEDULED
    with pytest.raises(ValidationError):
        services.agenda_add(actor=world.users["village_a"], meeting=meeting, topic=topic)


def test_owners_meeting_needs_a_property_project(world):
    with pytest.raises(ValidationError):
        make_meeting(world, kind=MeetingKind.OWNERS)
    meeting = make_meeting(world, kind=MeetingKind.OWNERS, unit=project_a(world))
    assert meeting.get_kind_display() == "业主恳谈会"


def test_only_staff_over_the_unit_convene(world):
    for name in ("village_b", "resident_a", "grid_a1", "dept"):
        with pytest.raises(PermissionDenied):
            services.meeting_create(
                actor=world.users[name],
                unit=world.village_a,
                kind=MeetingKind.BENCH,
                title="板凳会",
                starts_at=timezone.now(),
                ends_at=timezone.now() + timedelta(hours=1),
                place="广场",
            )


def test_topic_of_another_village_is_refused(world):
    other = services.topic_raise(
        actor=world.users["village_b"], title="张家村的议题", content="x", unit=world.village_b
    )
    meeting = make_meeting(world)
    with pytest.raises(ValidationError):
        services.agenda_add(actor=world.users["village_a"], meeting=meeting, topic=other)


def test_room_booked_and_clash_refused_with_the_booking_message(world):
    room = room_for(venue_a(world))
    start = next_weekday(14)
    kw = {
        "actor": world.users["village_a"],
        "unit": world.village_a,
        "kind": MeetingKind.SUNSHINE,
        "title": "阳光议事厅",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "room": room,
    }
    meeting = services.meeting_create(**kw)
    assert meeting.booking is not None and meeting.booking.room == room
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(**kw)
    assert "该时段已被预约" in str(exc.value)
    services.meeting_cancel(actor=world.users["village_a"], meeting=meeting)
    assert Booking.objects.get(pk=meeting.booking_id).status == BookingStatus.CANCELLED
    assert services.meeting_create(**kw).booking is not None  # the slot is free again


def test_invite_group_once_each(world):
    meeting = make_meeting(world)
    n = services.invite_group(
        actor=world.users["village_a"], meeting=meeting, group=world.village_a
    )
    assert n == 2  # 甲金丝雀 and 甲党员, the people registered in 东关
    assert (
        services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.grid_a1)
        == 0
    )
    with pytest.raises(ValidationError):
        services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.grid_b1)


def test_qr_checkin_token_and_window(world, clock):
    meeting = make_meeting(world, starts_in=timedelta(days=1))
    token = services.checkin_token(meeting=meeting)
    assert services.checkin_meeting_from_token(token) == meeting.pk
    with pytest.raises(ValidationError):
        services.checkin_meeting_from_token(token + "x")
    with pytest.raises(ValidationError):  # a day early
        services.meeting_checkin(actor=world.users["resident_a"], meeting=meeting)
    clock.shift(timedelta(days=1))
    row = services.meeting_checkin(actor=world.users["resident_a"], meeting=meeting)
    assert row.how == CheckinHow.QR and row.checked_in_at and not row.invited
    again = services.meeting_checkin(actor=world.users["resident_a"], meeting=meeting)
    assert again.pk == row.pk and again.checked_in_at == row.checked_in_at
    with pytest.raises(PermissionDenied):  # not of 东关
        services.meeting_checkin(actor=world.users["resident_b"], meeting=meeting)


def test_invitee_checks_in_on_their_invitation(world):
    meeting = make_meeting(world)
    services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.village_a)
    row = services.meeting_checkin(actor=world.users["party_a"], meeting=meeting)
    assert row.invited and row.person == world.persons["party_a"]
    assert services.quorum(meeting).present == 1


def test_quorum_rules():
    assert needed_for(QuorumRule.HALF, 10) == 6
    assert needed_for(QuorumRule.HALF, 9) == 5
    assert needed_for(QuorumRule.TWO_THIRDS, 9) == 6
    assert needed_for(QuorumRule.TWO_THIRDS, 10) == 7
    assert needed_for(QuorumRule.NONE, 10) == 0


def test_vote_rules():
    assert passes(VoteRule.MAJORITY, 6, 10) and not passes(VoteRule.MAJORITY, 5, 10)
    assert passes(VoteRule.TWO_THIRDS, 6, 9) and not passes(VoteRule.TWO_THIRDS, 5, 9)
    assert not passes(VoteRule.MAJORITY, 0, 0)


def test_no_vote_without_quorum(world):
    topic = make_topic(world)
    meeting = make_meeting(world, topics=[topic])
    services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.village_a)
    row = meeting.attendances.first()
    services.attendance_mark(actor=world.users["village_a"], attendance=row)
    q = services.quorum(meeting)
    assert (q.invited, q.present, q.needed, q.met) == (q.invited, 1, q.invited // 2 + 1, False)
    with pytest.raises(ValidationError) as exc:
        services.vote_record(
            actor=world.users["village_a"],
            item=meeting.items.get(),
            votes_for=1,
            votes_against=0,
            votes_abstain=0,
        )
    assert "法定人数" in str(exc.value)


def test_vote_counts_cannot_exceed_present_and_pass_by_rule(world):
    topic, meeting, item = held_item(world, votes=(2, 0, 0))
    present = services.quorum(meeting).present
    assert item.voted and item.passed and item.present_at_vote == present
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    with pytest.raises(ValidationError):
        services.vote_record(
            actor=world.users["village_a"],
            item=item,
            votes_for=present,
            votes_against=1,
            votes_abstain=0,
        )
    item = services.vote_record(
        actor=world.users["village_a"], item=item, votes_for=1, votes_against=1, votes_abstain=0
    )
    assert item.passed is (present < 2 * 1)


def test_manual_mark_is_audited_and_reversible(world):
    from lianxin.audit.models import AuditEvent

    meeting = make_meeting(world)
    services.invite_group(actor=world.users["village_a"], meeting=meeting, group=world.grid_a1)
    row = meeting.attendances.first()
    row = services.attendance_mark(actor=world.users["village_a"], attendance=row)
    assert row.how == CheckinHow.MANUAL
    assert AuditEvent.objects.filter(target_id=str(row.pk), reason="marked present").exists()
    row = services.attendance_mark(actor=world.users["village_a"], attendance=row, present=False)
    assert row.checked_in_at is None
    with pytest.raises(PermissionDenied):
        services.attendance_mark(actor=world.users["village_b"], attendance=row)


def test_cancel_puts_topics_back_to_open_and_refuses_held(world):
    topic = make_topic(world)
    meeting = make_meeting(world, topics=[topic])
    services.meeting_cancel(actor=world.users["village_a"], meeting=meeting)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.OPEN
    with pytest.raises(ValidationError):
        services.agenda_add(actor=world.users["village_a"], meeting=meeting, title="补充议程")
    _topic, held, _item = held_item(world)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=world.users["village_a"], meeting=held)


def test_topic_on_two_meetings_stays_scheduled_when_one_is_cancelled(world):
    topic = make_topic(world)
    first = make_meeting(world, topics=[topic])
    make_meeting(world, topics=[topic], starts_in=timedelta(days=3))
    services.meeting_cancel(actor=world.users["village_a"], meeting=first)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SCHEDULED
