from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from lianxin.wishes import selectors
from lianxin.wishes.models import Wish
from tests.wishes.factories import make_wish, make_wish_b

pytestmark = pytest.mark.django_db


def test_staff_see_only_their_subtree(world):
    a = make_wish(world, "published")
    b = make_wish_b(world, "published")
    assert set(selectors.wish_list(user=world.users["town_a"])) == {a}
    assert set(selectors.wish_list(user=world.users["town_b"])) == {b}
    assert set(selectors.wish_list(user=world.users["county_admin"])) == {a, b}
    with pytest.raises(Http404):
        selectors.wish_get(user=world.users["town_b"], pk=a.pk)


def test_party_member_sees_published_wishes_of_own_village_only(world):
    a = make_wish(world, "published")
    make_wish_b(world, "published")
    make_wish(world, "pending", title="未审核的")
    assert list(selectors.wish_claimable(user=world.users["party_a"])) == [a]
    assert selectors.wish_get(user=world.users["party_a"], pk=a.pk) == a
    with pytest.raises(Http404):
        selectors.wish_get(user=world.users["party_b"], pk=a.pk)


def test_claimable_oldest_first_and_stale_list(world):
    old = make_wish(world, "published", title="旧心愿")
    new = make_wish(world, "published", title="新心愿")
    Wish.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=20))
    assert list(selectors.wish_claimable(user=world.users["party_a"])) == [old, new]
    stale = list(selectors.wish_stale(user=world.users["village_a"]))
    assert stale == [old]
    assert stale[0].days_waiting() == 20 and stale[0].is_stale
    assert selectors.wish_stale(user=world.users["village_b"]).count() == 0


def test_resident_sees_own_wishes(world):
    from lianxin.wishes import services
    from lianxin.wishes.models import WishCategory

    mine = services.wish_post(
        actor=world.users["resident_a"],
        unit=world.grid_a1,
        title="想要一把伞",
        category=WishCategory.DAILY,
    )
    make_wish(world, "pending", title="别人的")
    assert list(selectors.wish_mine(user=world.users["resident_a"])) == [mine]
    assert selectors.wish_get(user=world.users["resident_a"], pk=mine.pk) == mine


def test_wall_and_counts(world):
    make_wish(world, "pending", title="未审核")
    make_wish(world, "declined", title="退回")
    make_wish(world, "published", title="待认领")
    make_wish(world, "confirmed", title="已实现")
    wall = list(selectors.wall_wishes(community=world.village_a))
    assert {w.title for w in wall} == {"待认领", "已实现"}
    assert selectors.wall_counts(community=world.village_a) == {
        "waiting": 1,
        "claimed": 0,
        "lit": 1,
    }


def test_stats_per_unit_claimant_month(world):
    make_wish(world, "confirmed", title="心愿一")
    make_wish(world, "lit", title="心愿二")
    make_wish(world, "claimed", title="心愿三")
    make_wish_b(world, "confirmed", title="心愿四")
    stats = selectors.wish_stats(user=world.users["town_a"])
    assert stats["total"] == 2
    assert stats["per_unit"] == [
        {"community__name": "东关社区", "community__code": world.village_a.code, "n": 2}
    ]
    assert stats["per_claimant"][0]["claimant_name"] == str(world.users["party_a"])
    assert stats["per_month"][0]["n"] == 2
    assert stats["per_town"] == [{"community__parent__name": "城关镇", "n": 2}]
    assert selectors.wish_stats(user=world.users["county_admin"])["total"] == 3


def test_post_unit_get_is_scoped(world):
    assert selectors.post_unit_get(user=world.users["town_a"], pk=world.grid_a1.pk) == world.grid_a1
    assert selectors.post_unit_get(user=world.users["town_b"], pk=world.grid_a1.pk) is None
    units = list(selectors.post_units(user=world.users["town_b"]))
    assert world.grid_b1 in units and world.grid_a1 not in units


def test_claim_team_get_only_offers_the_users_own_teams(world):
    from lianxin.volunteers import services as act

    team = act.team_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        name="东关志愿服务队",
        kind="volunteer",
    )
    act.team_member_add(actor=world.users["village_a"], team=team, user=world.users["resident_a"])
    assert selectors.claim_team_get(user=world.users["resident_a"], pk=team.pk) == team
    assert selectors.claim_team_get(user=world.users["resident_a"], pk=str(team.pk)) == team
    assert selectors.claim_team_get(user=world.users["resident_b"], pk=team.pk) is None
    assert selectors.claim_team_get(user=world.users["resident_a"], pk="abc") is None
    assert selectors.claim_team_get(user=world.users["resident_a"], pk=None) is None
    assert selectors.claim_teams(user=world.users["resident_a"]) == [team]
    assert selectors.claim_teams(user=world.users["resident_b"]) == []


def test_claim_unit_and_own_person(world):
    assert selectors.claim_unit(user=world.users["village_a"]) == world.village_a
    assert selectors.claim_unit(user=world.users["resident_a"]) is None
    assert selectors.own_person(user=world.users["resident_a"]) == world.persons["a"]
    assert selectors.own_person(user=world.users["town_a"]) is None
