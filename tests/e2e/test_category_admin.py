"""诉求分类与时限 in the browser (issue 9 item 4): the county administrator opens the screen from
the menu, is refused a 签收 longer than 办结 with a message on the page, then saves a new rule,
which the next request dispatched uses while the request already dispatched keeps its due time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_county_admin_edits_a_deadline_rule_on_the_screen(e2e_world, new_page):
    from lianxin.audit.models import AuditEvent
    from lianxin.cases.models import DeadlineRule
    from tests.cases.factories import category, make_case

    light = category("infra-light")  # inherits 基础设施: normal 24 h / 10 working days
    before = make_case(e2e_world, cat="infra-light")
    admin = e2e_world.users["county_admin"]

    page = new_page()
    log_in(page, admin.username)
    page.click("nav >> text=诉求")  # the 诉求 menu group
    page.click("a[href='/cases/categories/']")
    page.wait_for_url("**/cases/categories/")
    row = page.locator("[data-testid=rule-infra-light-normal]")
    assert "24 小时 / 10 个工作日" in row.inner_text() and "沿用上级" in row.inner_text()

    page.click("[data-testid=rules-infra-light]")
    page.wait_for_url(f"**/cases/categories/{light.pk}/rules/")
    # 签收 longer than 办结: refused on the page, nothing saved.
    page.uncheck("input[name=normal_inherit]")
    page.fill("input[name=normal_accept_amount]", "30")
    page.select_option("select[name=normal_accept_unit]", "hours")
    page.fill("input[name=normal_resolve_amount]", "1")
    page.select_option("select[name=normal_resolve_unit]", "workdays")
    page.click("[data-testid=rules-save]")
    page.wait_for_load_state("networkidle")
    assert "签收时限不能长于办结时限" in page.content()
    assert not DeadlineRule.objects.filter(category=light).exists()

    # A valid rule: 6 hours to sign for, 2 working days to complete.
    page.fill("input[name=normal_accept_amount]", "6")
    page.fill("input[name=normal_resolve_amount]", "2")
    page.click("[data-testid=rules-save]")
    page.wait_for_url("**/cases/categories/")
    assert "今后派单的诉求按新规则计算" in page.content()
    row = page.locator("[data-testid=rule-infra-light-normal]")
    assert "6 小时 / 2 个工作日" in row.inner_text() and "沿用上级" not in row.inner_text()

    rule = DeadlineRule.objects.get(category=light, priority="normal")
    assert (rule.accept_amount, rule.accept_unit, rule.resolve_amount, rule.resolve_unit) == (
        6,
        "hours",
        2,
        "workdays",
    )
    assert AuditEvent.objects.filter(
        target_type="cases.category", target_id=str(light.pk), action="update"
    ).exists()
    kept = type(before).objects.get(pk=before.pk)
    assert kept.accept_due_at == before.accept_due_at == before.dispatched_at + timedelta(hours=24)
    after = make_case(e2e_world, cat="infra-light")
    assert after.accept_due_at == after.dispatched_at + timedelta(hours=6)
