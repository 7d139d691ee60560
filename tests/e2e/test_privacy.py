"""A resident opens 我的数据, downloads it, asks for a correction of their phone number; the
clerk of their community corrects it, and the resident sees the outcome."""

import json

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_resident_downloads_and_corrects_their_data(e2e_world, new_page):
    from lianxin.privacy.models import CorrectionRequest

    w = e2e_world
    resident = new_page(phone=True)
    log_in(resident, "13900000001")  # 甲居民, person record 甲金丝雀
    resident.goto("/me/data/")
    person = resident.locator("[data-section=person]")
    assert "甲金丝雀" in person.inner_text() and "138****2222" in person.inner_text()
    assert "13811112222" not in resident.content()

    with resident.expect_download() as info:
        resident.click("[data-testid=download-json]")
    with open(info.value.path(), encoding="utf-8") as fh:
        doc = json.load(fh)
    assert doc["sections"]["person"]["rows"][0]["姓名"] == "甲金丝雀"

    resident.click("text=申请更正")
    resident.select_option("select[name=kind]", "person")
    resident.select_option("select[name=field]", "phone")
    resident.fill("textarea[name=problem]", "手机号换了")
    resident.fill("input[name=proposed]", "13811119999")
    resident.click("button:has-text('提交申请')")
    resident.wait_for_load_state("networkidle")
    assert resident.url.endswith("/me/data/")
    assert "待处理" in resident.locator("[data-section=corrections]").inner_text()

    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto("/me/data/corrections/")
    clerk.click("[data-testid=correction]")
    clerk.check("input[name=action][value=apply]")
    clerk.click("button:has-text('提交处理')")
    clerk.wait_for_load_state("networkidle")
    assert clerk.url.endswith("/me/data/corrections/")
    assert CorrectionRequest.objects.get().state == "corrected"
    w.persons["a"].refresh_from_db()
    assert w.persons["a"].phone == "13811119999"

    resident.reload()
    assert "已更正" in resident.locator("[data-section=corrections]").inner_text()
    assert "138****9999" in resident.locator("[data-section=person]").inner_text()
