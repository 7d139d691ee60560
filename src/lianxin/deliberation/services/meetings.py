"""Writes on 议事会议: convening one (with its room booked), the agenda, invitations, cancelling.

Rules enforced here:
- A meeting is convened by village/town/county staff over its unit (``convene_meeting``); a
  业主恳谈会 is a property project's meeting, so its unit must be a 物业项目.
- A meeting in a room books it through the room booking service (``rooms.services
  .booking_create``) in the meeting's own transaction: a taken slot, a slot outside the room's
  hours or a 错时 rule refuses the whole meeting with the booking service's message. Cancelling
  the meeting cancels its booking.
- An agenda item's topic belongs to the meeting's village; listing it puts the topic on the
  agenda (已列入议程).
- Invitations go to people of the meeting's village, one by one or as a group (everyone
  registered under a grid, a property project or the village), once each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.deliberation.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QuorumRule,
    Topic,
    TopicStatus,
    VoteRule,
)
from lianxin.deliberation.services.common import clean_text, require, village_of
from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import under_q, user_scope
from lianxin.people.models import Person
from lianxin.rooms import services as room_services
from lianxin.rooms.models import Audience as RoomAudience
from lianxin.rooms.models import Booking, BookingStatus, Room

if TYPE_CHECKING:
    from lianxin.accounts.models import User

GROUP_LIMIT = 500  # one group invitation at most (a big village's 村民代表 are far fewer)


def _book(*, actor: User, meeting: Meeting, room: Room, request=None) -> Booking:
    if not user_scope(actor).covers(room.venue.unit):
        raise PermissionDenied("deliberation.convene_meeting")
    try:
        return room_services.booking_create(
            actor=actor,
            room=room,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            group_name=meeting.title[:60],
            audience=RoomAudience.MEETING,
            purpose=meeting.get_kind_display(),
            attendees=room.capacity,
            request=request,
        )
    except ValidationError as exc:
        # The booking form's field names mean nothing on the meeting form: report them on the room.
        raise ValidationError({"room": exc.messages}) from exc


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    room: Room | None = None,
    quorum_rule: str = QuorumRule.HALF,
    vote_rule: str = VoteRule.MAJORITY,
    host: str = "",
    recorder: str = "",
    topics: Sequence[Topic] = (),
    request: HttpRequest | None = None,
) -> Meeting:
    """Convene a meeting of ``unit`` (see the module rules); its topics become agenda items."""
    require(actor, "deliberation.convene_meeting", unit)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("请选择会议类型。")})
    if kind == MeetingKind.OWNERS and unit.kind != UnitKind.PROPERTY_PROJECT:
        raise ValidationError({"unit": _("业主恳谈会须由物业项目召开，请选择物业项目。")})
    if quorum_rule not in QuorumRule.values or vote_rule not in VoteRule.values:
        raise ValidationError(_("请选择法定人数和表决规则。"))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间须晚于开始时间。")})
    if room is None and not (place or "").strip():
        raise ValidationError({"place": _("请填写地点，或选择功能室。")})
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        title=clean_text(title, _("会议名称"), 100),
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or (room.venue.name if room else "")).strip()[:100],
        room=room,
        quorum_rule=quorum_rule,
        vote_rule=vote_rule,
        host=(host or "").strip()[:50],
        recorder=(recorder or "").strip()[:50],
        convened_by=actor,
    )
    if room is not None:
        meeting.booking = _book(actor=actor, meeting=meeting, room=room, request=request)
        meeting.save(update_fields=["booking"])
    for topic in topics:
        agenda_add(actor=actor, meeting=meeting, topic=topic)
    audit_record(action=AuditAction.CREATE, actor=actor, target=meeting, request=request)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update(of=("self",)).select_related("unit").get(pk=meeting.pk)


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, request: HttpRequest | None = None) -> Meeting:
    """Cancel a meeting not yet held; its room booking is cancelled and its topics go back to
    open (unless another meeting lists them)."""
    meeting = _lock(meeting)
    require(actor, "deliberation.convene_meeting", meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("只有尚未召开的会议可以取消。"))
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    booking = meeting.booking
    held = (BookingStatus.PENDING, BookingStatus.APPROVED)
    if booking is not None and booking.status in held and booking.starts_at > timezone.now():
        room_services.booking_cancel(actor=actor, booking=booking)
    for item in meeting.items.select_related("topic"):
        topic = item.topic
        if topic is None or topic.status != TopicStatus.SCHEDULED:
            continue
        live = topic.agenda_items.exclude(meeting=meeting).exclude(
            meeting__status=MeetingStatus.CANCELLED
        )
        if not live.exists():
            Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.OPEN)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=meeting, reason="cancelled", request=request
    )
    return meeting


def topic_fits(meeting: Meeting, topic: Topic) -> bool:
    """A topic may be on the agenda of a meeting of its own village (or of a unit in it)."""
    village = village_of(meeting.unit)
    return topic.unit.is_under(village) or village.is_under(topic.unit)


@transaction.atomic
def agenda_add(
    *,
    actor: User,
    meeting: Meeting,
    topic: Topic | None = None,
    title: str = "",
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Add an item (a topic of the meeting's village, or a titled item) to the agenda."""
    meeting = _lock(meeting)
    require(actor, "deliberation.convene_meeting", meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if topic is not None:
        if not topic_fits(meeting, topic):
            raise ValidationError({"topic": _("该议题不属于本会议所在的村（社区）。")})
        if topic.status == TopicStatus.CLOSED:
            raise ValidationError({"topic": _("该议题已办结。")})
        if meeting.items.filter(topic=topic).exists():
            raise ValidationError({"topic": _("该议题已在议程中。")})
        title = title or topic.title
    last = meeting.items.aggregate(n=Max("order"))["n"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, order=last + 1, topic=topic, title=clean_text(title, _("议程"), 100)
    )
    if topic is not None and topic.status == TopicStatus.OPEN:
        Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.SCHEDULED)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=meeting, reason="agenda", request=request
    )
    return item


