"""Named permissions of the people register: a role rule and, with an object, the object's
unit (a person's unit, a household's grid) in the user's scope (``org.rules.covers_object``)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.rules import covers_object, has_role, is_staff_member

# Roles whose work needs the full ID or phone number (visits, verification); others see masks.
can_reveal = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)

rules.add_perm("people.view_person", is_staff_member & covers_object)
rules.add_perm("people.reveal_person", can_reveal & covers_object)
rules.add_perm("people.view_household", is_staff_member & covers_object)

# Registering households and people is village-level work (and above); departments do not.
can_manage_people = has_role(
    Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER
)
rules.add_perm("people.manage_household", can_manage_people & covers_object)
