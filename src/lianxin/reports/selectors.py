"""Scoped reads behind the monthly brief and the report pages.

A brief is about one unit (county, town or street, village or community, grid, department)
and one month. Its figures are read as the actor who asks (a user, or the worker's
``system_actor`` for the scheduled briefs) and narrowed to the unit, so a brief says the same
whoever generated it, and the same as the unit's dashboard:

- the headline figures, charts and trends are the dashboard's own
  (``lianxin.dashboards.selectors``: ``dashboard_figures``, ``dashboard_trend``,
  ``dashboard_chart_svg``);
- the rates table (三率, 按时办结率, 平均办理时长) is summed from the cases rollup ``CaseStat``
  on the dashboard's rule (``located_q``): requests located under the unit, a department's
  those routed to it; a child row counts the child the same way;
- 末位: the children ranked on ``cases.rates.rank_score``, the bottom N
  (``LIANXIN_CASE_RANK_BOTTOM``) with their overdue requests of the month, as at generation time;
- 村级集体经济 from ``economy.selectors.summary`` for the latest year with entries;
- 两新组织 party-organisation coverage (``two_new``) counted as ``economy.selectors_two_new``
  counts it, narrowed to the unit's subtree: a county by town, a town or village as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.cases import rates as case_rates
from lianxin.cases.models import Case, CaseStat
from lianxin.org.models import GRID_KINDS, TOWN_KINDS, VILLAGE_KINDS, Unit, UnitKind
from lianxin.org.scoping import Scope, scoped_units, under_q, user_scope
from lianxin.reports.models import MonthlyReport

# Units that get a monthly brief, by level.
LEVEL_KINDS: dict[str, frozenset[str]] = {
    "county": frozenset({UnitKind.COUNTY}),
    "town": TOWN_KINDS,
    "village": VILLAGE_KINDS,
    "grid": frozenset({UnitKind.GRID}),
    "department": frozenset({UnitKind.DEPARTMENT}),
}
REPORT_KINDS = frozenset().union(*LEVEL_KINDS.values())
# How a child of each kind is counted (the dashboard's rule): where the request is located,
# a department by the requests routed to it.
CHILD_FIELD: dict[str, str] = {
    **dict.fromkeys(TOWN_KINDS, "town_id"),
    **dict.fromkeys(VILLAGE_KINDS, "village_id"),
    **dict.fromkeys(GRID_KINDS, "grid_id"),
    UnitKind.DEPARTMENT: "unit_id",
}
OVERDUE_LIMIT = 500  # overdue requests listed in one brief (the PDF shows the first 40)


def system_actor() -> User:
    """The actor of the worker's scheduled briefs: an unsaved account with a global scope,
    never stored and unable to log in; every read is still narrowed to the brief's unit."""
    actor = User(username="system", is_superuser=True, is_active=True)
    actor._lianxin_scope = Scope(is_global=True)  # type: ignore[attr-defined]
    return actor


def level_of(unit: Unit) -> str:
    for level, kinds in LEVEL_KINDS.items():
        if unit.kind in kinds:
            return level
    return ""


def month_start(value: date | datetime) -> date:
    return date(value.year, value.month, 1)


def previous_month(value: date) -> date:
    return month_start(month_start(value) - timedelta(days=1))


def next_month(value: date) -> date:
    return month_start(month_start(value) + timedelta(days=32))


def months_back(month: date, n: int) -> list[date]:
    """``n`` months ending with ``month``, oldest first."""
    out = [month_start(month)]
    while len(out) < n:
        out.insert(0, previous_month(out[0]))
    return out


def reportable_units(*, actor: User) -> Any:
    """The active units of a brief's kinds in the actor's scope."""
    return scoped_units(actor, *REPORT_KINDS).filter(is_active=True)


def unit_get(*, actor: User, pk: int) -> Unit:
    """A unit that has briefs, in the actor's scope, or 404 (a sibling town's is not told)."""
    if not 0 < pk < 2**63:
        raise Http404
    unit = reportable_units(actor=actor).filter(pk=pk).select_related("parent").first()
    if unit is None:
        raise Http404
    return unit


def reports_of(*, actor: User, unit: Unit) -> Any:
    return MonthlyReport.objects.visible_to(actor).filter(unit=unit).select_related("job")


