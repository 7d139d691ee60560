"""Build the ``DashboardMonth`` rows of one month (the worker's job).

Per figure one GROUP BY over the month's raw rows by their own unit (the leaf: a grid, a
venue's village …); each leaf's sums are then added to the leaf and to every unit above it,
so a unit's row equals the GROUP BY over all the raw rows under its path (``sources``). The
month's rows are replaced in one transaction: a page never sees half a month.

The request figures (``CASE_KEYS``: 诉求数 and the rates) are built the same way from the
rates rollup ``cases.CaseStat`` (never from the requests): located rows up the grid's path,
and a department's own row from the requests routed to it. They feed the 12-month trends; the
cards read the same counters live. Since a request of an old month still changes (resolved,
rated), the worker re-checks every month of the trend window and rebuilds a month's request
figures when its ``CaseStat`` rows changed (their count or latest ``updated_at``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from lianxin.cases.models import CaseStat
from lianxin.cases.rates import stat_sums
from lianxin.dashboards.models import DashboardBuild, DashboardMonth
from lianxin.dashboards.sources import SOURCES, Source
from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import path_ancestors

# key -> (numerator counter, denominator counter) of ``CaseStat`` (the rates of docs/rates.md)
CASE_KEYS: dict[str, tuple[str, str | None]] = {
    "cases_total": ("total", None),
    "response_rate": ("accepted_on_time", "accept_decided"),
    "resolution_rate": ("resolved", "resolve_decided"),
    "satisfaction_rate": ("satisfied", "rated"),
    "on_time_rate": ("resolved_on_time", "resolve_decided"),
}
TREND_MONTHS = 12

Totals = dict[tuple[int, str], list[Decimal]]


def current_month(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now()).replace(day=1)


def previous_month(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)


def months_back(month: date, months: int) -> list[date]:
    """``months`` months up to ``month``, oldest first."""
    out = [month.replace(day=1)]
    while len(out) < months:
        out.append(previous_month(out[-1]))
    return list(reversed(out))


def _grouped(qs, field: str, agg) -> dict[int, Decimal]:
    rows = qs.order_by().values(f"{field}_id" if "__" not in field else field).annotate(v=agg)
    key = f"{field}_id" if "__" not in field else field
    return {r[key]: Decimal(r["v"] or 0) for r in rows if r[key] is not None}


def _leaf_sums(src: Source, month: date, now: datetime) -> tuple[dict, dict, dict]:
    """(num by leaf, den by leaf, num by handling department) for one figure."""
    if src.leaves is not None:
        got = src.leaves(month, now)
        return (
            {k: Decimal(v[0]) for k, v in got.items()},
            {k: Decimal(v[1]) for k, v in got.items()},
            {},
        )
    rows = src.rows(month, now)
    num = _grouped(rows, src.unit_field, src.num())
    den: dict[int, Decimal] = {}
    if src.den is not None:
        base = src.den_rows(month, now) if src.den_rows else rows
        den = _grouped(base, src.den_unit_field or src.unit_field, src.den())
    handled: dict[int, Decimal] = {}
    if src.handled:
        handled = _grouped(rows.filter(unit__kind=UnitKind.DEPARTMENT), "unit", src.num())
    return num, den, handled


def _ancestors(leaf_ids: Iterable[int], *, skip_departments: bool = False) -> dict[int, list[int]]:
    """Each leaf unit's id and the ids of every unit above it (two queries)."""
    paths = dict(Unit.objects.filter(pk__in=set(leaf_ids)).values_list("pk", "path"))
    all_paths = {a for p in paths.values() for a in path_ancestors(p)}
    found = Unit.objects.filter(path__in=all_paths)
    if skip_departments:
        found = found.exclude(kind=UnitKind.DEPARTMENT)
    ids_by_path = dict(found.values_list("path", "pk"))
    return {
        u: [ids_by_path[a] for a in path_ancestors(p) if a in ids_by_path] for u, p in paths.items()
    }


def _worker_totals(wanted: list[str], month: date, now: datetime) -> Totals:
    leaf = {k: _leaf_sums(SOURCES[k], month, now) for k in wanted}
    up = _ancestors({u for num, den, _h in leaf.values() for u in (*num, *den)})
    totals: Totals = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for key, (num, den, handled) in leaf.items():
        for part, values in ((0, num), (1, den)):
            for unit_id, v in values.items():
                for anc in up.get(unit_id, ()):
                    totals[(anc, key)][part] += v
        for unit_id, v in handled.items():
            totals[(unit_id, key)][0] += v
    return totals


