"""Scoped reads of the dashboards (public API; ``lianxin.reports`` builds its brief on these).

``dashboard_figures(actor=, unit=, month=)`` — the figures of one unit and month with the rows
of its child units; ``dashboard_trend(actor=, unit=, key=, months=12)`` — one figure month by
month (``dashboard_trends``: several in one query); ``dashboard_chart_svg(...)`` — that trend
as a printable SVG. The cards' request figures come live from ``cases.CaseStat`` (kept in each
write's transaction: "实时") for a county and below, one GROUP BY over the unit's month grouped
by child; the others, every trend, and above a county the request figures too, from the
worker's ``DashboardMonth`` rollup ("数据截至 HH:MM"). All reads are a constant number of
indexed queries whatever the data size; none is a GROUP BY over the raw rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from lianxin.cases.rates import RateRow, stat_sums
from lianxin.cases.stats import COUNTERS
from lianxin.dashboards.figures import FIGURES, MAIN_KEYS, TREND_KEYS, FigureDef, figure_def
from lianxin.dashboards.models import DashboardBuild, DashboardMonth
from lianxin.dashboards.rollup import CASE_KEYS, months_back
from lianxin.org.models import GRID_KINDS, TOWN_KINDS, VILLAGE_KINDS, Unit, UnitKind
from lianxin.org.scoping import under_q, user_scope

DASHBOARD_KINDS = (
    UnitKind.PROVINCE,
    UnitKind.CITY,
    UnitKind.COUNTY,
    *TOWN_KINDS,
    *VILLAGE_KINDS,
    *GRID_KINDS,
    UnitKind.DEPARTMENT,
)


@dataclass(frozen=True)
class FigureRow:
    key: str
    label: str
    value: float | Decimal | int | None  # a rate is a fraction 0–1, None without a denominator
    kind: str  # "count", "rate" or "hours"
    live: bool  # True: 实时 (CaseStat); False: built by the worker at ``as_of``
    as_of: datetime | None
    url: str  # the list behind the number, same scope and filter

    @property
    def display(self) -> str:
        return format_value(self.value, self.kind)


@dataclass(frozen=True)
class ChildRow:
    unit: Unit
    url: str  # the child's own dashboard
    figures: list[FigureRow]


@dataclass(frozen=True)
class DashboardFigures:
    unit: Unit
    month: date
    figures: list[FigureRow]
    children: list[ChildRow] = field(default_factory=list)
    as_of: datetime | None = None  # the worker figures' build
    cases_as_of: datetime | None = None  # the request figures' build when not live (above county)

    def figure(self, key: str) -> FigureRow | None:
        return next((f for f in self.figures if f.key == key), None)


def format_value(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{float(value) * 100:.1f}%"
    if kind == "hours":
        return f"{Decimal(value):.1f}"
    return f"{int(value):,}"


# ---------------------------------------------------------------------------- scope


def may_view(actor, unit: Unit) -> bool:
    """Staff whose subtree holds ``unit`` (the ``dashboards.view_dashboard`` rule)."""
    return unit.kind in DASHBOARD_KINDS and user_scope(actor).covers(unit)


def dashboard_unit(*, actor, pk: int) -> Unit:
    """The unit to show: 404 when it does not exist or has no dashboard, 403 outside scope."""
    from lianxin.core.params import parse_id

    pk = parse_id(pk) or 0  # out of range: 404
    unit = Unit.objects.filter(pk=pk, kind__in=DASHBOARD_KINDS).defer("boundary").first()
    if unit is None:
        raise Http404
    if not actor.has_perm("dashboards.view_dashboard", unit):
        raise PermissionDenied
    return unit


def dashboard_root(actor) -> Unit | None:
    """Where the dashboard starts: the user's highest staff unit that has a dashboard."""
    scope = user_scope(actor)
    if scope.is_global:
        return Unit.objects.filter(kind__in=DASHBOARD_KINDS).order_by("depth", "code").first()
    units = [m.unit for m in scope.memberships if m.unit.path in scope.staff_paths]
    units = [u for u in units if u.kind in DASHBOARD_KINDS]
    return min(units, key=lambda u: (u.depth, u.code)) if units else None


def child_units(unit: Unit) -> list[Unit]:
    return list(
        Unit.objects.filter(parent=unit, kind__in=DASHBOARD_KINDS, is_active=True)
        .defer("boundary")
        .order_by("kind", "code")
    )


# ---------------------------------------------------------------------------- requests (live)

