"""The retention sweep (fixed clock): anonymises only what passed its period, once; one audit
row with the counts; audit rows themselves are never touched; the audit period floor is 180."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.cases.models import Case, State
from lianxin.core.registry import periodic_jobs
from lianxin.privacy.services import retention_days, retention_sweep, retention_sweep_daily
from lianxin.rooms.models import Booking
from tests.cases.factories import make_case
from tests.clock import SHANGHAI
from tests.privacy.factories import visit_for
from tests.rooms.factories import booking_for, room_for
from tests.venues.factories import venue_a

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
pytestmark = pytest.mark.clock(NOW)


def _closed_case(world, *, days_ago: int, state=State.CLOSED):
    case = make_case(world)
    Case.objects.filter(pk=case.pk).update(
        state=state, closed_at=NOW - timedelta(days=days_ago), reject_reason="不属于受理范围"
    )
    return case


def _sweep_rows():
    return AuditEvent.objects.filter(target_repr="个人信息保存期限清理")


def test_only_what_passed_its_period_is_anonymised_once(world):
    old_case = _closed_case(world, days_ago=366)
    young_case = _closed_case(world, days_ago=364)
    old_rejected = _closed_case(world, days_ago=400, state=State.REJECTED)
    open_case = make_case(world)
    Case.objects.filter(pk=open_case.pk).update(created_at=NOW - timedelta(days=900))
    old_visit = visit_for(world, "a", days_ago=731)
    young_visit = visit_for(world, "a", days_ago=729)
    booking = booking_for(room_for(venue_a(world)), world.users["resident_a"])
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=NOW - timedelta(days=182), ends_at=NOW - timedelta(days=181, hours=23)
    )
    young_booking = booking_for(room_for(venue_a(world)), world.users["resident_a"], hour=16)
    audit_before = AuditEvent.objects.count()

    result = retention_sweep(now=timezone.now())

    assert result.counts == {
        "case_reporter_phone": 2,
        "visit_notes": 1,
        "booking_contact": 1,
        "audit": 0,
    }
    for case, phone in (
        (old_case, ""),
        (old_rejected, ""),
        (young_case, "13900000001"),
        (open_case, "13900000001"),
    ):
        case.refresh_from_db()
        assert case.reporter_phone == phone
    old_visit.refresh_from_db()
    young_visit.refresh_from_db()
    assert (old_visit.notes, old_visit.met) == ("", "")
    assert young_visit.notes == "老人独居，血压偏高"
    booking.refresh_from_db()
    young_booking.refresh_from_db()
    assert booking.purpose == "" and young_booking.purpose == "金丝雀用途"
    row = _sweep_rows().get()
    assert row.actor is None and row.actor_name == "system"
    assert row.extra["retention_sweep"] == result.counts
    assert AuditEvent.objects.count() == audit_before + 1  # nothing deleted, one row added

    again = retention_sweep(now=timezone.now())
    assert again.counts == {k: 0 for k in result.counts}
    assert _sweep_rows().count() == 2


def test_moving_the_clock_past_the_period_anonymises_the_rest(world, clock):
    young_case = _closed_case(world, days_ago=364)
    assert retention_sweep(now=timezone.now()).counts["case_reporter_phone"] == 0
    clock.shift(timedelta(days=2))
    assert retention_sweep(now=timezone.now()).counts["case_reporter_phone"] == 1
    young_case.refresh_from_db()
    assert young_case.reporter_phone == ""


def test_the_daily_job_runs_once_a_local_day(world, clock):
    _closed_case(world, days_ago=400)
    first = retention_sweep_daily(now=timezone.now())
    assert first["counts"]["case_reporter_phone"] == 1
    assert retention_sweep_daily(now=timezone.now()) == {"skipped": True}
    clock.shift(timedelta(days=1))
    assert retention_sweep_daily(now=timezone.now())["counts"]["case_reporter_phone"] == 0
    assert _sweep_rows().count() == 2
    assert "privacy.retention" in dict(periodic_jobs())


def test_audit_period_is_never_below_180_days(settings):
    settings.LIANXIN_RETENTION_DAYS = {**settings.LIANXIN_RETENTION_DAYS, "audit": 30}
    assert retention_days()["audit"] == 180
    errors = [e for e in run_checks() if e.id == "privacy.E002"]
    assert len(errors) == 1
    settings.LIANXIN_RETENTION_DAYS = {
        **settings.LIANXIN_RETENTION_DAYS,
        "audit": 400,
        "visit_notes": 0,
    }
    assert retention_days()["audit"] == 400
    ids = {e.id for e in run_checks() if e.id.startswith("privacy.")}
    assert ids == {"privacy.E001"}


def test_settings_override_a_period(world, settings):
    settings.LIANXIN_RETENTION_DAYS = {**settings.LIANXIN_RETENTION_DAYS, "case_reporter_phone": 30}
    _closed_case(world, days_ago=31)
    assert retention_sweep(now=timezone.now()).counts["case_reporter_phone"] == 1