def _case_totals(months: list[date]) -> dict[date, Totals]:
    """The request figures of ``months`` per unit from ``CaseStat`` (two GROUP BYs over it): what
    ``selectors`` reads live, located under a unit's path, or routed to a department."""
    located = stat_sums(Q(month__in=months), by=("month", "grid_id"))
    routed = stat_sums(Q(month__in=months, unit__kind=UnitKind.DEPARTMENT), by=("month", "unit_id"))
    up = _ancestors({r["grid_id"] for r in located}, skip_departments=True)
    out: dict[date, Totals] = {m: defaultdict(lambda: [Decimal(0), Decimal(0)]) for m in months}
    for rows, targets in (
        (located, lambda r: up.get(r["grid_id"], ())),
        (routed, lambda r: (r["unit_id"],)),
    ):
        for r in rows:
            totals = out[r["month"]]
            for unit_id in targets(r):
                for key, (num, den) in CASE_KEYS.items():
                    acc = totals[(unit_id, key)]
                    acc[0] += r[num]
                    if den is not None:
                        acc[1] += r[den]
    return out


def _write(month: date, keys: Iterable[str], totals: Totals) -> int:
    """Make the month's rows of ``keys`` equal ``totals``, writing only the rows that differ (a
    rebuild after a few changes touches a few rows, not the month's ~180,000 at province scale);
    returns the number of rows written (created, updated or deleted)."""
    wanted = {(u, k): (n, d) for (u, k), (n, d) in totals.items() if n or d}
    have = {
        (u, k): (pk, n, d)
        for pk, u, k, n, d in DashboardMonth.objects.filter(
            month=month, key__in=list(keys)
        ).values_list("pk", "unit_id", "key", "num", "den")
    }
    gone = [pk for key, (pk, _n, _d) in have.items() if key not in wanted]
    changed = [
        DashboardMonth(pk=have[key][0], num=n, den=d)
        for key, (n, d) in wanted.items()
        if key in have and (have[key][1], have[key][2]) != (n, d)
    ]
    new = [
        DashboardMonth(unit_id=u, month=month, key=k, num=n, den=d)
        for (u, k), (n, d) in wanted.items()
        if (u, k) not in have
    ]
    for i in range(0, len(gone), 5000):
        DashboardMonth.objects.filter(pk__in=gone[i : i + 5000]).delete()
    DashboardMonth.objects.bulk_update(changed, ["num", "den"], batch_size=1000)
    DashboardMonth.objects.bulk_create(new, batch_size=2000)
    return len(gone) + len(changed) + len(new)


def case_marks(months: list[date]) -> dict[date, str]:
    """Per month a mark of its ``CaseStat`` rows (row count and latest change): any write to the
    month's counters changes it (a row updated, created or deleted)."""
    got = (
        CaseStat.objects.filter(month__in=months)
        .order_by()
        .values("month")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    marks = {m: "0:" for m in months}
    for r in got:
        marks[r["month"]] = f"{r['n']}:{r['last'].isoformat() if r['last'] else ''}"
    return marks


def build_case_months(
    months: list[date], now: datetime | None = None, *, force: bool = False
) -> int:
    """Rebuild the request figures of those ``months`` whose ``CaseStat`` rows changed since the
    last build (every one with ``force``); every checked month is then current as of ``now``."""
    now = now or timezone.now()
    marks = case_marks(months)
    builds = {b.month: b for b in DashboardBuild.objects.filter(month__in=months)}
    stale = [m for m in months if force or m not in builds or builds[m].cases_mark != marks[m]]
    totals = _case_totals(stale) if stale else {}
    n = 0
    with transaction.atomic():
        for month in stale:
            n += _write(month, CASE_KEYS, totals[month])
        for month in months:
            build = builds.get(month) or DashboardBuild(month=month, built_at=None)
            build.cases_built_at, build.cases_mark = now, marks[month]
            build.save()
    return n


def build_month(month: date, now: datetime | None = None, *, keys: list[str] | None = None) -> int:
    """Recompute every figure of ``month`` (snapshot figures only for the current month; the
    request figures too unless ``keys`` names only worker figures); returns the rows written
    (only those whose value changed)."""
    now = now or timezone.now()
    is_current = month == current_month(now)
    wanted = [
        k
        for k in (keys or list(SOURCES))
        if k in SOURCES and (is_current or not SOURCES[k].snapshot)
    ]
    totals = _worker_totals(wanted, month, now)
    with transaction.atomic():
        n = _write(month, wanted, totals)
        DashboardBuild.objects.update_or_create(month=month, defaults={"built_at": now})
        if keys is None or set(keys) & set(CASE_KEYS):
            n += build_case_months([month], now, force=True)
    return n


def build_recent(now: datetime | None = None) -> int:
    """The worker's job: the current and the previous month, and the request figures of any month
    of the trend window whose counters changed (idempotent)."""
    now = now or timezone.now()
    month = current_month(now)
    n = build_month(month, now, keys=list(SOURCES))
    n += build_month(previous_month(month), now, keys=list(SOURCES))
    return n + build_case_months(months_back(month, TREND_MONTHS), now)


def build_all(months: int = TREND_MONTHS, now: datetime | None = None) -> int:
    """Every month of the trend window (the demo, the benchmark, ``dashboards_rebuild``)."""
    now = now or timezone.now()
    window = months_back(current_month(now), months)
    n = 0
    for month in reversed(window):
        n += build_month(month, now, keys=list(SOURCES))
    return n + build_case_months(window, now, force=True)
