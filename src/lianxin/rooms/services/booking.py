"""Bookings: create, decide, cancel, check in, no-show (功能叠加、错时利用).

Every write is atomic and leaves an audit row. Who may act is in ``lianxin.rooms.rules``;
the limits on how far ahead and how much one person books are in ``booking_limits``.
Events book their room through ``booking_create``/``booking_cancel`` (ADR 0006).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.rooms import booking_limits
from lianxin.rooms.models import Booking, BookingSlot, BookingStatus, Room
from lianxin.rooms.rules import can_cancel_booking, can_manage_booking
from lianxin.rooms.telling import tell_cancelled, tell_decided

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def _slot_starts(room: Room, starts_at: datetime, ends_at: datetime) -> list[datetime]:
    step = timedelta(minutes=room.slot_minutes)
    out = []
    t = starts_at
    while t < ends_at:
        out.append(t)
        t += step
    return out


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def booking_check_rules(
    *, room: Room, starts_at: datetime, ends_at: datetime, audience: str
) -> None:
    """Opening hours, slot grid and 错时利用 rules: inside a rule's window only its group books."""
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationError(_("时间须带时区。"))
    if ends_at <= starts_at:
        raise ValidationError(_("结束时间须晚于开始时间。"))
    local_start = timezone.localtime(starts_at)
    duration = int((ends_at - starts_at).total_seconds() // 60)
    start_min = _minutes(local_start)
    end_min = start_min + duration  # past 24:00 when it runs into the next day
    if start_min < _minutes(room.opens_at) or end_min > _minutes(room.closes_at):
        raise ValidationError(
            _("该功能室开放时间为 %(o)s—%(c)s。")
            % {"o": room.opens_at.strftime("%H:%M"), "c": room.closes_at.strftime("%H:%M")}
        )
    if (
        (start_min - _minutes(room.opens_at)) % room.slot_minutes
        or duration % room.slot_minutes
        or (local_start.second or local_start.microsecond)
    ):
        raise ValidationError(_("请按 %(m)d 分钟的时段预约。") % {"m": room.slot_minutes})
    if duration > 4 * 60:
        raise ValidationError(_("单次预约不能超过 4 小时。"))
    weekday = local_start.weekday()
    for rule in room.slot_rules.all():
        if not rule.applies_on(weekday):
            continue
        overlaps = start_min < _minutes(rule.ends) and end_min > _minutes(rule.starts)
        if overlaps and rule.audience != audience:
            raise ValidationError(
                _("%(s)s—%(e)s 为%(who)s专用时段（错时利用），请另选时间。")
                % {
                    "s": rule.starts.strftime("%H:%M"),
                    "e": rule.ends.strftime("%H:%M"),
                    "who": rule.get_audience_display(),
                }
            )


def booking_create(
    *,
    actor: User,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    group_name: str,
    audience: str,
    purpose: str = "",
    attendees: int = 1,
    client_token: str | None = None,
    request=None,
) -> Booking:
    """Book a room for a slot. Double booking is impossible: each slot is a row with a unique
    (room, starts_at), inserted in the booking's transaction; a second booking of a held
    slot fails with a clear message whatever the timing. Rooms that require approval start
    as 待审批 and still hold their slots, so nobody else books them meanwhile.

    Limits (``lianxin.rooms.booking_limits``): no past slot; residents and groups book at most
    the room's horizon ahead (60 days by default), staff over the venue — who also book for
    activities events — up to a year; one person holds at most 4 open bookings (staff over the
    venue 30), counted under a lock on the booker so simultaneous posts cannot exceed it.
    Rule: anybody the room is bookable by (``Room.objects.bookable_by``, checked by the caller's
    selector; ``rooms.book_room``) — the limits above are the rule's substance."""
    if client_token:
        existing = Booking.objects.filter(client_token=client_token, booker=actor).first()
        if existing is not None:
            return existing
    if not room.is_bookable:
        raise ValidationError(_("该功能室暂不开放预约。"))
    group_name = (group_name or "").strip()
    if not group_name:
        raise ValidationError({"group_name": _("请填写团体或活动名称。")})
    if attendees < 1 or attendees > room.capacity:
        raise ValidationError({"attendees": _("人数须在 1 到 %(n)d 之间。") % {"n": room.capacity}})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):  # API input: refuse, not 500
        raise ValidationError(_("时间须带时区。"))
    if starts_at < timezone.now():
        raise ValidationError(_("不能预约已经过去的时段。"))
    booking_check_rules(room=room, starts_at=starts_at, ends_at=ends_at, audience=audience)
    as_staff = booking_limits.books_as_staff(actor, room)
    booking_limits.check_horizon(room=room, starts_at=starts_at, as_staff=as_staff)
    status = BookingStatus.PENDING if room.requires_approval else BookingStatus.APPROVED
    try:
        with transaction.atomic():
            booking_limits.lock_booker(actor)
            if client_token:  # the same form posted twice at once: the second waited for the lock
                existing = Booking.objects.filter(client_token=client_token, booker=actor).first()
                if existing is not None:
                    return existing
            booking_limits.check_open_bookings(actor=actor, as_staff=as_staff)
            booking = Booking.objects.create(
                room=room,
                booker=actor,
                group_name=group_name[:60],
                audience=audience,
                purpose=(purpose or "").strip()[:200],
                attendees=attendees,
                starts_at=starts_at,
                ends_at=ends_at,
                status=status,
                client_token=client_token or None,
            )
            BookingSlot.objects.bulk_create(
                [
                    BookingSlot(room=room, booking=booking, starts_at=t)
                    for t in _slot_starts(room, starts_at, ends_at)
                ]
            )
            audit_record(action=AuditAction.CREATE, actor=actor, target=booking, request=request)
    except IntegrityError as exc:
        if client_token:
            existing = Booking.objects.filter(client_token=client_token, booker=actor).first()
            if existing is not None:
                return existing
        raise ValidationError(_("该时段已被预约，请选择其他时段。")) from exc
    return booking


