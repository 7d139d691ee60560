"""Months are the county's calendar months (Asia/Shanghai), also in the first hours of a month,
when UTC is still in the previous one: 00:30 on New Year's Day is 16:30 on 31 December in UTC."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from lianxin.cases import rates
from tests.cases.factories import make_case
from tests.clock import SHANGHAI

NEW_YEAR = datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.clock(NEW_YEAR)]


def _two_sides(world):
    late = make_case(
        world, title="除夕夜路灯不亮", now=datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI)
    )
    early = make_case(
        world, title="元旦凌晨路灯不亮", now=datetime(2027, 1, 1, 0, 10, tzinfo=SHANGHAI)
    )
    return late, early


def test_rates_count_a_request_in_its_local_month(world):
    _two_sides(world)
    admin = world.users["county_admin"]
    assert rates.rates_total(user=admin, month="2027-01").total == 1
    assert rates.rates_total(user=admin, month="2026-12").total == 1
    assert [r.label for r in rates.rates_by(user=admin, dimension="month")] == [
        "2026-12",
        "2027-01",
    ]


def test_pages_open_on_the_local_month_and_list_its_requests(world, login):
    late, early = _two_sides(world)
    c = login(world.users["county_admin"])
    assert c.get(reverse("cases:rates")).context["month"] == "2027-01"
    assert c.get(reverse("cases:ranking")).context["month"] == "2027-01"
    listed = c.get(reverse("cases:workbench") + "?month=2027-01").content.decode()
    assert early.code in listed and late.code not in listed
    listed = c.get(reverse("cases:workbench") + "?month=2026-12").content.decode()
    assert late.code in listed and early.code not in listed
