"""Scoped reads of the 两新组织 ledger: party-organisation coverage of enterprises and social
organisations, per town (乡镇/街道) and for the whole scope.

Figures, as the county's organisation department counts them:
- the 两新组织 are the active units of kind 企业 and 社会组织 inside the user's staff scope
  (``org.scoping.scoped_units``) — a town's clerk sees their town's and no other's; an
  enterprise counts as 非公经济组织, or as 新业态企业 when marked so (``NewEconomyEnterprise``,
  set by ``services.new_economy_set``), so the three rates are the department's three columns;
- one is *covered* when an active 党组织 unit has it as ``belongs_to`` (the model keeps the
  组建方式 — 单独组建 / 联合组建 / 功能型 — on that party organisation, ``party_org_form``);
  a party organisation of a covered unit is read whatever its own place in the tree, since
  coverage is a fact about the unit the user sees;
- 覆盖率 = covered / all, per category and together, to one decimal; no unit of a kind: no rate (—),
  never 0 % or 100 %;
- the town of a unit is the 乡镇/街道 on its path; a unit hanging off the county itself is
  grouped as 县直.
Five queries whatever the size of the scope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import User
from lianxin.economy.models import NewEconomyEnterprise
from lianxin.org.models import TOWN_KINDS, PartyOrgForm, Unit, UnitKind
from lianxin.org.scoping import scoped_units

KIND_VALUES = (UnitKind.ENTERPRISE, UnitKind.SOCIAL_ORG)
NON_PUBLIC, SOCIAL, NEW_ECONOMY = "non_public", "social", "new_economy"
# (category, label) of the ledger's columns, in the order the department's table lists them:
# an enterprise is 非公经济组织 unless marked 新业态 (``NewEconomyEnterprise``).
CATEGORIES: tuple[tuple[str, Any], ...] = (
    (NON_PUBLIC, _("非公经济组织")),
    (SOCIAL, _("社会组织")),
    (NEW_ECONOMY, _("新业态企业")),
)
CATEGORY_VALUES = tuple(c for c, _label in CATEGORIES)


def rate(covered: int, total: int) -> Decimal | None:
    """``covered / total`` in per cent to one decimal; None when there is nothing to cover."""
    if not total:
        return None
    return (Decimal(covered) * 100 / Decimal(total)).quantize(Decimal("0.1"))


@dataclass
class OrgLine:
    """One 两新组织 and its party organisation (None: not covered)."""

    unit: Unit
    town: Unit | None
    party_org: Unit | None
    category: str = NON_PUBLIC

    @property
    def category_label(self) -> str:
        return str(dict(CATEGORIES)[self.category])

    @property
    def covered(self) -> bool:
        return self.party_org is not None

    @property
    def form_label(self) -> str:
        if self.party_org is None:
            return ""
        form = self.party_org.party_org_form
        return str(PartyOrgForm(form).label) if form else str(_("未注明"))


@dataclass
class Coverage:
    """Counts of one group (a town, or the whole scope) by kind."""

    unit: Unit | None
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORY_VALUES, 0))
    covered: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORY_VALUES, 0))

    def add(self, line: OrgLine) -> None:
        self.total[line.category] += 1
        if line.covered:
            self.covered[line.category] += 1

    @property
    def all_total(self) -> int:
        return sum(self.total.values())

    @property
    def all_covered(self) -> int:
        return sum(self.covered.values())

    @property
    def rate(self) -> Decimal | None:
        return rate(self.all_covered, self.all_total)

    @property
    def by_kind(self) -> list[tuple[str, int, int, Decimal | None]]:
        """(label, covered, total, rate) per category, in ``CATEGORIES`` order."""
        return [
            (str(label), self.covered[c], self.total[c], rate(self.covered[c], self.total[c]))
            for c, label in CATEGORIES
        ]


@dataclass
class TwoNewLedger:
    scope: Coverage
    groups: list[Coverage]
    lines: list[OrgLine]

    @property
    def uncovered(self) -> list[OrgLine]:
        return [line for line in self.lines if not line.covered]


def liangxin_in_scope(*, user: User) -> QuerySet[Unit]:
    """Active enterprises and social organisations in the user's staff scope."""
    return (
        scoped_units(user, *KIND_VALUES)
        .filter(is_active=True)
        .select_related("parent")
        .order_by("path")
    )


def towns_of(units: list[Unit]) -> dict[int, Unit | None]:
    """The 乡镇/街道 each unit lies in (None above the town level), in one query."""
    codes = {part for u in units for part in u.path.strip("/").split("/")}
    towns = {t.code: t for t in Unit.objects.filter(code__in=codes, kind__in=TOWN_KINDS)}
    out: dict[int, Unit | None] = {}
    for u in units:
        out[u.pk] = next(
            (towns[p] for p in u.path.strip("/").split("/") if p in towns and p != u.code), None
        )
        if u.kind in TOWN_KINDS:
            out[u.pk] = u
    return out


def party_orgs_of(unit_ids: list[int]) -> dict[int, Unit]:
    """The first active party organisation (by code) belonging to each of ``unit_ids``."""
    out: dict[int, Unit] = {}
    rows = Unit.objects.filter(
        kind=UnitKind.PARTY_ORG, is_active=True, belongs_to_id__in=unit_ids
    ).order_by("code")
    for org in rows:
        if org.belongs_to_id is not None:
            out.setdefault(org.belongs_to_id, org)
    return out


def two_new_ledger(*, user: User) -> TwoNewLedger:
    """Coverage over the user's 两新组织, grouped by town (see the module docstring)."""
    units = list(liangxin_in_scope(user=user))
    town_of = towns_of(units)
    orgs = party_orgs_of([u.pk for u in units])
    marked = set(
        NewEconomyEnterprise.objects.filter(unit__in=units).values_list("unit_id", flat=True)
    )
    scope = Coverage(unit=None)
    groups: dict[int | None, Coverage] = {}
    lines = []
    for u in units:
        town = town_of.get(u.pk)
        category = (
            SOCIAL
            if u.kind == UnitKind.SOCIAL_ORG
            else NEW_ECONOMY
            if u.pk in marked
            else NON_PUBLIC
        )
        line = OrgLine(unit=u, town=town, party_org=orgs.get(u.pk), category=category)
        key = town.pk if town is not None else None
        group = groups.get(key)
        if group is None:
            group = groups[key] = Coverage(unit=town)
        scope.add(line)
        group.add(line)
        lines.append(line)
    ordered = sorted(
        groups.values(), key=lambda g: (g.unit is not None, g.unit.code if g.unit else "")
    )
    return TwoNewLedger(scope=scope, groups=ordered, lines=lines)
