"""Named permissions of the organisation tree, and the predicates other apps reuse.

Each permission is a role predicate over the user and, when asked with an object
(``user.has_perm(perm, obj)``), an object predicate over (user, object): the object lies in the
user's scope, or the user may act on it. Asked without an object (menus, view decorators) the
object half is true, so the answer is the role rule alone; services and views ask with the
object so the second check is the same code everywhere.
"""

from __future__ import annotations

from typing import Any

import rules

from lianxin.org.models import Membership, ResidenceClaim, Role, Unit
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


def unit_of(obj: Any) -> Unit | None:
    """The unit an object is scoped by: a unit itself, else its ``unit`` or ``grid``."""
    if isinstance(obj, Unit):
        return obj
    for attr in ("unit", "grid"):
        if getattr(type(obj), attr, None) is not None:
            return getattr(obj, attr)
    return None


@rules.predicate
def covers_object(user, obj) -> bool:
    """No object, or the object's unit (``unit_of``) lies in the user's staff subtrees."""
    return obj is None or user_scope(user).covers(unit_of(obj))


@rules.predicate
def may_grant_at(user, obj) -> bool:
    """No object; a unit where the user may grant some role; a membership they could have granted."""
    from lianxin.org.services import grantable_roles

    if obj is None:
        return True
    if isinstance(obj, Membership):
        return obj.role in grantable_roles(user, obj.unit)
    return bool(grantable_roles(user, unit_of(obj))) if unit_of(obj) is not None else False


@rules.predicate
def may_decide_claim(user, obj) -> bool:
    """No object, or a pending residence claim of a village the user clerks (or is above)."""
    from lianxin.org.residence import may_decide

    return obj is None or (isinstance(obj, ResidenceClaim) and may_decide(user, obj))


def may_edit_tree_at(user, unit: Unit | None, *, include_self: bool) -> bool:
    """Whether ``user`` may change ``unit`` (``include_self=False``: rename, close, move) or add
    under it (``include_self=True``): a county admin anywhere in their county, a town admin
    (乡镇/街道干部 at a town or street) strictly inside their town — adding under the town itself
    is inside it. Superusers everywhere."""
    from lianxin.org.models import TOWN_KINDS

    if unit is None:
        return False
    scope = user_scope(user)
    if scope.is_global:
        return True
    for m in scope.memberships:
        if m.role == Role.COUNTY_ADMIN:
            if unit.path.startswith(m.unit.path):
                return True
        elif m.role == Role.TOWN_STAFF and m.unit.kind in TOWN_KINDS:
            inside = unit.path.startswith(m.unit.path)
            if inside and (include_self or unit.pk != m.unit.pk):
                return True
    return False


@rules.predicate
def may_change_unit(user, obj) -> bool:
    """No object, or a unit the user may rename, close or move (``may_edit_tree_at``)."""
    return obj is None or may_edit_tree_at(user, unit_of(obj), include_self=False)


@rules.predicate
def may_add_under(user, obj) -> bool:
    """No object, or a unit under which the user may create units (``may_edit_tree_at``)."""
    return obj is None or may_edit_tree_at(user, unit_of(obj), include_self=True)


is_tree_admin = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF)
is_county_admin = has_role(Role.COUNTY_ADMIN)
is_supervisor = has_role(Role.SUPERVISOR)
is_town_or_above = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF)
is_clerk = has_role(Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)

rules.add_perm("org.view_unit", is_staff_member & covers_object)
rules.add_perm("org.manage_unit", is_county_admin & covers_object)
rules.add_perm("org.view_membership", is_staff_member & covers_object)
# The tree on screen (org.tree): create under, and rename/close/move a unit.
rules.add_perm("org.add_unit", is_tree_admin & may_add_under)
rules.add_perm("org.change_unit", is_tree_admin & may_change_unit)
rules.add_perm("org.manage_staff", is_town_or_above & may_grant_at)
# Confirming a self-registered resident's community (org.residence.CLERK_ROLES).
rules.add_perm("org.confirm_residence", is_clerk & may_decide_claim)
