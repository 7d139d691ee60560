"""Writes on sign-up, check-in, attendance, hours and the 便民服务日 queues.

Rules enforced here (each cites its mechanism):
- Sign-up respects capacity under concurrency: the event row is locked, then its confirmed
  registrations counted; a full event puts people on the waiting list, and a cancellation
  promotes the first person waiting (Ruiling's 便民服务日 and Wushan's classes fill up).
- Check-in at the door is a signed token in a QR code; only a confirmed registration (or a
  walk-in while places remain) is checked in, once, and credits one pending ServiceRecord.
- Queue numbers are issued under a row lock, so each is unique.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.events.models import (
    Event,
    EventKind,
    EventStatus,
    QueueTicket,
    Registration,
    RegistrationStatus,
    ServiceItem,
)
from lianxin.events.places import may_attend as _may_attend
from lianxin.events.places import place_status
from lianxin.events.services.common import require_staff_over as _require_staff_over
from lianxin.events.telling import tell_promoted
from lianxin.org.scoping import user_scope
from lianxin.volunteers.models import (
    RecordStatus,
    ServiceRecord,
    SourceKind,
)
from lianxin.volunteers.services import home_unit, record_once

if TYPE_CHECKING:
    pass

CHECKIN_SALT = "lianxin.activities.checkin"
CHECKIN_EARLY = timedelta(hours=2)
CHECKIN_LATE = timedelta(hours=2)


def _record_for_attendance(registration: Registration) -> ServiceRecord | None:
    """Attending credits the registrant's account once, pending the organiser's confirmation."""
    if registration.user_id is None:  # a desk sign-up without an account: no one to credit
        return None
    user = registration.user
    assert user is not None
    event = registration.event
    kind = SourceKind.TRAINING if event.kind == EventKind.TRAINING else SourceKind.ATTENDANCE
    return record_once(
        user=user,
        unit=home_unit(user, event.unit),
        source_kind=kind,
        source_id=registration.pk,
        title=event.title,
        on=timezone.localdate(event.starts_at),
        hours=event.hours,
        status=RecordStatus.PENDING,
    )


@transaction.atomic
def service_records_confirm(*, actor: User, event: Event) -> int:
    """The organiser confirms the hours of everyone who attended (pending → confirmed)."""
    _require_staff_over(actor, event.unit, "events.manage_event")
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


@transaction.atomic
def registration_create(*, actor: User, event: Event, request=None) -> Registration:
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
    *, actor: User, registration: Registration, request=None
) -> Registration | None:
    """Cancel a sign-up; a freed place goes to the first person on the waiting list.

    Returns the promoted registration, if any. Locks the event, then the registrations.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    reg = Registration.objects.select_for_update().get(pk=registration.pk)
    if not (reg.user_id == actor.pk or user_scope(actor).covers(event.unit)):
        raise PermissionDenied("events.register")
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
        tell_promoted(event, [nxt])
    return nxt


def checkin_token(*, event: Event) -> str:
    """The signed token in the door QR code (no expiry of its own; check-in checks the time)."""
    return signing.dumps({"e": event.pk}, salt=CHECKIN_SALT)


def checkin_event_from_token(token: str) -> int:
    """The event id a door token names; a forged or damaged token is refused (signed, salted)."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
    except signing.BadSignature as exc:
        raise ValidationError(_("签到码无效。")) from exc
    return int(data["e"])


@transaction.atomic
def checkin(*, actor: User, event: Event, request=None) -> Registration:
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
def attendance_mark(*, actor: User, registration: Registration, request=None) -> Registration:
    """Staff mark a confirmed registrant present from the roster (a phone-less elder, say)."""
    reg = (
        Registration.objects.select_for_update()
        .select_related("event__unit")
        .get(pk=registration.pk)
    )
    _require_staff_over(actor, reg.event.unit, "events.manage_event")
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
def queue_take(*, actor: User, item: ServiceItem, name: str = "", request=None) -> QueueTicket:
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
def queue_call_next(*, actor: User, item: ServiceItem, request=None) -> ServiceItem:
    """叫号: staff over the event's unit advance the item's served number under a row lock; never
    past the last number issued (a check constraint backs it)."""
    item = ServiceItem.objects.select_for_update().select_related("event__unit").get(pk=item.pk)
    _require_staff_over(actor, item.event.unit, "events.manage_event")
    if item.served_number >= item.last_number:
        raise ValidationError(_("没有等待的号了。"))
    item.served_number += 1
    item.save(update_fields=["served_number", "updated_at"])
    return item
