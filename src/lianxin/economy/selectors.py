"""Scoped reads of the 村级集体经济 ledger: totals, 村均, growth and weak villages.

Figures, as the county office defines them:
- 总收入: the sum of every source over the villages that reported for the year;
- 村均: that total over the villages that reported; villages in scope without an entry are
  counted as 未填报 and shown beside it, never as 0;
- 增长: like for like — the villages that reported in both years, (this − last) / last;
- 薄弱村: a reported total below ``LIANXIN_ECONOMY_WEAK_THRESHOLD`` (default 50 000 元,
  空壳村/薄弱村); a village without an entry is not called weak, it is 未填报.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.models import User
from lianxin.economy.models import SOURCE_FIELDS, VillageIncome
from lianxin.org.models import VILLAGE_KINDS, Unit
from lianxin.org.scoping import scoped_units

ZERO = Decimal("0")


def weak_threshold() -> Decimal:
    """``LIANXIN_ECONOMY_WEAK_THRESHOLD`` in 元 (default 50 000)."""
    return Decimal(str(getattr(settings, "LIANXIN_ECONOMY_WEAK_THRESHOLD", 50000)))


@dataclass
class Figures:
    """One group's figures (a town, or the whole scope) for a year."""

    unit: Unit | None
    villages: int = 0
    reported: int = 0
    total: Decimal = ZERO
    by_source: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(SOURCE_FIELDS, ZERO)
    )
    both_now: Decimal = ZERO
    both_before: Decimal = ZERO
    weak: list[tuple[Unit, Decimal]] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.villages - self.reported

    @property
    def average(self) -> Decimal | None:
        if not self.reported:
            return None
        return (self.total / self.reported).quantize(Decimal("0.01"))

    @property
    def growth(self) -> Decimal | None:
        """Per cent on last year, like for like; None without a comparable base."""
        if not self.both_before:
            return None
        change = (self.both_now - self.both_before) * 100 / self.both_before
        return change.quantize(Decimal("0.1"))


@dataclass
class VillageLine:
    village: Unit
    income: VillageIncome | None
    previous: VillageIncome | None
    weak: bool

    @property
    def growth(self) -> Decimal | None:
        if self.income is None or self.previous is None or not self.previous.total:
            return None
        change = (self.income.total - self.previous.total) * 100 / self.previous.total
        return change.quantize(Decimal("0.1"))


@dataclass
class Summary:
    year: int
    threshold: Decimal
    scope: Figures
    groups: list[Figures]
    lines: list[VillageLine]


def villages_in_scope(*, user: User) -> QuerySet[Unit]:
    """Active villages and communities the user's staff scope covers."""
    return (
        scoped_units(user, *VILLAGE_KINDS)
        .filter(is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def town_get(*, user: User, pk: int) -> Unit:
    """The parent (town or street) of villages in the user's scope (the drill-down), or 404: a
    village clerk drills into their own town and sees their village only."""
    if not 0 < pk < 2**63:
        raise Http404
    village = villages_in_scope(user=user).filter(parent_id=pk).first()
    if village is None or village.parent is None:
        raise Http404
    return village.parent


def village_get(*, user: User, pk: int) -> Unit:
    village = villages_in_scope(user=user).filter(pk=pk).first()
    if village is None:
        raise Http404
    return village


def income_get(*, user: User, village: Unit, year: int) -> VillageIncome | None:
    if not 0 < year < 32768:
        return None
    return VillageIncome.objects.visible_to(user).filter(village=village, year=year).first()


def years_with_data(*, user: User) -> list[int]:
    years = VillageIncome.objects.visible_to(user).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def summary(*, user: User, year: int, town: Unit | None = None) -> Summary:
    """The year's figures over the user's villages (or one town's), grouped by town, with a
    line per village when ``town`` is given. Two queries for units and two for incomes."""
    villages = villages_in_scope(user=user)
    if town is not None:
        villages = villages.filter(parent=town)
    village_list = list(villages)
    ids = [v.pk for v in village_list]
    rows = VillageIncome.objects.visible_to(user).filter(
        village_id__in=ids, year__in=(year, year - 1)
    )
    now: dict[int, VillageIncome] = {}
    before: dict[int, VillageIncome] = {}
    for row in rows:
        (now if row.year == year else before)[row.village_id] = row
    threshold = weak_threshold()
    scope = Figures(unit=town)
    groups: dict[int | None, Figures] = {}
    lines: list[VillageLine] = []
    for v in village_list:
        group = groups.get(v.parent_id)
        if group is None:
            group = groups[v.parent_id] = Figures(unit=v.parent)
        income, previous = now.get(v.pk), before.get(v.pk)
        weak = income is not None and income.total < threshold
        for fig in (scope, group):
            fig.villages += 1
            if income is None:
                continue
            fig.reported += 1
            fig.total += income.total
            for name in SOURCE_FIELDS:
                fig.by_source[name] += getattr(income, name)
            if previous is not None:
                fig.both_now += income.total
                fig.both_before += previous.total
            if weak:
                fig.weak.append((v, income.total))
        if town is not None:
            lines.append(VillageLine(village=v, income=income, previous=previous, weak=weak))
    ordered = sorted(groups.values(), key=lambda g: g.unit.code if g.unit else "")
    return Summary(year=year, threshold=threshold, scope=scope, groups=ordered, lines=lines)


def incomes_for_export(*, user: User, year: int) -> QuerySet[VillageIncome]:
    return (
        VillageIncome.objects.visible_to(user)
        .filter(year=year, village__kind__in=VILLAGE_KINDS)
        .select_related("village", "village__parent", "updated_by")
        .order_by("village__code")
    )


def group_weak_by_town(weak: list[tuple[Unit, Decimal]]) -> dict[str, list[tuple[Unit, Decimal]]]:
    out: dict[str, list[tuple[Unit, Decimal]]] = defaultdict(list)
    for v, total in weak:
        out[v.parent.name if v.parent else ""].append((v, total))
    return dict(out)
