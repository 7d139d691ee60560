"""Named permissions of activities, teams, points, brands and proposals."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_authenticated, is_staff_member

can_manage = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)
is_member_or_staff = has_role(
    Role.PARTY_MEMBER,
    Role.COUNTY_ADMIN,
    Role.TOWN_STAFF,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
    Role.DEPT_HANDLER,
)

rules.add_perm("activities.view_event", is_staff_member)
rules.add_perm("activities.manage_event", can_manage)
rules.add_perm("activities.register", is_authenticated)
rules.add_perm("activities.view_team", is_staff_member)
rules.add_perm("activities.manage_team", can_manage)
rules.add_perm("activities.view_points", is_staff_member)
rules.add_perm("activities.manage_points", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF))
rules.add_perm("activities.own_record", is_authenticated)
rules.add_perm("activities.view_brand", is_staff_member)
rules.add_perm("activities.manage_brand", can_manage)
rules.add_perm("activities.submit_proposal", is_member_or_staff)
rules.add_perm("activities.review_proposal", can_manage)
