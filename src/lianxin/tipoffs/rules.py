"""Who sees a 举报: only a supervisor strictly above the reported unit, or of a 纪检 unit.

Never the reported unit's own staff, its chain of command (other than its supervisors above),
other staff, nor a superuser without a supervisor membership (views and services test the
predicates themselves, not ``user.has_perm``, which Django grants a superuser outright).
纪检 units: the tree has no marker, so the codes in ``settings.LIANXIN_TIPOFF_DISCIPLINE_UNITS``
name them; a 纪检 supervisor handles 举报 anywhere in the county the 纪检 unit belongs to,
except against the 纪检 unit itself (or a unit below it).

Revealing the reporter is a separate permission: a handler of the 举报 whose qualifying
membership is at county level or in a 纪检 unit (a town's supervisor handles a village's 举报
but cannot unmask its reporter).
"""

from __future__ import annotations

import rules
from django.conf import settings

from lianxin.org.models import Role, UnitKind
from lianxin.org.rules import has_role, is_staff_member
from lianxin.org.scoping import path_ancestors, path_within, user_scope

REVEAL_KINDS = frozenset({UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY})


def discipline_codes() -> frozenset[str]:
    return frozenset(getattr(settings, "LIANXIN_TIPOFF_DISCIPLINE_UNITS", ()))


def supervisor_memberships(user) -> list:
    scope = user_scope(user)
    return [m for m in scope.memberships if m.role == Role.SUPERVISOR]


def is_discipline(unit) -> bool:
    return unit.code in discipline_codes()


def discipline_area(unit) -> str:
    """The path a 纪检 unit watches: its parent's subtree (the county it belongs to)."""
    ancestors = path_ancestors(unit.path)
    return ancestors[-2] if len(ancestors) > 1 else ancestors[-1]


def membership_covers(membership, tipoff) -> bool:
    """A supervisor membership that may handle ``tipoff``: strictly above the reported unit,
    or a 纪检 unit of its county that is not itself (or above) the reported unit."""
    unit, reported = membership.unit, tipoff.unit
    if is_discipline(unit):
        return path_within(reported.path, discipline_area(unit)) and not reported.is_under(unit)
    return reported.is_under(unit) and reported.pk != unit.pk


def handling_memberships(user, tipoff) -> list:
    return [m for m in supervisor_memberships(user) if membership_covers(m, tipoff)]


@rules.predicate
def is_tipoff_handler(user, tipoff=None) -> bool:
    if tipoff is None:
        return bool(supervisor_memberships(user))
    return bool(handling_memberships(user, tipoff))


@rules.predicate
def may_reveal_reporter(user, tipoff=None) -> bool:
    members = supervisor_memberships(user) if tipoff is None else handling_memberships(user, tipoff)
    return any(m.unit.kind in REVEAL_KINDS or is_discipline(m.unit) for m in members)


rules.add_perm("tipoffs.handle_tipoff", is_tipoff_handler)
rules.add_perm("tipoffs.reveal_reporter", may_reveal_reporter)
# Navigation only: residents and party members get "我要举报" in the menu (anyone may file).
rules.add_perm(
    "tipoffs.resident_menu", has_role(Role.RESIDENT, Role.PARTY_MEMBER) & ~is_staff_member
)
