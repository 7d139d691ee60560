"""Every named permission of 微心愿 per role, granted and denied, over the test world; and the
object rules (``wishes.rules``) the services and the wish page ask, per role on one wish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from lianxin.wishes import rules as wish_rules
from lianxin.wishes import services
from lianxin.wishes.models import WishCategory
from tests.permissions import (
    EVERYONE,
    STAFF,
    TOWN_A,
    TOWN_B,
    assert_granted_exactly,
)
from tests.wishes.factories import make_wish, make_wish_b

# Reviewing roles (county admin, town, village, grid staff): not the supervisor or a department.
REVIEWERS = {"county_admin"} | TOWN_A | TOWN_B

EXPECTED = {
    "wishes.view_wish": STAFF,
    "wishes.post_wish": EVERYONE,
    "wishes.review_wish": REVIEWERS,
    "wishes.claim_wish": EVERYONE,  # who may claim as what: the service's claimant rules
    "wishes.own_wish": EVERYONE,
    "wishes.view_stats": STAFF,
}


def test_every_named_permission_has_a_row():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("wishes.")}
    assert named == set(EXPECTED)


@pytest.mark.parametrize(("perm", "granted"), sorted(EXPECTED.items()))
def test_permission_by_role(world, perm, granted):
    assert_granted_exactly(world, perm, granted)


def _holders(world, predicate, wish) -> set[str]:
    return {name for name, user in world.users.items() if predicate.test(user, wish)}


def _refuses_anonymous(predicate, wish) -> None:
    assert not predicate.test(AnonymousUser(), wish)


def test_reviews_wish_is_a_reviewing_role_over_the_wish(world):
    wish = make_wish(world, "pending")  # grid A1
    assert _holders(world, wish_rules.reviews_wish, wish) == {"county_admin"} | TOWN_A
    _refuses_anonymous(wish_rules.reviews_wish, wish)
    wish_b = make_wish_b(world, "pending")
    assert _holders(world, wish_rules.reviews_wish, wish_b) == {"county_admin"} | TOWN_B


def test_holds_wish_is_the_claimant_or_a_reviewer(world):
    wish = make_wish(world, "claimed")  # claimed by party_a
    assert _holders(world, wish_rules.holds_wish, wish) == {"county_admin", "party_a"} | TOWN_A
    _refuses_anonymous(wish_rules.holds_wish, wish)
    # Another wish, claimed by nobody: only the reviewers hold it.
    published = make_wish(world, "published", title="想要一盏台灯")
    assert _holders(world, wish_rules.holds_wish, published) == {"county_admin"} | TOWN_A


def test_acts_for_resident_is_the_poster_the_beneficiary_or_a_reviewer(world):
    own = services.wish_post(
        actor=world.users["resident_a"],
        unit=world.grid_a1,
        title="想要一副老花镜",
        category=WishCategory.DAILY,
    )
    assert _holders(world, wish_rules.acts_for_resident, own) == {"county_admin", "resident_a"} | (
        TOWN_A
    )
    for_her = services.wish_post(
        actor=world.users["village_a"],
        unit=world.grid_a1,
        title="想要一台收音机",
        category=WishCategory.DAILY,
        beneficiary=world.persons["a"],
    )
    assert (
        _holders(world, wish_rules.acts_for_resident, for_her)
        == {
            "county_admin",
            "resident_a",
        }
        | TOWN_A
    )
    by_name = make_wish(world, "pending", title="想要一把雨伞")  # no account behind the name
    assert _holders(world, wish_rules.acts_for_resident, by_name) == {"county_admin"} | TOWN_A
    _refuses_anonymous(wish_rules.acts_for_resident, by_name)


def test_claimant_rules_per_role(world):
    assert _holders(world, wish_rules.is_party_member, None) == {"party_a", "party_b"}
    assert _holders(world, wish_rules.is_volunteer, None) == {"party_a", "party_b"}
    # 认领 by 单位: a unit in the user's staff scope (the supervisor's scope is the county's).
    assert _holders(world, wish_rules.speaks_for_unit, world.village_a) == {
        "county_admin",
        "supervisor",
    } | TOWN_A - {"grid_a1"}
    for predicate in (wish_rules.is_party_member, wish_rules.is_volunteer):
        assert not predicate.test(AnonymousUser())


def test_a_resident_in_a_team_is_a_volunteer_and_speaks_for_it(world):
    from lianxin.volunteers.models import Team, TeamMember

    team = Team.objects.create(unit=world.village_a, name="东关志愿服务队", kind="volunteer")
    assert not wish_rules.speaks_for_team.test(world.users["resident_a"], team)
    TeamMember.objects.create(team=team, user=world.users["resident_a"])
    assert wish_rules.is_volunteer.test(world.users["resident_a"])
    assert _holders(world, wish_rules.speaks_for_team, team) == {"resident_a"}
    assert not wish_rules.speaks_for_team.test(world.users["resident_a"], None)
