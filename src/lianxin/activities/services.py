"""Writes on events, training, teams, posts, hours and points, brands and proposals.

Rules enforced here (each cites its mechanism):
- Sign-up respects capacity under concurrency: the event row is locked, then its confirmed
  registrations counted; a full event puts people on the waiting list, and a cancellation
  promotes the first person waiting (Ruiling's 便民服务日 and Wushan's classes fill up).
- Check-in at the door is a signed token in a QR code; only a confirmed registration (or a
  walk-in while places remain) is checked in, once.
- Hours and points: one source (a registration, a wish) gives one ServiceRecord — a unique
  constraint on (source_kind, source_id) — so nothing is counted twice.
- 党建品牌 are approved and reviewed at the level above the applying organisation.
- An event naming a venues room books it through ``lianxin.venues.services.booking_create``
  in the event's own transaction: a taken slot, a slot outside the room's hours or a 错时
  rule refuses the whole event with the venues message, so nothing is half-created.
  Cancelling or moving the event cancels or re-books that booking.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.activities.models import (
    Audience,
    BrandProject,
    BrandRating,
    BrandReview,
    BrandStatus,
    Event,
    EventKind,
    EventStatus,
    ModelPost,
    PointRule,
    Proposal,
    ProposalStatus,
    QueueTicket,
    RecordStatus,
    Registration,
    RegistrationStatus,
    ResponsibilityArea,
    ServiceItem,
    ServiceRecord,
    SessionKind,
    SourceKind,
    Team,
    TeamKind,
    TeamMember,
    TrainingProgramme,
)
from lianxin.activities.places import may_attend as _may_attend
from lianxin.activities.places import place_status
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.idempotency import create_once
from lianxin.org.models import STAFF_ROLES, Membership, Role, Unit
from lianxin.org.scoping import user_scope
from lianxin.venues import services as venue_services
from lianxin.venues.models import Audience as RoomAudience
from lianxin.venues.models import Booking, BookingStatus, Room

CHECKIN_SALT = "lianxin.activities.checkin"
CHECKIN_EARLY = timedelta(hours=2)
CHECKIN_LATE = timedelta(hours=2)
DEFAULT_POINTS = {
    SourceKind.ATTENDANCE: 2,
    SourceKind.TRAINING: 3,
    SourceKind.WISH: 5,
    SourceKind.VISIT: 1,
}
WISH_HOURS = Decimal("1.0")


def _require_staff_over(actor, unit: Unit, perm: str) -> None:
    if not user_scope(actor).covers(unit):
        raise PermissionDenied(perm)


# ============================================================================ points
def point_rule_value(*, unit: Unit, source_kind: str) -> int:
    """The nearest rule up the tree wins (a village may override the county default)."""
    rule = (
        PointRule.objects.filter(unit__path__in=unit.ancestor_paths(), source_kind=source_kind)
        .order_by("-unit__depth")
        .first()
    )
    return rule.points if rule else DEFAULT_POINTS.get(source_kind, 0)


@transaction.atomic
def point_rule_set(
    *, actor: Any, unit: Unit, source_kind: str, points: int, request=None
) -> PointRule:
    _require_staff_over(actor, unit, "activities.manage_points")
    if source_kind not in SourceKind.values:
        raise ValidationError(_("未知的积分来源。"))
    if not 0 <= points <= 100:
        raise ValidationError(_("单项积分应在 0 到 100 之间。"))
    rule, _created = PointRule.objects.update_or_create(
        unit=unit, source_kind=source_kind, defaults={"points": points}
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=rule,
        request=request,
        extra={"points": points},
    )
    return rule


def _home_unit(user, fallback: Unit) -> Unit:
    """The unit a person's hours count for: their party/volunteer membership, else ``fallback``."""
    memberships = list(
        Membership.objects.active().filter(user=user).select_related("unit").order_by("id")
    )
    for role in (Role.PARTY_MEMBER, *sorted(STAFF_ROLES), Role.RESIDENT):
        for m in memberships:
            if m.role == role:
                return m.unit
    return fallback


