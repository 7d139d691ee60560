"""The monthly brief: its figures are the dashboard's, its PDF renders the right Chinese and the
right figures (read back by text extraction), its .xlsx is formula-safe, personal data masked."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lianxin.cases.rates import rates_total
from lianxin.dashboards.rollup import build_month
from lianxin.dashboards.selectors import dashboard_figures, format_value
from lianxin.reports import services
from lianxin.reports.selectors import system_actor
from lianxin.reports.selectors_brief import brief_build
from tests.reports.conftest import last_month, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def brief_town(world, month_cases):
    build_month(last_month())
    return brief_build(actor=world.users["town_a"], unit=world.town_a, month=last_month())


@pytest.fixture
def brief_county(world, month_cases):
    build_month(last_month())
    return brief_build(actor=world.users["county_admin"], unit=world.county, month=last_month())


def test_town_figures_are_the_dashboards_and_the_rates_pages(world, brief_town):
    clerk = world.users["town_a"]
    dash = dashboard_figures(actor=clerk, unit=world.town_a, month=last_month())
    assert [(f.key, f.value) for f in brief_town.headline] == [
        (f.key, f.value) for f in dash.figures
    ]
    assert brief_town.total.rates.total == 3  # town B's request is not counted
    assert brief_town.total.rates.total == dash.figure("cases_total").value
    for key in ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate"):
        assert getattr(brief_town.total.rates, key) == pytest.approx(
            float(dash.figure(key).value) if dash.figure(key).value is not None else None
        )
    # The town clerk's own rates page over the same month says the same.
    page = rates_total(user=clerk, month=brief_town.month_text)
    assert page.total == brief_town.total.rates.total
    assert page.response_rate == brief_town.total.rates.response_rate
    assert [c.label for c in brief_town.children] == ["东关社区"]
    assert brief_town.children[0].rates.total == 3


def test_a_brief_reads_the_same_whoever_generates_it(world, brief_town):
    again = brief_build(actor=system_actor(), unit=world.town_a, month=last_month())
    assert [(f.key, f.value) for f in again.headline] == [
        (f.key, f.value) for f in brief_town.headline
    ]
    assert again.total.rates == brief_town.total.rates
    assert [o.code for o in again.overdue] == [o.code for o in brief_town.overdue]


def test_county_ranks_towns_and_lists_overdue_requests(world, brief_county, month_cases):
    labels = [c.label for c in brief_county.children]
    assert {"城关镇", "洛门镇", "县住建局"} <= set(labels)
    assert brief_county.total.rates.total == 4
    bottom = [b.label for b in brief_county.bottom]
    assert bottom and bottom[0] == "城关镇"  # two of its three requests overdue: the worst
    codes = {o.code for o in brief_county.overdue}
    assert codes == {month_cases["a2"].code, month_cases["a3"].code}
    town_a = next(b for b in brief_county.bottom if b.label == "城关镇")
    assert town_a.overdue == 2


def test_pdf_renders_chinese_and_the_figures(world, brief_county, month_cases):
    data = services.brief_pdf(brief_county)
    assert data[:5] == b"%PDF-"
    text = pdf_text(data)
    month = brief_county.month
    compact = text.replace("\n", "").replace(" ", "")
    assert f"武山县{month.year}年{month.month}月工作简报" in compact
    for words in (
        "主要数据",
        "三率统计",
        "末位单位及超时诉求",
        "城关镇",
        "洛门镇",
        "响应率",
        "解决率",
    ):
        assert words in compact, words
    # the headline figures, as the dashboard shows them
    for f in brief_county.headline:
        assert f.label.replace(" ", "") in compact, f.label
    for key in ("cases_total", "response_rate", "resolution_rate"):
        assert brief_county.dashboard.figure(key).display in text, key
    # each town's row of the rates table: its count and its rates
    for line in brief_county.children:
        r = line.rates
        for value in (r.response_rate, r.resolution_rate):
            if value is not None:
                assert format_value(value, "rate") in text
    assert month_cases["a2"].code in compact and month_cases["a3"].code in compact
    # personal data never printed: the residents' names and phones
    for case in month_cases.values():
        assert case.reporter_phone not in compact
        assert case.reporter_name not in compact


def test_xlsx_sections_and_formula_safety(world, brief_county, month_cases):
    wb = load_workbook(io.BytesIO(services.brief_xlsx(brief_county)))
    assert wb.sheetnames[:5] == ["主要数据", "趋势", "三率统计", "末位单位", "超时诉求"]
    head = {r[0]: r for r in wb["主要数据"].iter_rows(min_row=3, values_only=True)}
    assert head["诉求数"][1] == 4
    rate = brief_county.dashboard.figure("response_rate").value
    assert head["响应率"][2] == pytest.approx(float(rate) if rate is not None else None)
    rates = {r[0]: r for r in wb["三率统计"].iter_rows(min_row=3, values_only=True)}
    assert rates["城关镇"][1] == 3 and rates["洛门镇"][1] == 1
    overdue = list(wb["超时诉求"].iter_rows(min_row=3, values_only=True))
    titles = {r[1] for r in overdue}
    assert '=HYPERLINK("x")井盖缺失' in titles
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    flat = " ".join(
        str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r
    )
    for case in month_cases.values():
        assert case.reporter_phone not in flat


def test_town_brief_has_the_ledger(world, month_cases):
    from decimal import Decimal

    from lianxin.economy.models import VillageIncome

    year = last_month().year
    VillageIncome.objects.create(
        village=world.village_a, year=year, operating=Decimal("30000"), subsidy=Decimal("10000")
    )
    build_month(last_month())
    brief = brief_build(actor=world.users["town_a"], unit=world.town_a, month=last_month())
    assert brief.ledger is not None and brief.ledger.year == year
    assert brief.ledger.scope.total == Decimal("40000")
    assert brief.ledger.weak == [("城关镇", "东关社区", Decimal("40000.00"))]
    text = pdf_text(services.brief_pdf(brief)).replace("\n", "")
    assert "村级集体经济" in text and "40,000.00" in text
