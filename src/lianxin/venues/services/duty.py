"""Writes of the duty roster and the staff's certificates (坐班值班、持证上岗)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.venues.models import (
    DutyShift,
    StaffCertificate,
    Venue,
)
from lianxin.venues.rules import require

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# --- duty roster and certificates -------------------------------------------------------------


def _require_venue_staff(venue: Venue, staff: Any, message: str) -> None:
    """Only staff of the venue's unit or its town may be on its roster or hold its certificates."""
    from lianxin.venues.selectors import venue_staff_choices

    if not venue_staff_choices(venue=venue).filter(pk=staff.pk).exists():
        raise ValidationError({"staff": message})


@transaction.atomic
def duty_assign(
    *, actor: User, venue: Venue, staff: Any, day: date, post: str, starts=None, ends=None
) -> DutyShift:
    """坐班值班: put a staff member of the venue's unit (or its town) on duty for a day.

    Rule ``venues.change_venue`` on the venue: its own staff or the town/county above it keep
    the roster; only staff of the venue's unit or its town can be put on it (the public board
    shows who answers there)."""
    require(actor, "venues.change_venue", venue)
    _require_venue_staff(venue, staff, _("只能安排本村（社区）或所属乡镇的干部值班。"))
    shift = DutyShift.objects.filter(venue=venue, day=day, staff=staff).first() or DutyShift(
        venue=venue, day=day, staff=staff
    )
    shift.post = (post or "").strip() or _("坐班干部")
    if starts is not None:
        shift.starts = starts
    if ends is not None:
        shift.ends = ends
    shift.full_clean(validate_unique=False)
    shift.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=shift, reason="duty")
    return shift


@transaction.atomic
def duty_remove(*, actor: User, shift: DutyShift) -> None:
    """Take a shift off the roster. Rule ``venues.change_venue`` on the shift's venue (whoever
    keeps the roster may correct it); the removal is audited with the shift."""
    require(actor, "venues.change_venue", shift.venue)
    audit_record(action=AuditAction.DELETE, actor=actor, target=shift, reason="duty")
    shift.delete()


@transaction.atomic
def roster_copy_week(*, actor: User, venue: Venue, from_monday: date) -> int:
    """Repeat last week's roster into the next week (a roster is mostly the same each week).

    Rule ``venues.change_venue`` on the venue; shifts already in the next week are kept (a
    second copy adds nothing)."""
    require(actor, "venues.change_venue", venue)
    source = DutyShift.objects.filter(
        venue=venue, day__gte=from_monday, day__lt=from_monday + timedelta(days=7)
    )
    existing = set(
        DutyShift.objects.filter(
            venue=venue,
            day__gte=from_monday + timedelta(days=7),
            day__lt=from_monday + timedelta(days=14),
        ).values_list("day", "staff_id")
    )
    new = [
        DutyShift(
            venue=venue,
            day=s.day + timedelta(days=7),
            staff_id=s.staff_id,
            post=s.post,
            starts=s.starts,
            ends=s.ends,
        )
        for s in source
        if (s.day + timedelta(days=7), s.staff_id) not in existing
    ]
    DutyShift.objects.bulk_create(new)
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=venue, reason=f"roster copy {len(new)}"
    )
    return len(new)


@transaction.atomic
def certificate_save(
    *,
    actor: User,
    venue: Venue,
    staff: Any,
    name: str,
    number: str = "",
    expires_on: date | None = None,
) -> StaffCertificate:
    """持证上岗: record (or renew) a certificate; the expiry drives the warning list.

    Rule ``venues.change_venue`` on the venue; the holder must be staff of the venue, and one
    certificate of a name per person is renewed in place."""
    require(actor, "venues.change_venue", venue)
    _require_venue_staff(venue, staff, _("持证人须为本阵地的干部。"))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写证书名称。")})
    cert, created = StaffCertificate.objects.update_or_create(
        venue=venue,
        staff=staff,
        name=name,
        defaults={"number": number.strip(), "expires_on": expires_on},
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, target=cert
    )
    return cert