def _record(
    *,
    user,
    unit: Unit,
    source_kind: str,
    source_id: int,
    title: str,
    on: date,
    hours: Decimal,
    status: str,
    confirmed_by=None,
) -> ServiceRecord:
    """Create the one record for a source; a second call for the same source returns the first."""
    existing = ServiceRecord.objects.filter(source_kind=source_kind, source_id=source_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            return ServiceRecord.objects.create(
                user=user,
                unit=unit,
                source_kind=source_kind,
                source_id=source_id,
                title=title[:120],
                occurred_on=on,
                hours=hours,
                points=point_rule_value(unit=unit, source_kind=source_kind),
                status=status,
                confirmed_by=confirmed_by if status == RecordStatus.CONFIRMED else None,
                confirmed_at=now if status == RecordStatus.CONFIRMED else None,
            )
    except IntegrityError:
        return ServiceRecord.objects.get(source_kind=source_kind, source_id=source_id)


@transaction.atomic
def service_record_for_wish(*, wish, confirmed_by) -> ServiceRecord | None:
    """A confirmed wish credits its claimant once; the resident's confirmation is the confirmation."""
    if wish.claimed_by_id is None:
        return None
    return _record(
        user=wish.claimed_by,
        unit=_home_unit(wish.claimed_by, wish.community),
        source_kind=SourceKind.WISH,
        source_id=wish.pk,
        title=_("点亮心愿：%(t)s") % {"t": wish.title},
        on=timezone.localdate(wish.lit_at or timezone.now()),
        hours=WISH_HOURS,
        status=RecordStatus.CONFIRMED,
        confirmed_by=confirmed_by,
    )


@transaction.atomic
def service_record_for_visit(
    *, visit_id: int, user, unit: Unit, on: date, title: str
) -> ServiceRecord:
    """For the household-visits module (串百家门): one visit credits its visitor once, with the
    points of the 入户走访 rule. Visits are logged by the visitor's grid; a visit needs no
    organiser's confirmation, so the record is confirmed at once."""
    return _record(
        user=user,
        unit=unit,
        source_kind=SourceKind.VISIT,
        source_id=visit_id,
        title=title,
        on=on,
        hours=Decimal("0"),
        status=RecordStatus.CONFIRMED,
        confirmed_by=user,
    )


def _record_for_attendance(registration: Registration) -> ServiceRecord | None:
    if registration.user_id is None:  # a desk sign-up without an account: no one to credit
        return None
    event = registration.event
    kind = SourceKind.TRAINING if event.kind == EventKind.TRAINING else SourceKind.ATTENDANCE
    return _record(
        user=registration.user,
        unit=_home_unit(registration.user, event.unit),
        source_kind=kind,
        source_id=registration.pk,
        title=event.title,
        on=timezone.localdate(event.starts_at),
        hours=event.hours,
        status=RecordStatus.PENDING,
    )


@transaction.atomic
def service_records_confirm(*, actor: Any, event: Event) -> int:
    """The organiser confirms the hours of everyone who attended (pending → confirmed)."""
    _require_staff_over(actor, event.unit, "activities.manage_event")
    reg_ids = list(
        event.registrations.filter(checked_in_at__isnull=False).values_list("id", flat=True)
    )
    n = ServiceRecord.objects.filter(
        source_kind__in=(SourceKind.ATTENDANCE, SourceKind.TRAINING),
        source_id__in=reg_ids,
        status=RecordStatus.PENDING,
    ).update(status=RecordStatus.CONFIRMED, confirmed_by=actor, confirmed_at=timezone.now())
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=event, reason="confirm hours", extra={"n": n}
    )
    return n


