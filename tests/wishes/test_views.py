import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.wishes.models import Wish, WishStatus
from tests.wishes.factories import jpeg_upload, make_wish, make_wish_b

pytestmark = pytest.mark.django_db


def test_clerk_posts_publishes_and_list_shows_it(world, client, login):
    login(world.users["village_a"])
    r = client.get(reverse("wishes:wish_new"))
    assert r.status_code == 200 and "代为提交心愿" in r.content.decode()
    r = client.post(
        reverse("wishes:wish_new"),
        {
            "title": "想要一台收音机",
            "category": "daily",
            "unit": world.grid_a1.pk,
            "beneficiary_name": "王奶奶",
            "beneficiary_tag": "独居老人",
        },
    )
    wish = Wish.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("wishes:wish_detail", args=[wish.pk])
    r = client.post(reverse("wishes:wish_publish", args=[wish.pk]))
    wish.refresh_from_db()
    assert wish.status == WishStatus.PUBLISHED
    body = client.get(reverse("wishes:wish_list")).content.decode()
    assert "想要一台收音机" in body and "王**" in body


def test_form_errors_are_shown_in_chinese(world, client, login):
    login(world.users["village_a"])
    r = client.post(
        reverse("wishes:wish_new"),
        {"title": "", "category": "daily", "unit": world.grid_a1.pk, "beneficiary_name": ""},
    )
    assert r.status_code == 200
    assert "这个字段是必填项" in r.content.decode() or "必填" in r.content.decode()
    assert Wish.objects.count() == 0


def test_resident_posts_own_wish(world, client, login):
    login(world.users["resident_a"])
    r = client.post(reverse("wishes:wish_new"), {"title": "想学智能手机", "category": "study"})
    assert r.status_code == 302
    assert Wish.objects.get().beneficiary == world.persons["a"]
    mine = client.get(reverse("wishes:mine")).content.decode()
    assert "想学智能手机" in mine and reverse("wishes:wall", args=[world.village_a.code]) in mine


