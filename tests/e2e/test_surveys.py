"""民意调查 in Chromium: a resident answers a questionnaire on a phone with big tap targets;
the clerk then sees the result chart and the counts."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_resident_answers_on_a_phone_and_the_clerk_sees_the_result(e2e_world, new_page):
    from lianxin.surveys.models import Response
    from tests.surveys.factories import make_questionnaire

    q = make_questionnaire(e2e_world)
    page = new_page(phone=True)
    log_in(page, "13900000001")
    page.goto("/")
    page.get_by_role("link", name=q.title).first.click()
    page.wait_for_selector("[data-testid=answer-form]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    option = page.locator("[data-testid=option]", has_text="一般")
    box = option.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 280  # elders' thumbs
    option.click()
    page.locator("[data-testid=option]", has_text="路灯").click()
    page.locator("[data-testid=rating]", has_text="4").click()
    page.fill("textarea", "希望多组织老年人活动")
    page.click("[data-testid=answer-submit]")
    page.wait_for_selector("text=提交成功")
    assert Response.objects.filter(questionnaire=q).count() == 1
    page.goto(f"/surveys/{q.pk}/answer/")
    assert "每人只能填写一次" in page.inner_text("[data-testid=answer-note]")

    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto(f"/surveys/{q.pk}/results/")
    assert "共收到 1 份答卷" in clerk.inner_text("[data-testid=survey-total]")
    first = clerk.locator("[data-testid=result-question]").first
    assert first.locator("[data-testid=result-chart] svg").count() == 1
    rows = first.locator("[data-testid=result-table] tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[:2] for i in range(3)] == [
        ["满意", "0"],
        ["一般", "1"],
        ["不满意", "0"],
    ]
    assert "希望多组织老年人活动" in clerk.inner_text("main")
