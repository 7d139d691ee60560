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

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import BooleanField, F, Func, Q
from django.utils.translation import gettext as _

from lianxin.core.db import is_postgres
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
from lianxin.org.querysets import ScopedQuerySet

__all__ = [  # the vocabulary other apps use (see docs/adr/0005-scoping-vocabulary.md)
    "Scope",
    "ScopedQuerySet",
    "home_area_q",
    "require_covers",
    "scope_q",
    "scope_queryset",
    "scope_unit_ids",
    "under_q",
    "user_scope",
]

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

    def is_above(self, unit: Unit | None) -> bool:
        """Strictly above ``unit``: a staff membership at a proper ancestor of it (the level
        that approves and reviews); a superuser is above everything, no unit is below nobody.
        (Was ``cases.services.can_supervise`` and ``activities.services.is_level_above``.)"""
        if self.is_global:
            return True
        if unit is None:
            return False
        return any(
            m.role in STAFF_ROLES and unit.path.startswith(m.unit.path) and m.unit.path != unit.path
            for m in self.memberships
        )

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
    for attr in (_CACHE_ATTR, _IDS_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def home_area_q(
    user,
    fields: Iterable[str] = ("unit",),
    *,
    ancestors: bool = False,
    subtree: bool = True,
    kinds: Iterable[str] | None = None,
    membership_units: bool = False,
) -> Q:
    """Rows whose unit lookups lie in the user's home areas (``home_units``): what a resident
    or party member is offered (events to join, wishes to claim, rooms to book). Matches
    nothing for a user with no membership; a superuser gets no special case (combine with
    ``scope_q``, which is None for them).

    ``ancestors``: also the areas' own units and every unit above them (the town's and
    county's own events, not their other villages'). ``subtree=False``: not the areas' units
    below. ``kinds``: only units of these kinds (the lookups' ``kind``). ``membership_units``:
    start from the memberships' own units rather than their areas (``Room.bookable_by``: a
    resident registered in a grid may book the grid's room).
    """
    units = [m.unit for m in user_scope(user).memberships] if membership_units else home_units(user)
    q = Q(pk__in=[])
    fields = tuple(fields)
    paths = sorted({u.path for u in units})
    if not paths:
        return q
    for f in fields:
        fq = Q(pk__in=[])
        if subtree:
            for p in paths:
                fq |= Q(**{_lookup(f, "startswith"): p})
        if ancestors:
            fq |= Q(**{_lookup(f, "in"): sorted({a for p in paths for a in path_ancestors(p)})})
        if kinds is not None:
            fq &= Q(**{f"{f}__kind__in" if f else "kind__in": sorted(kinds)})
        q |= fq
    return q


def scope_q(user, fields: Iterable[str] = ("unit",), *, ancestors: bool = False) -> Q | None:
    """The filter for ``user`` over the given unit lookups; None means "no restriction".

    ``fields`` names foreign keys to ``Unit`` (``""`` when the model is ``Unit`` itself);
    a row is visible when any of them lies in one of the user's subtrees. With
    ``ancestors=True`` a row whose unit is an ancestor of (or equal to) one of the user's
    staff units is visible too (a county's survey campaign is seen by its villages).
    """
    scope = user_scope(user)
    if scope.is_global:
        return None
    q = paths_q(scope.staff_paths, fields)
    if ancestors and scope.staff_paths:
        q |= ancestors_q(scope.staff_paths, fields)
    return q


def _lookup(field: str, lookup: str) -> str:
    return f"{field}__path__{lookup}" if field else f"path__{lookup}"


def paths_q(paths: Iterable[str], fields: Iterable[str] = ("unit",)) -> Q:
    """Rows whose unit lookups (``fields``; ``""`` for ``Unit`` itself) lie in one of ``paths``;
    no paths match nothing."""
    paths = tuple(paths)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for f in fields:
        for p in paths:
            q |= Q(**{_lookup(f, "startswith"): p})
    return q


def under_q(unit: Unit, fields: Iterable[str] = ("unit",)) -> Q:
    """Rows whose unit lookups lie in ``unit``'s subtree (itself included): a filter "under
    this unit", not an access rule (``Unit.objects.under`` for ``Unit`` itself)."""
    return paths_q((unit.path,), fields)


def path_within(path: str, area: str) -> bool:
    """Whether the unit at ``path`` lies in the subtree whose root path is ``area`` (itself
    included): the in-memory twin of ``paths_q`` for rules that hold a path, not a Unit."""
    return path.startswith(area)


def path_ancestors(path: str) -> list[str]:
    """``path`` and the paths of every unit above it, root first (``Unit.ancestor_paths``)."""
    parts = [s for s in path.split("/") if s]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def ancestors_q(paths: Iterable[str], fields: Iterable[str] = ("unit",)) -> Q:
    """Rows whose unit lookups are one of ``paths`` or an ancestor of one; none match nothing."""
    wanted = sorted({a for p in paths for a in path_ancestors(p)})
    if not wanted:
        return Q(pk__in=[])
    q = Q()
    for f in fields:
        q |= Q(**{_lookup(f, "in"): wanted})
    return q


# ------------------------------------------------------------------ the unit-id strategy
# On PostgreSQL a subtree is resolved once per user into the ids of its units and rows are
# matched by foreign-key id (``unit_id = ANY(%s)``), so the planner combines the foreign-key
# indexes instead of joining every row to the unit tree to compare paths. See
# docs/adr/0005-scoping-vocabulary.md. Above this many units the ids stay a subquery.
SCOPE_ID_LIST_LIMIT = 5000
_IDS_CACHE_ATTR = "_lianxin_scope_unit_ids"


class AnyOf(Func):
    """``column = ANY(%s)`` with the ids bound as one array parameter (PostgreSQL).

    The same plan as ``IN (…)``, without a bound parameter per id: a county's 1,200 unit ids cost
    Django and psycopg ~10 ms of Python per query as an IN list.
    """

    output_field = BooleanField()

    def __init__(self, field: str, values: list[int]):
        super().__init__(F(field))
        self.values = list(values)

    def as_sql(self, compiler, connection, **extra):
        lhs, params = compiler.compile(self.source_expressions[0])
        return f"{lhs} = ANY(%s)", (*params, self.values)


class _EveryUnit:
    """The scope covers every root of the tree, so every unit: "one of all units" is "any unit"."""

    def __repr__(self) -> str:
        return "EVERY_UNIT"


EVERY_UNIT = _EveryUnit()


def _covers_every_root(paths: tuple[str, ...]) -> bool:
    roots = Unit.objects.filter(parent__isnull=True).values_list("path", flat=True)
    return all(any(r.startswith(p) for p in paths) for r in roots)


def scope_unit_ids(user) -> list[int] | models.QuerySet[Unit] | _EveryUnit | None:
    """The ids of the units in the user's staff subtrees; None means everything (a superuser).

    A list when there are at most ``SCOPE_ID_LIST_LIMIT`` of them, else a ``values_list``
    subquery, and ``EVERY_UNIT`` when the subtrees hold every root of the tree (a province
    admin): then a row is in scope when it has a unit at all, and the database never builds a
    hash of the whole tree for every query (37k units: 30 ms a query). Cached on the user object
    like ``user_scope`` (and dropped by ``forget_scope``), keyed by the staff paths so a changed
    scope never reuses a stale list.
    """
    scope = user_scope(user)
    if scope.is_global:
        return None
    cached = getattr(user, _IDS_CACHE_ATTR, None)
    if cached is not None and cached[0] == scope.staff_paths:
        return cached[1]
    result: list[int] | models.QuerySet[Unit] | _EveryUnit
    units = Unit.objects.filter(paths_q(scope.staff_paths, ("",))).values_list("pk", flat=True)
    ids = list(units[: SCOPE_ID_LIST_LIMIT + 1])
    if len(ids) <= SCOPE_ID_LIST_LIMIT:
        result = ids
    elif scope.staff_paths and _covers_every_root(scope.staff_paths):
        result = EVERY_UNIT
    else:
        result = units
    if getattr(user, "pk", None) is not None:
        setattr(user, _IDS_CACHE_ATTR, (scope.staff_paths, result))
    return result


def ids_q(
    ids: list[int] | models.QuerySet[Unit] | _EveryUnit, fields: Iterable[str] = ("unit",)
) -> Q:
    """Rows whose unit lookups are one of ``ids`` (a list: one ``= ANY`` array; every unit: the
    foreign key is set; else ``IN``)."""
    q = Q()
    for f in fields:
        if ids is EVERY_UNIT:
            q |= Q(**{f"{f}__isnull": False}) if f else Q(pk__isnull=False)
        elif isinstance(ids, list):
            q |= Q(AnyOf(f or "pk", ids))
        else:
            q |= Q(**{f"{f}__in" if f else "pk__in": ids})
    return q if fields else Q(pk__in=[])


def scope_queryset(
    qs: models.QuerySet[M],
    user,
    fields: Iterable[str] = ("unit",),
    *,
    ancestors: bool = False,
    strategy: str = "paths",
) -> models.QuerySet[M]:
    """``qs`` narrowed to what ``user`` may see (``scope_q``).

    ``strategy="ids"`` matches the subtree by unit id on PostgreSQL (``scope_unit_ids``) and by
    path elsewhere (SQLite plans the path join well and long id lists badly); it is for large
    tables whose unit foreign keys are indexed (requests and their rollups). It cannot be
    combined with ``ancestors``.
    """
    if strategy not in ("paths", "ids"):
        raise ValueError(f"unknown scoping strategy {strategy!r}")
    fields = tuple(fields)
    if strategy == "ids" and not ancestors and is_postgres():
        ids = scope_unit_ids(user)
        return qs if ids is None else qs.filter(ids_q(ids, fields))
    q = scope_q(user, fields, ancestors=ancestors)
    return qs if q is None else qs.filter(q)


def require_covers(user, unit: Unit | None, *roles: str, message=None) -> None:
    """Raise ``PermissionDenied(message)`` unless ``unit`` lies in the user's staff subtrees
    (with ``roles``: in the subtrees of their memberships in those roles only, ``covers_as``).
    A superuser covers everything; no unit is covered by nobody."""
    ok = covers_as(user, unit, *roles) if roles else user_scope(user).covers(unit)
    if not ok:
        raise PermissionDenied(*(() if message is None else (message,)))


def scoped_units(user, *kinds: str) -> models.QuerySet[Unit]:
    qs = scope_queryset(Unit.objects.all(), user, fields=("",))
    return qs.filter(kind__in=kinds) if kinds else qs


def scope_label(user) -> str:
    """The units a staff user's exports cover, for a sheet's title row ("武山县", "城关镇、洛门镇");
    "全部" for a superuser (``core.spreadsheets.scope_label`` asks this, see ``OrgConfig.ready``)."""
    scope = user_scope(user)
    if scope.is_global:
        return _("全部")
    names: list[str] = []
    for m in scope.memberships:
        if m.role in STAFF_ROLES and m.unit.path in scope.staff_paths and m.unit.name not in names:
            names.append(m.unit.name)
    return "、".join(names)


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