# ============================================================================ room booking (venues)
# Who an event is for, in the venues' terms (错时利用 rules reserve windows for one group).
ROOM_AUDIENCE = {
    Audience.ALL: RoomAudience.GENERAL,
    Audience.PARTY_MEMBERS: RoomAudience.PARTY,
    Audience.VOLUNTEERS: RoomAudience.VOLUNTEERS,
    Audience.STAFF: RoomAudience.MEETING,
}
LIVE_BOOKING = (BookingStatus.PENDING, BookingStatus.APPROVED)
KEEP_ROOM = object()  # event_update: leave the event's room as it is


def _check_room(actor, room: Room, capacity: int | None) -> None:
    """The organiser may only book bookable rooms of venues in their own subtree."""
    if not room.is_bookable:
        raise ValidationError({"venue_room": _("该功能室暂不开放预约。")})
    if not user_scope(actor).covers(room.venue.unit):
        raise PermissionDenied("activities.manage_event")
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


def _room_book(*, actor, event: Event, request=None) -> Booking:
    """Book the event's room for its time as a group booking by the organiser. The venues
    service refuses a taken slot or one outside the room's hours or rules with its own message;
    the exception propagates so the caller's transaction rolls the event back too."""
    room = event.venue_room
    try:
        booking = venue_services.booking_create(
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
        # The venues form's field names mean nothing on the event form: report them on the room.
        raise ValidationError({"venue_room": exc.messages}) from exc
    event.booking = booking
    return booking


def _room_release(*, actor, event: Event) -> None:
    """Cancel the event's live booking, if any (before it starts; a started one stays). The
    event keeps pointing at the cancelled booking until a new one replaces it."""
    booking = event.booking
    if booking is None:
        return
    booking = Booking.objects.get(pk=booking.pk)
    if booking.status not in LIVE_BOOKING or booking.starts_at <= timezone.now():
        return
    try:
        venue_services.booking_cancel(actor=actor, booking=booking)
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
    actor: Any,
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
    """Publish an event (booking its room when one is chosen). The same ``form_token`` again
    (a double tap, a resubmitted page) returns the first event: one per submitted form."""
    _require_staff_over(actor, unit, "activities.manage_event")
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
            raise PermissionDenied("activities.manage_event")
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
    actor: Any,
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
    _require_staff_over(actor, event.unit, "activities.manage_event")
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
    if venue_room is KEEP_ROOM:
        venue_room = event.venue_room
    place, room = _place_and_room(place=place, room_text=room, venue_room=venue_room)
    if not title.strip() or not place:
        raise ValidationError(_("请填写活动名称和地点（或选择功能室）。"))
    if venue_room is not None:
        if venue_room.pk != event.venue_room_id:
            _check_room(actor, venue_room, capacity)
        elif capacity is not None and capacity > venue_room.capacity:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "名额超过了该功能室的容纳人数（%(n)d 人）。",
                        "名额超过了该功能室的容纳人数（%(n)d 人）。",
                        venue_room.capacity,
                    )
                    % {"n": venue_room.capacity}
                }
            )
    moved = (
        (venue_room.pk if venue_room else None) != event.venue_room_id
        or starts_at != event.starts_at
        or ends_at != event.ends_at
    )
    event.title, event.place, event.room, event.venue_room = title.strip(), place, room, venue_room
    event.starts_at, event.ends_at, event.capacity, event.description = (
        starts_at,
        ends_at,
        capacity,
        description,
    )
    if moved:
        _room_release(actor=actor, event=event)
        event.booking = None
        if venue_room is not None:
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
    return promoted


@transaction.atomic
def event_cancel(*, actor: Any, event: Event, reason: str, request=None) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    _require_staff_over(actor, event.unit, "activities.manage_event")
    if len((reason or "").strip()) < 2:
        raise ValidationError(_("请填写取消原因。"))
    _room_release(actor=actor, event=event)
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "booking", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=event, reason=reason, request=request
    )
    return event