# Levels whose request figures are read live from ``CaseStat`` (a county's month is a few
# thousand rollup rows at most); above a county they come from the worker's rollup, like the
# trends, so a province page stays O(children) too.
LIVE_KINDS = frozenset(
    {UnitKind.COUNTY, *TOWN_KINDS, *VILLAGE_KINDS, *GRID_KINDS, UnitKind.DEPARTMENT}
)


def _located_q(unit: Unit) -> Q:
    """The rollup rows of the requests located under ``unit``, each level by the column whose
    index answers it: a county by its towns ((month, town) index, one probe per town), a town by
    ``town`` (the same index), a village or a grid by the grids of its subtree ((month, grid))."""
    if unit.kind in TOWN_KINDS:
        return Q(town_id=unit.pk)
    if unit.kind == UnitKind.COUNTY:
        return under_q(unit, ("town",))
    return under_q(unit, ("grid",))


def _child_of(unit: Unit, row: dict) -> int | None:
    """The child unit a located rollup group belongs to (see ``_GROUP_BY``)."""
    if unit.kind in VILLAGE_KINDS:  # a micro-grid's requests count for its grid
        parent = row["grid__parent_id"]
        return row["grid_id"] if parent == unit.pk else parent
    return row[_GROUP_BY[unit.kind][0]]


_GROUP_BY: dict[str, tuple[str, ...]] = {
    UnitKind.COUNTY: ("town_id",),
    **{k: ("village_id",) for k in TOWN_KINDS},
    **{k: ("grid_id", "grid__parent_id") for k in VILLAGE_KINDS},
    **{k: ("grid_id",) for k in GRID_KINDS},
}


def _add(acc: dict, row: dict) -> None:
    for c in COUNTERS:
        acc[c] = acc.get(c, 0) + (row.get(c) or 0)


def _rate_row(sums: dict) -> RateRow:
    handled, minutes = sums.get("handled", 0), sums.get("handling_minutes", 0)
    vals = {c: sums.get(c, 0) for c in COUNTERS if c not in ("handled", "handling_minutes")}
    return RateRow(key=None, label="", avg_minutes=minutes / handled if handled else None, **vals)


def _live_rates(unit: Unit, kids: list[Unit], month: date) -> tuple[RateRow, dict[int, RateRow]]:
    """The request counters of ``unit`` and of each child: one GROUP BY over the rollup rows of
    the unit's month by child (its total is their sum), and one more for child departments
    (they count the requests routed to them, not where they are located)."""
    depts = [c.pk for c in kids if c.kind == UnitKind.DEPARTMENT]
    kid_ids = {c.pk for c in kids}
    own: dict = {}
    sums: dict[int, dict] = {}
    if unit.kind == UnitKind.DEPARTMENT:
        depts = [unit.pk, *depts]
    else:
        for row in stat_sums(_located_q(unit) & Q(month=month), by=_GROUP_BY[unit.kind]):
            _add(own, row)
            child = _child_of(unit, row)
            if child in kid_ids:
                _add(sums.setdefault(child, {}), row)
    if depts:
        for row in stat_sums(Q(month=month, unit_id__in=depts), by=("unit_id",)):
            _add(own if row["unit_id"] == unit.pk else sums.setdefault(row["unit_id"], {}), row)
    return _rate_row(own), {pk: _rate_row(v) for pk, v in sums.items()}


def _case_value(key: str, rate: RateRow):
    return {
        "cases_total": rate.total,
        "response_rate": rate.response_rate,
        "resolution_rate": rate.resolution_rate,
        "satisfaction_rate": rate.satisfaction_rate,
        "on_time_rate": rate.on_time_rate,
    }[key]


def _case_scope_params(unit: Unit) -> dict:
    if unit.kind == UnitKind.DEPARTMENT:
        return {"unit": unit.pk}
    if unit.kind in TOWN_KINDS or unit.kind in VILLAGE_KINDS:
        return {"area": unit.pk}
    if unit.kind in GRID_KINDS:
        return {"grid": unit.pk}
    return {}  # county and above: the clerk's whole scope (the workbench has no county filter)


