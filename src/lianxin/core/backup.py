"""Backup and restore of the database and media, checked by row counts and checksums.

The archive holds ``data.json`` (Django's serialisation, so a SQLite backup restores into
PostgreSQL and back), the media files, and ``manifest.json`` with the row count of every model
and the SHA-256 of every file. Restore refuses an archive whose checksums do not match and
verifies the counts after loading.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management
from django.db import transaction

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def model_counts() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if any(label == e or label.split(".")[0] == e for e in EXCLUDE):
            continue
        counts[label] = model._base_manager.count()
    return counts


def backup_create(*, output_dir: Path) -> Path:
    """Write a backup archive into ``output_dir``; returns its path.

    Rule: the data and the row counts come from one transaction (one consistent snapshot) and
    every file's SHA-256 goes into the manifest. Why: a backup is only worth what its restore
    can prove; a restore checks the archive against the checksums and the database against the
    counts, which a snapshot taken in pieces could never match.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
    path = output_dir / f"lianxin-backup-{stamp}.tar.gz"
    buf = io.StringIO()
    with transaction.atomic():  # one consistent snapshot
        management.call_command("dumpdata", exclude=EXCLUDE, stdout=buf, verbosity=0)
        counts = model_counts()
    data = buf.getvalue().encode("utf-8")
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    files = {"data.json": _sha256(data)}
    manifest = {"created_at": stamp, "counts": counts, "files": files}
    with tarfile.open(path, "w:gz") as tar:
        for media in media_files:
            rel = "media/" + media.relative_to(media_root).as_posix()
            content = media.read_bytes()
            files[rel] = _sha256(content)
            _add(tar, rel, content)
        _add(tar, "data.json", data)
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return path


def _add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))


def _read(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    fh = tar.extractfile(member)
    if fh is None:  # not a regular file (members are filtered to files: cannot happen)
        raise BackupError(f"not a file in archive: {member.name}")
    return fh.read()


def backup_restore(*, archive: Path) -> dict[str, int]:
    """Replace the database and media with the archive's; returns the verified counts.

    Rule: nothing is written before every file's checksum matches the manifest, and the flush
    and load are one transaction that rolls back unless every model's row count equals the
    manifest's; media files are written only after that. Why: a damaged or foreign archive
    must leave the running database as it was, not half replaced.
    """
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        if "manifest.json" not in members or "data.json" not in members:
            raise BackupError("not a Lianxin backup: manifest.json or data.json missing")
        manifest = json.loads(_read(tar, members["manifest.json"]))
        contents = {}
        for name, digest in manifest["files"].items():
            if name not in members or ".." in Path(name).parts or name.startswith("/"):
                raise BackupError(f"bad or missing file in archive: {name}")
            content = _read(tar, members[name])
            if _sha256(content) != digest:
                raise BackupError(f"checksum mismatch: {name}")
            contents[name] = content
    fixture = Path(settings.MEDIA_ROOT).parent / ".restore-data.json"
    fixture.parent.mkdir(parents=True, exist_ok=True)
    fixture.write_bytes(contents.pop("data.json"))
    try:
        with transaction.atomic():
            management.call_command("flush", interactive=False, verbosity=0)
            management.call_command("loaddata", str(fixture), verbosity=0)
            counts = model_counts()
            if counts != manifest["counts"]:
                diff = {
                    k: (manifest["counts"].get(k), counts.get(k))
                    for k in set(counts) | set(manifest["counts"])
                    if counts.get(k) != manifest["counts"].get(k)
                }
                raise BackupError(f"row counts differ after restore: {diff}")
    finally:
        fixture.unlink(missing_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    for name, content in contents.items():
        target = media_root / name.removeprefix("media/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return counts
