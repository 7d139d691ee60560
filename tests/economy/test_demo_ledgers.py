"""The demo's ledgers: 村均 at the seed's 21.35 万, 两新 coverage at its rates, alliances with
members and activities' units, and a second run that changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lianxin.economy import demo
from lianxin.economy.models import VillageIncome
from lianxin.economy.selectors import summary
from lianxin.economy.selectors_two_new import two_new_ledger
from lianxin.org.models import AllianceMember, Unit, UnitKind
from tests.clock import PINNED_AT
from tests.economy.factories import demo_context

pytestmark = pytest.mark.django_db


def _ctx(world):
    return demo_context(world)


@pytest.mark.clock(PINNED_AT)  # the latest complete year is 2025
def test_demo_ledgers_reach_the_seed_figures_and_a_second_run_changes_nothing(world):
    demo.demo_build(_ctx(world))
    admin = world.users["county_admin"]
    figures = summary(user=admin, year=2025).scope
    assert figures.average is not None and abs(figures.average - Decimal("213500")) < 1000
    rates = {label: r for label, _c, _t, r in two_new_ledger(user=admin).scope.by_kind}
    assert list(rates.values()) == [Decimal("94.9"), Decimal("93.0"), Decimal("87.5")]
    alliances = Unit.objects.filter(kind=UnitKind.ALLIANCE)
    assert alliances.count() == 4
    for a in alliances:
        assert AllianceMember.objects.filter(alliance=a).exists()
    counts = (
        VillageIncome.objects.count(),
        Unit.objects.count(),
        AllianceMember.objects.count(),
    )
    demo.demo_build(_ctx(world))
    again = (VillageIncome.objects.count(), Unit.objects.count(), AllianceMember.objects.count())
    assert again == counts
