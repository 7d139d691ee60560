"""The brief's ledger summary: 两新组织 coverage equals the 两新 ledger's own figures for the
same scope (PDF and .xlsx), by town in the county's brief; none for grids and departments."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lianxin.dashboards.rollup import build_month
from lianxin.economy.selectors_two_new import two_new_ledger
from lianxin.reports import services
from lianxin.reports.selectors import system_actor
from lianxin.reports.selectors_brief import brief_build
from tests.economy.liangxin_factories import liangxin_world
from tests.reports.conftest import last_month, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(world):
    made = liangxin_world(world)
    build_month(last_month())
    return made


def test_town_coverage_is_the_town_clerks_ledger(world, orgs):
    clerk = world.users["town_a"]
    brief = brief_build(actor=system_actor(), unit=world.town_a, month=last_month())
    ledger = two_new_ledger(user=clerk)
    tn = brief.two_new
    assert tn is not None and tn.lines == []
    assert (tn.scope.covered, tn.scope.total) == (ledger.scope.all_covered, ledger.scope.all_total)
    assert (tn.scope.covered, tn.scope.total) == (2, 3)
    assert tn.scope.rate == Decimal("66.7") == ledger.scope.rate
    assert tn.scope.by_kind == ledger.scope.by_kind
    assert tn.uncovered == [("城关镇", "惠民超市", "非公经济组织")]


def test_county_brief_lists_each_town_and_the_county_direct_units(world, orgs):
    brief = brief_build(actor=world.users["county_admin"], unit=world.county, month=last_month())
    ledger = two_new_ledger(user=world.users["county_admin"])
    tn = brief.two_new
    assert (tn.scope.covered, tn.scope.total) == (3, 6)
    assert tn.scope.rate == ledger.scope.rate == Decimal("50.0")
    by_label = {line.label: (line.covered, line.total) for line in tn.lines}
    assert by_label == {"城关镇": (2, 3), "洛门镇": (1, 2), "县直": (0, 1)}
    text = pdf_text(services.brief_pdf(brief)).replace("\n", "").replace(" ", "")
    assert "两新组织党组织覆盖" in text
    assert "3/650.0%" in text  # the county's row: covered/total rate
    assert "2/366.7%" in text and "洛门老年协会" in text and "县直物流公司" in text
    # the shop's registered phone is never printed
    assert "13912345678" not in text
    wb = load_workbook(io.BytesIO(services.brief_xlsx(brief)))
    rows = {r[0]: r for r in wb["两新覆盖"].iter_rows(min_row=3, values_only=True)}
    assert rows["城关镇"][-3:] == (3, 2, pytest.approx(2 / 3, abs=0.001))
    assert rows["武山县"][-3:] == (6, 3, pytest.approx(0.5))
    missing = {r[1] for r in wb["未覆盖"].iter_rows(min_row=3, values_only=True)}
    assert missing == {"惠民超市", "洛门老年协会", "县直物流公司"}


def test_a_village_brief_counts_only_its_own(world, orgs):
    brief = brief_build(actor=system_actor(), unit=world.village_a, month=last_month())
    assert (brief.two_new.scope.covered, brief.two_new.scope.total) == (0, 1)


def test_no_coverage_for_grids_and_departments(world, orgs):
    for unit in (world.grid_a1, world.department):
        brief = brief_build(actor=system_actor(), unit=unit, month=last_month())
        assert brief.two_new is None
        assert "两新组织党组织覆盖" not in pdf_text(services.brief_pdf(brief))


def test_a_town_with_no_organisations_says_so(world):
    build_month(last_month())
    brief = brief_build(actor=system_actor(), unit=world.town_b, month=last_month())
    assert brief.two_new.scope.total == 0 and brief.two_new.scope.rate is None
    text = pdf_text(services.brief_pdf(brief)).replace("\n", "")
    assert "本单位范围内没有登记的两新组织" in text
    assert "暂无村级集体经济填报数据" in text


def test_an_organisations_name_is_never_a_formula(world, orgs):
    from tests.core.test_spreadsheets import assert_no_formulas
    from tests.economy.liangxin_factories import liangxin

    liangxin(world.town_a, "620524100000-E09", '=HYPERLINK("http://x")公司')
    brief = brief_build(actor=world.users["town_a"], unit=world.town_a, month=last_month())
    data = services.brief_xlsx(brief)
    assert_no_formulas(data)
    wb = load_workbook(io.BytesIO(data))
    names = {r[1] for r in wb["未覆盖"].iter_rows(min_row=3, values_only=True)}
    assert '=HYPERLINK("http://x")公司' in names
