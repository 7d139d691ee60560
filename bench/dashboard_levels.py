"""工作看板 at province scale (issue 12, bullet 6): N requests over the Gansu tree, then every
dashboard level timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench_dash \\
        .venv/bin/python bench/dashboard_levels.py [--n 10000000] [--chunk 1000000] [--samples 50]

Fills (up to N; reuses what is there): the Gansu division tree with one grid per village and
the bench users (``bench/requests_scale.py``'s ``ensure_tree``), a department under the first
county, and N requests over every grid and the last 12 months, generated **in SQL** with
``generate_series`` in chunks of ``--chunk`` rows (one INSERT … SELECT per chunk, each its own
transaction): states, deadlines, overdue marks, 督办, ratings and a 5% share routed to the
department follow the same mix as ``requests_scale``. Then rebuilds the rates rollup
(``cases.stats.stats_rebuild``) and the dashboards' 12-month rollup (``rollup.build_all``), both
timed. Then, in-process through Django's test client after a warm-up, as the county
administrator: for each level (county, town, village, grid, department) the median and the p99
of ``--samples`` requests of ``/dashboards/<unit>/`` (figures, child rows, 7 SVG charts and their
tables), the queries of each request (``CaptureQueriesContext`` per request: min–max), and the
median with the charts drawn afresh (the first view after the rollup changed). Prints a
Markdown table, the load average and the machine (bench/README.md has the results).
Target: p99 < 50 ms per page on PostgreSQL, and a query count that does not grow with N.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

LEVELS = ("county", "town", "village", "grid", "department")

# One INSERT … SELECT per chunk: every value derived in SQL from the row number and random().
FILL_SQL = """
WITH base AS (
    SELECT i,
           gr.id AS grid_id, gr.village_id, gr.town_id,
           random() AS r, random() AS r2, random() AS r3,
           now() - random() * interval '365 days' AS created
    FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) AS i
    JOIN bench_grids gr ON gr.rn = 1 + ((i * 7919) %% %(ngrids)s)
), s AS (
    SELECT b.*,
           (now() - b.created > interval '10 days' OR b.r < 0.7) AS accepted,
           b.created + (1 + floor(b.r2 * 30)) * interval '1 hour' AS acc,
           b.created + (1 + floor(b.r2 * 30)) * interval '1 hour'
               + (0.2 + b.r3 * 8.8) * interval '1 day' AS res,
           CASE WHEN b.r3 < 0.05 THEN %(dept)s ELSE b.grid_id END AS handling_unit
    FROM base b
), t AS (
    SELECT s.*, (s.accepted AND s.res < now()) AS resolved,
           CASE WHEN i %% 100 < 70 THEN 'satisfied' WHEN i %% 100 < 86 THEN 'basic'
                WHEN i %% 100 < 91 THEN 'unsatisfied' ELSE '' END AS rating
    FROM s
)
INSERT INTO cases_case (
    code, idempotency_key, title, description, search_tokens, category_id, priority, channel,
    reporter_name, reporter_phone, grid_id, town_id, village_id, address, state,
    owner_user_id, owner_unit_id, unit_id, handler_post, dispatched_at, accept_due_at,
    resolve_due_at, due_provisional, accepted_at, first_accepted_at, accepted_on_time,
    resolved_at, resolved_on_time, handling_minutes, closed_at, resolution, reject_reason,
    sent_back, reopen_count, accept_overdue_at, resolve_overdue_at, supervised_at,
    extension_state, extension_reason, rating, rating_comment, rated_at, rated_unit_id,
    rated_handler_id, created_at, updated_at
)
SELECT
    'BD' || lpad(to_hex(i), 10, '0'), NULL, (%(titles)s::text[])[1 + (i * 13) %% %(ntexts)s],
    (%(descs)s::text[])[1 + (i * 13) %% %(ntexts)s], (%(tokens)s::text[])[1 + (i * 13) %% %(ntexts)s],
    (%(cats)s::bigint[])[1 + i %% %(ncats)s], 'normal', 'resident', '张三', '13900000000',
    grid_id, town_id, village_id, '',
    CASE WHEN resolved THEN 'closed' WHEN accepted THEN 'in_progress' ELSE 'submitted' END,
    CASE WHEN accepted THEN %(user)s END,
    CASE WHEN accepted THEN NULL ELSE handling_unit END,
    handling_unit, '', created, created + interval '24 hours', created + interval '7 days', false,
    CASE WHEN accepted THEN acc END, CASE WHEN accepted THEN acc END,
    CASE WHEN accepted THEN acc <= created + interval '24 hours' END,
    CASE WHEN resolved THEN res END,
    CASE WHEN resolved THEN res <= created + interval '7 days' END,
    CASE WHEN resolved THEN floor(extract(epoch FROM res - created) / 60)::int END,
    CASE WHEN resolved THEN res END,
    CASE WHEN resolved THEN '已处理' ELSE '' END, '', false, 0,
    CASE WHEN NOT accepted AND now() > created + interval '24 hours'
         THEN created + interval '24 hours' END,
    CASE WHEN accepted AND NOT resolved AND now() > created + interval '7 days'
         THEN created + interval '7 days' END,
    CASE WHEN NOT resolved AND r2 < 0.3 AND now() > created + interval '24 hours'
         THEN created + interval '24 hours' END,
    '', '',
    CASE WHEN resolved THEN rating ELSE '' END, '',
    CASE WHEN resolved AND rating <> '' THEN res END,
    CASE WHEN resolved AND rating <> '' THEN handling_unit END,
    CASE WHEN resolved AND rating <> '' THEN %(user)s END,
    created, now()