def report_get(*, actor: User, pk: int) -> MonthlyReport:
    if not 0 < pk < 2**63:
        raise Http404
    report = MonthlyReport.objects.visible_to(actor).select_related("unit").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def home_unit(*, actor: User) -> Unit | None:
    """Where the actor's report list opens: their highest unit that has briefs."""
    scope = user_scope(actor)
    units = [u for u in scope.units_for() if u.kind in REPORT_KINDS]
    if units:
        return min(units, key=lambda u: (u.depth, u.path))
    return reportable_units(actor=actor).order_by("depth", "path").first()


# --- the brief's figures ------------------------------------------------------------------


@dataclass
class RateLine:
    """One unit's 诉求 counters and rates for the month (a ``cases.rates.RateRow``)."""

    unit: Unit | None
    label: str
    rates: case_rates.RateRow
    score: float | None = None
    rank: int = 0
    overdue: int = 0


@dataclass
class OverdueLine:
    code: str
    title: str
    place: str
    unit: str
    kind: str
    due: datetime | None
    created_at: datetime
    supervised: bool


@dataclass
class LedgerLine:
    label: str
    villages: int
    reported: int
    total: Decimal
    average: Decimal | None
    growth: Decimal | None
    weak: int


@dataclass
class Ledger:
    year: int
    threshold: Decimal
    scope: LedgerLine
    lines: list[LedgerLine]
    weak: list[tuple[str, str, Decimal]]  # (town, village, total)


@dataclass
class TwoNewLine:
    """Coverage of one group: (label, covered, total, rate) per category, and together."""

    label: str
    covered: int
    total: int
    rate: Decimal | None
    by_kind: list[tuple[str, int, int, Decimal | None]]


@dataclass
class TwoNew:
    scope: TwoNewLine
    lines: list[TwoNewLine]  # by town (a county's brief); empty below
    uncovered: list[tuple[str, str, str]]  # (town, unit, category) without a party organisation


@dataclass
class Trend:
    """One figure month by month (the dashboard's trend) and its chart."""

    key: str
    label: str
    kind: str  # count | rate | hours (the dashboard's kinds)
    points: list[tuple[date, Any]]
    svg: str = ""