@transaction.atomic
def registration_create(*, actor: Any, event: Event, request=None) -> Registration:
    """Sign up; when the confirmed places are all taken the person joins the waiting list.

    The event row is locked first, so concurrent sign-ups are serialised and never overfill.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.OPEN or event.ends_at <= timezone.now():
        raise ValidationError(_("该活动已结束或已取消，不能报名。"))
    if not _may_attend(actor, event):
        raise PermissionDenied(_("该活动不面向您所在的群体。"))
    if event.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(user=actor).exists():
        raise ValidationError(_("您已经报过名了。"))
    status = place_status(event)
    try:
        with transaction.atomic():
            return Registration.objects.create(event=event, user=actor, status=status)
    except IntegrityError as exc:
        raise ValidationError(_("您已经报过名了。")) from exc


@transaction.atomic
def registration_cancel(
    *, actor: Any, registration: Registration, request=None
) -> Registration | None:
    """Cancel a sign-up; a freed place goes to the first person on the waiting list.

    Returns the promoted registration, if any. Locks the event, then the registrations.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if not (reg.user_id == actor.pk or user_scope(actor).covers(event.unit)):
        raise PermissionDenied("activities.register")
    if reg.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("该报名已取消。"))
    if reg.checked_in_at is not None:
        raise ValidationError(_("已签到的报名不能取消。"))
    was_confirmed = reg.status == RegistrationStatus.CONFIRMED
    reg.status = RegistrationStatus.CANCELLED
    reg.save(update_fields=["status", "updated_at"])
    if reg.user_id != actor.pk:
        # Staff cancelling someone else's place (an elder who phoned in) leaves a trace.
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=reg,
            reason="cancelled for registrant",
            request=request,
        )
    if not was_confirmed or event.status != EventStatus.OPEN:
        return None
    confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if event.capacity is not None and confirmed >= event.capacity:
        return None
    nxt = (
        Registration.objects.select_for_update()
        .filter(event=event, status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "id")
        .first()
    )
    if nxt is not None:
        nxt.status = RegistrationStatus.CONFIRMED
        nxt.save(update_fields=["status", "updated_at"])
    return nxt


def checkin_token(*, event: Event) -> str:
    return signing.dumps({"e": event.pk}, salt=CHECKIN_SALT)


def checkin_event_from_token(token: str) -> int:
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature as exc:
        raise ValidationError(_("签到码无效。")) from exc
    return int(data["e"])


