"""Who issues, answers and reviews 督办, and who decides accountability.

- issuer (``can_issue``): staff or supervisor of a unit strictly above the target (county,
  town or village staff, or a 纪检 supervisor; a grid worker or a department handler is not
  the level above anyone), or the county: the county's staff issue on anything beneath it.
  The addressed unit never supervises itself.
- reviewer (``can_review``): the issuer side of an order — the same roles over its issuing unit.
- replier (``can_reply``): staff of the addressed unit itself (the unit answers for itself; the
  level above reviews, it does not reply for it).
- viewer (``can_view``): staff whose subtree holds the addressed unit (the unit and every level
  above it); never a sibling subtree.
"""

from __future__ import annotations

import rules

from lianxin.org.models import STAFF_ROLES, Role, Unit
from lianxin.org.scoping import covers_as, user_scope

ISSUER_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.SUPERVISOR)


def _target_unit(obj) -> Unit | None:
    if isinstance(obj, Unit):
        return obj
    return getattr(obj, "unit", None)


def issuer_memberships(user, unit: Unit | None):
    """The user's issuing memberships strictly above ``unit`` (closest first)."""
    if unit is None:
        return []
    found = [
        m
        for m in user_scope(user).memberships
        if m.role in ISSUER_ROLES and unit.is_under(m.unit) and m.unit.pk != unit.pk
    ]
    return sorted(found, key=lambda m: -len(m.unit.path))


@rules.predicate
def can_issue(user, obj=None) -> bool:
    """With a target (a unit, a request, an order): an issuing role strictly above its unit."""
    scope = user_scope(user)
    if obj is None:
        return scope.has_role(*ISSUER_ROLES)
    if scope.is_global:
        return True
    return bool(issuer_memberships(user, _target_unit(obj)))


@rules.predicate
def can_review(user, obj=None) -> bool:
    """The issuer side of an order or a decision: an issuing role over its issuing unit."""
    if obj is None:
        return user_scope(user).has_role(*ISSUER_ROLES)
    return covers_as(user, obj.issuer_unit, *ISSUER_ROLES) and can_issue(user, obj)


@rules.predicate
def can_reply(user, obj=None) -> bool:
    """Staff of the addressed unit itself."""
    scope = user_scope(user)
    if obj is None:
        return scope.is_staff
    unit = _target_unit(obj)
    return unit is not None and any(
        m.role in STAFF_ROLES and m.unit_id == unit.pk for m in scope.memberships
    )


@rules.predicate
def can_view(user, obj=None) -> bool:
    scope = user_scope(user)
    if obj is None:
        return scope.is_staff
    return scope.covers(_target_unit(obj))


rules.add_perm("supervision.view_order", can_view)
rules.add_perm("supervision.issue_order", can_issue)
rules.add_perm("supervision.review_order", can_review)
rules.add_perm("supervision.reply_order", can_reply)
rules.add_perm("supervision.decide", can_issue)
rules.add_perm("supervision.follow_decision", can_review)