FROM t
"""


def ensure_units():
    from bench.requests_scale import ensure_tree
    from lianxin.accounts.models import User
    from lianxin.org.models import Role, Unit, UnitKind
    from lianxin.org.services import membership_grant, unit_path

    ensure_tree()
    county = User.objects.get(username="bench_county").memberships.get().unit
    code = f"{county.code}-BD1"
    dept = Unit.objects.filter(code=code).first()
    if dept is None:
        dept = Unit.objects.create(
            code=code,
            name="县住建局（基准）",
            kind=UnitKind.DEPARTMENT,
            parent=county,
            path=unit_path(county, code),
            depth=county.depth + 1,
        )
    user, created = User.objects.get_or_create(
        username="bench_dept", defaults={"display_name": "bench_dept"}
    )
    if created:
        membership_grant(user=user, unit=dept, role=Role.DEPT_HANDLER)
    return county, dept


# A fill of at least this many rows loads as PostgreSQL's manual advises for bulk loads: the
# table's plain indexes (not those behind its PK and unique constraints) are dropped first and
# built again once at the end, and its triggers (the foreign-key checks) are off while rows go in.
# Maintaining ~20 btree and trigram indexes row by row is what made the fill ~500 s per million.
BULK_ROWS = 500_000


def _indexes_off() -> list[tuple[str, str]]:
    """Drop cases_case's plain indexes, remembering them in ``bench_dropped_indexes`` first (so a
    fill stopped half-way gets them back on the next run), and switch its triggers off."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_dropped_indexes (name text PRIMARY KEY, def text)"
        )
        cur.execute(
            "INSERT INTO bench_dropped_indexes SELECT indexname, indexdef FROM pg_indexes"
            " WHERE tablename = 'cases_case' AND indexname NOT IN (SELECT conname FROM"
            " pg_constraint WHERE conrelid = 'cases_case'::regclass) ON CONFLICT DO NOTHING"
        )
        cur.execute("SELECT name, def FROM bench_dropped_indexes ORDER BY name")
        dropped = cur.fetchall()
        for name, _def in dropped:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        cur.execute("ALTER TABLE cases_case DISABLE TRIGGER ALL")
    print(f"  bulk load: {len(dropped)} indexes dropped, triggers off", flush=True)
    return dropped


def _indexes_on(dropped: list[tuple[str, str]]) -> None:
    """Build the dropped indexes again (each in one pass over the table) and the triggers on."""
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_dropped_indexes') IS NOT NULL")
        if cur.fetchone()[0]:
            cur.execute("SELECT name, def FROM bench_dropped_indexes ORDER BY name")
            dropped = cur.fetchall()
        if not dropped:
            return
        t = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '1GB'")
        for _name, definition in dropped:
            cur.execute(
                re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX IF NOT EXISTS ", definition)
            )
        cur.execute("ALTER TABLE cases_case ENABLE TRIGGER ALL")
        cur.execute("DROP TABLE bench_dropped_indexes")
    print(f"  {len(dropped)} indexes built again in {time.perf_counter() - t:.0f}s", flush=True)