@transaction.atomic
def checkin(*, actor: Any, event: Event, request=None) -> Registration:
    """Self check-in by scanning the door QR: a confirmed registration is marked present; a
    walk-in is registered and checked in while places remain."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = timezone.now()
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("该活动已取消。"))
    if not (event.starts_at - CHECKIN_EARLY <= now <= event.ends_at + CHECKIN_LATE):
        raise ValidationError(_("不在签到时间内。"))
    reg = (
        event.registrations.select_for_update()
        .exclude(status=RegistrationStatus.CANCELLED)
        .filter(user=actor)
        .first()
    )
    if reg is None:
        if not _may_attend(actor, event):
            raise PermissionDenied(_("该活动不面向您所在的群体。"))
        confirmed = event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if event.capacity is not None and confirmed >= event.capacity:
            raise ValidationError(_("名额已满，请联系工作人员。"))
        reg = Registration.objects.create(
            event=event, user=actor, status=RegistrationStatus.CONFIRMED
        )
    if reg.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("您在候补名单中，请等待工作人员安排。"))
    if reg.checked_in_at is None:
        reg.checked_in_at = now
        reg.save(update_fields=["checked_in_at", "updated_at"])
        _record_for_attendance(reg)
    return reg


@transaction.atomic
def attendance_mark(*, actor: Any, registration: Registration, request=None) -> Registration:
    """Staff mark a confirmed registrant present from the roster (a phone-less elder, say)."""
    reg = (
        Registration.objects.select_for_update()
        .select_related("event__unit")
        .get(pk=registration.pk)
    )
    _require_staff_over(actor, reg.event.unit, "activities.manage_event")
    if reg.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("只有已报名（非候补）的人员可以签到。"))
    if reg.checked_in_at is None:
        reg.checked_in_at = timezone.now()
        reg.save(update_fields=["checked_in_at", "updated_at"])
        _record_for_attendance(reg)
        # Marking someone present credits them hours and points: staff do it on the record.
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=reg,
            reason="marked present",
            request=request,
        )
    return reg


@transaction.atomic
def queue_take(*, actor: Any, item: ServiceItem, name: str = "", request=None) -> QueueTicket:
    """取号 for one service item: numbers are issued under a row lock, so each is unique."""
    item = ServiceItem.objects.select_for_update().select_related("event").get(pk=item.pk)
    if item.event.status != EventStatus.OPEN:
        raise ValidationError(_("该活动已结束或已取消。"))
    mine = QueueTicket.objects.filter(item=item, user=actor, number__gt=item.served_number).first()
    if mine is not None:
        return mine
    item.last_number += 1
    item.save(update_fields=["last_number", "updated_at"])
    return QueueTicket.objects.create(
        item=item, number=item.last_number, user=actor, name=(name or str(actor))[:50]
    )


@transaction.atomic
def queue_call_next(*, actor: Any, item: ServiceItem, request=None) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().select_related("event__unit").get(pk=item.pk)
    _require_staff_over(actor, item.event.unit, "activities.manage_event")
    if item.served_number >= item.last_number:
        raise ValidationError(_("没有等待的号了。"))
    item.served_number += 1
    item.save(update_fields=["served_number", "updated_at"])
    return item


# ============================================================================ training
@transaction.atomic
def programme_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    year: int,
    required_role: str = "",
    required_users=(),
    min_sessions: int | None = None,
    request=None,
) -> TrainingProgramme:
    _require_staff_over(actor, unit, "activities.manage_event")
    if required_role and required_role not in Role.values:
        raise ValidationError(_("未知的角色。"))
    if not required_role and not required_users:
        raise ValidationError(_("请指定应训角色或应训人员。"))
    if min_sessions is not None and min_sessions < 1:
        raise ValidationError(_("至少参加场次须为正整数，或留空（全部场次）。"))
    prog = TrainingProgramme.objects.create(
        unit=unit,
        title=title.strip(),
        year=year,
        required_role=required_role,
        min_sessions=min_sessions,
    )
    if required_users:
        prog.required_users.set(required_users)
    audit_record(action=AuditAction.CREATE, actor=actor, target=prog, request=request)
    return prog


# ============================================================================ teams and posts
@transaction.atomic
def team_create(
    *,
    actor: Any,
    unit: Unit,
    name: str,
    kind: str,
    leader=None,
    description: str = "",
    request=None,
) -> Team:
    _require_staff_over(actor, unit, "activities.manage_team")
    if kind not in TeamKind.values:
        raise ValidationError(_("请选择队伍类型。"))
    if leader is not None:
        _require_person_in_scope(actor, leader)
    if Team.objects.filter(unit=unit, name=name.strip()).exists():
        raise ValidationError(_("本单位已有同名队伍。"))
    team = Team.objects.create(
        unit=unit, name=name.strip(), kind=kind, leader=leader, description=description
    )
    if leader is not None:
        TeamMember.objects.get_or_create(team=team, user=leader)
    audit_record(action=AuditAction.CREATE, actor=actor, target=team, request=request)
    return team


def _require_manager_of(actor, team: Team) -> None:
    """Only staff who may manage teams, over the team's unit, change its members."""
    if not actor.has_perm("activities.manage_team"):
        raise PermissionDenied("activities.manage_team")
    _require_staff_over(actor, team.unit, "activities.manage_team")


