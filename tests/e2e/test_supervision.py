"""督办 in Chromium: the county supervisor issues an order on an overdue request from the request's
page, addressed to the town; the town clerk replies; the supervisor re-issues, the clerk answers
again and the supervisor accepts; the order, with both rounds, is on the town's record page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _due(days: int) -> str:
    return f"{timezone.localtime(timezone.now() + timedelta(days=days)):%Y-%m-%dT%H:%M}"


def _open_order(page, code: str) -> None:
    page.goto("/supervision/?box=received")
    page.click(f"[data-testid=order-row]:has-text('{code}')")
    page.wait_for_load_state("networkidle")


def test_order_issued_replied_reissued_accepted_and_on_the_unit_record(e2e_world, new_page):
    from lianxin.cases.models import Case
    from lianxin.supervision.models import SupervisionOrder
    from tests.cases.factories import make_case

    w = e2e_world
    case = make_case(w, title="东关路灯坏了半个月", now=timezone.now() - timedelta(days=30))
    assert Case.objects.overdue().filter(pk=case.pk).exists()

    sup = new_page()
    log_in(sup, "supervisor")
    sup.goto(f"/cases/{case.pk}/")
    sup.click("[data-testid=issue-order]")
    sup.wait_for_load_state("networkidle")
    sup.select_option("select[name=unit]", str(w.town_a.pk))
    sup.fill("input[name=title]", "路灯超时未修")
    sup.fill("textarea[name=instruction]", "请镇上立即协调修复并书面回复。")
    sup.fill("input[name=due_at]", _due(2))
    sup.click("[data-testid=issue-submit]")
    sup.wait_for_load_state("networkidle")
    order = SupervisionOrder.objects.get()
    assert order.unit == w.town_a and order.case == case
    assert sup.locator("[data-testid=order-state]").inner_text().startswith("待回复")

    clerk = new_page()
    log_in(clerk, "town_a")
    _open_order(clerk, order.code)
    clerk.fill("[data-testid=reply-form] textarea[name=reply]", "已通知电工，三日内修复。")
    clerk.click("[data-testid=reply-form] button[type=submit]")
    clerk.wait_for_load_state("networkidle")
    assert clerk.locator("[data-testid=order-state]").inner_text().startswith("待验收")

    sup.reload()
    sup.fill("[data-testid=reissue-form] textarea[name=instruction]", "请写明修复时间和责任人。")
    sup.fill("[data-testid=reissue-form] input[name=due_at]", _due(3))
    sup.click("[data-testid=reissue-form] button[type=submit]")
    sup.wait_for_load_state("networkidle")
    assert sup.locator("[data-testid=order-round]").count() == 2

    _open_order(clerk, order.code)
    clerk.fill("[data-testid=reply-form] textarea[name=reply]", "由城建办张某负责，周五前修复。")
    clerk.click("[data-testid=reply-form] button[type=submit]")
    clerk.wait_for_load_state("networkidle")

    sup.reload()
    sup.fill("[data-testid=accept-form] textarea[name=note]", "回复清楚，同意验收。")
    sup.click("[data-testid=accept-form] button[type=submit]")
    sup.wait_for_load_state("networkidle")
    assert sup.locator("[data-testid=order-state]").inner_text().startswith("已验收")
    order.refresh_from_db()
    assert order.state == "accepted" and order.round == 2

    clerk.goto(f"/org/u/{w.town_a.code}/")
    record = clerk.locator("[data-testid=supervision-record]")
    record.wait_for()
    assert order.code in record.inner_text() and "已验收" in record.inner_text()
