"""议事协商 end to end: a resident raises a topic on a phone; the clerk schedules a 业主恳谈会 for
it at the property project, invites the community, takes attendance by the door QR (the
resident scans it) and a manual mark, records minutes, a show-of-hands vote and the decision
with an action item, publishes it and closes the item; the public 村务公开 page shows it done."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_topic_to_owners_meeting_to_public_page(e2e_world, new_page):
    from lianxin.deliberation.models import ActionItem, Meeting, Topic
    from tests.deliberation.factories import project_a

    w = e2e_world
    project = project_a(w)

    # A resident raises the topic on a phone.
    phone = new_page(phone=True)
    log_in(phone, "13900000001")  # 甲居民 (甲金丝雀's account)
    phone.goto("/deliberation/area/")
    phone.click("[data-testid=raise-topic]")
    phone.fill("input[name=title]", "彩虹城B区加装充电桩")
    phone.fill("textarea[name=content]", "电动车在楼道充电不安全，希望在东门加装充电桩。")
    phone.click("[data-testid=submit-topic]")
    phone.wait_for_load_state("networkidle")
    assert "1 人附议" in phone.locator("[data-testid=support-count]").inner_text()
    _no_sideways_scroll(phone)
    topic = Topic.objects.get(title="彩虹城B区加装充电桩")

    # The clerk schedules a 业主恳谈会 for it at the property project.
    clerk = new_page()
    log_in(clerk, "village_a")
    clerk.goto(f"/deliberation/topics/{topic.pk}/")
    clerk.click("[data-testid=schedule]")
    clerk.wait_for_load_state("networkidle")
    start = timezone.localtime() + timedelta(minutes=20)
    clerk.select_option("select[name=unit]", str(project.pk))
    clerk.select_option("select[name=kind]", "owners")
    clerk.fill("input[name=title]", "彩虹城B区业主恳谈会")
    clerk.fill("input[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    clerk.fill("input[name=ends_at]", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    clerk.fill("input[name=place]", "东关社区党群服务中心")
    assert clerk.locator(f"input[name=topics][value='{topic.pk}']").is_checked()
    clerk.click("[data-testid=submit-meeting]")
    clerk.wait_for_load_state("networkidle")
    meeting = Meeting.objects.get(title="彩虹城B区业主恳谈会")
    assert meeting.kind == "owners" and meeting.unit == project
    assert clerk.locator("[data-testid=agenda-item]").count() == 1

    # Invitations to the community, then attendance: the resident scans the door QR.
    clerk.select_option("[data-testid=invite-group]", str(w.village_a.pk))
    clerk.click("[data-testid=invite]")
    clerk.wait_for_load_state("networkidle")
    assert clerk.locator("[data-testid=roster-row]").count() == 2
    assert "未达到法定人数" in clerk.locator("[data-testid=quorum]").inner_text()
    clerk.click("[data-testid=door]")
    clerk.locator("[data-testid=door-qr]").wait_for()
    checkin_url = clerk.locator("[data-testid=checkin-url]").get_attribute("href")
    assert "/deliberation/checkin/" in checkin_url
    phone.goto(checkin_url)
    phone.click("[data-testid=checkin]")
    phone.locator("[data-testid=checked-in]").wait_for()
    _no_sideways_scroll(phone)

    clerk.goto(f"/deliberation/meetings/{meeting.pk}/")
    clerk.locator("[data-testid=roster-row]", has_text="甲党员").locator(
        "[data-testid=mark]"
    ).click()
    clerk.wait_for_load_state("networkidle")
    quorum = clerk.locator("[data-testid=quorum]").inner_text()
    assert "到会 2 人" in quorum and "已达到法定人数" in quorum

    # Minutes, the show of hands, the decision and its action item; published.
    clerk.fill("[data-testid=minutes]", "业主一致认为应尽快加装充电桩。")
    clerk.click("[data-testid=save-minutes]")
    clerk.wait_for_load_state("networkidle")
    clerk.fill("[data-testid=votes-for]", "2")
    clerk.fill("[data-testid=votes-against]", "0")
    clerk.fill("[data-testid=votes-abstain]", "0")
    clerk.click("[data-testid=record-vote]")
    clerk.wait_for_load_state("networkidle")
    assert "通过" in clerk.locator("[data-testid=vote-result]").inner_text()
    clerk.fill("[data-testid=decision-text]", "由物业在东门加装 10 个充电桩，一个月内完成。")
    clerk.click("[data-testid=record-decision]")
    clerk.wait_for_load_state("networkidle")
    clerk.select_option("[data-testid=owner-unit]", str(project.pk))
    clerk.fill("[data-testid=action-title]", "东门加装充电桩")
    clerk.fill("[data-testid=action-due]", (timezone.localdate() + timedelta(days=30)).isoformat())
    clerk.click("[data-testid=add-action]")
    clerk.wait_for_load_state("networkidle")
    clerk.click("[data-testid=publish]")
    clerk.wait_for_load_state("networkidle")

    # The action item is closed.
    clerk.click("[data-testid=action-link]")
    clerk.wait_for_load_state("networkidle")
    clerk.fill("input[name=note]", "10 个充电桩已安装并通电")
    clerk.fill("input[name=progress]", "100")
    clerk.check("input[name=done]")
    clerk.click("[data-testid=save-progress]")
    clerk.wait_for_load_state("networkidle")
    assert "已完成" in clerk.locator("[data-testid=action-status]").inner_text()
    assert ActionItem.objects.get().status == "done"

    # The public 村务公开 page, on a phone, without logging in: done, and no one's name.
    anon = new_page(phone=True)
    anon.goto(f"/deliberation/public/{w.village_a.code}/")
    row = anon.locator("[data-testid=public-action]", has_text="东门加装充电桩")
    assert "已完成 100%" in row.inner_text()
    assert "彩虹城B区" in row.inner_text()
    text = anon.content()
    assert "由物业在东门加装 10 个充电桩" in text
    for secret in ("甲金丝雀", "甲居民", "甲党员", "13900000001", "13811112222"):
        assert secret not in text
    _no_sideways_scroll(anon)

    # The supporters' topic page shows the outcome.
    phone.goto(f"/deliberation/topics/{topic.pk}/")
    outcome = phone.locator("[data-testid=outcome]").inner_text()
    assert "赞成 2" in outcome and "已完成" in outcome
    assert "已办结" in phone.locator("[data-testid=topic-status]").inner_text()