class _Links:
    """The URLs of one page's numbers, reversed once per page rather than once per number
    (a county page has some 300): the workbench and this app's own paths
    (``dashboards/urls.py``: ``<pk>/`` and ``<pk>/<key>/list/`` under ``home``)."""

    def __init__(self, month: date):
        self.workbench = reverse("cases:workbench")
        self.home = reverse("dashboards:home")
        self.month = f"{month:%Y-%m}"
        self.month_query = urlencode({"month": self.month})

    def figure(self, fd: FigureDef, unit: Unit) -> str:
        if fd.workbench is not None:
            params = {**_case_scope_params(unit), **fd.workbench}
            if not fd.snapshot:
                params["month"] = self.month
            return self.workbench + "?" + urlencode(params)
        return f"{self.home}{unit.pk}/{fd.key}/list/?{self.month_query}"

    def unit(self, unit: Unit) -> str:
        return f"{self.home}{unit.pk}/?{self.month_query}"


def drill_url(fd: FigureDef, unit: Unit, month: date) -> str:
    """The list behind a number: the requests workbench for request figures, otherwise the
    dashboard's own list of the raw rows (same unit, month and figure)."""
    return _Links(month).figure(fd, unit)


# ---------------------------------------------------------------------------- worker figures


def _value(fd: FigureDef, num, den):
    if fd.kind == "rate":
        return (Decimal(num) / Decimal(den)) if den else None
    if fd.kind == "hours":
        return Decimal(num or 0)
    return int(num or 0)


@dataclass(frozen=True)
class _Stamp:
    """When a month's rollup was built: worker figures, request figures (``DashboardBuild``)."""

    built_at: datetime | None = None
    cases_built_at: datetime | None = None


def _stamps(months: list[date]) -> dict[date, _Stamp]:
    return {
        m: _Stamp(b, c)
        for m, b, c in DashboardBuild.objects.filter(month__in=months).values_list(
            "month", "built_at", "cases_built_at"
        )
    }


def _rows(fd_list, unit, links, rate, worker, stamp, keys=None) -> list[FigureRow]:
    """``rate``: the live request counters, or None when the unit reads them from the rollup."""
    out = []
    for fd in fd_list:
        if keys is not None and fd.key not in keys:
            continue
        live = fd.live and rate is not None
        if live:
            value, as_of = _case_value(fd.key, rate), None
        else:
            num, den = worker.get(fd.key, (0, 0))
            value = _value(fd, num, den)
            as_of = stamp.cases_built_at if fd.live else stamp.built_at
        out.append(
            FigureRow(
                key=fd.key,
                label=str(fd.label),
                value=value,
                kind=fd.kind,
                live=live,
                as_of=as_of,
                url=links.figure(fd, unit),
            )
        )
    return out


def dashboard_figures(*, actor, unit: Unit, month: date) -> DashboardFigures:
    """Every figure of ``unit`` for ``month`` and the main figures of each child unit.

    Raises ``PermissionDenied`` outside the actor's scope. Five queries whatever the size: the
    children, one or two GROUP BYs over the month's ``CaseStat`` rows of the unit (grouped by
    child), the month's ``DashboardMonth`` rows of the unit and its children, the build stamp.
    """
    return dashboard_page(actor=actor, unit=unit, month=month, trend_keys=())[0]


@dataclass(frozen=True)
class Trend:
    key: str
    points: list[tuple[date, float | Decimal | int | None]]
    as_of: datetime | None  # the build of the window's last month ("数据截至")


def dashboard_page(
    *, actor, unit: Unit, month: date, trend_keys=TREND_KEYS, months: int = 12
) -> tuple[DashboardFigures, dict[str, Trend]]:
    """The whole dashboard of ``unit``: its figures and child rows (``dashboard_figures``) and
    the trends of ``trend_keys`` over the ``months`` months up to ``month``, read together:
    the children, one or two GROUP BYs over ``CaseStat``, one read of the ``DashboardMonth``
    rows (the unit's window, the children's month) and one of the build stamps."""
    if not actor.has_perm("dashboards.view_dashboard", unit):
        raise PermissionDenied
    month = month.replace(day=1)
    window = months_back(month, months) if trend_keys else [month]
    kids = child_units(unit)
    live = unit.kind in LIVE_KINDS
    rate, kid_rates = _live_rates(unit, kids, month) if live else (None, {})
    trend_defs = [figure_def(k) for k in trend_keys]
    own_q = Q(unit=unit, month=month)
    if trend_defs:
        own_q |= Q(unit=unit, month__in=window, key__in=[fd.key for fd in trend_defs])
    got = DashboardMonth.objects.filter(
        own_q | Q(unit__in=[c.pk for c in kids], key__in=MAIN_KEYS, month=month)
    ).values_list("unit_id", "month", "key", "num", "den")
    worker: dict[int, dict] = {}
    series: dict[tuple[str, date], tuple] = {}
    for u, m, k, n, d in got:
        if m == month:
            worker.setdefault(u, {})[k] = (n, d)
        if u == unit.pk:
            series[(k, m)] = (n, d)
    stamp = _stamps([month]).get(month, _Stamp())
    links = _Links(month)
    figures = _rows(FIGURES, unit, links, rate, worker.get(unit.pk, {}), stamp)
    children = []
    for child in kids:
        rows = _rows(
            FIGURES,
            child,
            links,
            kid_rates.get(child.pk, _rate_row({})) if live else None,
            worker.get(child.pk, {}),
            stamp,
            keys=MAIN_KEYS,
        )
        children.append(ChildRow(unit=child, url=links.unit(child), figures=rows))
    data = DashboardFigures(
        unit=unit,
        month=month,
        figures=figures,
        children=children,
        as_of=stamp.built_at,
        cases_as_of=None if live else stamp.cases_built_at,
    )
    return data, _trends(trend_defs, window, series, stamp)


