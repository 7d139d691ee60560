"""The workbench's 已超时 tab lists both kinds of overdue request, each labelled:
超时未签收 (accept deadline passed, not signed for) and 超时未办结 (completion deadline passed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.cases import services as s
from tests.cases.factories import make_case
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def test_overdue_tab_shows_both_kinds_labelled(world, login):
    past = timezone.now() - timedelta(days=30)  # both deadlines long passed
    make_case(world, title="无人签收的诉求", now=past)
    taken = make_case(world, title="签收未办结的诉求", now=past)
    s.case_accept(case=taken, actor=world.users["grid_a1"], now=past + timedelta(hours=1))
    body = (
        login(world.users["village_a"])
        .get(reverse("cases:workbench") + "?view=overdue")
        .content.decode()
    )
    assert "无人签收的诉求" in body and "签收未办结的诉求" in body
    assert "超时未签收" in body and "超时未办结" in body
