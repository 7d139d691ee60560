"""A second claimant is told "该心愿已被认领", by whom (masked) and when, never a 404 or a 500."""

from datetime import datetime

import pytest
from django.urls import reverse

from lianxin.org.models import Role
from lianxin.wishes import services
from lianxin.wishes.claimed import WishAlreadyClaimed
from lianxin.wishes.models import ClaimantKind, Wish, WishStatus
from tests.clock import SHANGHAI
from tests.conftest import make_user
from tests.wishes.factories import make_wish

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime(2026, 11, 18, 9, 5, tzinfo=SHANGHAI)),
]


@pytest.fixture
def second(world):
    """Another party member of 东关社区: the wish was on offer to them too."""
    return make_user(
        "13900000009",
        unit=world.village_a,
        role=Role.PARTY_MEMBER,
        phone="13900000009",
        name="丙党员",
    )


def test_service_says_who_and_when_masked(world, second):
    wish = make_wish(world, "claimed")  # claimed by 甲党员 at 09:05 China time
    with pytest.raises(WishAlreadyClaimed) as info:
        services.wish_claim(actor=second, wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    msg = info.value.messages[0]
    assert "该心愿已被认领" in msg and "甲**" in msg and "2026-11-18 09:05" in msg
    assert "甲党员" not in msg
    assert Wish.objects.get(pk=wish.pk).claimed_by == world.users["party_a"]


def test_race_second_claimant_with_a_stale_copy(world, second):
    """Both loaded the wish while it was on the wall; the first claim wins, the second is told."""
    wish = make_wish(world, "published")
    stale = Wish.objects.get(pk=wish.pk)
    services.wish_claim(actor=world.users["party_a"], wish=wish, kind=ClaimantKind.PARTY_MEMBER)
    assert stale.status == WishStatus.PUBLISHED
    with pytest.raises(WishAlreadyClaimed):
        services.wish_claim(actor=second, wish=stale, kind=ClaimantKind.PARTY_MEMBER)


def test_team_claimant_is_named_as_on_the_wall(world, second):
    from lianxin.wishes.claimed import claimant_shown

    wish = make_wish(world, "published")
    wish = services.wish_claim(
        actor=world.users["dept"], wish=wish, kind=ClaimantKind.UNIT, unit=world.department
    )
    assert claimant_shown(wish) == "县住建局"


def test_second_claim_post_shows_the_claimed_page(world, second, client, login):
    wish = make_wish(world, "claimed")
    login(second)
    r = client.post(reverse("wishes:wish_claim", args=[wish.pk]), {"kind": "party_member"})
    body = r.content.decode()
    assert r.status_code == 409
    assert "该心愿已被认领" in body and "甲**" in body and "2026-11-18 09:05" in body
    assert "甲党员" not in body and "甲金丝雀" not in body
    assert reverse("wishes:claimable") in body


def test_opening_a_wish_claimed_meanwhile_is_no_404(world, second, client, login):
    wish = make_wish(world, "claimed")
    login(second)
    r = client.get(reverse("wishes:wish_detail", args=[wish.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="wish-claimed"' in body
    assert "甲**" in body and "甲党员" not in body


def test_htmx_second_claim_says_who(world, second, client, login):
    wish = make_wish(world, "claimed")
    login(second)
    r = client.post(
        reverse("wishes:wish_claim", args=[wish.pk]),
        {"kind": "party_member"},
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert (
        r.status_code == 200
        and "该心愿已被认领" in body
        and "甲**" in body
        and "甲党员" not in body
    )


def test_outside_the_area_still_404(world, client, login):
    """Someone who never had the wish on offer (another village's party member) learns nothing."""
    wish = make_wish(world, "claimed")
    login(world.users["party_b"])
    assert client.get(reverse("wishes:wish_detail", args=[wish.pk])).status_code == 404
    assert (
        client.post(
            reverse("wishes:wish_claim", args=[wish.pk]), {"kind": "party_member"}
        ).status_code
        == 404
    )
