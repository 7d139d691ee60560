"""查处举报 in Chromium: a resident files an anonymous 举报 on a phone, keeps the code shown
once and follows it; the county's 纪检 supervisor receives, investigates and concludes it with
feedback; the resident reads the feedback through the code; the reported village's staff find
no trace of it (menu, home, notifications, audit log, the 举报's own URL)."""

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

TEXT = "村文书办低保时收了两条烟，金丝雀E2E"
PERSON = "王某某金丝雀E2E"
NAME = "匿名群众金丝雀E2E"
PHONE = "13755554444"
FEEDBACK = "经查部分属实，已对当事人批评教育并责令退还。"


def _follow(page, code: str) -> None:
    page.goto("/tipoffs/follow/")
    page.fill("[data-testid=follow-form] input[name=code]", code)
    page.click("[data-testid=follow-submit]")
    page.wait_for_load_state("networkidle")


def test_anonymous_tipoff_filed_followed_concluded_and_invisible_to_the_reported_side(
    e2e_world, new_page
):
    from lianxin.tipoffs.models import Tipoff

    w = e2e_world
    phone = new_page(phone=True)
    phone.goto("/tipoffs/new/")
    assert phone.locator("input[name=anonymous]").count() == 0  # no account: anonymous
    phone.select_option("select[name=unit]", str(w.village_a.pk))
    phone.fill("input[name=reported_person]", PERSON)
    phone.fill("textarea[name=text]", TEXT)
    phone.fill("input[name=reporter_name]", NAME)
    phone.fill("input[name=contact]", PHONE)
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.click("[data-testid=tipoff-submit]")
    phone.locator("[data-testid=tipoff-filed]").wait_for()
    shown = phone.locator("[data-testid=tipoff-code]").inner_text().strip()
    code = phone.locator("[data-testid=tipoff-code]").get_attribute("data-code")
    assert shown.replace("-", "") == code and len(code) == 12
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    tipoff = Tipoff.objects.get()
    assert tipoff.anonymous and code not in repr(Tipoff.objects.values().get())

    _follow(phone, shown.lower())  # typed as shown, in lower case: still found
    assert phone.locator("[data-testid=follow-state]").inner_text() == "待受理"
    assert TEXT not in phone.content() and PERSON not in phone.content()
    _follow(phone, "ABCD-EFGH-JKLM")
    assert "查询码不正确" in phone.locator("[data-testid=follow-error]").inner_text()

    sup = new_page()
    log_in(sup, "supervisor")
    sup.goto("/")
    sup.click("a[href='/tipoffs/']")
    sup.wait_for_load_state("networkidle")
    sup.locator("[data-testid=tipoff-row]").first.click()
    sup.wait_for_load_state("networkidle")
    assert TEXT in sup.locator("[data-testid=tipoff-text]").inner_text()
    assert NAME not in sup.content() and PHONE not in sup.content()  # masked until revealed
    sup.click("[data-testid=step-receive]")
    sup.wait_for_load_state("networkidle")
    sup.click("[data-testid=step-investigate]")
    sup.wait_for_load_state("networkidle")
    sup.check("input[name=conclusion][value=partly]")
    sup.fill("textarea[name=finding]", "查实收受香烟两条，价值约四百元。")
    sup.fill("textarea[name=feedback]", FEEDBACK)
    sup.click("[data-testid=step-conclude]")
    sup.wait_for_load_state("networkidle")
    assert sup.locator("[data-testid=tipoff-state]").inner_text() == "已办结"

    _follow(phone, code)
    assert phone.locator("[data-testid=follow-state]").inner_text() == "已办结"
    assert FEEDBACK in phone.locator("[data-testid=follow-feedback]").inner_text()
    assert "查实收受" not in phone.content()  # the finding stays with the handlers

    clerk = new_page()
    log_in(clerk, "village_a")
    for path in ("/", "/notifications/", "/audit/", "/tipoffs/", f"/tipoffs/{tipoff.pk}/"):
        clerk.goto(path)
        body = clerk.content()
        for canary in (TEXT, PERSON, NAME, PHONE, FEEDBACK, code):
            assert canary not in body, (path, canary)
    assert clerk.locator("a[href='/tipoffs/']").count() == 0
    response = clerk.goto(f"/tipoffs/{tipoff.pk}/")
    assert response.status in (403, 404)