def _require_person_in_scope(actor, user) -> None:
    """The person added holds an active membership inside the actor's subtrees (the same test
    as ``selectors.member_find``), so nobody is pulled in from another town."""
    from lianxin.org.scoping import scope_queryset

    if not scope_queryset(Membership.objects.active().filter(user=user), actor, ("unit",)).exists():
        raise PermissionDenied(_("该人员不在您的管辖范围内。"))


@transaction.atomic
def team_member_add(*, actor: Any, team: Team, user, request=None) -> TeamMember:
    _require_manager_of(actor, team)
    _require_person_in_scope(actor, user)
    member, created = TeamMember.objects.get_or_create(team=team, user=user)
    if created:
        # Team membership lets a person claim wishes and join volunteer-only events.
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=team,
            reason="member added",
            request=request,
            extra={"user": user.pk},
        )
    return member


@transaction.atomic
def team_member_remove(*, actor: Any, team: Team, user, request=None) -> None:
    _require_staff_over(actor, team.unit, "activities.manage_team")
    if team.leader_id == user.pk:
        raise ValidationError(_("请先更换队长再移除。"))
    deleted, _rows = TeamMember.objects.filter(team=team, user=user).delete()
    if deleted:
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=team,
            reason="member removed",
            request=request,
            extra={"user": user.pk},
        )


@transaction.atomic
def model_post_create(
    *, actor: Any, unit: Unit, holder, title: str, pledge: str = "", request=None
) -> ModelPost:
    _require_staff_over(actor, unit, "activities.manage_team")
    post = ModelPost.objects.create(
        unit=unit, holder=holder, title=title.strip(), pledge=pledge.strip()
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=post, request=request)
    return post


@transaction.atomic
def area_create(
    *,
    actor: Any,
    unit: Unit,
    holder,
    name: str,
    grids=(),
    households=(),
    post: ModelPost | None = None,
    request=None,
) -> ResponsibilityArea:
    _require_staff_over(actor, unit, "activities.manage_team")
    scope = user_scope(actor)
    if any(not scope.covers(g) for g in grids) or any(not scope.covers(h.grid) for h in households):
        raise PermissionDenied("activities.manage_team")
    area = ResponsibilityArea.objects.create(unit=unit, holder=holder, name=name.strip(), post=post)
    area.grids.set(grids)
    area.households.set(households)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=area,
        request=request,
        extra={"grids": [g.pk for g in grids], "households": len(households)},
    )
    return area


# ============================================================================ brands and proposals
def is_level_above(user, unit: Unit) -> bool:
    """True when the user holds a staff post strictly above the body that owns ``unit``
    (a party organisation's owner is its village; its level above is the town)."""
    owner = unit.parent if unit.parent_id and unit.kind == "party_org" else unit
    return (
        any(
            m.role in STAFF_ROLES
            and owner.path.startswith(m.unit.path)
            and m.unit.path != owner.path
            for m in user_scope(user).memberships
        )
        or user_scope(user).is_global
    )


@transaction.atomic
def brand_submit(*, actor: Any, unit: Unit, name: str, summary: str, request=None) -> BrandProject:
    _require_staff_over(actor, unit, "activities.manage_brand")
    if unit.kind != "party_org":
        raise ValidationError(_("党建品牌由党组织申报。"))
    if len(summary.strip()) < 10:
        raise ValidationError({"summary": _("请写明品牌内涵（至少 10 个字）。")})
    if BrandProject.objects.filter(unit=unit, name=name.strip()).exists():
        raise ValidationError(_("该党组织已申报过同名品牌。"))
    project = BrandProject.objects.create(
        unit=unit, name=name.strip(), summary=summary.strip(), submitted_by=actor
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=project, request=request)
    return project