def fill(n: int, chunk: int, dept) -> int:
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case, Category
    from lianxin.org.models import Unit, UnitKind
    from tests.cases.factories import ensure_categories

    ensure_categories()
    have = Case.objects.count()
    if have >= n:
        _indexes_on([])  # a fill stopped after its last chunk still gets its indexes back
        return have
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_grids")
        cur.execute(
            "CREATE UNLOGGED TABLE bench_grids AS SELECT row_number() OVER (ORDER BY g.id) AS rn,"
            " g.id, v.id AS village_id, v.parent_id AS town_id FROM org_unit g"
            " JOIN org_unit v ON v.id = g.parent_id WHERE g.kind = %s",
            [UnitKind.GRID],
        )
        cur.execute("CREATE UNIQUE INDEX ON bench_grids (rn)")
    ngrids = Unit.objects.filter(kind=UnitKind.GRID).count()
    cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)) or list(
        Category.objects.values_list("pk", flat=True)
    )
    user = User.objects.get(username="bench_grid").pk
    # The demo's texts and their search tokens as the app writes them (one constant text with no
    # tokens made every search at scale find nothing, so it measured nothing).
    from lianxin.cases.demo import TEXTS
    from lianxin.cases.search import index_text

    texts = [(t, d.format(place="本村3组")) for pairs in TEXTS.values() for t, d in pairs]
    words = {
        "titles": [t for t, _d in texts],
        "descs": [d for _t, d in texts],
        "tokens": [index_text(t, d) for t, d in texts],
        "ntexts": len(texts),
    }
    t0 = time.perf_counter()
    last = (
        Case.objects.filter(code__startswith="BD").order_by("-code").values_list("code", flat=True)
    ).first()
    start = int(last[2:], 16) + 1 if last else 1
    todo = n - have
    dropped = _indexes_off() if todo >= BULK_ROWS else []
    for lo in range(start, start + todo, chunk):
        hi = min(start + todo - 1, lo + chunk - 1)
        with connection.cursor() as cur:
            cur.execute(
                FILL_SQL,
                {
                    "lo": lo,
                    "hi": hi,
                    "ngrids": ngrids,
                    "dept": dept.pk,
                    "cats": "{" + ",".join(map(str, cats)) + "}",
                    "ncats": len(cats),
                    "user": user,
                    **words,
                },
            )
        print(f"  {hi - start + 1 + have:,} rows, {time.perf_counter() - t0:.0f}s", flush=True)
    _indexes_on(dropped)
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_case")
    print(f"filled {todo:,} requests in SQL in {time.perf_counter() - t0:.0f}s", flush=True)
    return Case.objects.count()


def rebuild(stats: bool = True) -> dict[str, float]:
    from lianxin.cases.stats import stats_rebuild
    from lianxin.dashboards.rollup import build_all

    out = {}
    if stats:
        t = time.perf_counter()
        stats_rebuild()
        out["CaseStat rebuild"] = time.perf_counter() - t
    t = time.perf_counter()
    build_all(months=12)
    out["DashboardMonth build, 12 months (worker figures and request figures)"] = (
        time.perf_counter() - t
    )
    out.update(worker_job())
    with connection.cursor() as cur:
        cur.execute("ANALYZE cases_casestat")
        cur.execute("ANALYZE dashboards_dashboardmonth")
    return out


def worker_job() -> dict[str, float]:
    """The worker's 5-minute job as it runs: this and last month's worker figures, then the
    re-check of the 12 months' request figures (nothing changed: no month rebuilt)."""
    from lianxin.dashboards.rollup import (
        TREND_MONTHS,
        build_case_months,
        build_recent,
        current_month,
        months_back,
    )

    out = {}
    t = time.perf_counter()
    build_recent()
    out["worker job (build_recent)"] = time.perf_counter() - t
    t = time.perf_counter()
    build_case_months(months_back(current_month(), TREND_MONTHS))
    out["request figures re-check, 12 months, nothing changed"] = time.perf_counter() - t
    return out


