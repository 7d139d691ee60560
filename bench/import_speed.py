"""Rows per second of the venues survey import, run the way production runs it: the file is
uploaded to a job, the database queue holds the task, and a separate `db_worker` process does
the work while this script polls the job like the progress page does.

    .venv/bin/python bench/import_speed.py                 # 100 000 rows, fresh SQLite in /tmp
    .venv/bin/python bench/import_speed.py --rows 20000 --villages 200
    DATABASE_URL=postgres://... .venv/bin/python bench/import_speed.py --var /tmp/x

A county-sized tree is built (one town per 200 villages); every village gets its 党群服务中心
and the rest of the rows are named 暖蜂驿站/新时代文明实践站 entries spread over the villages,
with every column of the archive sheet filled. The dry run is measured first (it validates
every row and rolls back each chunk), then the real import (creates every venue, one audit
row each), then the same file again (every row unchanged: nothing written).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(var: str) -> None:
    os.environ["LIANXIN_VAR"] = var
    os.environ["LIANXIN_TASKS_BACKEND"] = "db"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _tree(villages: int):
    from lianxin.accounts.models import User
    from lianxin.org.models import Role, Unit, UnitKind
    from lianxin.org.services import membership_grant, unit_create

    county = Unit.objects.filter(code="620524000000").first()
    if county is None:
        province = unit_create(
            code="620000000000",
            name="甘肃省",
            kind=UnitKind.PROVINCE,
            parent=None,
            division_code="620000000000",
        )
        city = unit_create(
            code="620500000000",
            name="天水市",
            kind=UnitKind.CITY,
            parent=province,
            division_code="620500000000",
        )
        county = unit_create(
            code="620524000000",
            name="武山县",
            kind=UnitKind.COUNTY,
            parent=city,
            division_code="620524000000",
        )
    codes = []
    for t in range((villages + 199) // 200):
        town_code = f"620524{100 + t:03d}000"
        town = Unit.objects.filter(code=town_code).first() or unit_create(
            code=town_code,
            name=f"第{t + 1}镇",
            kind=UnitKind.TOWN,
            parent=county,
            division_code=town_code,
        )
        for v in range(1, min(200, villages - t * 200) + 1):
            code = f"620524{100 + t:03d}{v:03d}"
            if not Unit.objects.filter(code=code).exists():
                unit_create(
                    code=code,
                    name=f"第{t + 1}镇{v}村",
                    kind=UnitKind.VILLAGE,
                    parent=town,
                    division_code=code,
                )
            codes.append(code)
    admin = User.objects.filter(username="bench_admin").first()
    if admin is None:
        admin = User.objects.create_user(username="bench_admin", password="Bench-pass-123")
        membership_grant(user=admin, unit=county, role=Role.COUNTY_ADMIN)
    return admin, codes


def _sheet(path: Path, rows: int, codes: list[str]) -> None:
    from openpyxl import Workbook

    from lianxin.venues.services import SHEET_COLUMNS

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("阵地档案")
    ws.append([label for _k, label in SHEET_COLUMNS])
    kinds = ["暖蜂驿站", "新时代文明实践站"]
    for i in range(rows):
        code = codes[i % len(codes)]
        first = i < len(codes)
        values = {
            "unit_code": code,
            "kind": "党群服务中心" if first else kinds[i % 2],
            "name": f"{code}党群服务中心" if first else f"{code}站点{i}",
            "address": f"{code}村委会旁{i % 50}号",
            "build_year": 1990 + i % 35,
            "floor_area": 200 + i % 300,
            "office_area": 50 + i % 40,
            "service_area": 100 + i % 100,
            "structure": "框架" if i % 2 else "砖混",
            "floors": 1 + i % 3,
            "condition": ["良好", "一般", "较差"][i % 3],
            "lng": round(104.8 + (i % 1000) / 10000, 6),
            "lat": round(34.7 + (i % 997) / 10000, 6),
            "phone": f"0938-{3000000 + i % 999999}",
            "opening_hours": "周一至周五 8:30-17:30",
        }
        ws.append([values.get(k) for k, _l in SHEET_COLUMNS])
    wb.save(path)


def _run(admin, data: bytes, *, dry_run: bool, var: str) -> dict:
    from lianxin.jobs.models import Job
    from lianxin.jobs.services import job_start

    job = job_start(
        owner=admin,
        kind="venues.import",
        title="bench",
        runner="lianxin.venues.imports.run_import_job",
        params={"dry_run": dry_run, "perm": "venues.import_venues"},
        source=data,
        source_name="bench.xlsx",
    )
    env = {**os.environ, "LIANXIN_VAR": var, "LIANXIN_TASKS_BACKEND": "db"}
    worker = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, str(ROOT / "manage.py"), "db_worker", "--batch", "--no-startup-delay"],
        env=env,
    )
    seen = []
    while worker.poll() is None:
        time.sleep(2)  # as often as the progress page polls
        j = Job.objects.get(pk=job.pk)
        seen.append((j.done, j.total))
        print(f"  … {j.get_state_display()} {j.done}/{j.total}", flush=True)
    job.refresh_from_db()
    seconds = (job.finished_at - job.started_at).total_seconds()
    report = job.report.get("import", {})
    return {
        "state": job.state,
        "message": job.message,
        "rows": job.total,
        "seconds": round(seconds, 1),
        "rows_per_second": round(job.total / seconds, 1) if seconds else None,
        "created": report.get("created"),
        "updated": report.get("updated"),
        "unchanged": report.get("unchanged"),
        "errors": len(report.get("errors", [])),
        "progress_seen": len({d for d, _t in seen}),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--villages", type=int, default=400)
    parser.add_argument("--var", default="", help="LIANXIN_VAR (default: a fresh temporary dir)")
    parser.add_argument("--passes", default="dry,import,again", help="which of dry,import,again")
    args = parser.parse_args()
    var = args.var or tempfile.mkdtemp(prefix="lianxin-import-bench-")
    _setup(var)
    from django.conf import settings
    from django.db import connection

    settings.LIANXIN_IMPORT_MAX_ROWS = max(settings.LIANXIN_IMPORT_MAX_ROWS, args.rows)
    os.environ["LIANXIN_IMPORT_MAX_ROWS"] = str(settings.LIANXIN_IMPORT_MAX_ROWS)
    admin, codes = _tree(args.villages)
    path = Path(var) / f"survey-{args.rows}.xlsx"
    t = time.perf_counter()
    _sheet(path, args.rows, codes)
    print(
        f"{args.rows} rows, {len(codes)} villages; file {path.stat().st_size / 1e6:.1f} MB "
        f"written in {time.perf_counter() - t:.1f} s; database {connection.vendor}; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores"
    )
    data = path.read_bytes()
    passes = [
        ("dry", "dry run", True),
        ("import", "import", False),
        ("again", "same file again", False),
    ]
    for name, label, dry in passes:
        if name not in args.passes.split(","):
            continue
        print(label)
        result = _run(admin, data, dry_run=dry, var=var)
        print(f"{label}: {result}")


if __name__ == "__main__":
    main()
