"""Named permissions of 村级集体经济, and the object rule over (user, village)."""

from __future__ import annotations

import rules

from lianxin.org.models import VILLAGE_KINDS, Role
from lianxin.org.rules import has_role
from lianxin.org.scoping import covers_as

# Who fills in the ledger: the village's own staff, the town's staff above it, the county admin.
ENTRY_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
VIEW_ROLES = (*ENTRY_ROLES, Role.SUPERVISOR)

can_view = has_role(*VIEW_ROLES)
can_enter = has_role(*ENTRY_ROLES)


@rules.predicate
def enters_for_village(user, village=None) -> bool:
    """Asked without an object (menus, decorators) this is true; with a village: it is a
    village or community inside the subtree of one of the user's entry memberships."""
    if village is None:
        return True
    return village.kind in VILLAGE_KINDS and covers_as(user, village, *ENTRY_ROLES)


may_set_income = can_enter & enters_for_village

rules.add_perm("economy.view_income", can_view)
rules.add_perm("economy.set_income", may_set_income)
rules.add_perm("economy.import_income", has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF))


@rules.predicate
def sees_unit(user, unit=None) -> bool:
    """Asked without an object this is true; with a unit (a 两新组织, an alliance): it lies in
    the subtree of one of the user's viewing memberships."""
    if unit is None:
        return True
    return covers_as(user, unit, *VIEW_ROLES)


may_view_ledger_unit = can_view & sees_unit

rules.add_perm("economy.view_two_new", may_view_ledger_unit)
rules.add_perm("economy.view_alliances", may_view_ledger_unit)


MARK_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF)


@rules.predicate
def marks_for_unit(user, unit=None) -> bool:
    """Without an object true; with a unit: inside a county-admin or town-staff subtree."""
    if unit is None:
        return True
    return covers_as(user, unit, *MARK_ROLES)


may_mark_new_economy = has_role(*MARK_ROLES) & marks_for_unit

rules.add_perm("economy.mark_new_economy", may_mark_new_economy)
