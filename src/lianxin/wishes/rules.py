"""Named permissions of 微心愿, and the object rules over (user, wish) that services and
views both ask (whose wish, which claimant, which staff cover it)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_staff_member
from lianxin.org.scoping import user_scope

REVIEW_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)
can_review = has_role(*REVIEW_ROLES)


@rules.predicate
def covers_wish(user, wish) -> bool:
    """The wish's grid lies in the user's staff scope."""
    return wish is not None and user_scope(user).covers(wish.unit)


@rules.predicate
def is_wish_claimant(user, wish) -> bool:
    """The user holds the wish's active claim."""
    return wish is not None and wish.claimed_by_id is not None and wish.claimed_by_id == user.pk


@rules.predicate
def speaks_for_beneficiary(user, wish) -> bool:
    """The poster, or the beneficiary's own account."""
    if wish is None:
        return False
    if wish.posted_by_id == user.pk:
        return True
    return bool(wish.beneficiary_id and wish.beneficiary.user_id == user.pk)


# Who may claim as what (认领方): the claim service asks the one for the kind chosen.
@rules.predicate
def is_party_member(user) -> bool:
    """A party member by role, or by the party record of their resident entry."""
    from lianxin.people.links import person_flags

    return user.is_authenticated and (
        user_scope(user).has_role(Role.PARTY_MEMBER) or person_flags(user).is_party_member
    )


@rules.predicate
def is_volunteer(user) -> bool:
    """A party member by role, or a member of a volunteer team."""
    from lianxin.volunteers.models import TeamMember

    return user.is_authenticated and (
        user_scope(user).has_role(Role.PARTY_MEMBER)
        or TeamMember.objects.filter(user=user).exists()
    )


@rules.predicate
def speaks_for_team(user, team) -> bool:
    """The team's leader or one of its members."""
    from lianxin.volunteers.models import TeamMember

    return (
        team is not None
        and user.is_authenticated
        and (team.leader_id == user.pk or TeamMember.objects.filter(team=team, user=user).exists())
    )


@rules.predicate
def speaks_for_unit(user, unit) -> bool:
    """A unit in the user's staff scope (认领 by 单位)."""
    return unit is not None and user_scope(user).covers(unit)


# Publish, decline, chase (and see the names on the wish page): a reviewing role over the wish.
reviews_wish = can_review & covers_wish
# Release or light a claimed wish: its claimant, or staff who review it.
holds_wish = is_wish_claimant | reviews_wish
# Confirm or thank: the resident (or their account), or staff for an elder or a child.
acts_for_resident = speaks_for_beneficiary | reviews_wish

rules.add_perm("wishes.view_wish", is_staff_member)
rules.add_perm("wishes.post_wish", is_authenticated)
rules.add_perm("wishes.review_wish", can_review)
rules.add_perm(
    "wishes.claim_wish", is_authenticated
)  # volunteers are residents in a team: checked in the service
rules.add_perm("wishes.own_wish", is_authenticated)
rules.add_perm("wishes.view_stats", is_staff_member)
