"""Training coverage follows the programme's rule: all sessions by default, or at least N of M.
One session of three is not trained; those short of the rule are listed with what they missed."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.events import selectors, services
from lianxin.events.models import EventKind
from lianxin.org.models import Role
from tests.clock import PINNED_AT
from tests.events.factories import make_event

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def _programme(world, min_sessions=None):
    prog = services.programme_create(
        actor=world.users["town_a"],
        unit=world.town_a,
        title="社区书记轮训",
        year=2026,
        required_role=Role.PARTY_MEMBER,
        min_sessions=min_sessions,
    )
    sessions = [
        make_event(
            world,
            kind=EventKind.TRAINING,
            programme=prog,
            starts_in=timedelta(minutes=5 + i),
            actor=world.users["town_a"],
            title=f"第{i + 1}讲",
        )
        for i in range(3)
    ]
    return prog, sessions


def test_one_session_of_three_is_not_trained_by_default(world):
    prog, sessions = _programme(world)
    services.checkin(actor=world.users["party_a"], event=sessions[0])
    cov = selectors.programme_coverage(programme=prog)
    assert cov["required"] == 1 and cov["attended"] == 0 and cov["rate"] == 0.0
    (short,) = cov["short"]
    assert short["user"] == world.users["party_a"] and short["attended"] == 1
    assert [e.title for e in short["missed"]] == ["第2讲", "第3讲"]
    for e in sessions[1:]:
        services.checkin(actor=world.users["party_a"], event=e)
    cov = selectors.programme_coverage(programme=prog)
    assert cov["attended"] == 1 and cov["short"] == [] and cov["missing"] == []


def test_at_least_n_of_m(world):
    prog, sessions = _programme(world, min_sessions=2)
    services.checkin(actor=world.users["party_a"], event=sessions[0])
    assert selectors.programme_coverage(programme=prog)["attended"] == 0
    services.checkin(actor=world.users["party_a"], event=sessions[2])
    cov = selectors.programme_coverage(programme=prog)
    assert cov["attended"] == 1 and cov["rate"] == 1.0 and "2" in cov["rule"]


def test_page_and_export_state_the_rule_and_the_missed_sessions(world, login):
    prog, sessions = _programme(world)
    services.checkin(actor=world.users["party_a"], event=sessions[0])
    c = login(world.users["town_a"])
    body = c.get(reverse("events:programme_detail", args=[prog.pk])).content.decode()
    assert 'data-testid="training-rule"' in body and "全部 3 场" in body
    assert 'data-testid="missed-sessions"' in body and "第2讲" in body and "第3讲" in body
    r = c.get(reverse("events:programme_export", args=[prog.pk]))
    wb = load_workbook(io.BytesIO(r.content))
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    line = next(row for row in rows if row and "第2讲" in str(row[-1] or ""))
    assert line[-2] == 1 and "第3讲" in line[-1] and "第1讲" not in line[-1]
