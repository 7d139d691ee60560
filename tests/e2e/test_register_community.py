"""Issue 9 item 4: a resident registers by phone choosing town → village with the searchable
picker; the village clerk confirms; the resident then sees their village's events."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_register_with_community_then_clerk_confirms(e2e_world, new_page, settings):
    from django.core.cache import cache

    from lianxin.accounts import sms
    from tests.events.factories import make_event

    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LocmemSmsBackend"
    sms.outbox.clear()
    cache.clear()
    w = e2e_world
    event = make_event(w)  # 东关社区村晚

    page = new_page(phone=True)
    page.goto("/accounts/register/")
    page.fill("input[name=phone]", "13987650001")
    page.fill("input[name=display_name]", "王大妈")
    page.fill("input[data-unit-filter=community]", "东关")  # one match: chosen by itself
    assert page.input_value("select[name=community]") == str(w.village_a.pk)
    page.fill("input[name=password1]", "Wushan-2026x")
    page.fill("input[name=password2]", "Wushan-2026x")
    page.click("button[type=submit]")
    page.wait_for_url("**/register/code/")
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    page.fill("input[name=code]", code)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "我的社区（待确认）" in page.content() and "城关镇 · 东关社区" in page.content()
    response = page.goto(f"/activities/{event.pk}/")
    assert response.status == 404

    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto("/org/residents/")
    row = clerk.locator("[data-testid=residence-row]:has-text('王大妈')")
    row.locator("[data-testid=residence-confirm]").click()
    clerk.wait_for_load_state("networkidle")
    assert "没有待确认的居民" in clerk.content()

    response = page.goto(f"/activities/{event.pk}/")
    assert response.status == 200 and "东关社区村晚" in page.content()
