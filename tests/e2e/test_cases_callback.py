"""A handler resolves a request inserting a canned reply (edited before sending) and attaching a
result photo, reveals the reporter's phone with a reason and records the 回访; the public
tracking page shows the result photo."""

import io

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
PHONE = "13766665555"


def _accepted_case(world):
    from lianxin.cases import services as s
    from lianxin.cases.models import CannedReply
    from tests.cases.factories import category

    CannedReply.objects.create(purpose="resolve", text="已到现场处理完毕，感谢您的反映。")
    case, _created = s.case_submit(
        title="路灯不亮",
        description="小区门口的路灯坏了三天。",
        category=category("infra-light"),
        grid=world.grid_a1,
        channel="resident",
        reporter=None,
        reporter_name="王大妈",
        reporter_phone=PHONE,
        idempotency_key="e2e-callback",
    )
    s.case_accept(case=case, actor=world.users["grid_a1"])
    return case


def test_resolve_with_canned_reply_and_photo_then_call_back(e2e_world, new_page, tmp_path):
    from PIL import Image

    from lianxin.cases.models import CallBack, Case, PhotoKind

    case = _accepted_case(e2e_world)
    photo = tmp_path / "result.png"
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buf, format="PNG")
    photo.write_bytes(buf.getvalue())

    page = new_page()
    log_in(page, "grid_a1")
    page.goto(f"/cases/{case.pk}/")
    panel = page.locator("#lx-case-panel")
    panel.locator("[data-testid=canned-resolve] [data-testid=canned-reply]").first.click()
    box = panel.locator("#resolution")
    assert box.input_value() == "已到现场处理完毕，感谢您的反映。"
    box.fill(box.input_value() + "已更换灯泡。")  # editable before sending
    panel.locator("[data-testid=result-photo]").set_input_files(str(photo))
    panel.locator("[data-testid=act-resolve]").click()
    panel.locator("[data-testid=case-state]", has_text="已办结待评价").wait_for(timeout=10000)
    case = Case.objects.get(pk=case.pk)
    assert case.resolution == "已到现场处理完毕，感谢您的反映。已更换灯泡。"
    result = case.photos.get(kind=PhotoKind.RESULT)

    page.goto(f"/cases/{case.pk}/")  # the 回访 card appears once resolved
    cell = page.locator("#reveal-reporter-phone")
    cell.locator("input[name=reason]").fill("回访核实办理结果")
    cell.get_by_role("button", name="查看完整号码").click()
    cell.locator("[data-testid=revealed-phone]").wait_for(timeout=5000)
    card = page.locator("#lx-callbacks")
    card.get_by_label("已接通").check()
    card.locator("select[name=satisfied]").select_option("satisfied")
    card.locator("textarea[name=notes]").fill("群众表示路灯已亮")
    card.locator("[data-testid=callback-submit]").click()
    page.locator("#lx-callbacks [data-testid=callback-row]").wait_for(timeout=10000)
    cb = CallBack.objects.get(case=case)
    assert (cb.reached, cb.satisfied, cb.notes) == (True, "satisfied", "群众表示路灯已亮")

    public = new_page()
    public.goto(f"/cases/t/{case.code}/")
    img = public.locator("[data-testid=result-photos] img")
    img.wait_for(timeout=5000)
    assert result.token in img.get_attribute("src")
    assert img.evaluate("el => el.complete && el.naturalWidth > 0")
