"""Issue 15 bullet 8, the residents' stories (the grid worker's offline one is
tests/e2e/test_field_offline.py):

* an elder on a 390-px phone in 长辈版 submits a request, is told it was resolved, and rates it;
* a resident on an event's waiting list is promoted when someone cancels and finds the notice
  behind the bell.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

ELDER_FONT_PX = 24  # 18 pt, the MIIT figure


def _elder_phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "lx_elder", "value": "1", "url": live_server.url}])
    return context


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


def test_an_elder_in_elder_mode_submits_a_request_and_rates_it(
    e2e_world, browser, live_server, new_page
):
    from lianxin.cases import services as case_services
    from lianxin.cases.models import Case, Category, Rating, State
    from lianxin.notifications.models import Notification
    from tests.cases.factories import ensure_categories

    ensure_categories()
    w = e2e_world
    light = Category.objects.get(code="infra-light")
    context = _elder_phone(browser, live_server)
    page = context.new_page()
    log_in(page, "13900000001")

    page.goto(f"/cases/new/?u={w.grid_a1.code}")
    assert page.evaluate("document.documentElement.classList.contains('lx-elder')")
    _no_sideways_scroll(page)
    assert _font_px(page, "[data-testid=intake-submit]") >= ELDER_FONT_PX
    box = page.locator("[data-testid=intake-submit]").bounding_box()
    assert box["height"] >= 60 and box["width"] >= 60
    page.select_option("select[name=category]", str(light.pk))
    page.fill("input[name=title]", "楼道灯坏了")
    page.fill("textarea[name=description]", "三单元楼道的灯坏了，晚上上下楼看不见。")
    page.fill("input[name=reporter_phone]", "13900000001")
    page.click("[data-testid=intake-submit]")
    page.locator("[data-testid=tracking-code]").wait_for()
    code = page.locator("[data-testid=tracking-code]").inner_text().strip()
    case = Case.objects.get(code=code)
    _no_sideways_scroll(page)

    # the grid worker takes it and resolves it (the staff side is walked in test_cases_journey)
    worker = w.users["grid_a1"]
    case = case_services.case_accept(case=case, actor=worker)
    case = case_services.case_resolve(case=case, actor=worker, resolution="已更换楼道灯，恢复照明")
    assert case.state == State.RESOLVED
    told = Notification.objects.filter(
        recipient=w.users["resident_a"], title__contains="楼道灯坏了"
    )
    assert told.exists(), "the reporter is told the request was resolved"

    page.goto(f"/cases/t/{code}/")
    assert "已更换楼道灯" in page.content()
    _no_sideways_scroll(page)
    assert _font_px(page, "[data-testid=evaluate-submit]") >= ELDER_FONT_PX
    page.check("input[name=rating][value=satisfied]")
    page.click("[data-testid=evaluate-submit]")
    page.locator("[data-testid=case-state]:has-text('已关闭')").wait_for()
    case.refresh_from_db()
    assert case.rating == Rating.SATISFIED and case.state == State.CLOSED
    context.close()


def test_a_promoted_resident_finds_the_notice(e2e_world, new_page):
    from lianxin.events import services
    from lianxin.events.models import Registration, RegistrationStatus
    from tests.events.factories import make_event

    w = e2e_world
    event = make_event(w, capacity=1, title="东关社区剪纸培训班")
    taken = services.registration_create(actor=w.users["party_a"], event=event)

    resident = new_page(phone=True)
    log_in(resident, "13900000001")
    resident.goto(f"/activities/{event.pk}/")
    resident.click("[data-testid=register]")
    resident.wait_for_load_state("networkidle")
    assert "候补名单第 1 位" in resident.locator("[data-testid=my-status]").inner_text()

    # the party member cancels: the place goes to the first on the waiting list
    services.registration_cancel(actor=w.users["party_a"], registration=taken)
    mine = Registration.objects.get(event=event, user=w.users["resident_a"])
    assert mine.status == RegistrationStatus.CONFIRMED

    resident.goto("/notifications/")
    resident.wait_for_load_state("networkidle")
    _no_sideways_scroll(resident)
    notice = resident.locator("main").get_by_text("候补转正", exact=False).first
    notice.wait_for()
    assert "东关社区剪纸培训班" in resident.locator("main").inner_text()
