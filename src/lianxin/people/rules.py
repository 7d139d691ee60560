from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import has_role, is_staff_member

# Roles whose work needs the full ID or phone number (visits, verification); others see masks.
can_reveal = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)

rules.add_perm("people.view_person", is_staff_member)
rules.add_perm("people.reveal_person", can_reveal)
rules.add_perm("people.view_household", is_staff_member)

# Registering households and people is village-level work (and above); departments do not.
can_manage_people = has_role(
    Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER
)
rules.add_perm("people.manage_household", can_manage_people)
