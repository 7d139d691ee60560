"""Selectors of 阵地规范化 (moved from tests/venues/test_selectors.py with their code)."""

from __future__ import annotations

import pytest

from lianxin.compliance import selectors, services
from tests.compliance import factories as c
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


def test_signage_check_marks_give_the_form_its_earlier_answers(world):
    assert selectors.signage_check_marks(check=None) == (None, "")
    check = c.signage_check_for(world, f.venue_a(world))
    present, extras = selectors.signage_check_marks(check=check)
    assert present == {s.pk for s in c.standards()[1:]}
    assert extras == "甲阵地多挂牌"


def test_checklists_active_only(world):
    cl = c.checklist()
    retired = services.checklist_create(
        actor=world.users["county_admin"], name="旧清单", lines="卫生|地面整洁|10"
    )
    retired.is_active = False
    retired.save()
    assert set(selectors.checklists()) == {cl, retired}
    assert list(selectors.checklists(active_only=True)) == [cl]
    assert list(selectors.checklists(active_only=True))[0].n_items == cl.items.count()
