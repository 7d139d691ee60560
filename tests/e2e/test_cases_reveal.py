"""The handler reveals a reporter's phone on the request page: masked first, a reason, then the
full number as a call link; without a reason the message shows in place."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
PHONE = "13766665555"


def _handled_case(world):
    from lianxin.cases import services as s
    from tests.cases.factories import category

    case, _created = s.case_submit(
        title="路灯不亮",
        description="小区门口的路灯坏了三天。",
        category=category("infra-light"),
        grid=world.grid_a1,
        channel="resident",
        reporter=None,
        reporter_name="王大妈",
        reporter_phone=PHONE,
        idempotency_key="e2e-reveal",
    )
    s.case_accept(case=case, actor=world.users["grid_a1"])
    return case


def test_handler_reveals_reporter_phone_with_a_reason(e2e_world, new_page):
    from lianxin.audit.models import AuditAction, AuditEvent

    case = _handled_case(e2e_world)
    page = new_page()
    log_in(page, "grid_a1")
    page.goto(f"/cases/{case.pk}/")
    cell = page.locator("#reveal-reporter-phone")
    assert "137****5555" in cell.inner_text() and PHONE not in page.content()
    reason = cell.locator("input[name=reason]")
    reason.evaluate("el => el.removeAttribute('required')")
    cell.get_by_role("button", name="查看完整号码").click()
    cell.locator("[data-testid=reveal-error]").wait_for(timeout=5000)
    assert "请填写查看完整信息的事由" in cell.inner_text() and PHONE not in page.content()

    cell.locator("input[name=reason]").fill("回访核实办理结果")
    cell.get_by_role("button", name="查看完整号码").click()
    link = cell.locator("[data-testid=revealed-phone]")
    link.wait_for(timeout=5000)
    assert link.inner_text().strip() == PHONE
    assert link.get_attribute("href") == f"tel:{PHONE}"
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.REVEAL, target_repr=case.code, outcome="ok"
        ).count()
        == 1
    )


def test_phone_layout_keeps_the_reveal_usable(e2e_world, new_page):
    case = _handled_case(e2e_world)
    page = new_page(phone=True)
    log_in(page, "village_a")  # the level above the handling grid
    page.goto(f"/cases/{case.pk}/")
    cell = page.locator("#reveal-reporter-phone")
    cell.locator("input[name=reason]").fill("联系群众补充材料")
    cell.get_by_role("button", name="查看完整号码").click()
    cell.locator("[data-testid=revealed-phone]").wait_for(timeout=5000)
    assert PHONE in cell.inner_text()
