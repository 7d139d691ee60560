"""Who may log visits: the household's grid worker, or village/town/county staff over its grid."""

from __future__ import annotations

import rules

from lianxin.org.models import Role
from lianxin.org.scoping import covers_as, user_scope

VISIT_ROLES = (Role.COUNTY_ADMIN, Role.TOWN_STAFF, Role.VILLAGE_STAFF, Role.GRID_WORKER)


def _grid_of(obj):
    return getattr(obj, "grid", None)


@rules.predicate
def can_visit(user, obj=None) -> bool:
    """With a household (or a visit): its grid lies under one of the user's visiting roles."""
    if obj is None:
        return user_scope(user).has_role(*VISIT_ROLES)
    return covers_as(user, _grid_of(obj), *VISIT_ROLES)


@rules.predicate
def can_view_visits(user, obj=None) -> bool:
    scope = user_scope(user)
    if obj is None:
        return scope.is_staff
    return scope.covers(_grid_of(obj))


rules.add_perm("visits.add_visit", can_visit)
rules.add_perm("visits.view_visit", can_view_visits)
