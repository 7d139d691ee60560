"""The end of a request (services/closure.py): 办结, 评价, 不予受理, 合并, 重新办理."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lianxin.cases import services as s
from lianxin.cases.models import EventKind, Rating, State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_accept_start_resolve_evaluate_closes(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    case = s.case_accept(case=case, actor=grid)
    assert case.owner_user == grid and case.owner_unit is None and case.accepted_on_time
    case = s.case_start(case=case, actor=grid)
    case = s.case_resolve(case=case, actor=grid, resolution="已更换灯泡")
    assert case.state == State.RESOLVED and case.resolved_on_time
    case = s.case_evaluate(
        case=case, rating=Rating.SATISFIED, comment="很快", user=world.users["resident_a"]
    )
    assert case.state == State.CLOSED and case.rating == Rating.SATISFIED


def test_reject_needs_reason_and_is_public(world):
    case = make_case(world)
    with pytest.raises(s.CaseError):
        s.case_reject(case=case, actor=world.users["grid_a1"], reason="")
    case = s.case_reject(case=case, actor=world.users["grid_a1"], reason="属司法程序，请走诉讼")
    assert case.state == State.REJECTED
    assert case.events.public().filter(kind=EventKind.REJECT, note__contains="诉讼").exists()


def test_merge(world):
    a = make_case(world)
    b = make_case(world)
    b = s.case_merge(case=b, actor=world.users["grid_a1"], into=a)
    assert b.state == State.MERGED and b.merged_into == a
    with pytest.raises(s.CaseError):
        s.case_merge(case=a, actor=world.users["grid_a1"], into=a)
    foreign = make_case(world, grid=world.grid_b1, reporter="resident_b")
    with pytest.raises(s.CaseError):
        s.case_merge(case=a, actor=world.users["grid_a1"], into=foreign)


def test_unsatisfied_reopens_to_level_above(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    case = s.case_evaluate(
        case=case, rating=Rating.UNSATISFIED, comment="没修好", phone="13900000001"
    )
    assert case.state == State.REOPENED and case.owner_unit == world.village_a
    assert case.reopen_count == 1 and case.resolve_due_at is not None
    s.case_accept(case=case, actor=world.users["village_a"])


def test_evaluate_needs_reporter(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    with pytest.raises(PermissionDenied):
        s.case_evaluate(case=case, rating=Rating.SATISFIED, phone="13800000000")
    with pytest.raises(PermissionDenied):
        s.case_evaluate(case=case, rating=Rating.SATISFIED, user=world.users["resident_b"])


def test_reopen_by_town(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    s.case_resolve(case=case, actor=grid, resolution="已处理")
    s.case_close(case=case, actor=grid)
    with pytest.raises(PermissionDenied):
        s.case_reopen(case=case, actor=grid, reason="x")
    case = s.case_reopen(case=case, actor=world.users["town_a"], reason="群众再次反映")
    assert case.state == State.REOPENED and case.owner_unit == world.grid_a1
