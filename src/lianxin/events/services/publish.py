"""Writes on events: publishing (with the room booking), changing and cancelling them.

Rules enforced here (each cites its mechanism):
- An event is published by staff over its unit, starting no earlier than yesterday (a typo in
  the year is refused here, not only on the form).
- An event naming a room books it through the room booking service in the event's own
  transaction: a taken slot, a slot outside the room's hours or a 错时 rule refuses the whole
  event with the booking message, so nothing is half-created. Cancelling or moving the event
  cancels or re-books that booking.
- Raising the capacity promotes people from the waiting list in order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.idempotency import create_once
from lianxin.events.models import (
    Audience,
    Event,
    EventKind,
    EventStatus,
    Registration,
    RegistrationStatus,
    ServiceItem,
    SessionKind,
    TrainingProgramme,
)
from lianxin.events.services.common import require_staff_over as _require_staff_over
from lianxin.events.telling import tell_cancelled, tell_changed, tell_promoted
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope
from lianxin.rooms import services as room_services
from lianxin.rooms.models import Audience as RoomAudience
from lianxin.rooms.models import Booking, BookingStatus, Room
from lianxin.volunteers.models import (
    ModelPost,
    Team,
)

if TYPE_CHECKING:
    pass

# ============================================================================ room booking (rooms)
# Who an event is for, in the rooms app's terms (错时利用 rules reserve windows for one group).
ROOM_AUDIENCE: dict[str, str] = {
    Audience.ALL: RoomAudience.GENERAL,
    Audience.PARTY_MEMBERS: RoomAudience.PARTY,
    Audience.VOLUNTEERS: RoomAudience.VOLUNTEERS,
    Audience.STAFF: RoomAudience.MEETING,
}
LIVE_BOOKING = (BookingStatus.PENDING, BookingStatus.APPROVED)
EARLIEST_START = timedelta(days=1)  # event_create: no start earlier than yesterday
KEEP_ROOM = object()  # event_update: leave the event's room as it is


def _check_room(actor, room: Room, capacity: int | None) -> None:
    """The organiser may only book bookable rooms of venues in their own subtree."""
    if not room.is_bookable:
        raise ValidationError({"venue_room": _("该功能室暂不开放预约。")})
    if not user_scope(actor).covers(room.venue.unit):
        raise PermissionDenied("events.manage_event")
    if capacity is not None and capacity > room.capacity:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "名额超过了该功能室的容纳人数（%(n)d 人）。",
                    "名额超过了该功能室的容纳人数（%(n)d 人）。",
                    room.capacity,
                )
                % {"n": room.capacity}
            }
        )


def _room_book(*, actor: User, event: Event, request=None) -> Booking:
    """Book the event's room for its time as a group booking by the organiser. The booking
    service refuses a taken slot or one outside the room's hours or rules with its own message;
    the exception propagates so the caller's transaction rolls the event back too."""
    room = event.venue_room
    assert room is not None  # only called for an event with a room
    try:
        booking = room_services.booking_create(
            actor=actor,
            room=room,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            group_name=event.title[:60],
            audience=ROOM_AUDIENCE.get(event.audience, RoomAudience.GENERAL),
            purpose=event.title,
            attendees=event.capacity or room.capacity,
            request=request,
        )
    except ValidationError as exc:
        # The booking form's field names mean nothing on the event form: report them on the room.
        raise ValidationError({"venue_room": exc.messages}) from exc
    event.booking = booking
    return booking


def _room_release(*, actor: User, event: Event) -> None:
    """Cancel the event's live booking, if any (before it starts; a started one stays). The
    event keeps pointing at the cancelled booking until a new one replaces it."""
    booking = event.booking
    if booking is None:
        return
    booking = Booking.objects.get(pk=booking.pk)
    if booking.status not in LIVE_BOOKING or booking.starts_at <= timezone.now():
        return
    try:
        room_services.booking_cancel(actor=actor, booking=booking)
    except PermissionDenied as exc:
        raise ValidationError(_("您无权取消该功能室预约，请联系预约人或阵地管理员。")) from exc


def _place_and_room(*, place: str, room_text: str, venue_room: Room | None) -> tuple[str, str]:
    place, room_text = (place or "").strip(), (room_text or "").strip()
    if venue_room is not None:
        return place or venue_room.venue.name, venue_room.name
    return place, room_text


