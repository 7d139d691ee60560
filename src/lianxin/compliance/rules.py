"""Who may act on signage campaigns, inspections and rectification tasks (阵地规范化).

Each named permission is a role predicate combined with an object predicate over
(user, object): asked without an object (menus, ``permission_required`` on a view) it says
whether the user holds one of the roles at all; asked with the object the action is on (a
unit, a venue, a task) it also says whether one of the user's memberships *in those roles*
covers the object's unit. Services call :func:`require` with the object, views ask
``has_perm`` with the same object, so the rule is written once and tested per role
(tests/compliance/test_permissions.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from lianxin.org.models import Role, Unit
from lianxin.org.rules import has_role
from lianxin.org.scoping import covers_as

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Staff who run a venue: the village/community, the town above it, the county.
VENUE_STAFF = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF)
# The levels that open campaigns and inspect: the town and the county.
TOWN_OR_COUNTY = (Role.COUNTY_ADMIN, Role.TOWN_STAFF)


def unit_of(obj: Any) -> Unit | None:
    """The unit an object of this app answers to: a unit itself, a venue's unit, or the unit
    of the venue a check, inspection or task belongs to."""
    if obj is None or isinstance(obj, Unit):
        return obj
    venue = getattr(obj, "venue", None)
    return (venue if venue is not None else obj).unit


def _covered_as(*roles: str):
    """Object predicate: no object passes (the role predicate decides); an object passes when
    a membership of the user in ``roles`` covers its unit."""
    name = "covers_as:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user, obj=None) -> bool:
        if obj is None:
            return True
        return covers_as(user, unit_of(obj), *roles)

    return predicate


is_venue_staff = has_role(*VENUE_STAFF)
is_town_or_county = has_role(*TOWN_OR_COUNTY)
is_county_admin = has_role(Role.COUNTY_ADMIN)

# 挂牌整治: a town or the county opens a campaign over its own unit (object: the unit).
may_open_signage = is_town_or_county & _covered_as(*TOWN_OR_COUNTY)
# The check at a venue is recorded by its staff or the levels above (object: the venue).
may_check_signage = is_venue_staff & _covered_as(*VENUE_STAFF)
# 实地指导 is a town's or the county's visit to a venue in its area (object: the venue).
may_inspect = is_town_or_county & _covered_as(*TOWN_OR_COUNTY)
# Checklists are the county's standard (no object).
may_manage_checklist = is_county_admin
# 销号 by the venue's staff or the levels above (object: the task).
may_close_task = is_venue_staff & _covered_as(*VENUE_STAFF)

rules.add_perm("compliance.open_signage", may_open_signage)
rules.add_perm("compliance.check_signage", may_check_signage)
rules.add_perm("compliance.inspect", may_inspect)
rules.add_perm("compliance.manage_checklist", may_manage_checklist)
rules.add_perm("compliance.close_task", may_close_task)


def require(actor: User, perm: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` has ``perm`` on ``obj``: out of the role's
    area reads as the scope message services have always given."""
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
