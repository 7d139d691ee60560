"""暂按工作日计算: deadlines across 2026-12-30 → 2027-01-05 while the 2027 schedule is missing
(元旦 counted as a working day, the request marked provisional), then counted again by the
worker once 2027 is entered, with a timeline event and the rates rollup kept right."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from lianxin.cases import services as s
from lianxin.cases.jobs import PERIODIC_JOBS
from lianxin.cases.models import (
    Case,
    CaseEvent,
    CaseStat,
    DeadlineRule,
    DueUnit,
    EventKind,
    Priority,
)
from lianxin.cases.provisional import provisional_deadlines_recount
from lianxin.cases.stats import stats_grouped
from lianxin.workdays import calendar
from lianxin.workdays.models import DayKind
from lianxin.workdays.seed import ensure_seeded
from lianxin.workdays.services import calendar_day_create, calendar_year_complete
from tests.cases.factories import category, make_case

TZ = ZoneInfo("Asia/Shanghai")
DEC_30 = datetime(2026, 12, 30, 9, 0, tzinfo=TZ)  # Wednesday


@pytest.fixture(autouse=True)
def _calendar(db):
    ensure_seeded()
    calendar.invalidate(2027)
    yield
    calendar.invalidate(2027)


@pytest.fixture
def three_days(world):
    """infra-light, normal: accept within 24 hours, resolve within 3 working days."""
    DeadlineRule.objects.update_or_create(
        category=category("infra-light"),
        priority=Priority.NORMAL,
        defaults={
            "accept_amount": 24,
            "accept_unit": DueUnit.HOURS,
            "resolve_amount": 3,
            "resolve_unit": DueUnit.WORKDAYS,
        },
    )


def enter_2027(world, *, complete=True):
    admin = world.users["county_admin"]
    for day in (date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)):
        calendar_day_create(actor=admin, day=day, kind=DayKind.HOLIDAY, name="元旦")
    if complete:
        calendar_year_complete(actor=admin, year=2027)


def _recount(at):
    return provisional_deadlines_recount(now=at)


def test_missing_2027_counts_monday_to_friday_and_marks_provisional(world, three_days):
    case = make_case(world, now=DEC_30)
    # 12-31 (Thu), 01-01 (Fri: 元旦, counted as a working day), 01-04 (Mon)
    assert case.resolve_due_at == datetime(2027, 1, 4, 9, 0, tzinfo=TZ)
    assert case.due_provisional
    assert set(case.due_basis) == {"resolve"}  # the 24-hour accept deadline is exact
    assert case.due_basis["resolve"]["days"] == 3


def test_a_deadline_inside_a_known_year_is_final(world):
    DeadlineRule.objects.update_or_create(
        category=category("infra-light"),
        priority=Priority.NORMAL,
        defaults={
            "accept_amount": 24,
            "accept_unit": DueUnit.HOURS,
            "resolve_amount": 1,
            "resolve_unit": DueUnit.WORKDAYS,
        },
    )
    case = make_case(world, now=DEC_30)
    assert case.resolve_due_at.date() == date(2026, 12, 31)
    assert not case.due_provisional and case.due_basis is None


def test_provisional_mark_on_the_request_page_lists_and_resident_page(
    world, three_days, client, login
):
    case = make_case(world, now=DEC_30)
    with time_machine.travel(DEC_30, tick=False):
        login(world.users["village_a"])
        detail = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
        assert "暂按工作日计算" in detail
        workbench = client.get(reverse("cases:workbench")).content.decode()
        assert case.code in workbench and "暂按工作日计算" in workbench
        track = client.get(reverse("cases:track", args=[case.code])).content.decode()
        assert "暂按工作日计算" in track


def test_entering_2027_recounts_writes_the_timeline_and_is_idempotent(
    world, three_days, client, login
):
    case = make_case(world, now=DEC_30)
    # entered but not yet complete: the worker waits
    enter_2027(world, complete=False)
    assert _recount(datetime(2026, 12, 30, 10, tzinfo=TZ)).counted == 0
    case.refresh_from_db()
    assert case.due_provisional
    # complete: counted again with 元旦 off -> 12-31, 01-04, 01-05
    calendar_year_complete(actor=world.users["county_admin"], year=2027)
    at = datetime(2026, 12, 30, 11, tzinfo=TZ)
    result = _recount(at)
    assert (result.counted, result.changed) == (1, 1)
    case.refresh_from_db()
    assert case.resolve_due_at == datetime(2027, 1, 5, 9, 0, tzinfo=TZ)
    assert not case.due_provisional and case.due_basis is None
    event = CaseEvent.objects.get(case=case, kind=EventKind.DEADLINE)
    assert event.note == "节假日安排更新，办结时限由 2027-01-04 09:00 调整为 2027-01-05 09:00。"
    assert event.is_public and event.created_at == at and event.actor is None
    # once more: nothing to do, nothing written
    assert _recount(datetime(2026, 12, 30, 12, tzinfo=TZ)).counted == 0
    assert CaseEvent.objects.filter(case=case, kind=EventKind.DEADLINE).count() == 1
    # the resident sees the change and the new promise, without the provisional mark
    with time_machine.travel(datetime(2026, 12, 30, 13, tzinfo=TZ), tick=False):
        login(world.users["resident_a"])
        track = client.get(reverse("cases:track", args=[case.code])).content.decode()
    assert "节假日安排更新，办结时限由 2027-01-04 09:00 调整为 2027-01-05 09:00" in track
    assert "2027-01-05 09:00" in track and "暂按工作日计算" not in track


def test_new_requests_after_2027_is_complete_are_final(world, three_days):
    enter_2027(world)
    case = make_case(world, now=DEC_30)
    assert case.resolve_due_at == datetime(2027, 1, 5, 9, 0, tzinfo=TZ)
    assert not case.due_provisional


def test_the_worker_runs_it_as_a_periodic_job(world, three_days):
    case = make_case(world, now=DEC_30)
    enter_2027(world)
    jobs = dict(PERIODIC_JOBS)
    assert jobs["cases.provisional_deadlines"](datetime(2026, 12, 31, 9, tzinfo=TZ))["changed"] == 1
    case.refresh_from_db()
    assert case.resolve_due_at.date() == date(2027, 1, 5)


def test_on_time_flag_and_rollup_follow_the_official_deadline(world, three_days):
    case = make_case(world, now=DEC_30)
    handler = world.users["grid_a1"]
    s.case_accept(case=case, actor=handler, now=datetime(2026, 12, 30, 10, tzinfo=TZ))
    # resolved after the provisional deadline (01-04 09:00), before the official one (01-05 09:00)
    s.case_resolve(
        case=case, actor=handler, resolution="已修好", now=datetime(2027, 1, 4, 20, tzinfo=TZ)
    )
    case.refresh_from_db()
    assert case.resolved_on_time is False
    stat = CaseStat.objects.get(handler=handler)
    assert (stat.resolved, stat.resolved_on_time) == (1, 0)

    enter_2027(world)
    _recount(datetime(2027, 1, 4, 21, tzinfo=TZ))
    case.refresh_from_db()
    assert case.resolved_on_time is True
    stat.refresh_from_db()
    assert (stat.resolved, stat.resolved_on_time) == (1, 1)
    grouped = {(r["stat_month"], r["owner_user_id"]): r for r in stats_grouped()}
    assert grouped[(stat.month, handler.pk)]["resolved_on_time"] == stat.resolved_on_time


def test_accept_deadline_in_working_days_and_its_on_time_flag(world):
    DeadlineRule.objects.update_or_create(
        category=category("infra-light"),
        priority=Priority.NORMAL,
        defaults={
            "accept_amount": 1,
            "accept_unit": DueUnit.WORKDAYS,
            "resolve_amount": 3,
            "resolve_unit": DueUnit.WORKDAYS,
        },
    )
    case = make_case(world, now=datetime(2026, 12, 31, 9, tzinfo=TZ))
    assert case.accept_due_at == datetime(2027, 1, 1, 9, tzinfo=TZ)  # 元旦, Monday–Friday
    assert set(case.due_basis) == {"accept", "resolve"}
    s.case_accept(case=case, actor=world.users["grid_a1"], now=datetime(2027, 1, 1, 12, tzinfo=TZ))
    case.refresh_from_db()
    assert case.accepted_on_time is False
    enter_2027(world)
    _recount(datetime(2027, 1, 1, 13, tzinfo=TZ))
    case.refresh_from_db()
    assert case.accept_due_at == datetime(2027, 1, 4, 9, tzinfo=TZ)
    assert case.resolve_due_at == datetime(2027, 1, 6, 9, tzinfo=TZ)
    assert case.accepted_on_time is True
    assert CaseStat.objects.get(handler=world.users["grid_a1"]).accepted_on_time == 1
    note = CaseEvent.objects.get(case=case, kind=EventKind.DEADLINE).note
    assert "签收时限由 2027-01-01 09:00 调整为 2027-01-04 09:00" in note
    assert "办结时限由 2027-01-05 09:00 调整为 2027-01-06 09:00" in note


def test_a_deadline_reaching_into_another_missing_year_waits(world):
    DeadlineRule.objects.update_or_create(
        category=category("infra-light"),
        priority=Priority.NORMAL,
        defaults={
            "accept_amount": 24,
            "accept_unit": DueUnit.HOURS,
            "resolve_amount": 5,
            "resolve_unit": DueUnit.WORKDAYS,
        },
    )
    case = make_case(world, now=datetime(2027, 12, 29, 9, tzinfo=TZ))  # into 2028
    assert case.due_provisional
    enter_2027(world)
    result = _recount(datetime(2027, 12, 29, 10, tzinfo=TZ))
    assert (result.counted, result.waiting) == (0, 1)
    case.refresh_from_db()
    assert case.due_provisional


def test_an_approved_extension_is_not_provisional(world, three_days):
    case = make_case(world, now=DEC_30)
    handler = world.users["grid_a1"]
    s.case_accept(case=case, actor=handler, now=datetime(2026, 12, 30, 10, tzinfo=TZ))
    s.case_extension_request(
        case=case,
        actor=handler,
        until=datetime(2027, 1, 8, 18, tzinfo=TZ),
        reason="等配件",
        now=datetime(2026, 12, 30, 11, tzinfo=TZ),
    )
    s.case_extension_decide(
        case=case,
        actor=world.users["town_a"],
        approve=True,
        now=datetime(2026, 12, 30, 12, tzinfo=TZ),
    )
    case.refresh_from_db()
    assert case.resolve_due_at == datetime(2027, 1, 8, 18, tzinfo=TZ)
    assert not case.due_provisional
    enter_2027(world)
    _recount(datetime(2026, 12, 30, 13, tzinfo=TZ))
    assert Case.objects.get(pk=case.pk).resolve_due_at == datetime(2027, 1, 8, 18, tzinfo=TZ)


def test_migration_marks_due_times_stored_before_this_change(world, three_days):
    """Requests stored before 0006 had Monday–Friday due times and no mark: 0007 finds them."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lianxin.cases.migrations.0007_mark_provisional_due_times")
    old = make_case(world, now=DEC_30)
    other = make_case(world, now=DEC_30)
    final = make_case(world, now=datetime(2026, 12, 1, 9, tzinfo=TZ))
    Case.objects.update(due_provisional=False, due_basis=None)  # as stored before 0006
    Case.objects.filter(pk=other.pk).update(
        resolve_due_at=datetime(2027, 1, 6, 9, tzinfo=TZ)
    )  # not a count
    migration.mark(apps, None)
    old.refresh_from_db()
    assert old.due_provisional and old.due_basis == {
        "resolve": {"from": "2026-12-30T09:00:00+08:00", "days": 3}
    }
    assert not Case.objects.get(pk=other.pk).due_provisional
    assert not Case.objects.get(pk=final.pk).due_provisional
    enter_2027(world)
    _recount(datetime(2026, 12, 30, 11, tzinfo=TZ))
    old.refresh_from_db()
    assert old.resolve_due_at == datetime(2027, 1, 5, 9, tzinfo=TZ)
