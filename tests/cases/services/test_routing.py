"""Routing and ownership (services/routing.py): 签收, 派单, 转办, 退回, 上报."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lianxin.cases import services as s
from lianxin.cases.models import Channel, State
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_other_subtree_cannot_accept(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        s.case_accept(case=case, actor=world.users["village_b"])


def test_second_accept_is_refused(world):
    case = make_case(world)
    s.case_accept(case=case, actor=world.users["grid_a1"])
    with pytest.raises(s.CaseError, match="已由"):
        s.case_accept(case=case, actor=world.users["village_a"])


def test_dispatch_down_transfer_send_back_once(world):
    village = world.users["village_a"]
    case = make_case(world, channel=Channel.STAFF, created_by=village)
    case = s.case_dispatch(case=case, actor=village, to_unit=world.grid_a2)
    assert case.owner_unit == world.grid_a2 and case.state == State.SUBMITTED
    case = s.case_send_back(case=case, actor=village, reason="不属于本网格")
    assert case.owner_unit == world.village_a and case.sent_back
    case = s.case_dispatch(case=case, actor=village, to_unit=world.grid_a1)
    with pytest.raises(s.CaseError, match="退回过一次"):
        s.case_send_back(case=case, actor=world.users["grid_a1"], reason="再退")
    with pytest.raises(s.CaseError, match="转办理由"):
        s.case_transfer(case=case, actor=village, to_unit=world.department, reason=" ")
    case = s.case_transfer(case=case, actor=village, to_unit=world.department, reason="属住建职责")
    assert case.owner_unit == world.department
    s.case_accept(case=case, actor=world.users["dept"])


def test_dispatch_cannot_go_into_a_foreign_subtree(world):
    village = world.users["village_a"]
    case = make_case(world, channel=Channel.STAFF, created_by=village)
    with pytest.raises(s.CaseError):
        s.case_dispatch(case=case, actor=village, to_unit=world.grid_b1)


def test_escalate_goes_up_one_level(world):
    case = make_case(world)
    case = s.case_escalate(case=case, actor=world.users["grid_a1"], reason="需社区协调")
    assert case.owner_unit == world.village_a
    case = s.case_escalate(case=case, actor=world.users["village_a"], reason="需镇里协调")
    assert case.owner_unit == world.town_a


def test_late_accept_is_not_on_time(world):
    now = timezone.now()
    case = make_case(world, now=now - timedelta(days=3))
    case = s.case_accept(case=case, actor=world.users["grid_a1"], now=now)
    assert case.accepted_on_time is False