# ============================================================================ events
@transaction.atomic
def event_create(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | None = None,
    audience: str = Audience.ALL,
    room: str = "",
    venue_room: Room | None = None,
    description: str = "",
    programme: TrainingProgramme | None = None,
    session_kind: str = "",
    team: Team | None = None,
    post: ModelPost | None = None,
    hours: Decimal = Decimal("0"),
    service_items: list[str] | None = None,
    form_token: str = "",
    request=None,
) -> Event:
    """Publish an event (booking its room when one is chosen): staff over the unit, a known kind,
    a start no earlier than yesterday, a title and a place (or a room). The same ``form_token`` again
    (a double tap, a resubmitted page) returns the first event: one per submitted form."""
    _require_staff_over(actor, unit, "events.manage_event")
    if starts_at < timezone.now() - EARLIEST_START:
        # A start more than a day ago is a typo (a wrong year or month), not a late entry.
        raise ValidationError({"starts_at": _("开始时间不能早于昨天。")})
    if kind not in EventKind.values:
        raise ValidationError({"kind": _("请选择活动类型。")})
    place, room = _place_and_room(place=place, room_text=room, venue_room=venue_room)
    if not title.strip() or not place:
        raise ValidationError(_("请填写活动名称和地点（或选择功能室）。"))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
    if capacity is not None and capacity <= 0:
        raise ValidationError({"capacity": _("名额必须大于 0，不限名额请留空。")})
    if session_kind and session_kind not in SessionKind.values:
        raise ValidationError({"session_kind": _("请选择课程形式。")})
    if programme is not None and kind != EventKind.TRAINING:
        raise ValidationError(_("只有培训活动可以归入培训项目。"))
    for linked in (programme, team, post):
        if linked is not None and not user_scope(actor).covers(linked.unit):
            raise PermissionDenied("events.manage_event")
    names = [n.strip() for n in (service_items or []) if n.strip()]
    if names and kind != EventKind.SERVICE_DAY:
        raise ValidationError(_("只有便民服务日可以设置服务项目。"))

    def create(token: str | None) -> Event:
        if venue_room is not None:
            _check_room(actor, venue_room, capacity)
        event = Event.objects.create(
            unit=unit,
            kind=kind,
            title=title.strip(),
            place=place,
            room=room,
            venue_room=venue_room,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            audience=audience,
            description=description,
            programme=programme,
            session_kind=session_kind,
            team=team,
            post=post,
            hours=hours,
            organiser=actor,
            form_token=token,
        )
        if venue_room is not None:
            _room_book(actor=actor, event=event, request=request)
            event.save(update_fields=["booking", "updated_at"])
        ServiceItem.objects.bulk_create(
            [ServiceItem(event=event, name=n[:40]) for n in dict.fromkeys(names)]
        )
        audit_record(action=AuditAction.CREATE, actor=actor, target=event, request=request)
        return event

    return create_once(Event, form_token=form_token, create=create)[0]


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: Event,
    title: str,
    place: str,
    room: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int | None,
    description: str = "",
    venue_room: Room | None | object = KEEP_ROOM,
    request=None,
) -> list[Registration]:
    """Change an event's details. Raising the capacity (or removing it) promotes people from
    the waiting list in order; it may not drop below the people already confirmed. A new
    room or time moves the room booking: the old one is cancelled and the new one booked in
    this transaction, so a refused move leaves the old booking in place.

    Returns the registrations promoted."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_staff_over(actor, event.unit, "events.manage_event")
    if event.status != EventStatus.OPEN:
        raise ValidationError(_("已取消或已结束的活动不能修改。"))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("结束时间必须晚于开始时间。")})
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if capacity is not None and capacity < confirmed:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "已有 %(n)d 人报名，名额不能少于此数。",
                    "已有 %(n)d 人报名，名额不能少于此数。",
                    confirmed,
                )
                % {"n": confirmed}
            }
        )
    new_room = event.venue_room if venue_room is KEEP_ROOM else cast("Room | None", venue_room)
    place, room = _place_and_room(place=place, room_text=room, venue_room=new_room)
    if not title.strip() or not place:
        raise ValidationError(_("请填写活动名称和地点（或选择功能室）。"))
    if new_room is not None:
        if new_room.pk != event.venue_room_id:
            _check_room(actor, new_room, capacity)
        elif capacity is not None and capacity > new_room.capacity:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "名额超过了该功能室的容纳人数（%(n)d 人）。",
                        "名额超过了该功能室的容纳人数（%(n)d 人）。",
                        new_room.capacity,
                    )
                    % {"n": new_room.capacity}
                }
            )
    moved = (
        (new_room.pk if new_room else None) != event.venue_room_id
        or starts_at != event.starts_at
        or ends_at != event.ends_at
    )
    relocated = moved or (place, room) != (event.place, event.room)
    event.title, event.place, event.room, event.venue_room = title.strip(), place, room, new_room
    event.starts_at, event.ends_at, event.capacity, event.description = (
        starts_at,
        ends_at,
        capacity,
        description,
    )
    if moved:
        _room_release(actor=actor, event=event)
        event.booking = None
        if new_room is not None:
            _room_book(actor=actor, event=event, request=request)
    event.save(
        update_fields=[
            "title",
            "place",
            "room",
            "venue_room",
            "booking",
            "starts_at",
            "ends_at",
            "capacity",
            "description",
            "updated_at",
        ]
    )
    free = None if capacity is None else capacity - confirmed
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "id")
    )
    promoted = list(waiting if free is None else waiting[:free])
    for reg in promoted:
        reg.status = RegistrationStatus.CONFIRMED
        reg.save(update_fields=["status", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=event,
        request=request,
        extra={"promoted": len(promoted)},
    )
    if relocated:
        tell_changed(event)
    tell_promoted(event, promoted)
    return promoted


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str, request=None) -> Event:
    """Cancel an event: staff over its unit, with a reason; its live room booking is cancelled in
    the same transaction. Locked, audited."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_staff_over(actor, event.unit, "events.manage_event")
    if len((reason or "").strip()) < 2:
        raise ValidationError(_("请填写取消原因。"))
    _room_release(actor=actor, event=event)
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "booking", "updated_at"])
    tell_cancelled(event, reason)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=event, reason=reason, request=request
    )
    return event
