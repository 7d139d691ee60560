import tarfile

import pytest
from django.core.management import CommandError, call_command

from lianxin.core.backup import BackupError, backup_create, backup_restore, model_counts
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db(transaction=True)


def test_backup_round_trip(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = settings.MEDIA_ROOT / "photos" / "a.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\xff\xd8fake-jpeg")
    before = model_counts()
    archive = backup_create(output_dir=tmp_path / "backups")

    Person.objects.filter(pk=world.persons["a"].pk).update(name="改坏了")
    Person.objects.filter(pk=world.persons["b"].pk).delete()
    photo.unlink()

    counts = backup_restore(archive=archive)
    assert counts == before
    assert Person.objects.get(pk=world.persons["a"].pk).name == "甲金丝雀"
    assert Person.objects.filter(pk=world.persons["b"].pk).exists()
    assert photo.read_bytes() == b"\xff\xd8fake-jpeg"


def test_tampered_archive_is_refused(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = backup_create(output_dir=tmp_path)
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(bad, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data.json":
                data = data.replace("甲金丝雀".encode(), "乙金丝雀".encode())
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="checksum"):
        backup_restore(archive=bad)
    assert Person.objects.filter(name="甲金丝雀").exists()


def test_restore_command_needs_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.tar.gz"))
