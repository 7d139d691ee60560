"""Backup and restore of the database and media, checked by row counts and checksums.

An archive holds the database in one of three kinds, the media files, and ``manifest.json``
with its ``kind``, the row count of every table and the SHA-256 of every file:

- ``postgresql``: ``database.dump`` from ``pg_dump --format=custom`` (restored by ``pg_restore``);
- ``sqlite``: ``database.sqlite3``, a copy through SQLite's online backup API;
- ``json``: ``data.json``, Django's serialisation (``--format json``): portable, so a SQLite
  backup restores into PostgreSQL and back (archives from before the native kinds are this).

Restore refuses an archive whose checksums do not match before it touches anything, restores
with the tool of the archive's kind, and verifies the counts afterwards.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages
from django.db import connection, transaction
from django.utils.translation import gettext as _

from lianxin.core.backup_native import (
    EXCLUDE,
    BackupError,
    count_diff,
    excluded,
    pg_dump,
    pg_restore,
    sqlite_copy,
    sqlite_restore,
)

__all__ = ["EXCLUDE", "BackupError", "backup_create", "backup_restore", "model_counts"]

DATA_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3", "json": "data.json"}
CHUNK = 1 << 20


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def model_counts() -> dict[str, int]:
    """Row count of every model (proxies included) as the ``json`` kind's manifest keeps it."""
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if excluded(label):
            continue
        counts[label] = model._base_manager.count()
    return counts


def _native_kind() -> str:
    if connection.vendor in ("postgresql", "sqlite"):
        return connection.vendor
    raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})


def backup_create(*, output_dir: Path, fmt: str = "native") -> Path:
    """Write a backup archive into ``output_dir``; returns its path.

    ``fmt``: ``native`` (pg_dump on PostgreSQL, the online backup API on SQLite) or ``json``.
    Rule: the data and the row counts come from one consistent snapshot and every file's
    SHA-256 goes into the manifest. Why: a backup is only worth what its restore can prove; a
    restore checks the archive against the checksums and the database against the counts,
    which a snapshot taken in pieces could never match.
    """
    kind = "json" if fmt == "json" else _native_kind()
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    # pg_dump's custom format is compressed already: gzip over it would only cost time.
    suffix, mode = (".tar", "w") if kind == "postgresql" else (".tar.gz", "w:gz")
    path = output_dir / f"lianxin-backup-{stamp}{suffix}"
    with tempfile.TemporaryDirectory(prefix=".lianxin-backup-", dir=output_dir) as tmp:
        data = Path(tmp) / DATA_FILES[kind]
        if kind == "postgresql":
            counts = pg_dump(data)
        elif kind == "sqlite":
            counts = sqlite_copy(data)
        else:
            buf = io.StringIO()
            with transaction.atomic():  # one consistent snapshot
                management.call_command("dumpdata", exclude=EXCLUDE, stdout=buf, verbosity=0)
                counts = model_counts()
            data.write_bytes(buf.getvalue().encode("utf-8"))
        files = {data.name: _sha256_file(data)}
        manifest = {
            "kind": kind,
            "created_at": stamp,
            "database": connection.vendor,
            "counts": counts,
            "files": files,
        }
        partial = path.with_name(path.name + ".part")  # never a complete-looking half archive
        with tarfile.open(partial, mode) as tar:  # type: ignore[call-overload]
            for name in sorted(media_names(default_storage)):
                with default_storage.open(name, "rb") as fh:
                    content = fh.read()
                rel = "media/" + name
                files[rel] = _sha256(content)
                _add(tar, rel, content)
            tar.add(data, arcname=data.name)
            _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        os.replace(partial, path)
    return path


def media_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in the media storage, through the storage API: the same walk for the local
    directory and for an S3-compatible bucket (several app servers, LIANXIN_S3_BUCKET)."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # no media directory yet
        return
    for n in names:
        yield f"{folder}{n}"
    for d in folders:
        yield from media_names(storage, f"{folder}{d}/")


