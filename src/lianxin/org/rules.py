"""Named permissions of the organisation tree, and the role predicates other apps reuse."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.scoping import user_scope


@rules.predicate
def is_staff_member(user) -> bool:
    return user_scope(user).is_staff


def has_role(*roles: str):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user) -> bool:
        return user_scope(user).has_role(*roles)

    return predicate


@rules.predicate
def is_authenticated(user) -> bool:
    return bool(user and user.is_authenticated)


is_county_admin = has_role(Role.COUNTY_ADMIN)
is_supervisor = has_role(Role.SUPERVISOR)
is_town_or_above = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF)

rules.add_perm("org.view_unit", is_staff_member)
rules.add_perm("org.manage_unit", is_county_admin)
rules.add_perm("org.view_membership", is_staff_member)
rules.add_perm("org.manage_staff", is_town_or_above)
# Confirming a self-registered resident's community (org.residence.CLERK_ROLES).
rules.add_perm(
    "org.confirm_residence", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
)
