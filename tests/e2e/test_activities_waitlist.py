"""A resident signs up for a full event, lands on the waiting list, and moves in when
someone cancels."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_full_event_waitlist_then_promotion(e2e_world, new_page):
    from lianxin.events import services
    from tests.events.factories import make_event

    w = e2e_world
    event = make_event(w, capacity=1, title="东关社区麦秆画培训班")
    services.registration_create(actor=w.users["party_a"], event=event)

    resident = new_page(phone=True)
    log_in(resident, "13900000001")
    resident.goto("/activities/")
    resident.click("[data-testid=event-row]:has-text('麦秆画培训班')")
    resident.wait_for_load_state("networkidle")
    assert "已报 1/1" in resident.locator("[data-testid=counts]").inner_text()
    resident.click("[data-testid=register]")
    resident.wait_for_load_state("networkidle")
    assert "候补名单第 1 位" in resident.locator("[data-testid=my-status]").inner_text()
    assert resident.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    member = new_page(phone=True)
    log_in(member, "13900000003")
    member.goto(f"/activities/{event.pk}/")
    member.click("[data-testid=cancel-registration]")
    member.wait_for_load_state("networkidle")
    assert "已取消报名" in member.content()

    resident.reload()
    assert "您已报名成功" in resident.locator("[data-testid=my-status]").inner_text()
    assert "已报 1/1" in resident.locator("[data-testid=counts]").inner_text()