def _invite(meeting: Meeting, people: Iterable[Person]) -> int:
    have = set(meeting.attendances.filter(person__isnull=False).values_list("person_id", flat=True))
    have_users = set(
        meeting.attendances.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    rows = []
    for p in people:
        if p.pk in have or (p.user_id and p.user_id in have_users):
            continue
        have.add(p.pk)
        if p.user_id:
            have_users.add(p.user_id)
        rows.append(Attendance(meeting=meeting, person=p, user_id=p.user_id, name=p.name[:50]))
    Attendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def invite_people(
    *,
    actor: User,
    meeting: Meeting,
    people: Sequence[Person],
    request: HttpRequest | None = None,
) -> int:
    """Invite people of the meeting's village one by one; each once. Returns how many were new."""
    meeting = _lock(meeting)
    require(actor, "deliberation.convene_meeting", meeting)
    village = village_of(meeting.unit)
    if any(not p.unit.is_under(village) for p in people):
        raise ValidationError(_("只能邀请本村（社区）的人员。"))
    n = _invite(meeting, people)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=meeting,
        reason="invited",
        extra={"n": n},
        request=request,
    )
    return n


@transaction.atomic
def invite_group(
    *, actor: User, meeting: Meeting, group: Unit, request: HttpRequest | None = None
) -> int:
    """Invite everyone registered under ``group`` (a grid, a property project, the village
    itself), at most ``GROUP_LIMIT`` people; each once."""
    meeting = _lock(meeting)
    require(actor, "deliberation.convene_meeting", meeting)
    village = village_of(meeting.unit)
    if not group.is_under(village):
        raise ValidationError({"group": _("只能邀请本村（社区）的网格或小区。")})
    people = list(
        Person.objects.filter(under_q(group, ("unit",)))
        .select_related("unit")
        .order_by("id")[: GROUP_LIMIT + 1]
    )
    if len(people) > GROUP_LIMIT:
        raise ValidationError(
            ngettext(
                "一次最多邀请 %(n)d 人，请按网格分批邀请。",
                "一次最多邀请 %(n)d 人，请按网格分批邀请。",
                GROUP_LIMIT,
            )
            % {"n": GROUP_LIMIT}
        )
    n = _invite(meeting, people)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=meeting,
        reason="invited group",
        extra={"n": n, "group": group.code},
        request=request,
    )
    return n
