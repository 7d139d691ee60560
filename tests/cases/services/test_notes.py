"""Internal notes (services/notes.py)."""

from __future__ import annotations

import pytest

from lianxin.cases import services as s
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_internal_note_is_not_public(world):
    case = make_case(world)
    s.case_note(case=case, actor=world.users["village_a"], note="内部备注金丝雀")
    assert not case.events.public().filter(note__contains="金丝雀").exists()
    assert case.events.filter(note__contains="金丝雀").exists()
