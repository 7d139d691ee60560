"""Attendance: the door QR check-in (the events mechanism: a signed, salted token in a QR code
opening a check-in page, valid from ``CHECKIN_EARLY`` before the start to ``CHECKIN_LATE``
after the end) and the clerk's manual marks, for the quorum and the sign-in sheet.

Rules enforced here:
- Only an invitee, or a resident of the meeting's village (a walk-in, recorded as not invited),
  checks in, once; a cancelled meeting or a time outside the window is refused.
- Staff mark an invitee present from the roster (an elder without a phone), audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.deliberation.models import Attendance, CheckinHow, Meeting, MeetingStatus
from lianxin.deliberation.services.common import require, village_of
from lianxin.events.services import CHECKIN_EARLY, CHECKIN_LATE
from lianxin.org.scoping import home_units
from lianxin.people.models import Person

if TYPE_CHECKING:
    from lianxin.accounts.models import User

CHECKIN_SALT = "lianxin.deliberation.checkin"


def checkin_token(*, meeting: Meeting) -> str:
    """The signed token in the door QR code (check-in checks the time, not the token)."""
    return signing.dumps({"m": meeting.pk}, salt=CHECKIN_SALT)


def checkin_meeting_from_token(token: str) -> int:
    """The meeting id a door token names; a forged or damaged token is refused."""
    try:
        data = signing.loads(token, salt=CHECKIN_SALT)
        return int(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_("签到码无效。")) from exc


def may_walk_in(user: User, meeting: Meeting) -> bool:
    """A resident (or staff member) whose home area holds the meeting's village."""
    village = village_of(meeting.unit)
    return any(village.is_under(area) or area.is_under(village) for area in home_units(user))


@transaction.atomic
def meeting_checkin(
    *, actor: User, meeting: Meeting, request: HttpRequest | None = None
) -> Attendance:
    """Self check-in by scanning the door QR (see the module rules)."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("unit").get(pk=meeting.pk)
    )
    now = timezone.now()
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("该会议已取消。"))
    if not (meeting.starts_at - CHECKIN_EARLY <= now <= meeting.ends_at + CHECKIN_LATE):
        raise ValidationError(_("不在签到时间内。"))
    person = Person.objects.filter(user=actor).first()
    who = Q(user=actor) | (Q(person=person) if person is not None else Q(pk__in=[]))
    row = meeting.attendances.select_for_update().filter(who).first()
    if row is None:
        if not may_walk_in(actor, meeting):
            raise PermissionDenied(_("您不在本次会议的参会范围内。"))
        row = Attendance.objects.create(
            meeting=meeting,
            user=actor,
            person=person,
            name=(person.name if person else actor.display_name or actor.get_username())[:50],
            invited=False,
        )
    if row.checked_in_at is None:
        row.checked_in_at, row.how = now, CheckinHow.QR
        if row.user_id is None:
            row.user = actor
        row.save(update_fields=["checked_in_at", "how", "user"])
    return row


@transaction.atomic
def attendance_mark(
    *, actor: User, attendance: Attendance, present: bool = True, request: HttpRequest | None = None
) -> Attendance:
    """Staff mark an invitee present (or not, to correct a mistake) from the roster."""
    row = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("meeting__unit")
        .get(pk=attendance.pk)
    )
    require(actor, "deliberation.convene_meeting", row.meeting)
    if row.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("该会议已取消。"))
    if present and row.checked_in_at is None:
        row.checked_in_at, row.how = timezone.now(), CheckinHow.MANUAL
    elif not present:
        row.checked_in_at, row.how = None, ""
    row.save(update_fields=["checked_in_at", "how"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=row,
        reason="marked present" if present else "marked absent",
        request=request,
    )
    return row
