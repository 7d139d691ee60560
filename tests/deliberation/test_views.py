"""Pages: the resident's phone pages, the clerk's meeting page through to the decision, the
request and visit panels, and the A4 minutes and sign-in sheet as PDF (text extracted)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from lianxin.deliberation.models import Topic
from tests.deliberation.factories import held_item, make_decision, make_meeting, make_topic

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_resident_raises_and_sees_it_in_their_area(world, client, login):
    login(world.users["resident_a"])
    page = client.get(reverse("deliberation:area_topics")).content.decode()
    assert "还没有议题" in page
    form = client.get(reverse("deliberation:topic_new"))
    assert form.status_code == 200
    r = client.post(
        reverse("deliberation:topic_new"),
        {"title": "东门加装充电桩", "content": "电动车充电难，希望加装充电桩", "key": "abc123"},
    )
    topic = Topic.objects.get(title="东门加装充电桩")
    assert r.status_code == 302 and r["Location"].endswith(f"/topics/{topic.pk}/")
    detail = client.get(r["Location"]).content.decode()
    assert "1 人附议" in detail and "您已附议" in detail
    assert "东门加装充电桩" in client.get(reverse("deliberation:area_topics")).content.decode()


def test_neighbour_supports_on_the_page(world, client, login):
    topic = make_topic(world)
    login(world.users["party_a"])
    r = client.post(reverse("deliberation:topic_support", args=[topic.pk]), follow=True)
    assert "2 人附议" in r.content.decode()
    login(world.users["resident_b"])
    assert client.get(reverse("deliberation:topic_detail", args=[topic.pk])).status_code == 404


def test_staff_list_paginates_and_filters(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    for i in range(3):
        make_topic(world, title=f"议题{i}", by="village_a")
    login(world.users["village_a"])
    page = client.get(reverse("deliberation:topic_list")).content.decode()
    assert page.count('data-testid="topic-row"') == 2
    page2 = client.get(reverse("deliberation:topic_list") + "?page=2").content.decode()
    assert page2.count('data-testid="topic-row"') == 1
    empty = client.get(reverse("deliberation:topic_list") + "?status=closed").content.decode()
    assert "没有符合条件的议题" in empty
    login(world.users["village_b"])
    assert "议题0" not in client.get(reverse("deliberation:topic_list")).content.decode()


def test_meeting_page_through_vote_and_decision(world, client, login):
    topic = make_topic(world)
    meeting = make_meeting(world, topics=[topic])
    login(world.users["village_a"])
    url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    client.post(
        reverse("deliberation:meeting_invite", args=[meeting.pk]), {"group": world.village_a.pk}
    )
    for row in meeting.attendances.all():
        client.post(reverse("deliberation:attendance_mark", args=[row.pk]))
    item = meeting.items.get()
    client.post(reverse("deliberation:item_minutes", args=[item.pk]), {"minutes": "同意加装"})
    client.post(
        reverse("deliberation:item_vote", args=[item.pk]),
        {"votes_for": 2, "votes_against": 0, "votes_abstain": 0},
    )
    client.post(reverse("deliberation:item_decide", args=[item.pk]), {"text": "年底前加装"})
    page = client.get(url).content.decode()
    assert "受邀 2 人，到会 2 人，法定人数 2 人" in page
    assert "赞成 2，反对 0，弃权 0" in page and "年底前加装" in page
    door = client.get(reverse("deliberation:meeting_door", args=[meeting.pk])).content.decode()
    assert "/deliberation/checkin/" in door
    assert client.get(reverse("deliberation:meeting_qr", args=[meeting.pk]))[
        "Content-Type"
    ].startswith("image/svg")


def test_minutes_and_signin_pdf_text(world, client, login):
    topic, meeting, item = held_item(world, votes=(2, 0, 0))
    login(world.users["village_a"])
    r = client.get(reverse("deliberation:minutes_pdf", args=[meeting.pk]))
    assert r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert "会议纪要" in text and "阳光议事厅" in text and topic.title in text
    assert "赞成 2，反对 0，弃权 0" in text and "通过" in text
    assert "大家同意尽快修复路灯" in text
    sheet = pdf_text(client.get(reverse("deliberation:signin_pdf", args=[meeting.pk])).content)
    assert "签到表" in sheet and "甲金丝雀" in sheet and "受邀 2 人，到会 2 人" in sheet
    assert "13811112222" not in sheet


def test_case_page_panel_and_from_case(world, client, login):
    from tests.cases.factories import make_case

    case = make_case(world)
    login(world.users["village_a"])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert reverse("deliberation:topic_from_case", args=[case.pk]) in page
    r = client.post(reverse("deliberation:topic_from_case", args=[case.pk]))
    topic = Topic.objects.get(case=case)
    assert r["Location"].endswith(f"/topics/{topic.pk}/")
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert topic.title in page


def test_action_pages(world, client, login):
    decision = make_decision(world)
    login(world.users["village_a"])
    r = client.post(
        reverse("deliberation:action_add", args=[decision.pk]),
        {"owner_unit": world.department.pk, "title": "换灯", "due_on": "2099-01-01"},
    )
    assert r.status_code == 302
    action = decision.actions.get()
    assert action.owner_unit == world.department
    login(world.users["dept"])
    assert "换灯" in client.get(reverse("deliberation:action_list")).content.decode()
    r = client.post(
        reverse("deliberation:action_detail", args=[action.pk]),
        {"note": "已更换", "progress": 100, "done": "on"},
    )
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_visit_page_links_to_deliberation(world, client, login):
    from django.utils import timezone

    from lianxin.visits.models import Visit

    visit = Visit.objects.create(
        household=world.households["a"],
        grid=world.grid_a1,
        visitor=world.users["grid_a1"],
        visited_at=timezone.now(),
        notes="居民反映楼道堆物",
    )
    login(world.users["grid_a1"])
    url = reverse("visits:visit_detail", args=[visit.pk])
    assert (
        reverse("deliberation:topic_from_visit", args=[visit.pk])
        in client.get(url).content.decode()
    )
    client.post(reverse("deliberation:topic_from_visit", args=[visit.pk]))
    topic = Topic.objects.get(visit=visit)
    assert topic.title in client.get(url).content.decode()
    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk])).content.decode()
    assert url in page  # the link back to the visit


def test_invite_one_person(world, client, login):
    meeting = make_meeting(world)
    login(world.users["village_a"])
    url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    assert "乙金丝雀" not in client.get(url).content.decode()  # another village's people
    client.post(
        reverse("deliberation:meeting_invite", args=[meeting.pk]),
        {"person": world.persons["party_a"].pk},
    )
    assert list(meeting.attendances.values_list("name", flat=True)) == ["甲党员"]
    client.post(
        reverse("deliberation:meeting_invite", args=[meeting.pk]),
        {"person": world.persons["b"].pk},
    )
    assert meeting.attendances.count() == 1


def test_room_clash_shown_on_the_form(world, client, login):
    from datetime import timedelta

    from lianxin.deliberation import services
    from tests.rooms.factories import next_weekday, room_for
    from tests.venues.factories import venue_a

    room = room_for(venue_a(world))
    start = next_weekday(14)
    services.meeting_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        kind="sunshine",
        title="阳光议事厅",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        room=room,
    )
    login(world.users["village_a"])
    r = client.post(
        reverse("deliberation:meeting_new"),
        {
            "unit": world.village_a.pk,
            "kind": "bench",
            "title": "板凳会",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "room": room.pk,
            "quorum_rule": "half",
            "vote_rule": "majority",
        },
    )
    assert r.status_code == 200 and "该时段已被预约" in r.content.decode()


def test_pages_in_english(world, client, login):
    topic = make_topic(world)
    login(world.users["resident_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("deliberation:topic_detail", args=[topic.pk]))
    text = page.content.decode()
    assert "1 supporter" in text and "Outcome" in text
