"""Reads of the duty roster, certificates and the public duty board (亮牌服务)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    F,
    QuerySet,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lianxin.venues.models import (
    DutyShift,
    StaffCertificate,
    Venue,
)

# --- duty roster, certificates, public board ------------------------------------------------

CERT_WARN_DAYS = 30


def roster_week(*, venue: Venue, week_of: date) -> dict:
    monday = week_of - timedelta(days=week_of.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    shifts = list(
        DutyShift.objects.filter(venue=venue, day__gte=days[0], day__lte=days[-1]).select_related(
            "staff"
        )
    )
    return {
        "days": [{"day": d, "shifts": [s for s in shifts if s.day == d]} for d in days],
        "monday": monday,
    }


def venue_staff_choices(*, venue: Venue) -> QuerySet:
    """Staff who may be put on duty at a venue: the staff of its unit and the town above."""
    from lianxin.accounts.models import User
    from lianxin.org.models import STAFF_ROLES

    paths = venue.unit.ancestor_paths()[-2:]
    return (
        User.objects.filter(
            memberships__unit__path__in=paths,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("display_name", "username")
    )


def certificates_list(*, user, venue: Venue | None = None) -> QuerySet[StaffCertificate]:
    qs = StaffCertificate.objects.visible_to(user).select_related("venue", "staff")
    if venue is not None:
        qs = qs.filter(venue=venue)
    return qs.order_by(F("expires_on").asc(nulls_last=True), "id")


def certificates_expiring(*, user, within_days: int = CERT_WARN_DAYS) -> QuerySet[StaffCertificate]:
    """Certificates that have lapsed or lapse within ``within_days`` (warned before lapse)."""
    limit = timezone.localdate() + timedelta(days=within_days)
    return certificates_list(user=user).filter(expires_on__lte=limit)


def public_board(*, pk: int) -> dict:
    """What the public page shows: no personal mobiles, only the centre's phone; staff on duty
    today with name, post and photo (亮牌服务), and their certificates' validity."""
    venue = get_object_or_404(Venue.objects.select_related("unit", "town"), pk=pk)
    today = timezone.localdate()
    shifts = list(
        DutyShift.objects.filter(venue=venue, day=today).select_related("staff").order_by("starts")
    )
    certs = StaffCertificate.objects.filter(venue=venue, staff_id__in=[s.staff_id for s in shifts])
    by_staff: dict[int, list] = {}
    for c in certs:
        by_staff.setdefault(c.staff_id, []).append(
            {
                "name": c.name,
                "expires_on": c.expires_on,
                "valid": c.expires_on is None or c.expires_on >= today,
            }
        )
    on_duty = [
        {
            "shift": s,
            "name": str(s.staff),  # a phone-number login is masked
            "has_photo": bool(s.staff.photo),
            "certificates": by_staff.get(s.staff_id, []),
        }
        for s in shifts
    ]
    rooms = list(
        venue.rooms.filter(is_bookable=True)
        .exclude(function="office")
        .prefetch_related("slot_rules")
    )
    return {"venue": venue, "today": today, "on_duty": on_duty, "rooms": rooms}


def duty_shift_public(*, pk: int) -> DutyShift:
    """A shift whose staff photo may be shown publicly: only around today (亮牌 on the board)."""
    today = timezone.localdate()
    return get_object_or_404(
        DutyShift.objects.select_related("staff"),
        pk=pk,
        day__gte=today - timedelta(days=1),
        day__lte=today + timedelta(days=1),
    )


def duty_shift_get(*, user, pk: int) -> DutyShift:
    return get_object_or_404(
        DutyShift.objects.visible_to(user).select_related("venue__unit"), pk=pk
    )


def home_counts(*, user) -> dict:
    """What of venues' own needs its staff today: lapsing certificates (rooms and compliance add
    their pending bookings and tasks to the panel through their ``figures.venue_staff_stats``)."""
    return {"certificates": certificates_expiring(user=user).count()}
