from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction

from lianxin.cases import services as s
from lianxin.cases.models import Case, CaseEvent, EventKind, Rating, State
from lianxin.cases.sweep import deadline_sweep
from lianxin.notifications.models import Notification
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2025, 6, 3, 9, 0, tzinfo=TZ)  # Tuesday


def snapshot():
    cases = list(
        Case.objects.order_by("pk").values(
            "pk",
            "state",
            "accept_warned_at",
            "accept_overdue_at",
            "resolve_warned_at",
            "resolve_overdue_at",
            "supervised_at",
            "supervising_unit",
            "rating",
            "closed_at",
        )
    )
    events = sorted(CaseEvent.objects.values_list("case_id", "kind", "created_at"))
    # Warnings are sent only while they can be heeded, so a late catch-up sends fewer of them;
    # the recorded state, the timeline and the 督办 notices are the same either way.
    notes = sorted(
        Notification.objects.filter(kind="supervise").values_list("recipient_id", "kind", "title")
    )
    return cases, events, notes


def build(world):
    a = make_case(world, now=T0)  # accept due T0+24h, resolve due +10 workdays
    b = make_case(world, now=T0)
    s.case_accept(case=b, actor=world.users["grid_a1"], now=T0 + timedelta(hours=1))
    c = make_case(world, now=T0)
    s.case_accept(case=c, actor=world.users["grid_a1"], now=T0 + timedelta(hours=1))
    s.case_resolve(
        case=c, actor=world.users["grid_a1"], resolution="好了", now=T0 + timedelta(hours=2)
    )
    return a, b, c


def test_warn_overdue_supervise_and_unrated_close(world):
    a, b, c = build(world)
    r = deadline_sweep(now=T0 + timedelta(hours=21))
    assert r.warned == 1 and r.overdue == 0
    a.refresh_from_db()
    assert a.accept_warned_at == T0 + timedelta(hours=20)
    r = deadline_sweep(now=T0 + timedelta(hours=25))
    assert r.overdue == 1 and r.supervised == 1
    a.refresh_from_db()
    assert a.accept_overdue_at == T0 + timedelta(hours=24)
    assert a.supervising_unit == world.village_a
    assert Notification.objects.filter(
        recipient=world.users["village_a"], kind="supervise"
    ).exists()
    assert a.events.filter(kind=EventKind.SUPERVISE, is_public=False).exists()
    # seven days after resolution an unrated request closes as 未评价
    deadline_sweep(now=T0 + timedelta(days=7, hours=3))
    c.refresh_from_db()
    assert c.state == State.CLOSED and c.rating == Rating.UNRATED
    assert c.closed_at == T0 + timedelta(days=7, hours=2)
    # b (accepted on time) resolves late -> completion overdue
    b.refresh_from_db()
    deadline_sweep(now=b.resolve_due_at + timedelta(minutes=1))
    b.refresh_from_db()
    assert b.resolve_overdue_at == b.resolve_due_at and b.resolve_warned_at is not None


def test_idempotent_when_run_twice(world):
    build(world)
    end = T0 + timedelta(days=20)
    # every hour ...
    t = T0
    while t <= end:
        deadline_sweep(now=t)
        t += timedelta(hours=1)
    hourly = snapshot()
    deadline_sweep(now=end)
    assert snapshot() == hourly  # twice: no change
    assert hourly[0][0]["accept_overdue_at"] is not None


def test_catch_up_after_missed_runs_gives_same_result(world):
    build(world)
    end = T0 + timedelta(days=20)
    sid = transaction.savepoint()
    t = T0
    while t <= end:
        deadline_sweep(now=t)
        t += timedelta(hours=3)
    every_three_hours = snapshot()
    transaction.savepoint_rollback(sid)
    assert snapshot() != every_three_hours
    deadline_sweep(now=end)
    once = snapshot()
    assert once == every_three_hours
    assert once[0][0]["accept_overdue_at"] == T0 + timedelta(hours=24)
    assert once[0][0]["accept_warned_at"] == T0 + timedelta(hours=20)


