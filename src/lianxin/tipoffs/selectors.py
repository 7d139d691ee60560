"""Scoped reads of 举报 (rule: tipoffs.rules — supervisors strictly above, or 纪检)."""

from __future__ import annotations

import re

from django.db.models import Q, QuerySet

from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import paths_q, under_q
from lianxin.tipoffs import crypto
from lianxin.tipoffs.models import Tipoff
from lianxin.tipoffs.rules import discipline_area, is_discipline, supervisor_memberships

CODE_LENGTH = 12


def tipoff_list(*, user) -> QuerySet[Tipoff]:
    """The 举报 a handler may see; nothing for anyone else (superusers included)."""
    members = supervisor_memberships(user)
    if not members:
        return Tipoff.objects.none()
    q = Q(pk__in=[])
    for m in members:
        if is_discipline(m.unit):
            q |= paths_q((discipline_area(m.unit),)) & ~under_q(m.unit)
        else:
            q |= under_q(m.unit) & ~Q(unit_id=m.unit_id)
    return Tipoff.objects.select_related("unit").filter(q)


def tipoff_get(*, user, pk: int) -> Tipoff | None:
    """One 举报 the handler may see, or None (the view answers 404 either way)."""
    return tipoff_list(user=user).filter(pk=pk).first()


def my_tipoffs(*, user) -> QuerySet[Tipoff]:
    """The logged-in reporter's own named 举报 (state and feedback only are shown); anonymous
    ones are linked to nobody, not even their author."""
    if not getattr(user, "is_authenticated", False):
        return Tipoff.objects.none()
    return Tipoff.objects.filter(reporter_key=crypto.keyed_hash(f"user:{user.pk}"))


def normalize_code(code: str) -> str:
    """Upper case, spaces and dashes dropped ("abcd-efgh-jkmn" is "ABCDEFGHJKMN")."""
    return re.sub(r"[^0-9A-Z]", "", (code or "").upper())[:40]


def tipoff_by_code(code: str) -> Tipoff | None:
    """The 举报 of a follow-up code. Always one keyed hash and one indexed query, whether the
    code is malformed, unknown or right, so timing tells them apart no better than the answer."""
    code = normalize_code(code)
    digest = crypto.keyed_hash(f"code:{code}")
    found = Tipoff.objects.filter(code_hash=digest).first()
    return found if found is not None and len(code) == CODE_LENGTH else None


def reportable_units() -> QuerySet[Unit]:
    """The units a 举报 may name: every active unit of the county (the tree below the county
    units), without grids (a grid is its village's staff) and the tree's roots above it."""
    counties = list(Unit.objects.filter(kind=UnitKind.COUNTY, is_active=True))
    q = Q(pk__in=[])
    for county in counties:
        q |= Q(under_q(county, ("",)))
    return (
        Unit.objects.filter(q, is_active=True)
        .exclude(kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID])
        .order_by("path")
    )