@transaction.atomic
def brand_decide(
    *, actor: Any, project: BrandProject, approve: bool, note: str = "", request=None
) -> BrandProject:
    project = (
        BrandProject.objects.select_for_update(of=("self",))
        .select_related("unit__parent")
        .get(pk=project.pk)
    )
    if not is_level_above(actor, project.unit):
        raise PermissionDenied(_("党建品牌由上级党组织审批。"))
    if project.status != BrandStatus.SUBMITTED:
        raise ValidationError(_("该品牌已审批。"))
    if not approve and len(note.strip()) < 2:
        raise ValidationError(_("不予命名时请写明理由。"))
    project.status = BrandStatus.APPROVED if approve else BrandStatus.REJECTED
    project.decided_by, project.decided_at, project.decision_note = (
        actor,
        timezone.now(),
        note.strip()[:300],
    )
    project.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=project,
        reason=project.status,
        request=request,
    )
    return project


@transaction.atomic
def brand_review(
    *, actor: Any, project: BrandProject, year: int, rating: str, comment: str = "", request=None
) -> BrandReview:
    if not is_level_above(actor, project.unit):
        raise PermissionDenied(_("党建品牌由上级党组织评审。"))
    if project.status != BrandStatus.APPROVED:
        raise ValidationError(_("只有已命名的品牌参加年度评审。"))
    if rating not in BrandRating.values:
        raise ValidationError(_("请选择评定等次。"))
    try:
        with transaction.atomic():
            review = BrandReview.objects.create(
                project=project, year=year, rating=rating, comment=comment[:300], reviewer=actor
            )
    except IntegrityError as exc:
        raise ValidationError(_("该品牌本年度已评审。")) from exc
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=project,
        reason=f"review {year} {rating}",
        request=request,
    )
    return review


@transaction.atomic
def proposal_submit(*, actor: Any, unit: Unit, title: str, content: str, request=None) -> Proposal:
    scope = user_scope(actor)
    if not any(m.unit.pk == unit.pk for m in scope.memberships) and not scope.covers(unit):
        raise PermissionDenied("activities.submit_proposal")
    if len(title.strip()) < 2 or len(content.strip()) < 5:
        raise ValidationError(_("请写明建议标题和内容。"))
    proposal = Proposal.objects.create(
        unit=unit, title=title.strip(), content=content.strip(), submitted_by=actor
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=proposal, request=request)
    return proposal


@transaction.atomic
def proposal_review(
    *,
    actor: Any,
    proposal: Proposal,
    adopt: bool,
    note: str = "",
    due: date | None = None,
    request=None,
) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    _require_staff_over(actor, proposal.unit, "activities.review_proposal")
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("该建议已评审。"))
    if adopt and due is None:
        raise ValidationError({"due": _("采纳的建议请设定落实期限。")})
    if not adopt and len(note.strip()) < 2:
        raise ValidationError({"note": _("未采纳时请写明理由。")})
    proposal.status = ProposalStatus.ADOPTED if adopt else ProposalStatus.NOT_ADOPTED
    proposal.reviewed_by, proposal.reviewed_at = actor, timezone.now()
    proposal.review_note, proposal.implementation_due = note.strip()[:300], due
    proposal.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "implementation_due",
            "updated_at",
        ]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=proposal,
        reason=proposal.status,
        request=request,
    )
    return proposal


@transaction.atomic
def proposal_implement(*, actor: Any, proposal: Proposal, note: str, request=None) -> Proposal:
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    _require_staff_over(actor, proposal.unit, "activities.review_proposal")
    if proposal.status != ProposalStatus.ADOPTED:
        raise ValidationError(_("只有已采纳的建议可以登记落实。"))
    if len(note.strip()) < 2:
        raise ValidationError({"note": _("请填写落实情况。")})
    proposal.status = ProposalStatus.IMPLEMENTED
    proposal.implementation_note, proposal.implemented_at = note.strip()[:300], timezone.now()
    proposal.save(update_fields=["status", "implementation_note", "implemented_at", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=proposal,
        reason="implemented",
        request=request,
    )
    return proposal
