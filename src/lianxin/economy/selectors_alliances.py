"""Scoped reads of the 党建联合体 ledger: alliances, their member units and their activities.

Rules, and why:
- the alliances a user sees are the active units of kind 党建联合体 inside their staff scope
  (``org.scoping.scoped_units``): a county alliance is the county's, a town's is the town's;
- an alliance is open to members from anywhere in its county (``org.tree.alliance_member_add``
  checks that), so its page lists every member, also those of another town: the membership is
  what the alliance is, and a user who may see the alliance sees it whole;
- its activities are what the providers of ``economy.alliance_panels`` report for the
  alliance and its members (events organised by them); economy never reads events itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.models import User
from lianxin.economy import alliance_panels
from lianxin.economy.selectors_two_new import towns_of
from lianxin.org.models import AllianceMember, Unit, UnitKind
from lianxin.org.scoping import scoped_units


@dataclass
class MemberLine:
    unit: Unit
    town: Unit | None


@dataclass
class AllianceLine:
    alliance: Unit
    members: list[MemberLine] = field(default_factory=list)
    activities: int = 0
    recent: list[dict[str, Any]] = field(default_factory=list)

    @property
    def member_count(self) -> int:
        return len(self.members)

    @property
    def towns(self) -> list[str]:
        """Names of the towns its members come from, in order of first appearance."""
        names: list[str] = []
        for m in self.members:
            if m.town is not None and m.town.name not in names:
                names.append(m.town.name)
        return names

    def unit_ids(self) -> set[int]:
        return {self.alliance.pk, *(m.unit.pk for m in self.members)}


def alliances_in_scope(*, user: User) -> QuerySet[Unit]:
    return (
        scoped_units(user, UnitKind.ALLIANCE)
        .filter(is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def alliance_get(*, user: User, pk: int) -> Unit:
    if not 0 < pk < 2**63:
        raise Http404
    alliance = alliances_in_scope(user=user).filter(pk=pk).first()
    if alliance is None:
        raise Http404
    return alliance


def _lines(alliances: list[Unit]) -> list[AllianceLine]:
    lines = {a.pk: AllianceLine(alliance=a) for a in alliances}
    rows = list(
        AllianceMember.objects.filter(alliance_id__in=list(lines))
        .select_related("member", "member__parent")
        .order_by("alliance_id", "member__path")
    )
    town_of = towns_of([r.member for r in rows])
    for r in rows:
        lines[r.alliance_id].members.append(
            MemberLine(unit=r.member, town=town_of.get(r.member_id))
        )
    counts = alliance_panels.activity_counts({pk: line.unit_ids() for pk, line in lines.items()})
    for pk, line in lines.items():
        line.activities = counts.get(pk, 0)
    return list(lines.values())


def alliance_lines(*, user: User) -> list[AllianceLine]:
    """Every alliance in scope with its members and its activity count (four queries)."""
    return _lines(list(alliances_in_scope(user=user)))


def alliance_detail(*, user: User, alliance: Unit, limit: int = 30) -> AllianceLine:
    """One alliance (already got through ``alliance_get``) with its latest activities."""
    line = _lines([alliance])[0]
    line.recent = alliance_panels.recent_activities(line.unit_ids(), limit=limit)
    return line
