"""Restore drill (issue 16, bullet 7): time ``lianxin backup`` (pg_dump --format=custom) and its
restore (pg_restore) of a PostgreSQL database holding N requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_drill \\
        .venv/bin/python bench/restore_drill.py [--n 1000000] [--chunk 200000] [--keep]

Fills the database (or reuses it) up to N requests over the Gansu tree with
``bench/dashboard_levels.py``'s SQL fill (one INSERT … SELECT per chunk; the plain indexes are
dropped and built once at the end from 500k rows on), then:

1. ``backup_create`` — the same code as ``lianxin backup``: pg_dump of an exported snapshot,
   every table's count from that snapshot, media, manifest, checksums;
2. ``backup_restore(database=<name>_drill)`` — the same code as
   ``lianxin restore --into-database``: checksums, pg_restore --clean --if-exists --no-owner
   --single-transaction into an empty database on the same server, every table counted again.

Prints a Markdown table: requests, database size, dump size, backup s, restore s, and whether
every table's count after the restore equals the manifest's and the source database's. The
restored copy is dropped afterwards unless ``--keep``. Not part of ``make test``
(tests/core/test_backup_pg.py runs the same round trip on the test data).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


def _size(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(%s)", [name])
        return int(cursor.fetchone()[0])


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000, help="requests to fill up to")
    parser.add_argument("--chunk", type=int, default=200_000, help="rows per fill transaction")
    parser.add_argument(
        "--output", default=None, help="where the archive goes (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the restored database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)

    from bench.dashboard_levels import ensure_units, fill
    from lianxin.cases.models import Case
    from lianxin.core.backup import backup_create, backup_restore
    from lianxin.core.backup_native import table_counts

    _county, dept = ensure_units()
    t = time.perf_counter()
    rows = fill(args.n, args.chunk, dept)
    print(f"{rows:,} requests ready in {time.perf_counter() - t:.0f}s", flush=True)
    source = connection.settings_dict["NAME"]
    target = f"{source}_drill"[:63]
    db_size = _size(source)
    with connection.cursor() as cursor:
        live = table_counts(cursor)
    load_before = os.getloadavg()[0]

    with tempfile.TemporaryDirectory(prefix="lianxin-drill-", dir=args.output) as tmp:
        t = time.perf_counter()
        archive = backup_create(output_dir=Path(tmp))
        backup_s = time.perf_counter() - t
        archive_size = archive.stat().st_size
        print(f"backup {archive.name}: {_mb(archive_size)} in {backup_s:.1f}s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{target}"')
        t = time.perf_counter()
        restored = backup_restore(archive=archive, database=target)
        restore_s = time.perf_counter() - t
        print(f"restored into {target} in {restore_s:.1f}s", flush=True)
    restored_size = _size(target)
    if not args.keep:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    equal = restored == live
    print(
        f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, PostgreSQL "
        f"{connection.cursor().connection.info.server_version}, load average "
        f"{load_before:.1f} before / {os.getloadavg()[0]:.1f} after\n"
    )
    print(
        "| requests | tables | rows in all | database | archive (pg_dump -Fc + media) "
        "| backup s | restore s | restored DB | counts equal |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |"
    )
    print(
        f"| {Case.objects.count():,} | {len(live)} | {sum(live.values()):,} | {_mb(db_size)} "
        f"| {_mb(archive_size)} | {backup_s:.1f} | {restore_s:.1f} | {_mb(restored_size)} "
        f"| {'yes' if equal else 'NO'} |"
    )
    if not equal:
        sys.exit(f"counts differ: {[k for k in live if live[k] != restored.get(k)]}")


if __name__ == "__main__":
    main()