def test_late_accept_between_runs_still_marked(world):
    a = make_case(world, now=T0)
    deadline_sweep(now=T0 + timedelta(hours=1))
    s.case_accept(case=a, actor=world.users["grid_a1"], now=T0 + timedelta(hours=30))
    deadline_sweep(now=T0 + timedelta(hours=31))
    a.refresh_from_db()
    assert a.accept_overdue_at == T0 + timedelta(hours=24) and a.accepted_on_time is False


def test_sweep_command(world, capsys):
    make_case(world, now=T0)
    call_command("sweep", now=(T0 + timedelta(days=2)).isoformat())
    out = capsys.readouterr().out
    assert "overdue" in out or "超时" in out
    assert Case.objects.filter(accept_overdue_at__isnull=False).count() == 1


def test_worker_runs_the_sweep(world, capsys):
    from django.utils import timezone

    make_case(world, now=timezone.now() - timedelta(days=3))
    call_command("worker", once=True)
    assert "overdue" in capsys.readouterr().out
    assert Case.objects.filter(accept_overdue_at__isnull=False).count() == 1


def test_stale_warnings_are_recorded_but_not_sent(world):
    a = make_case(world, now=T0)
    s.case_accept(
        case=a, actor=world.users["grid_a1"], now=T0 + timedelta(hours=22)
    )  # after the warn time
    deadline_sweep(now=T0 + timedelta(days=3))
    a.refresh_from_db()
    assert a.accept_warned_at == T0 + timedelta(hours=20)  # the history is complete
    assert not Notification.objects.filter(kind="warning").exists()  # nobody is told about the past


def test_live_warning_is_sent(world):
    make_case(world, now=T0)
    deadline_sweep(now=T0 + timedelta(hours=21))
    assert Notification.objects.filter(kind="warning").exists()


def test_handled_in_the_window_leaves_the_candidates_once_warned(world):
    """Accepted (or resolved) in the warning window but before the deadline: warned, never overdue,
    and not read again by every later sweep (it used to stay a candidate for good)."""
    from lianxin.cases.sweep import sweep_candidates

    a = make_case(world, now=T0)  # accept due T0+24h, warned from T0+20h
    s.case_accept(case=a, actor=world.users["grid_a1"], now=T0 + timedelta(hours=23))
    b = make_case(world, now=T0)
    s.case_accept(case=b, actor=world.users["grid_a1"], now=T0 + timedelta(hours=1))
    b.refresh_from_db()
    s.case_resolve(
        case=b,
        actor=world.users["grid_a1"],
        resolution="好了",
        now=b.resolve_due_at - timedelta(hours=1),
    )
    later = b.resolve_due_at + timedelta(hours=1)
    assert {a.pk, b.pk} <= set(sweep_candidates(later).values_list("pk", flat=True))
    deadline_sweep(now=later)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.accept_warned_at == T0 + timedelta(hours=20) and a.accept_overdue_at is None
    assert b.resolve_warned_at == b.resolve_due_at - timedelta(hours=4)
    assert b.resolve_overdue_at is None
    assert not {a.pk, b.pk} & set(sweep_candidates(later).values_list("pk", flat=True))
    assert deadline_sweep(now=later + timedelta(days=1)).as_dict()["warned"] == 0
    # one handled after its deadline still gets its overdue mark
    c = make_case(world, now=T0)
    s.case_accept(case=c, actor=world.users["grid_a1"], now=T0 + timedelta(hours=30))
    assert c.pk in set(sweep_candidates(T0 + timedelta(hours=31)).values_list("pk", flat=True))
    deadline_sweep(now=T0 + timedelta(hours=31))
    c.refresh_from_db()
    assert c.accept_overdue_at == T0 + timedelta(hours=24)