def _trends(defs, window, got, stamp) -> dict[str, Trend]:
    return {
        fd.key: Trend(
            key=fd.key,
            points=[(m, _value(fd, *got.get((fd.key, m), (0, 0)))) for m in window],
            as_of=stamp.cases_built_at if fd.key in CASE_KEYS else stamp.built_at,
        )
        for fd in defs
    }


def dashboard_trends(
    *, actor, unit: Unit, keys=TREND_KEYS, months: int = 12, month: date | None = None
) -> dict[str, Trend]:
    """Figures ``keys`` for the ``months`` months up to ``month`` (default: this month), oldest
    first, all from the worker's ``DashboardMonth`` rows of ``unit`` (the request figures are
    rolled up from ``CaseStat`` there): two queries whatever the data size or the keys."""
    from lianxin.dashboards.rollup import current_month

    if not actor.has_perm("dashboards.view_dashboard", unit):
        raise PermissionDenied
    defs = [figure_def(k) for k in keys]
    window = months_back(month or current_month(), months)
    got: dict[tuple[str, date], tuple] = {
        (k, m): (n, d)
        for k, m, n, d in DashboardMonth.objects.filter(
            unit=unit, key__in=[fd.key for fd in defs], month__in=window
        ).values_list("key", "month", "num", "den")
    }
    return _trends(defs, window, got, _stamps(window[-1:]).get(window[-1], _Stamp()))


def dashboard_trend(
    *, actor, unit: Unit, key: str, months: int = 12, month: date | None = None
) -> list[tuple[date, float | Decimal | int | None]]:
    """One figure for the ``months`` months up to ``month`` (default: this month), oldest first."""
    trends = dashboard_trends(actor=actor, unit=unit, keys=(key,), months=months, month=month)
    return trends[key].points


def dashboard_chart_svg(
    *, actor, unit: Unit, key: str, months: int = 12, month: date | None = None
) -> str:
    """The trend of one figure as an SVG line chart (no JavaScript, prints as it shows)."""
    from lianxin.dashboards.charts import trend_svg

    fd = figure_def(key)
    trend = dashboard_trend(actor=actor, unit=unit, key=key, months=months, month=month)
    return trend_svg(title=str(fd.label), kind=fd.kind, points=trend)


def trend_chart_svg(key: str, trend: Trend) -> str:
    """An already read trend as its SVG chart (the page reads all trends in one query)."""
    from lianxin.dashboards.charts import trend_svg

    fd = figure_def(key)
    return trend_svg(title=str(fd.label), kind=fd.kind, points=trend.points)


def drill_rows(*, actor, unit: Unit, key: str, month: date):
    """The raw rows behind a worker figure of ``unit`` and ``month`` (the rollup counts exactly
    these; read now, so they may run ahead of "数据截至"). Newest first."""
    from django.utils import timezone

    from lianxin.dashboards.sources import rows_under

    if not actor.has_perm("dashboards.view_dashboard", unit):
        raise PermissionDenied
    return rows_under(key, unit, month.replace(day=1), timezone.now()).order_by("-pk")


def drill_describe(key: str, obj) -> dict:
    """One row of a drill-down list: its text, its own page and its date."""
    from lianxin.dashboards.sources import SOURCES

    src = SOURCES[key]
    return {
        "text": str(obj),
        "url": src.link(obj) if src.link else "",
        "when": getattr(obj, src.when, None) if src.when else None,
    }
