"""The brief's 督办问责 section: the month's orders and accountability decisions of the unit's
subtree, equal to supervision's own month summary, in the PDF and the .xlsx; nothing of a
sibling subtree."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lianxin.dashboards.rollup import build_month
from lianxin.reports import services
from lianxin.reports.selectors import system_actor
from lianxin.reports.selectors_brief import brief_build
from lianxin.supervision import services as supervision
from tests.reports.conftest import in_last_month, last_month, pdf_text
from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(world):
    o1 = issue(world, now=in_last_month(3), hours=48)
    supervision.order_reply(
        actor=world.users["village_a"], order=o1, reply="已经处理完成。", now=in_last_month(4)
    )
    supervision.order_accept(actor=world.users["town_a"], order=o1, now=in_last_month(5))
    issue(world, now=in_last_month(6), hours=24)  # never answered
    issue(world, actor="supervisor", unit=world.town_b, now=in_last_month(7))  # town B's
    decide(world, kind="rectify", now=in_last_month(8))
    build_month(last_month())


def _rows(brief):
    return dict(brief.supervision)


def test_town_brief_counts_its_subtree_only(world, orders):
    brief = brief_build(actor=system_actor(), unit=world.town_a, month=last_month())
    rows = _rows(brief)
    assert rows["发出督办"] == 2
    assert rows["收到回复"] == 1
    assert rows["验收通过"] == 1
    assert rows["逾期未回复"] == 1
    assert rows["月末尚未验收"] == 1
    assert rows["问责：限期整改"] == 1 and rows["问责：约谈"] == 0
    other = _rows(brief_build(actor=system_actor(), unit=world.town_b, month=last_month()))
    assert other["发出督办"] == 1 and other["问责：限期整改"] == 0


def test_section_in_the_pdf_and_the_workbook(world, orders):
    brief = brief_build(actor=world.users["county_admin"], unit=world.county, month=last_month())
    assert _rows(brief)["发出督办"] == 3
    text = pdf_text(services.brief_pdf(brief)).replace("\n", "").replace(" ", "")
    assert "七、督办问责" in text and "发出督办3" in text
    wb = load_workbook(io.BytesIO(services.brief_xlsx(brief)))
    got = {r[0]: r[1] for r in wb["督办问责"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert got["发出督办"] == 3 and got["问责：限期整改"] == 1


def test_a_month_without_orders_shows_zeros(world):
    build_month(last_month())
    rows = _rows(brief_build(actor=system_actor(), unit=world.town_a, month=last_month()))
    assert set(rows.values()) == {0}
