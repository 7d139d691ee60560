"""The 微心愿 API: each step through the same service and selector as its page, per role
(suite pinned by tests/clock.py)."""

from __future__ import annotations

import pytest

from lianxin.wishes.models import Wish, WishEvent, WishStatus
from tests.api_contract import api_contract  # noqa: F401
from tests.wishes.factories import jpeg_upload, make_wish, make_wish_b

pytestmark = pytest.mark.django_db

API = "/api/v1/wishes"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_resident_posts_their_own_wish_once_per_key(world, client, login):
    login(world.users["resident_a"])
    body = {"title": "想要一副老花镜", "category": "daily", "key": "k-1"}
    first = _post(client, f"{API}/wishes", body)
    again = _post(client, f"{API}/wishes", body)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["status"] == "pending" and first.json()["beneficiary_masked"] == "甲***"
    wish = Wish.objects.get(pk=first.json()["id"])
    assert wish.unit == world.grid_a1 and wish.posted_by == world.users["resident_a"]
    assert _post(client, f"{API}/wishes", {"title": "x", "category": "daily"}).status_code == 422
    assert _post(client, f"{API}/wishes", {"title": "想要", "category": "car"}).status_code == 422


def test_staff_post_for_someone_in_their_grids_only(world, client, login):
    login(world.users["village_a"])
    body = {"title": "想要一台收音机", "category": "daily", "beneficiary_name": "王奶奶"}
    assert _post(client, f"{API}/wishes", body).status_code == 422  # no grid chosen
    r = _post(client, f"{API}/wishes", body | {"unit": world.grid_b1.pk})
    assert r.status_code == 422  # town B's grid is not in village A's scope
    r = _post(client, f"{API}/wishes", body | {"unit": world.grid_a1.pk})
    assert r.status_code == 201 and r.json()["unit"] == world.grid_a1.name


def test_an_account_without_a_resident_record_cannot_post(world, client, login):
    from tests.conftest import make_user

    login(make_user("nobody"))
    r = _post(client, f"{API}/wishes", {"title": "想要一台收音机", "category": "daily"})
    assert r.status_code == 403


def test_publish_decline_and_chase_are_for_reviewers_over_the_wish(world, client, login):
    pending = make_wish(world, "pending")
    other = make_wish(world, "pending", title="想要一个书包")
    login(world.users["resident_a"])
    assert _post(client, f"{API}/wishes/{pending.pk}/publish").status_code == 403
    login(world.users["village_b"])
    assert _post(client, f"{API}/wishes/{pending.pk}/publish").status_code == 404
    login(world.users["village_a"])
    r = _post(client, f"{API}/wishes/{pending.pk}/publish")
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert _post(client, f"{API}/wishes/{pending.pk}/publish").status_code == 409
    assert _post(client, f"{API}/wishes/{other.pk}/decline").status_code == 409  # no reason
    r = _post(client, f"{API}/wishes/{other.pk}/decline", {"reason": "不属于微心愿范围"})
    assert r.status_code == 200 and r.json()["status"] == "declined"
    r = _post(client, f"{API}/wishes/{pending.pk}/chase", {"note": "已推送"})
    assert r.status_code == 200
    assert WishEvent.objects.filter(wish=pending, kind="chased", note="已推送").exists()


def test_claim_release_light_confirm_thank(world, client, login):
    wish = make_wish(world, "published")
    login(world.users["party_a"])
    assert _post(client, f"{API}/wishes/{wish.pk}/claim?kind=party_member").status_code == 200
    assert _post(client, f"{API}/wishes/{wish.pk}/release", {"reason": "临时有事"}).json()[
        "status"
    ] == ("published")
    assert _post(client, f"{API}/wishes/{wish.pk}/claim").status_code == 200
    light = f"{API}/wishes/{wish.pk}/light"
    assert client.post(light, {"note": "已送到"}).status_code == 422  # no photo
    r = client.post(light, {"photo": jpeg_upload(), "note": "已送到"})
    assert r.status_code == 200 and r.json()["status"] == "lit"
    login(world.users["resident_b"])  # not the beneficiary, not in the scope
    assert _post(client, f"{API}/wishes/{wish.pk}/confirm").status_code == 404
    login(world.users["village_a"])  # the clerk confirms for the elder
    r = _post(client, f"{API}/wishes/{wish.pk}/confirm", {"thanks": "谢谢"})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert _post(client, f"{API}/wishes/{wish.pk}/thank").status_code == 409  # empty text
    assert _post(client, f"{API}/wishes/{wish.pk}/thank", {"thanks": "太感谢了"}).status_code == 200
    assert Wish.objects.get(pk=wish.pk).thanks == "太感谢了"


def test_someone_elses_claim_cannot_be_released_or_lit(world, client, login):
    from lianxin.wishes import services
    from lianxin.wishes.models import ClaimantKind

    wish = services.wish_post(
        actor=world.users["resident_a"], unit=world.grid_a1, title="想要一盏台灯", category="daily"
    )
    wish = services.wish_publish(actor=world.users["village_a"], wish=wish)
    services.wish_claim(actor=world.users["party_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    login(world.users["resident_a"])  # the resident's own wish, but party_a holds the claim
    assert _post(client, f"{API}/wishes/{wish.pk}/release").status_code == 403
    assert client.post(f"{API}/wishes/{wish.pk}/light", {"photo": jpeg_upload()}).status_code == 403
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.CLAIMED


def test_another_towns_wish_is_404_for_every_step(world, client, login):
    wish = make_wish_b(world, "pending")
    login(world.users["town_a"])
    for step in ("publish", "decline", "chase", "release", "confirm", "thank"):
        assert _post(client, f"{API}/wishes/{wish.pk}/{step}").status_code == 404, step
    assert client.post(f"{API}/wishes/{wish.pk}/light", {"photo": jpeg_upload()}).status_code == 404
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.PENDING


def test_my_lists_and_the_chase_list(world, client, login, clock):
    from datetime import timedelta

    make_wish(world, "claimed")
    login(world.users["party_a"])
    assert [w["title"] for w in client.get(f"{API}/claimed").json()] == ["想要一台收音机"]
    assert client.get(f"{API}/stale").status_code == 403
    login(world.users["resident_a"])
    assert client.get(f"{API}/claimed").json() == []
    stale = make_wish(world, "published", title="想要一把轮椅")
    clock.shift(timedelta(days=8))
    login(world.users["village_a"])
    assert [w["id"] for w in client.get(f"{API}/stale").json()] == [stale.pk]
    login(world.users["village_b"])
    assert client.get(f"{API}/stale").json() == []
    login(world.users["resident_a"])
    r = _post(client, f"{API}/wishes", {"title": "想要一个暖水袋", "category": "daily"})
    assert [w["id"] for w in client.get(f"{API}/mine").json()] == [r.json()["id"]]


def test_stats_are_typed_and_scoped(world, client, login):
    make_wish(world, "confirmed")
    login(world.users["town_a"])
    data = client.get(f"{API}/stats").json()
    assert data["total"] == 1 and data["per_unit"][0]["community__name"] == "东关社区"
    from django.utils import timezone

    assert data["per_month"][0]["month"] == f"{timezone.localdate():%Y-%m}"  # the clock's month
    login(world.users["town_b"])
    assert client.get(f"{API}/stats").json()["total"] == 0
    login(world.users["resident_a"])
    assert client.get(f"{API}/stats").status_code == 403