def level_units(county, dept):
    from lianxin.org.models import GRID_KINDS, TOWN_KINDS, VILLAGE_KINDS, Unit

    town = Unit.objects.filter(parent=county, kind__in=TOWN_KINDS).order_by("code").first()
    village = Unit.objects.filter(parent=town, kind__in=VILLAGE_KINDS).order_by("code").first()
    grid = Unit.objects.filter(parent=village, kind__in=GRID_KINDS).order_by("code").first()
    return dict(zip(LEVELS, (county, town, village, grid, dept), strict=True))


def _p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def measure(client: Client, url: str, samples: int) -> dict:
    """Median and p99 of ``samples`` warm requests, each one's queries counted on its own
    (``CaptureQueriesContext`` per request), then the median of a few with the charts drawn
    afresh (the first view after the rollup changed: the per-process SVG memo is cleared)."""
    from lianxin.dashboards import charts

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    times, cpu, counts = [], [], []
    for _ in range(samples):
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    cold = []
    for _ in range(max(5, samples // 10)):
        charts._render.cache_clear()
        t = time.perf_counter()
        assert client.get(url).status_code == 200
        cold.append((time.perf_counter() - t) * 1000)
    return {
        "median": statistics.median(times),
        "p99": _p99(times),
        "queries": (min(counts), max(counts)),
        "cpu": statistics.median(cpu),  # this process only: Python and the driver, not PostgreSQL
        "cold": statistics.median(cold),
    }


def run(samples: int, units: dict, user) -> list[tuple[str, str, int, dict]]:
    from lianxin.dashboards.selectors import child_units

    client = Client()
    client.force_login(user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
    rows = []
    from lianxin.dashboards.rollup import current_month, previous_month

    last = f"{previous_month(current_month()):%Y-%m}"  # a whole month (this one may be days old)
    pages = [(level, unit, f"/dashboards/{unit.pk}/") for level, unit in units.items()]
    pages += [
        (f"{level}, last month", unit, f"/dashboards/{unit.pk}/?month={last}")
        for level, unit in units.items()
        if level in ("county", "town")
    ]
    for level, unit, url in pages:
        got = measure(client, url, samples)
        rows.append((level, unit.name, len(child_units(unit)), got))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--chunk", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--skip-rebuild", action="store_true", help="reuse both rollups")
    parser.add_argument(
        "--skip-stats", action="store_true", help="reuse CaseStat, rebuild the dashboards' rollup"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    from django.core.management import call_command

    from lianxin.accounts.models import User
    from lianxin.cases.models import CaseStat
    from lianxin.dashboards.models import DashboardMonth

    call_command("migrate", verbosity=0)
    county, dept = ensure_units()
    total = fill(args.n, args.chunk, dept)
    timings = {} if args.skip_rebuild else rebuild(stats=not args.skip_stats)
    load_before = os.getloadavg()
    rows = run(args.samples, level_units(county, dept), User.objects.get(username="bench_county"))
    print()
    print(
        f"{total:,} requests; {CaseStat.objects.count():,} CaseStat rows; "
        f"{DashboardMonth.objects.count():,} DashboardMonth rows; {args.samples} samples per level"
    )
    for name, secs in timings.items():
        print(f"- {name}: {secs:.1f} s")
    print()
    print(
        "| level | unit | child rows | median ms | p99 ms | queries per page "
        "| median ms, charts drawn afresh | median CPU ms (Django process) |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for level, name, kids, got in rows:
        lo, hi = got["queries"]
        queries = str(lo) if lo == hi else f"{lo}–{hi}"
        print(
            f"| {level} | {name} | {kids} | {got['median']:.1f} | {got['p99']:.1f} "
            f"| {queries} | {got['cold']:.1f} | {got['cpu']:.1f} |"
        )
    print()
    print(f"load average before / after: {load_before} / {os.getloadavg()}")
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        print(f"PostgreSQL {cur.fetchone()[0]}")


if __name__ == "__main__":
    main()
