"""The database's own copy for ``lianxin backup``: ``pg_dump`` / ``pg_restore`` on PostgreSQL and
SQLite's online backup API, each with the row count of every table taken from the same snapshot.

``core/backup.py`` packs the copy, the media files and the manifest into the archive and checks
every checksum before it calls a restore here; this module only talks to the database.
The PostgreSQL client programs come from Debian's ``postgresql-client``; the connection comes
from ``DATABASES['default']`` through libpq's environment (``PGHOST`` … ``PGPASSWORD``), so the
password is never on a command line (where ``ps`` would show it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections, transaction
from django.db.backends.sqlite3._functions import (  # type: ignore[import-untyped]
    register as register_functions,
)
from django.db.models import Model
from django.utils.translation import gettext as _

# Not backed up by the portable ``data.json`` (rebuilt by migrate, or worthless after a move)
# and not counted in any manifest: their rows change while the site runs.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator (Chinese)."""


def excluded(label: str) -> bool:
    return any(label == e or label.split(".")[0] == e for e in EXCLUDE)


def counted_models() -> list[type[Model]]:
    """One model per table the manifest counts (no proxies, no unmanaged, none excluded)."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not excluded(m._meta.label_lower)
    ]


def table_counts(cursor: Any) -> dict[str, int]:
    """Row count of every counted model's table through a DB-API ``cursor``.

    Rule: counts are read through the cursor handed in, so they come from the snapshot it sees
    (the dump's exported snapshot, the SQLite copy itself, or the restored database).
    """
    counts = {}
    for model in counted_models():
        table = model._meta.db_table.replace('"', '""')
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a model's own table
        counts[model._meta.label_lower] = int(cursor.fetchone()[0])
    return counts


def count_diff(expected: dict[str, int], got: dict[str, int]) -> dict[str, tuple]:
    return {
        k: (expected.get(k), got.get(k))
        for k in sorted(set(expected) | set(got))
        if expected.get(k) != got.get(k)
    }


def refuse_count_mismatch(expected: dict[str, int], got: dict[str, int]) -> None:
    diff = count_diff(expected, got)
    if diff:
        raise BackupError(
            _("行数与备份清单不符（表：清单行数，实际行数）：%(diff)s") % {"diff": diff}
        )


def _outside_transaction(alias: str = "default") -> None:
    if connections[alias].in_atomic_block:
        raise BackupError(_("备份与恢复不能在事务中进行。"))


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_env(settings_dict: dict[str, Any], name: str | None = None) -> dict[str, str]:
    """libpq's environment for ``settings_dict`` (host, port, user, database, password, SSL)."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = name or settings_dict["NAME"]
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for key, var in [
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
        ("service", "PGSERVICE"),
    ]:
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run(args: list[str], env: dict[str, str]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(
            _("找不到 %(tool)s：请安装 postgresql-client（scripts/ensure-system-deps）。")
            % {"tool": tool}
        )
    result = subprocess.run(  # noqa: S603 - fixed programs, no shell, no secrets in args
        args, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败：%(error)s") % {"tool": tool, "error": result.stderr.strip()[-2000:]}
        )


def pg_dump(path: Path) -> dict[str, int]:
    """``pg_dump --format=custom`` of the configured database into ``path``; returns the counts.

    Rule: the counts and the dump read one snapshot: a REPEATABLE READ transaction exports its
    snapshot and stays open while ``pg_dump --snapshot`` reads it, so writes made meanwhile are
    in neither, and the manifest's counts are exactly the dump's.
    """
    _outside_transaction()
    conn = connections["default"]
    with transaction.atomic(), conn.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor)
        _run(
            ["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}"]
            + ["--file", str(path)],
            pg_env(conn.settings_dict),
        )
    return counts


def _pg_counts(name: str) -> dict[str, int]:
    """Every table's count in database ``name`` of the configured server (a plain driver
    connection with the configured parameters, not a new Django alias)."""
    default = connections["default"]
    if name == default.settings_dict["NAME"]:
        with default.cursor() as cursor:
            return table_counts(cursor)
    params = {**default.get_connection_params(), "dbname": name}
    raw = default.Database.connect(**params)  # type: ignore[attr-defined]
    try:
        with raw.cursor() as cursor:
            return table_counts(cursor)
    finally:
        raw.close()


def pg_restore(path: Path, expected: dict[str, int], database: str | None = None) -> dict[str, int]:
    """``pg_restore`` of the dump into the configured database (or ``database`` on the same
    server); returns the counts read afterwards.

    Rule: ``--clean --if-exists --no-owner --single-transaction --exit-on-error``: the old tables
    are dropped and the dump's loaded in one transaction, so a failed restore leaves the
    database as it was; then every table's count must equal the manifest's.
    """
    _outside_transaction()
    default = connections["default"]
    name = database or default.settings_dict["NAME"]
    default.close()  # no idle session of ours holding locks on the tables being dropped
    _run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        + ["--exit-on-error", "--no-password", f"--dbname={name}", str(path)],
        pg_env(default.settings_dict, name),
    )
    counts = _pg_counts(name)
    refuse_count_mismatch(expected, counts)
    return counts


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_copy(path: Path) -> dict[str, int]:
    """A consistent copy of the running SQLite database into ``path`` (online backup API).

    Rule: ``sqlite3.Connection.backup`` copies every page in one step under a read lock, so
    the copy is one snapshot even while the site writes (WAL); the counts are read from the
    copy itself.
    """
    _outside_transaction()  # our own open write transaction would make the copy wait forever
    conn = connections["default"]
    conn.ensure_connection()
    dst = sqlite3.connect(path)
    try:
        conn.connection.backup(dst, progress=_give_up_when_busy())
        counts = table_counts(dst.cursor())
    finally:
        dst.close()
    return counts


def _give_up_when_busy(seconds: float = 60) -> Any:
    """A backup ``progress`` callback that aborts after ``seconds`` of SQLITE_BUSY/LOCKED
    retries in a row (Python retries every 0.25 s for ever), naming the cause."""
    busy = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal busy
        busy = busy + 1 if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) else 0
        if busy * 0.25 > seconds:
            raise BackupError(_("数据库一直被占用，备份未完成：请稍后再试。"))

    return progress


def sqlite_restore(path: Path, expected: dict[str, int]) -> dict[str, int]:
    """Replace the configured SQLite database's content with the copy at ``path``.

    Rule: the copy passes ``PRAGMA integrity_check`` and its counts equal the manifest's before
    anything is written; then the backup API writes it over the live database in one step
    (SQLite's locking, so the WAL and other connections stay coherent, unlike a file copy);
    the counts are read again afterwards.
    """
    _outside_transaction()
    src = sqlite3.connect(path)
    try:
        register_functions(src)  # the CHECK constraints the integrity check runs use REGEXP
        try:
            ok = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            copied = table_counts(src.cursor()) if ok else {}
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise BackupError(_("备份中的 SQLite 数据库未通过完整性检查，未做任何恢复。"))
        refuse_count_mismatch(expected, copied)
        conn = connections["default"]
        conn.ensure_connection()
        src.backup(conn.connection, progress=_give_up_when_busy())
    finally:
        src.close()
    with connections["default"].cursor() as cursor:
        counts = table_counts(cursor)
    refuse_count_mismatch(expected, counts)
    return counts
