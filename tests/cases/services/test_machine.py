"""The state machine (services/machine.py)."""

from __future__ import annotations

import pytest

from lianxin.cases import services as s
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_invalid_transition_raises_chinese_error(world):
    case = make_case(world)
    with pytest.raises(s.CaseError) as exc:
        s.case_resolve(case=case, actor=world.users["grid_a1"], resolution="x")
    assert "待签收" in exc.value.messages[0] and "办结" in exc.value.messages[0]