def _restore_media(name: str, source: Path) -> None:
    """Put one archived file back under its own name (replacing what is there)."""
    if _is_local():
        target = Path(settings.MEDIA_ROOT) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return
    if default_storage.exists(name):
        default_storage.delete(name)
    with source.open("rb") as fh:
        saved = default_storage.save(name, File(fh))
    if saved != name:
        raise BackupError(_("媒体文件 %(name)s 未能按原名恢复。") % {"name": name})


def _is_local() -> bool:
    return isinstance(storages["default"], FileSystemStorage)


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path) -> str:
    """Copy one member to ``target`` in chunks; returns its SHA-256."""
    fh = tar.extractfile(member)
    if fh is None:  # members are filtered to regular files: cannot happen
        raise BackupError(_("备份中的文件缺失或路径不安全：%(name)s") % {"name": member.name})
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while block := fh.read(CHUNK):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def _unpack(archive: Path, into: Path) -> dict:
    """Unpack the manifest's files into ``into``, each checked against its SHA-256."""
    with tarfile.open(archive, "r:*") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        if "manifest.json" not in members:
            raise BackupError(_("不是连心桥的备份：缺少 manifest.json 或数据文件。"))
        fh = tar.extractfile(members["manifest.json"])
        manifest = json.loads(fh.read() if fh else b"{}")
        kind = manifest.setdefault("kind", "json")  # archives from before the native kinds
        if kind not in DATA_FILES or DATA_FILES[kind] not in manifest.get("files", {}):
            raise BackupError(_("不是连心桥的备份：缺少 manifest.json 或数据文件。"))
        for name, digest in manifest["files"].items():
            parts = Path(name).parts
            if name not in members or ".." in parts or name.startswith("/"):
                raise BackupError(_("备份中的文件缺失或路径不安全：%(name)s") % {"name": name})
            if _extract(tar, members[name], into / name) != digest:
                raise BackupError(
                    _("校验和不符：备份已损坏或被改动，未做任何恢复（%(name)s）。") % {"name": name}
                )
    return manifest


def backup_restore(*, archive: Path, database: str | None = None) -> dict[str, int]:
    """Replace the database and media with the archive's; returns the verified counts.

    ``database``: PostgreSQL only, restore into this database of the same server instead of the
    configured one (a drill, or a look at yesterday beside today).
    Rule: nothing is written before every file's checksum matches the manifest; the database
    is replaced in one step of its kind (pg_restore in one transaction, SQLite's backup API
    after the copy's own counts matched, flush + loaddata in one transaction for json) and the
    counts must equal the manifest's afterwards; media files are written only after that.
    Why: a damaged or foreign archive must leave the running database as it was.
    """
    with tempfile.TemporaryDirectory(prefix=".lianxin-restore-") as tmp:
        root = Path(tmp)
        manifest = _unpack(archive, root)
        kind, expected = manifest["kind"], manifest["counts"]
        if kind != "json" and kind != connection.vendor:
            raise BackupError(
                _(
                    "这是 %(kind)s 的备份，当前数据库是 %(vendor)s：在两种数据库之间迁移请用"
                    " “lianxin backup --format json” 的备份。"
                )
                % {"kind": kind, "vendor": connection.vendor}
            )
        if database and kind != "postgresql":
            raise BackupError(_("只有 PostgreSQL 的备份能恢复到另一个数据库。"))
        data = root / DATA_FILES[kind]
        if kind == "postgresql":
            counts = pg_restore(data, expected, database)
        elif kind == "sqlite":
            counts = sqlite_restore(data, expected)
        else:
            counts = _json_restore(data, expected)
        if database is None:  # media belong to the configured site, not to a drill's copy
            for name in manifest["files"]:
                if name.startswith("media/"):
                    _restore_media(name.removeprefix("media/"), root / name)
    return counts


def _json_restore(data: Path, expected: dict[str, int]) -> dict[str, int]:
    """Flush and loaddata in one transaction that rolls back unless every count matches."""
    with transaction.atomic():
        management.call_command("flush", interactive=False, verbosity=0)
        management.call_command("loaddata", str(data), verbosity=0)
        counts = model_counts()
        diff = count_diff(expected, counts)
        if diff:
            raise BackupError(
                _("行数与备份清单不符（表：清单行数，实际行数）：%(diff)s") % {"diff": diff}
            )
    return counts
