"""Named permissions of 党建品牌 and 合理化建议, and the object rules over (user, object)."""

from __future__ import annotations

import rules

from lianxin.org.models import Role, Unit
from lianxin.org.rules import has_role, is_staff_member
from lianxin.org.scoping import user_scope

can_manage = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)
is_member_or_staff = has_role(
    Role.PARTY_MEMBER,
    Role.COUNTY_ADMIN,
    Role.TOWN_STAFF,
    Role.VILLAGE_STAFF,
    Role.GRID_WORKER,
    Role.DEPT_HANDLER,
)


def is_level_above(user, unit: Unit) -> bool:
    """True when the user holds a staff post strictly above the body that owns ``unit``
    (a party organisation's owner is its village; its level above is the town)."""
    owner = unit.parent if unit.parent_id and unit.kind == "party_org" else unit
    return user_scope(user).is_above(owner)


@rules.predicate
def above_brand(user, project) -> bool:
    """Approving and reviewing a 党建品牌: staff of the level above its organisation."""
    return project is not None and is_level_above(user, project.unit)


@rules.predicate
def covers_proposal(user, proposal) -> bool:
    return proposal is not None and user_scope(user).covers(proposal.unit)


may_decide_brand = above_brand
may_review_proposal = can_manage & covers_proposal

rules.add_perm("brands.view_brand", is_staff_member)
rules.add_perm("brands.manage_brand", can_manage)
rules.add_perm("brands.submit_proposal", is_member_or_staff)
rules.add_perm("brands.review_proposal", can_manage)
