"""Scoped reads of the organisation tree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from lianxin.org.models import STAFF_ROLES, Membership, Unit
from lianxin.org.scoping import user_scope


def unit_roots_for(user) -> list[Unit]:
    """The top units a user may browse from: their own staff units (or the roots)."""
    scope = user_scope(user)
    if scope.is_global:
        return list(Unit.objects.filter(parent__isnull=True))
    return list(Unit.objects.filter(path__in=scope.staff_paths))


def unit_get(*, user, code: str) -> Unit:
    return get_object_or_404(Unit.objects.visible_to(user).select_related("parent"), code=code)


def unit_find(*, user: Any, code: str | None) -> Unit | None:
    """The unit with ``code`` if the user may see it, else None (no code: None)."""
    if not code:
        return None
    return Unit.objects.visible_to(user).filter(code=code).first()


def unit_staff(
    unit: Unit | Iterable[Unit],
    roles: Iterable[str] = STAFF_ROLES,
    *,
    only_active_users: bool = True,
) -> QuerySet[Any]:
    """The users holding an active membership in ``roles`` at ``unit`` itself (or at any of
    several units), each once: "the staff of a unit" that is notified, assigned or listed.

    Not the subtree: a town's staff are not its villages' clerks. ``only_active_users=False``
    keeps disabled accounts (a roster that must still show who was on it).
    """
    units = [unit] if isinstance(unit, Unit) else list(unit)
    qs = get_user_model().objects.filter(
        memberships__unit__in=units,
        memberships__role__in=list(roles),
        memberships__is_active=True,
    )
    if only_active_users:
        qs = qs.filter(is_active=True)
    return qs.distinct()


def unit_children(*, user, unit: Unit) -> QuerySet[Unit]:
    return (
        Unit.objects.visible_to(user)
        .filter(parent=unit)
        .annotate(n_children=Count("children", distinct=True))
        .order_by("kind", "code")
    )


def unit_search(*, user, q: str = "", kind: str = "") -> QuerySet[Unit]:
    qs = Unit.objects.visible_to(user).select_related("parent")
    if q:
        qs = qs.filter(name__contains=q) | qs.filter(code__startswith=q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def unit_breadcrumb(*, user, unit: Unit) -> list[Unit]:
    """Ancestors the user may see, root first (a village clerk does not see the county)."""
    return list(unit.ancestors(include_self=False).visible_to(user))


def unit_memberships(*, user, unit: Unit) -> QuerySet[Membership]:
    return (
        Membership.objects.visible_to(user)
        .active()
        .filter(unit=unit)
        .select_related("user")
        .order_by("role", "user__username")
    )


def unit_grid_features(*, user, unit: Unit, limit: int = 2000) -> dict:
    """GeoJSON of the grids under ``unit`` that the user may see, for the map."""
    from lianxin.org.models import GRID_KINDS

    rows = (
        Unit.objects.visible_to(user)
        .under(unit)
        .filter(kind__in=GRID_KINDS, boundary__isnull=False)
        .values_list("code", "name", "boundary")[:limit]
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": boundary, "properties": {"code": code, "name": name}}
            for code, name, boundary in rows
        ],
    }


def staff_memberships(*, user, q: str = "", role: str = "") -> QuerySet[Membership]:
    qs = Membership.objects.visible_to(user).active().select_related("user", "unit")
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(user__display_name__contains=q) | qs.filter(user__username__startswith=q)
    return qs.order_by("unit__path", "role", "user__username")


def membership_get(*, user, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(user).active().select_related("user", "unit"), pk=pk
    )


def tree_targets(
    *, user, kinds: Iterable[str], exclude_under: Unit | None = None
) -> QuerySet[Unit]:
    """Active units of ``kinds`` the user sees (and, for a move, not inside ``exclude_under``):
    the choices of the tree forms' unit pickers; the services check the rule again."""
    qs = Unit.objects.visible_to(user).filter(kind__in=list(kinds), is_active=True)
    if exclude_under is not None:
        qs = qs.exclude(pk__in=Unit.objects.under(exclude_under).values("pk"))
    return qs.order_by("path")


def alliance_members(*, user, alliance: Unit) -> QuerySet[Any]:
    """The member units of a 党建联合体 (all of them: membership is public inside the county)."""
    from lianxin.org.models import AllianceMember

    return AllianceMember.objects.filter(alliance=alliance).select_related("member")


def alliance_member_get(*, user, alliance: Unit, pk: int) -> Any:
    from lianxin.org.models import AllianceMember

    return get_object_or_404(
        AllianceMember.objects.select_related("alliance", "member"), alliance=alliance, pk=pk
    )
