import pytest
from django.urls import reverse
from django.utils import timezone

from tests.brands.factories import make_brand, make_proposal
from tests.events.factories import make_event, make_programme
from tests.volunteers.factories import make_post, make_team

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "events:event_list",
        "events:programme_list",
        "volunteers:team_list",
        "volunteers:post_list",
        "volunteers:ranking",
        "events:my_record",
        "brands:brand_list",
        "brands:proposal_list",
        "volunteers:point_rules",
        "events:event_new",
        "volunteers:team_new",
        "volunteers:post_new",
        "brands:brand_new",
        "brands:proposal_new",
        "events:programme_new",
    ],
)
def test_pages_render_for_town_staff(world, client, login, name):
    make_team(world)
    make_post(world)
    make_brand(world)
    make_proposal(world)
    make_programme(world)
    make_event(world)
    login(world.users["town_a"])
    assert client.get(reverse(name)).status_code == 200


def test_detail_pages_render(world, client, login):
    from lianxin.wishes.models import Wish  # noqa: F401  (team page lists claimed wishes)

    objs = {
        "volunteers:team_detail": make_team(world),
        "volunteers:post_detail": make_post(world),
        "brands:brand_detail": make_brand(world),
        "brands:proposal_detail": make_proposal(world),
        "events:programme_detail": make_programme(world),
    }
    login(world.users["town_a"])
    for name, obj in objs.items():
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200, name
    assert (
        client.get(
            reverse("volunteers:person_record", args=[world.users["party_a"].pk])
        ).status_code
        == 200
    )
    client.logout()
    card = client.get(
        reverse("volunteers:post_card", args=[objs["volunteers:post_detail"].pk])
    ).content.decode()
    assert "政策宣讲示范岗" in card and "甲**" in card and "甲党员" not in card


def test_party_member_submits_proposal_staff_adopt(world, client, login):
    login(world.users["party_a"])
    r = client.post(
        reverse("brands:proposal_new"),
        {"title": "增设健身器材", "content": "广场缺少老年健身器材，建议增设。"},
    )
    assert r.status_code == 302
    login(world.users["village_a"])
    pk = int(r["Location"].rstrip("/").split("/")[-1])
    client.post(
        reverse("brands:proposal_review", args=[pk]),
        {"adopt": "1", "note": "采纳", "due": "2030-01-01"},
    )
    client.post(reverse("brands:proposal_implement", args=[pk]), {"note": "已安装"})
    assert "已落实" in client.get(reverse("brands:proposal_detail", args=[pk])).content.decode()


def test_post_actions_report_success_and_refusal(world, client, login):
    from lianxin.brands.models import BrandStatus
    from lianxin.events.models import EventStatus
    from lianxin.volunteers.models import ResponsibilityArea

    event = make_event(world, capacity=5)
    login(world.users["village_a"])
    r = client.post(reverse("events:event_cancel", args=[event.pk]), {"reason": ""}, follow=True)
    assert "请填写取消原因" in r.content.decode()
    client.post(reverse("events:event_cancel", args=[event.pk]), {"reason": "天气原因"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED

    post = make_post(world)
    r = client.post(
        reverse("volunteers:area_add", args=[post.pk]),
        {"name": "东关一组", "grids": [world.grid_a1.pk]},
        follow=True,
    )
    assert "责任区已划定" in r.content.decode()
    assert list(ResponsibilityArea.objects.get().grids.all()) == [world.grid_a1]

    brand = make_brand(world)
    login(world.users["town_a"])
    r = client.post(
        reverse("brands:brand_decide", args=[brand.pk]),
        {"approve": "0", "note": ""},
        follow=True,
    )
    assert "不予命名时请写明理由" in r.content.decode()
    client.post(reverse("brands:brand_decide", args=[brand.pk]), {"approve": "1"})
    brand.refresh_from_db()
    assert brand.status == BrandStatus.APPROVED
    year = timezone.localdate().year
    client.post(
        reverse("brands:brand_review", args=[brand.pk]),
        {"year": year, "rating": "excellent", "comment": "好"},
    )
    r = client.post(
        reverse("brands:brand_review", args=[brand.pk]),
        {"year": year, "rating": "excellent"},
        follow=True,
    )
    assert "该品牌本年度已评审" in r.content.decode()