def test_htmx_claim_from_the_claimable_list(world, client, login):
    wish = make_wish(world, "published")
    login(world.users["party_a"])
    body = client.get(reverse("wishes:claimable")).content.decode()
    assert "想要一台收音机" in body and "甲金丝雀" not in body and "甲***" in body
    r = client.post(
        reverse("wishes:wish_claim", args=[wish.pk]),
        {"kind": "party_member"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "认领成功" in r.content.decode()
    wish.refresh_from_db()
    assert wish.claimed_by == world.users["party_a"]
    r = client.post(
        reverse("wishes:wish_claim", args=[wish.pk]),
        {"kind": "party_member"},
        HTTP_HX_REQUEST="true",
    )
    assert "已被认领" in r.content.decode()


def test_light_upload_and_scoped_photo(world, client, login):
    wish = make_wish(world, "claimed")
    c = login(world.users["party_a"])
    r = c.post(
        reverse("wishes:wish_light", args=[wish.pk]),
        {"photo": jpeg_upload(exif=True), "note": "送到了"},
    )
    assert r.status_code == 302
    wish.refresh_from_db()
    assert wish.status == WishStatus.LIT
    r = c.get(reverse("wishes:wish_photo", args=[wish.pk]))
    assert (
        r.status_code == 200
        and r["Content-Type"] == "image/jpeg"
        and "no-store" in r["Cache-Control"]
    )
    assert b"CanaryCam" not in b"".join(r.streaming_content)
    c.logout()
    assert (
        client.get(reverse("wishes:wish_photo", args=[wish.pk])).status_code == 302
    )  # log-in first
    login(world.users["town_b"])
    assert client.get(reverse("wishes:wish_photo", args=[wish.pk])).status_code == 404
    login(world.users["village_a"])
    assert client.get(reverse("wishes:wish_photo", args=[wish.pk])).status_code == 200
    assert (
        "/media/" not in client.get(reverse("wishes:wish_detail", args=[wish.pk])).content.decode()
    )


def test_bad_photo_is_refused_with_a_message(world, client, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    wish = make_wish(world, "claimed")
    login(world.users["party_a"])
    r = client.post(
        reverse("wishes:wish_light", args=[wish.pk]),
        {"photo": SimpleUploadedFile("a.jpg", b"nope")},
        follow=True,
    )
    assert "无法识别的图片文件" in r.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED


def test_confirm_by_clerk(world, client, login):
    wish = make_wish(world, "lit")
    login(world.users["village_a"])
    client.post(reverse("wishes:wish_confirm", args=[wish.pk]), {"thanks": "谢谢"})
    wish.refresh_from_db()
    assert wish.status == WishStatus.CONFIRMED and wish.thanks == "谢谢"


def test_public_wall_masks_names_and_hides_contact(world, client):
    make_wish(world, "published")
    make_wish(world, "pending", title="不该出现的待审核心愿")
    r = client.get(reverse("wishes:wall", args=[world.village_a.code]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "想要一台收音机" in body and "甲***" in body
    assert "甲金丝雀" not in body and "13811112222" not in body and "不该出现" not in body
    assert "独居老人" not in body  # vulnerability tags stay off public pages
    assert client.get(reverse("wishes:wall", args=["nope"])).status_code == 404
    assert client.get(reverse("wishes:wall", args=[world.grid_a1.code])).status_code == 404


def test_stale_and_stats_pages(world, client, login):
    make_wish(world, "confirmed")
    login(world.users["village_a"])
    assert client.get(reverse("wishes:stale")).status_code == 200
    body = client.get(reverse("wishes:stats")).content.decode()
    assert "东关社区" in body
    login(world.users["party_a"])
    assert client.get(reverse("wishes:stale")).status_code == 403


def test_api_list_and_claim(world, client, login):
    wish = make_wish(world, "published")
    login(world.users["town_a"])
    data = client.get("/api/v1/wishes/wishes").json()
    assert data[0]["beneficiary_masked"] == "甲***" and "甲金丝雀" not in str(data)
    login(world.users["party_a"])
    r = client.post(f"/api/v1/wishes/wishes/{wish.pk}/claim?kind=party_member")
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    r = client.post(f"/api/v1/wishes/wishes/{wish.pk}/claim?kind=party_member")
    assert r.status_code in (404, 409)


def test_api_claim_as_own_unit_and_team(world, client, login):
    from lianxin.volunteers import services as act

    wish = make_wish(world, "published")
    login(world.users["village_a"])
    r = client.post(f"/api/v1/wishes/wishes/{wish.pk}/claim?kind=unit")
    assert r.status_code == 200 and r.json()["claimant_name"] == world.village_a.name
    other = make_wish(world, "published", title="想要一副老花镜")
    team = act.team_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        name="东关志愿服务队",
        kind="volunteer",
    )
    act.team_member_add(actor=world.users["village_a"], team=team, user=world.users["resident_a"])
    login(world.users["resident_a"])
    r = client.post(f"/api/v1/wishes/wishes/{other.pk}/claim?kind=team&team={team.pk}")
    assert r.status_code == 200 and r.json()["claimant_name"] == "东关志愿服务队"


@pytest.mark.parametrize("url_name", ["wishes:wish_list", "wishes:claimable", "wishes:stale"])
def test_list_pages_query_count_does_not_grow(world, client, login, url_name):
    from datetime import timedelta

    from django.utils import timezone

    login(world.users["village_a"])
    make_wish(world, "published", title="心愿一")

    def count():
        Wish.objects.update(published_at=timezone.now() - timedelta(days=30))
        client.get(reverse(url_name))  # warm caches (scope, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(url_name)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(6):
        make_wish(world, "published", title=f"心愿{i + 2}")
    make_wish(world, "confirmed", title="心愿九")
    assert count() == few


def test_resident_without_team_is_told_why_and_volunteer_can_claim(world, client, login):
    from lianxin.volunteers import services as act

    wish = make_wish(world, "published")
    login(world.users["resident_a"])
    body = client.get(reverse("wishes:claimable")).content.decode()
    assert 'name="kind" value="volunteer"' in body
    r = client.post(
        reverse("wishes:wish_claim", args=[wish.pk]), {"kind": "volunteer"}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "请先加入志愿服务队" in r.content.decode()
    team = act.team_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        name="东关志愿服务队",
        kind="volunteer",
    )
    act.team_member_add(actor=world.users["village_a"], team=team, user=world.users["resident_a"])
    r = client.post(
        reverse("wishes:wish_claim", args=[wish.pk]), {"kind": "volunteer"}, HTTP_HX_REQUEST="true"
    )
    assert "认领成功" in r.content.decode()
    wish.refresh_from_db()
    assert wish.claimant_kind == "volunteer" and wish.claimed_by == world.users["resident_a"]


def test_double_submitted_form_makes_one_wish(world, client, login):
    login(world.users["village_a"])
    page = client.get(reverse("wishes:wish_new")).content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    data = {
        "key": key,
        "title": "想要一台收音机",
        "category": "daily",
        "unit": world.grid_a1.pk,
        "beneficiary_name": "王奶奶",
    }
    client.post(reverse("wishes:wish_new"), data)
    client.post(reverse("wishes:wish_new"), data)
    assert Wish.objects.count() == 1


def test_wall_shows_model_posts_with_masked_holders(world, client):
    from lianxin.volunteers import services as act

    post = act.model_post_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        holder=world.users["party_a"],
        title="助老服务示范岗",
    )
    body = client.get(reverse("wishes:wall", args=[world.village_a.code])).content.decode()
    assert "助老服务示范岗" in body and "甲**" in body and "甲党员" not in body
    assert reverse("volunteers:post_card", args=[post.pk]) in body


def test_stats_export_xlsx_is_scoped_and_audited(world, client, login):
    import io

    from openpyxl import load_workbook

    from lianxin.audit.models import AuditEvent

    make_wish(world, "confirmed")
    make_wish_b(world, "confirmed")
    login(world.users["town_a"])
    r = client.get(reverse("wishes:stats_export"))
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    assert [row for row in wb["按村（社区）"].iter_rows(values_only=True)][2:] == [
        ("东关社区", 1)
    ]  # title, header
    assert AuditEvent.objects.filter(action="export", reason="wish stats").exists()
    login(world.users["party_a"])
    assert client.get(reverse("wishes:stats_export")).status_code == 403
