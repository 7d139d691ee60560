"""月度简报 at province scale (issue 12, bullets 3 and 6): the 1st-of-month run for the towns of
the Gansu tree, timed through the worker's own path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench_reports \\
        .venv/bin/python bench/reports_monthly.py [--n 1000000] [--towns 0] [--skip-fill]

Fills (up to N requests; reuses what is there, so the database of ``bench/dashboard_levels.py``
serves as well): the Gansu division tree (1,403 乡镇/街道, 17,718 villages and communities, a
grid each), a department under the first county and N requests over every grid and the last
12 months, generated in SQL by ``dashboard_levels.fill``; then the rates rollup and the
dashboards' 12-month rollup (``dashboard_levels.rebuild``) unless ``--skip-fill``.

Then the run itself, as on the 1st: last month's brief of every town (or ``--towns K`` of them,
evenly spread over the province) is queued as the worker queues it — a ``MonthlyReport`` row and
the ``reports.tasks.build_report`` task on the database backend (``reports_schedule`` does the
same for every unit, a batch a minute) — and ``lianxin db_worker --batch`` is started as a child
process and runs them one by one, exactly as in production (``report_build``: the brief's
figures read as the system, the PDF rendered by WeasyPrint, the .xlsx, the files stored, the
audit row). Timed: each report from the task's own ``started_at`` to ``finished_at``
(median, p90, p99, max), the worker's wall time for the whole batch, and the worker process's
peak resident memory (``getrusage(RUSAGE_CHILDREN).ru_maxrss``). Earlier briefs of the same
towns and month are deleted first, so a rerun measures the same work. Prints a Markdown table,
the extrapolation to all 1,403 towns on one worker, and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
os.environ["LIANXIN_TASKS_BACKEND"] = "db"  # the production path: queued, then db_worker
os.environ.setdefault("LIANXIN_MEDIA_ROOT", str(ROOT / "bench" / ".var" / "media"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

TASK_PATH = "lianxin.reports.tasks.build_report"


def pick_towns(k: int) -> list:
    from lianxin.org.models import TOWN_KINDS, Unit

    towns = list(Unit.objects.filter(kind__in=TOWN_KINDS, is_active=True).order_by("path"))
    if k <= 0 or k >= len(towns):
        return towns
    step = len(towns) / k
    return [towns[int(i * step)] for i in range(k)]


def queue(towns: list, month) -> list[int]:
    """Last month's brief of each town, queued as ``reports_schedule`` queues it."""
    from django_tasks_db.models import DBTaskResult

    from lianxin.reports.models import MonthlyReport
    from lianxin.reports.tasks import build_report

    MonthlyReport.objects.filter(unit__in=towns, month=month).delete()
    DBTaskResult.objects.filter(task_path=TASK_PATH).delete()
    ids = []
    for town in towns:
        report = MonthlyReport.objects.create(unit=town, month=month)
        build_report.enqueue(report.pk)
        ids.append(report.pk)
    return ids


def run_worker() -> tuple[float, int, int]:
    """``lianxin db_worker --batch`` as a child: (wall seconds, exit code, peak RSS in MiB)."""
    env = dict(os.environ, LIANXIN_TASKS_BACKEND="db")
    t = time.perf_counter()
    proc = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # KiB on Linux
    return wall, proc.returncode, peak


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="requests to fill up to")
    parser.add_argument("--chunk", type=int, default=500_000)
    parser.add_argument("--towns", type=int, default=0, help="towns to brief (0: all)")
    parser.add_argument("--skip-fill", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database (see the docstring)")
    call_command("migrate", verbosity=0)
    from django_tasks_db.models import DBTaskResult

    from bench.dashboard_levels import ensure_units, fill, rebuild
    from lianxin.cases.models import Case
    from lianxin.reports.models import MonthlyReport, ReportState
    from lianxin.reports.selectors import previous_month

    county, dept = ensure_units()
    timings: dict[str, float] = {}
    if not args.skip_fill:
        fill(args.n, args.chunk, dept)
        timings = rebuild()
    total = Case.objects.count()
    month = previous_month(timezone.localdate())
    towns = pick_towns(args.towns)
    t = time.perf_counter()
    ids = queue(towns, month)
    queued_s = time.perf_counter() - t
    load_before = os.getloadavg()[0]
    wall, code, peak = run_worker()
    load_after = os.getloadavg()[0]
    results = list(
        DBTaskResult.objects.filter(task_path=TASK_PATH).values_list(
            "status", "started_at", "finished_at"
        )
    )
    secs = [(f - s).total_seconds() for _st, s, f in results if s and f]
    done = MonthlyReport.objects.filter(pk__in=ids, state=ReportState.DONE).count()
    failed = MonthlyReport.objects.filter(pk__in=ids, state=ReportState.FAILED).count()
    sizes = [
        r.pdf.size + r.xlsx.size for r in MonthlyReport.objects.filter(pk__in=ids)[:50] if r.pdf
    ]
    month_cases = Case.objects.filter(
        created_at__gte=datetime(month.year, month.month, 1, tzinfo=timezone.get_current_timezone())
    ).count()
    print()
    print(
        f"{total:,} requests ({month_cases:,} since {month:%Y-%m}-01); "
        f"briefs of {month:%Y-%m} for {len(towns)} of 1,403 towns; worker exit {code}"
    )
    for name, s in timings.items():
        print(f"- {name}: {s:.1f} s")
    print(f"- queued {len(ids)} tasks in {queued_s:.1f} s")
    print()
    print(
        "| towns | done | failed | median s | p90 s | p99 s | max s | worker wall s | peak RSS MiB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    if secs:
        print(
            f"| {len(towns)} | {done} | {failed} | {statistics.median(secs):.2f} | "
            f"{pct(secs, 0.9):.2f} | {pct(secs, 0.99):.2f} | {max(secs):.2f} | {wall:.0f} | {peak} |"
        )
        per = wall / max(1, len(towns))
        print()
        print(
            f"per report (worker wall / towns, with the worker's start-up): {per:.2f} s; "
            f"all 1,403 towns on one worker ≈ {per * 1403 / 60:.1f} min "
            f"(sum of task times × 1403 / {len(secs)}: {sum(secs) * 1403 / len(secs) / 60:.1f} min)"
        )
    if sizes:
        print(
            f"files per brief (PDF + .xlsx), mean of {len(sizes)}: {statistics.mean(sizes) / 1024:.0f} KiB"
        )
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; load average {load_before:.1f} before the run, {load_after:.1f} after"
    )
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        print(f"PostgreSQL {cur.fetchone()[0]}")


if __name__ == "__main__":
    main()