def _release(booking: Booking) -> None:
    BookingSlot.objects.filter(booking=booking).delete()


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update().select_related("room__venue__unit").get(pk=booking.pk)
    )


@transaction.atomic
def booking_decide(*, actor: User, booking: Booking, approve: bool, reason: str = "") -> Booking:
    """Staff approve or reject a pending booking; rejection releases the slots. Rule:
    ``can_manage_booking`` (rooms.manage_booking over the booking's venue)."""
    booking = _lock(booking)
    if not can_manage_booking(actor, booking):
        raise PermissionDenied
    if booking.status != BookingStatus.PENDING:
        raise ValidationError(_("只有待审批的预约可以审批。"))
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.REJECTED
    booking.decided_by = actor
    booking.decided_at = timezone.now()
    booking.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if not approve:
        _release(booking)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=booking,
        reason=f"{booking.status} {reason}"[:500],
    )
    tell_decided(booking, actor)
    return booking


@transaction.atomic
def booking_cancel(*, actor: User, booking: Booking) -> Booking:
    """The booker (or staff over the venue) cancels before it starts; the slots are freed.
    Rule: ``can_cancel_booking``."""
    booking = _lock(booking)
    if not can_cancel_booking(actor, booking):
        raise PermissionDenied
    if booking.status not in (BookingStatus.PENDING, BookingStatus.APPROVED):
        raise ValidationError(_("该预约已不能取消。"))
    if booking.starts_at <= timezone.now():
        raise ValidationError(_("已开始的预约不能取消。"))
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    _release(booking)
    audit_record(action=AuditAction.UPDATE, actor=actor, target=booking, reason="cancelled")
    tell_cancelled(booking, actor)
    return booking


CHECKIN_EARLY = timedelta(minutes=15)


@transaction.atomic
def booking_check_in(*, actor: User, room: Room, now: datetime | None = None) -> Booking:
    """Check in by scanning the room's door QR code: the actor's approved booking of this
    room that starts within 15 minutes or is under way. Rule: only one's own booking (the
    query is filtered on ``booker=actor``), so nobody checks in for somebody else."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update()
        .filter(
            room=room,
            booker=actor,
            status=BookingStatus.APPROVED,
            starts_at__lte=now + CHECKIN_EARLY,
            ends_at__gt=now,
        )
        .order_by("starts_at")
        .first()
    )
    if booking is None:
        raise ValidationError(_("您在该功能室当前没有可签到的预约。"))
    booking.status = BookingStatus.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["status", "checked_in_at", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=booking, reason="checked_in")
    return booking


@transaction.atomic
def booking_mark_no_show(*, actor: User, booking: Booking) -> Booking:
    """Staff mark a started booking nobody checked in to as 未到场. Rule: ``can_manage_booking``;
    only an approved booking that has started (a future one cannot be a no-show)."""
    booking = _lock(booking)
    if not can_manage_booking(actor, booking):
        raise PermissionDenied
    if booking.status != BookingStatus.APPROVED or booking.starts_at > timezone.now():
        raise ValidationError(_("只有已开始且未签到的预约可以标记为未到场。"))
    booking.status = BookingStatus.NO_SHOW
    booking.save(update_fields=["status", "updated_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=booking, reason="no_show")
    return booking


@transaction.atomic
def bookings_sweep_no_shows(*, now: datetime | None = None) -> int:
    """Periodic and idempotent: approved bookings that ended without a check-in become 未到场.
    Rule: a system action (no actor), audited as ``venues_sweep``; ended bookings only."""
    now = now or timezone.now()
    due = list(
        Booking.objects.select_for_update()
        .filter(status=BookingStatus.APPROVED, ends_at__lte=now)
        .select_related("room__venue")
        .order_by("pk")
    )
    if not due:
        return 0
    Booking.objects.filter(pk__in=[b.pk for b in due]).update(
        status=BookingStatus.NO_SHOW, updated_at=now
    )
    for booking in due:
        booking.status = BookingStatus.NO_SHOW
        audit_record(
            action=AuditAction.UPDATE,
            target=booking,
            reason="no_show sweep",
            username="venues_sweep",
        )
    return len(due)


def new_client_token() -> str:
    """The idempotency token a booking form carries (one submission, one booking)."""
    return secrets.token_urlsafe(24)
