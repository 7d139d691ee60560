"""Named permissions of grid boundaries and grid staff, and the object rule they share: clerks
(county admin, town staff, village staff) over the unit — a town clerk in their town, a village
clerk in their village; grid workers and the supervisor see grids but do not redraw them."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, unit_of
from lianxin.org.scoping import covers_as

CLERK_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
is_grid_clerk = has_role(*CLERK_ROLES)


@rules.predicate
def clerk_over(user, obj) -> bool:
    """No object (menus, view decorators), or the object's unit lies under a clerk post held."""
    if obj is None:
        return True
    return covers_as(user, unit_of(obj), *CLERK_ROLES)


may_edit_grids = is_grid_clerk & clerk_over

rules.add_perm("grids.edit_boundary", may_edit_grids)
rules.add_perm("grids.manage_staff", may_edit_grids)
