"""lianxin backup / restore: the kind of the database in use (SQLite's online backup here,
pg_dump on PostgreSQL: tests/core/test_backup_pg.py) and the portable json kind."""

import hashlib
import io
import json
import sqlite3
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from lianxin.audit.models import AuditEvent
from lianxin.core.backup import BackupError, backup_create, backup_restore
from lianxin.core.backup_native import table_counts
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backup API")


def _manifest(archive):
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def _rewrite(archive, out, change):
    """Copy ``archive`` to ``out`` with ``change(name, data) -> data`` applied to each member."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


def _photo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "photos" / "a.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    return photo


@on_sqlite
def test_sqlite_online_backup_round_trip(world, tmp_path, settings):
    photo = _photo(settings, tmp_path)
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    archive = backup_create(output_dir=tmp_path / "backups")
    manifest = _manifest(archive)
    assert manifest["kind"] == "sqlite"
    assert set(manifest["files"]) == {"database.sqlite3", "media/photos/a.jpg"}
    assert manifest["counts"] == before
    assert manifest["counts"]["people.person"] == Person.objects.count() > 0

    Person.objects.filter(pk=world.persons["a"].pk).update(name="改坏了")
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    photo.unlink()

    counts = backup_restore(archive=archive)
    assert counts == before
    assert Person.objects.get(pk=world.persons["a"].pk).name == "甲金丝雀"
    assert Person.objects.filter(pk=world.persons["b"].pk).exists()
    assert photo.read_bytes() == b"\xff\xd8fake-jpeg"


def test_json_round_trip(world, tmp_path, settings):
    photo = _photo(settings, tmp_path)
    archive = backup_create(output_dir=tmp_path / "backups", fmt="json")
    assert _manifest(archive)["kind"] == "json"
    Person.objects.filter(pk=world.persons["a"].pk).update(name="改坏了")
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    photo.unlink()

    backup_restore(archive=archive)
    assert Person.objects.get(pk=world.persons["a"].pk).name == "甲金丝雀"
    assert Person.objects.filter(pk=world.persons["b"].pk).exists()
    assert photo.read_bytes() == b"\xff\xd8fake-jpeg"


def _flip(name, data):
    if name == "data.json":
        return data.replace("甲金丝雀".encode(), "乙金丝雀".encode())
    if name == "database.sqlite3":
        return data[:-1] + bytes([data[-1] ^ 1])
    return data


@pytest.mark.parametrize("fmt", ["native", "json"])
def test_tampered_archive_is_refused(world, tmp_path, settings, fmt):
    if fmt == "native" and connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL kind: tests/core/test_backup_pg.py")
    photo = _photo(settings, tmp_path)
    archive = backup_create(output_dir=tmp_path, fmt=fmt)
    photo.write_bytes(b"today's photo")
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    bad = _rewrite(archive, tmp_path / "bad.tar.gz", _flip)
    with pytest.raises(BackupError, match="校验和不符"):
        backup_restore(archive=bad)
    assert Person.objects.filter(name="甲金丝雀").exists()
    assert not Person.objects.filter(pk=world.persons["b"].pk).exists()  # nothing restored
    assert photo.read_bytes() == b"today's photo"


@on_sqlite
def test_copy_with_other_counts_than_its_manifest_is_refused_before_writing(
    world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup_create(output_dir=tmp_path)

    def more_people(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["counts"]["people.person"] += 1
        return json.dumps(manifest).encode()

    bad = _rewrite(archive, tmp_path / "bad.tar.gz", more_people)
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    with pytest.raises(BackupError, match="行数与备份清单不符.*people.person"):
        backup_restore(archive=bad)
    assert not Person.objects.filter(pk=world.persons["b"].pk).exists()


@on_sqlite
def test_damaged_copy_fails_its_integrity_check(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup_create(output_dir=tmp_path)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    body = other.read_bytes()[:-10] + b"\0" * 10

    def swap(name, data):
        if name == "database.sqlite3":
            return body
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["files"]["database.sqlite3"] = hashlib.sha256(body).hexdigest()
            return json.dumps(manifest).encode()
        return data

    bad = _rewrite(archive, tmp_path / "bad.tar.gz", swap)
    with pytest.raises(BackupError):
        backup_restore(archive=bad)
    assert Person.objects.filter(name="甲金丝雀").exists()


@on_sqlite
def test_archive_of_the_other_database_is_refused(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup_create(output_dir=tmp_path)

    with tarfile.open(archive) as src, tarfile.open(tmp_path / "pg.tar.gz", "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "database.sqlite3":
                member.name, data = "database.dump", b"PGDMP"
            elif member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["kind"] = "postgresql"
                manifest["files"] = {"database.dump": hashlib.sha256(b"PGDMP").hexdigest()}
                data = json.dumps(manifest).encode()
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="--format json"):
        backup_restore(archive=tmp_path / "pg.tar.gz")


@on_sqlite
def test_a_backup_inside_a_transaction_is_refused_not_stuck(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with transaction.atomic(), pytest.raises(BackupError, match="事务"):
        Person.objects.filter(pk=world.persons["a"].pk).update(name="未提交")
        backup_create(output_dir=tmp_path)


def test_not_a_backup_is_refused(tmp_path):
    with tarfile.open(tmp_path / "x.tar.gz", "w:gz") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(BackupError, match="不是连心桥的备份"):
        backup_restore(archive=tmp_path / "x.tar.gz")


def test_commands_back_up_and_restore_with_audit_rows(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    archive = out.getvalue().strip()
    assert AuditEvent.objects.filter(action="export", actor_name="lianxin backup").exists()
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    if connection.vendor == "postgresql":
        return  # a restore into the test database itself: test_backup_pg.py restores aside
    call_command("restore", archive, yes=True, stdout=io.StringIO())
    assert Person.objects.filter(pk=world.persons["b"].pk).exists()
    # the restore replaced the audit table too (the backup's own row came after its snapshot);
    # the restore's row is written after it
    assert AuditEvent.objects.filter(action="import", actor_name="lianxin restore").exists()
    assert not AuditEvent.objects.filter(action="export", actor_name="lianxin backup").exists()


def test_restore_command_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.tar.gz"))
