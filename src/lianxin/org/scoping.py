"""The one scoping mechanism: a staff user sees the subtrees of the units they hold.

Every selector in every app narrows its queryset here, through ``scope_queryset`` or a
model's ``visible_to(user)`` that calls it. Nothing else in the code base builds a
path filter for access control; the route-walking test proves no other subtree leaks.

Besides the staff scope there is a user's *home area* (``home_units``): where they take
part as a resident, party member or volunteer — the events they are offered, the wishes
they may claim. A membership in an administrative unit has that unit as its area; a
membership in a unit that lives inside a village (a party branch, a grid, a property
project) has the village. A unit that merely hangs off a town or county — a county
department (县住建局), the county party committee, an enterprise registered with a town —
is its own area: being attached to the county is an organisational link, not residence
in every village of it, so a department handler is never offered 洛门镇's service day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models
from django.db.models import Q

from lianxin.org.models import (
    ADMINISTRATIVE_KINDS,
    GRID_KINDS,
    ROLE_RANK,
    STAFF_ROLES,
    VILLAGE_KINDS,
    Membership,
    Role,
    Unit,
)

_CACHE_ATTR = "_lianxin_scope"
M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """What one user may see: global (superuser), staff paths, and every role held."""

    is_global: bool = False
    staff_paths: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    memberships: tuple[Membership, ...] = field(default=(), compare=False)

    @property
    def is_staff(self) -> bool:
        return self.is_global or bool(self.staff_paths)

    def has_role(self, *roles: str) -> bool:
        return self.is_global or any(r in self.roles for r in roles)

    def covers(self, unit: Unit | None) -> bool:
        if self.is_global:
            return True
        if unit is None:
            return False
        return any(unit.path.startswith(p) for p in self.staff_paths)

    def covers_path(self, path: str) -> bool:
        return self.is_global or any(path.startswith(p) for p in self.staff_paths)

    def main_membership(self) -> Membership | None:
        ranked = sorted(self.memberships, key=lambda m: ROLE_RANK.index(m.role))
        return ranked[0] if ranked else None

    def units_for(self, *roles: str) -> list[Unit]:
        return [m.unit for m in self.memberships if not roles or m.role in roles]


def _minimal_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop paths already covered by an ancestor path, so filters stay short."""
    result: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(q) for q in result):
            result.append(p)
    return tuple(sorted(result))


def user_scope(user) -> Scope:
    """The user's scope, computed once per request object and cached on it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    memberships = tuple(
        Membership.objects.active()
        .filter(user=user)
        .select_related("unit", "unit__parent")
        .order_by("id")
    )
    scope = Scope(
        is_global=bool(user.is_superuser),
        staff_paths=_minimal_paths(m.unit.path for m in memberships if m.role in STAFF_ROLES),
        roles=frozenset(m.role for m in memberships),
        memberships=memberships,
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


# A non-administrative unit hanging under one of these lives inside it: its members belong there.
_RESIDENTIAL_PARENT_KINDS = VILLAGE_KINDS | GRID_KINDS


def membership_area(unit: Unit) -> Unit:
    """The unit whose subtree is a membership's home area (see the module docstring).

    An administrative unit (or a root) is its own area; a party branch, grid or property
    project under a village, community or grid counts as that parent; anything else not
    administrative (a department or party committee under the county or a town) stays its
    own area and is never widened to the town or county above it.
    """
    if unit.kind in ADMINISTRATIVE_KINDS or unit.parent_id is None:
        return unit
    parent = unit.parent
    if parent.kind in _RESIDENTIAL_PARENT_KINDS:
        return parent
    return unit


def home_units(user) -> list[Unit]:
    """The home areas of a user, one per active membership (possibly repeated)."""
    return [membership_area(m.unit) for m in user_scope(user).memberships]


def forget_scope(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def scope_q(user, fields: Iterable[str] = ("unit",)) -> Q | None:
    """The filter for ``user`` over the given unit lookups; None means "no restriction".

    ``fields`` names foreign keys to ``Unit`` (``""`` when the model is ``Unit`` itself);
    a row is visible when any of them lies in one of the user's subtrees.
    """
    scope = user_scope(user)
    if scope.is_global:
        return None
    return paths_q(scope.staff_paths, fields)


def paths_q(paths: Iterable[str], fields: Iterable[str] = ("unit",)) -> Q:
    """Rows whose unit lookups (``fields``; ``""`` for ``Unit`` itself) lie in one of ``paths``;
    no paths match nothing."""
    paths = tuple(paths)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for f in fields:
        lookup = f"{f}__path__startswith" if f else "path__startswith"
        for p in paths:
            q |= Q(**{lookup: p})
    return q


def scope_queryset(
    qs: models.QuerySet[M], user, fields: Iterable[str] = ("unit",)
) -> models.QuerySet[M]:
    q = scope_q(user, fields)
    return qs if q is None else qs.filter(q)


def scoped_units(user, *kinds: str) -> models.QuerySet[Unit]:
    qs = scope_queryset(Unit.objects.all(), user, fields=("",))
    return qs.filter(kind__in=kinds) if kinds else qs


def is_resident_only(user) -> bool:
    scope = user_scope(user)
    return not scope.is_staff and Role.RESIDENT in scope.roles


def role_paths(user, *roles: str) -> tuple[str, ...] | None:
    """The subtrees of the user's memberships in ``roles`` only; None means everything
    (a superuser). A grid worker's or supervisor's scope does not make them a village clerk."""
    scope = user_scope(user)
    if scope.is_global:
        return None
    return _minimal_paths(m.unit.path for m in scope.memberships if m.role in roles)


def scope_queryset_for_roles(
    qs: models.QuerySet[M], user, roles: Iterable[str], fields: Iterable[str] = ("unit",)
) -> models.QuerySet[M]:
    """``scope_queryset`` over the subtrees of the user's memberships in ``roles`` only."""
    paths = role_paths(user, *roles)
    return qs if paths is None else qs.filter(paths_q(paths, fields))


def covers_as(user, unit: Unit | None, *roles: str) -> bool:
    """Whether ``unit`` lies in the subtree of one of the user's memberships in ``roles``."""
    paths = role_paths(user, *roles)
    return paths is None or (unit is not None and any(unit.path.startswith(p) for p in paths))
