"""Named permissions of teams, posts and points, and the object rules over (user, object)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_staff_member
from lianxin.org.scoping import user_scope

can_manage = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)


@rules.predicate
def covers_unit(user, obj) -> bool:
    """The object's unit (a team, a post, an area, a point rule) lies in the user's subtree."""
    return obj is not None and user_scope(user).covers(obj.unit)


# Changing a team's members: a team manager over the team's unit.
may_manage_team = can_manage & covers_unit

rules.add_perm("volunteers.view_team", is_staff_member)
rules.add_perm("volunteers.manage_team", can_manage)
rules.add_perm("volunteers.view_points", is_staff_member)
rules.add_perm("volunteers.manage_points", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF))
