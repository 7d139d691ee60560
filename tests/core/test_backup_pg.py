"""lianxin backup on PostgreSQL: pg_dump --format=custom, restored by pg_restore into a scratch
database created here (never into the test database the rest of the suite uses)."""

import io
import json
import tarfile

import pytest
from django.db import connection

from lianxin.core import backup_native
from lianxin.core.backup import BackupError, backup_create, backup_restore
from lianxin.core.backup_native import pg_env, table_counts
from lianxin.people.models import Person


def test_libpq_environment_carries_the_password_not_the_command_line(monkeypatch, tmp_path):
    env = pg_env(
        {"NAME": "lx", "USER": "u", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5433, "OPTIONS": {}}
    )
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db",
        "5433",
        "u",
        "lx",
    )
    assert env["PGPASSWORD"] == "s3cret"
    seen = []

    class Done:
        returncode, stderr = 0, ""

    monkeypatch.setattr(backup_native.shutil, "which", lambda tool: "/usr/bin/" + tool)
    monkeypatch.setattr(
        backup_native.subprocess, "run", lambda args, **kw: seen.append((args, kw["env"])) or Done
    )
    backup_native._run(["pg_restore", "--dbname=lx", str(tmp_path / "x.dump")], env)
    args, passed = seen[0]
    assert "s3cret" not in " ".join(args) and passed["PGPASSWORD"] == "s3cret"


def test_missing_client_tools_are_named(monkeypatch):
    monkeypatch.setattr(backup_native.shutil, "which", lambda tool: None)
    with pytest.raises(BackupError, match="postgresql-client"):
        backup_native._run(["pg_dump"], {})


@pytest.fixture
def scratch_db():
    name = f"{connection.settings_dict['NAME']}_restore_scratch"[:63]
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL")
def test_pg_dump_round_trip_into_a_scratch_database(world, tmp_path, settings, scratch_db):
    settings.MEDIA_ROOT = tmp_path / "media"
    with connection.cursor() as cursor:
        before = table_counts(cursor)
    archive = backup_create(output_dir=tmp_path / "backups")
    assert archive.name.endswith(".tar")
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert tar.extractfile("database.dump").read(5) == b"PGDMP"
    assert manifest["kind"] == "postgresql" and manifest["counts"] == before
    assert before["people.person"] == Person.objects.count() > 0

    Person.objects.filter(pk=world.persons["b"].pk).delete()  # the test database moves on
    counts = backup_restore(archive=archive, database=scratch_db)
    assert counts == before
    again = backup_restore(archive=archive, database=scratch_db)  # --clean over its own tables
    assert again == before
    assert Person.objects.count() == before["people.person"] - 1  # the test database untouched

    manifest["counts"]["people.person"] += 1
    bad = tmp_path / "bad.tar"
    with tarfile.open(archive) as src, tarfile.open(bad, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="行数与备份清单不符"):
        backup_restore(archive=bad, database=scratch_db)
