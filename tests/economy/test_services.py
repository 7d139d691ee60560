from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.economy.models import VillageIncome
from lianxin.economy.services import income_set
from tests.clock import PINNED_AT

pytestmark = pytest.mark.django_db

AMOUNTS = {"operating": "120000", "contracting": "30000.5", "subsidy": "", "tourism": "1,000"}


def test_village_staff_sets_and_updates_its_own_income(world):
    row, outcome = income_set(
        actor=world.users["village_a"], village=world.village_a, year=2025, amounts=AMOUNTS
    )
    assert outcome == "created"
    assert row.total == Decimal("151000.50")
    assert row.subsidy == 0 and row.updated_by == world.users["village_a"]
    row, outcome = income_set(
        actor=world.users["town_a"], village=world.village_a, year="2025", amounts=AMOUNTS
    )
    assert outcome == "unchanged"
    row, outcome = income_set(
        actor=world.users["county_admin"],
        village=world.village_a,
        year=2025,
        amounts={**AMOUNTS, "operating": "130000"},
    )
    assert outcome == "updated" and row.operating == Decimal("130000.00")
    assert VillageIncome.objects.count() == 1
    events = AuditEvent.objects.filter(target_type__icontains="villageincome").order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events.last().extra["before"]["operating"] == "120000.00"


@pytest.mark.parametrize(
    "actor", ["village_b", "town_b", "grid_a1", "supervisor", "dept", "resident_a"]
)
def test_others_are_refused(world, actor):
    with pytest.raises(PermissionDenied):
        income_set(actor=world.users[actor], village=world.village_a, year=2025, amounts=AMOUNTS)
    assert not VillageIncome.objects.exists()


def test_only_villages_have_a_ledger(world):
    with pytest.raises(PermissionDenied):
        income_set(actor=world.users["county_admin"], village=world.town_a, year=2025, amounts={})


@pytest.mark.parametrize(
    ("year", "amounts", "needle"),
    [
        (2027, {}, "未来年度"),
        (1999, {}, "不能早于"),
        ("二〇二五", {}, "四位数字"),
        (2025, {"operating": "-1"}, "不能为负数"),
        (2025, {"subsidy": "2000000000"}, "超过 10 亿元"),
        (2025, {"other": "abc"}, "应是数字"),
        (2025, {"other": "NaN"}, "应是数字"),
    ],
)
@pytest.mark.clock(PINNED_AT)  # asserts this quarter/year: the moment is part of the test
def test_bad_input_is_refused_in_chinese(world, year, amounts, needle):
    with pytest.raises(ValidationError) as info:
        income_set(
            actor=world.users["county_admin"], village=world.village_a, year=year, amounts=amounts
        )
    assert needle in " ".join(info.value.messages)
    assert not VillageIncome.objects.exists()


def test_this_year_is_allowed(world):
    """The pinned clock is 2026-11-18: 2026 is this year, not the future."""
    row, _ = income_set(
        actor=world.users["county_admin"], village=world.village_a, year=2026, amounts={}
    )
    assert row.year == 2026 and row.total == 0
