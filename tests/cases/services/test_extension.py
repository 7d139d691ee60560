"""延期 (services/extension.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from lianxin.cases import services as s
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_extension_once_and_approved_by_level_above(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    later = case.resolve_due_at + timedelta(days=3)
    case = s.case_extension_request(case=case, actor=grid, until=later, reason="需采购配件")
    with pytest.raises(PermissionDenied):
        s.case_extension_decide(case=case, actor=grid, approve=True)
    case = s.case_extension_decide(case=case, actor=world.users["village_a"], approve=True)
    assert case.resolve_due_at == later
    with pytest.raises(s.CaseError, match="一次"):
        s.case_extension_request(
            case=case, actor=grid, until=later + timedelta(days=1), reason="再延"
        )


def test_extension_refused_keeps_deadline(world):
    case = make_case(world)
    grid = world.users["grid_a1"]
    s.case_accept(case=case, actor=grid)
    due = case.resolve_due_at
    s.case_extension_request(case=case, actor=grid, until=due + timedelta(days=1), reason="忙")
    case = s.case_extension_decide(case=case, actor=world.users["town_a"], approve=False)
    assert case.resolve_due_at == due and case.extension_state == "refused"