@dataclass
class Brief:
    unit: Unit
    level: str
    month: date
    generated_at: datetime
    dashboard: Any  # lianxin.dashboards.selectors.DashboardFigures
    total: RateLine
    children: list[RateLine]
    trends: list[Trend]
    bottom: list[RateLine]
    overdue: list[OverdueLine]
    overdue_total: int
    ledger: Ledger | None
    two_new: TwoNew | None = None
    supervision: list[tuple[str, int]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def month_text(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def supervision_pairs(self) -> list[list[tuple[str, int]]]:
        """The 督办问责 rows two to a line, so the section fits half an A4 page."""
        rows = self.supervision
        return [rows[i : i + 2] for i in range(0, len(rows), 2)]

    @property
    def headline(self) -> list[Any]:
        """The dashboard's figures (``FigureRow``: key, label, value, kind, ``display``)."""
        return list(self.dashboard.figures)


def located_q(unit: Unit) -> Q:
    """Rows (``CaseStat`` or ``Case``) of the requests located under ``unit``; a department's:
    those routed to it. The dashboard counts the same rows (``dashboards.selectors``)."""
    if unit.kind == UnitKind.DEPARTMENT:
        return Q(unit_id=unit.pk)
    if unit.kind in TOWN_KINDS:
        return Q(town_id=unit.pk)
    if unit.kind in VILLAGE_KINDS:
        return Q(village_id=unit.pk)
    if unit.kind in GRID_KINDS:
        return under_q(unit, ("grid",))
    return under_q(unit, ("town",))


def _stats(actor: User, unit: Unit) -> Any:
    """The rollup rows of the unit's requests that the actor may count."""
    return CaseStat.objects.visible_to(actor).filter(located_q(unit))


def _row(label: str, agg: dict, key: Any = None) -> case_rates.RateRow:
    return case_rates.RateRow(key=key, label=label, **case_rates._finish(dict(agg)))


def _children(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(parent=unit, is_active=True, kind__in=list(CHILD_FIELD)).order_by(
            "kind", "code"
        )
    )


def unit_rates(*, actor: User, unit: Unit, month: date) -> RateLine:
    agg = _stats(actor, unit).filter(month=month).aggregate(**case_rates._aggregates())
    return RateLine(unit=unit, label=unit.name, rates=_row(unit.name, agg, unit.pk))


def children_rates(*, actor: User, unit: Unit, month: date) -> list[RateLine]:
    """Each child's counters for the month: one GROUP BY per way of counting (``CHILD_FIELD``)."""
    children = _children(unit)
    by_field: dict[str, list[Unit]] = {}
    for child in children:
        by_field.setdefault(CHILD_FIELD[child.kind], []).append(child)
    found: dict[int, dict] = {}
    base = _stats(actor, unit).filter(month=month)
    for key, units in by_field.items():
        rows = (
            base.filter(**{f"{key}__in": [u.pk for u in units]})
            .order_by()
            .values(key)
            .annotate(**case_rates._aggregates())
        )
        for r in rows:
            found[r.pop(key)] = r
    empty = {k: 0 for k in case_rates._aggregates()}
    lines = []
    for child in children:
        agg = found.get(child.pk, empty)
        lines.append(RateLine(unit=child, label=child.name, rates=_row(child.name, agg, child.pk)))
    return lines


def bottom_of(children: list[RateLine], n: int | None = None) -> list[RateLine]:
    """Children ranked on ``cases.rates.rank_score`` (best first); the scored bottom ``n``,
    worst first. A child with nothing decided yet has no score and is never 末位."""
    n = n if n is not None else int(getattr(settings, "LIANXIN_CASE_RANK_BOTTOM", 3))
    weights = case_rates.rank_weights()
    for line in children:
        line.score = case_rates.rank_score(line.rates, weights)
    ranked = sorted(
        children, key=lambda x: (x.score is None, -(x.score or 0.0), x.unit.path if x.unit else "")
    )
    for i, line in enumerate(ranked, start=1):
        line.rank = i
    scored = [x for x in ranked if x.score is not None]
    return list(reversed(scored[-n:])) if n > 0 else []


def overdue_cases(*, actor: User, unit: Unit, month: date, units: list[Unit], now: datetime) -> Any:
    """The month's requests overdue at ``now`` (超时未签收 or 超时未办结), of the given units
    counted their way (``CHILD_FIELD``), or of the whole unit when ``units`` is empty."""
    tz = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    end = datetime(next_month(month).year, next_month(month).month, 1, tzinfo=tz)
    qs = (
        Case.objects.visible_to(actor)
        .overdue(now)
        .filter(created_at__gte=start, created_at__lt=end)
    )
    if units:
        q = Q(pk__in=[])
        for u in units:
            q |= Q(**{CHILD_FIELD[u.kind].removesuffix("_id"): u})
        qs = qs.filter(q)
    else:
        qs = qs.filter(located_q(unit))
    return qs.select_related("unit", "town", "village", "grid").order_by("resolve_due_at", "pk")


def _overdue_line(case: Case, now: datetime) -> OverdueLine:
    place = " ".join(p.name for p in (case.town, case.village, case.grid) if p is not None)
    return OverdueLine(
        code=case.code,
        title=case.title,
        place=place,
        unit=case.unit.name if case.unit_id else "",
        kind=case_rates.overdue_kind(case, now),
        due=case_rates.overdue_due(case, now),
        created_at=case.created_at,
        supervised=case.supervised_at is not None,
    )


def ledger(*, actor: User, unit: Unit, month: date) -> Ledger | None:
    """村级集体经济 of the unit (county: by town; town: by village; village: itself) for the
    latest year with entries up to the brief's year; None for grids and departments."""
    from lianxin.economy import selectors as economy

    level = level_of(unit)
    if level not in ("county", "town", "village"):
        return None
    years = [y for y in economy.years_with_data(user=actor) if y <= month.year]
    if not years:
        return None
    year = years[0]
    if level == "county":
        data = economy.summary(user=actor, year=year)
        groups = [g for g in data.groups if g.unit is not None and g.unit.is_under(unit)]
        scope = _ledger_sum(unit.name, groups)
        lines = [_ledger_line(g.unit.name if g.unit else "", g) for g in groups]
        weak = [(g.unit.name if g.unit else "", v.name, t) for g in groups for v, t in g.weak]
        return Ledger(year, data.threshold, scope, lines, weak)
    town = unit if level == "town" else unit.parent
    if town is None:
        return None
    data = economy.summary(user=actor, year=year, town=town)
    vlines = [ln for ln in data.lines if level == "town" or ln.village.pk == unit.pk]
    if level == "town":
        scope = _ledger_line(unit.name, data.scope)
    else:
        scope = _village_line(vlines[0]) if vlines else _ledger_line(unit.name, data.scope)
    lines = [_village_line(ln) for ln in vlines]
    weak = [(town.name, ln.village.name, ln.income.total) for ln in vlines if ln.weak and ln.income]
    return Ledger(year, data.threshold, scope, lines, weak)


def _ledger_line(label: str, fig: Any) -> LedgerLine:
    return LedgerLine(
        label=label,
        villages=fig.villages,
        reported=fig.reported,
        total=fig.total,
        average=fig.average,
        growth=fig.growth,
        weak=len(fig.weak),
    )


def _ledger_sum(label: str, groups: list[Any]) -> LedgerLine:
    villages = sum(g.villages for g in groups)
    reported = sum(g.reported for g in groups)
    total = sum((g.total for g in groups), Decimal("0"))
    now = sum((g.both_now for g in groups), Decimal("0"))
    before = sum((g.both_before for g in groups), Decimal("0"))
    growth = ((now - before) * 100 / before).quantize(Decimal("0.1")) if before else None
    average = (total / reported).quantize(Decimal("0.01")) if reported else None
    weak = sum(len(g.weak) for g in groups)
    return LedgerLine(label, villages, reported, total, average, growth, weak)


def _village_line(line: Any) -> LedgerLine:
    total = line.income.total if line.income is not None else Decimal("0")
    return LedgerLine(
        label=line.village.name,
        villages=1,
        reported=1 if line.income is not None else 0,
        total=total,
        average=total if line.income is not None else None,
        growth=line.growth,
        weak=1 if line.weak else 0,
    )


def _two_new_line(label: str, cov: Any) -> TwoNewLine:
    return TwoNewLine(label, cov.all_covered, cov.all_total, cov.rate, cov.by_kind)


def two_new(*, actor: User, unit: Unit) -> TwoNew | None:
    """两新组织 coverage of the unit's subtree, as the 两新 ledger counts it (active enterprises
    and social organisations the actor sees; covered when an active party organisation belongs
    to one; 新业态 when marked); None for grids and departments. Four queries."""
    from lianxin.economy import selectors_two_new as tn
    from lianxin.economy.models import NewEconomyEnterprise

    level = level_of(unit)
    if level not in ("county", "town", "village"):
        return None
    units = list(tn.liangxin_in_scope(user=actor).filter(under_q(unit, ("",))))
    town_of = tn.towns_of(units)
    orgs = tn.party_orgs_of([u.pk for u in units])
    marked = set(
        NewEconomyEnterprise.objects.filter(unit__in=units).values_list("unit_id", flat=True)
    )
    scope = tn.Coverage(unit=unit)
    groups: dict[int | None, Any] = {}
    uncovered = []
    for u in units:
        category = (
            tn.SOCIAL
            if u.kind == UnitKind.SOCIAL_ORG
            else tn.NEW_ECONOMY
            if u.pk in marked
            else tn.NON_PUBLIC
        )
        town = town_of.get(u.pk)
        line = tn.OrgLine(unit=u, town=town, party_org=orgs.get(u.pk), category=category)
        scope.add(line)
        key = town.pk if town is not None else None
        groups.setdefault(key, tn.Coverage(unit=town)).add(line)
        if not line.covered:
            uncovered.append((town.name if town else "", u.name, line.category_label))
    lines = []
    if level == "county":
        ordered = sorted(
            groups.values(), key=lambda g: (g.unit is None, g.unit.code if g.unit else "")
        )
        lines = [_two_new_line(g.unit.name if g.unit else _county_direct(), g) for g in ordered]
    return TwoNew(_two_new_line(unit.name, scope), lines, uncovered)


def _county_direct() -> str:
    from django.utils.translation import gettext as _

    return _("县直")
