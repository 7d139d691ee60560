"""Media on an S3-compatible bucket (LIANXIN_S3_BUCKET; issue 16, two app servers): photos and
job results are written to the bucket, read back through the scoped views, private, and seen by
another server's storage. The bucket is moto's in-process S3 (no network, no MinIO binary)."""

from __future__ import annotations

import io
import os

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto import mock_aws
from PIL import Image
from storages.backends.s3 import S3Storage

from lianxin.cases.models import CasePhoto
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

BUCKET = "lianxin-media-test"
OPTIONS = {
    "bucket_name": BUCKET,
    "region_name": "us-east-1",
    "access_key": "testing",
    "secret_key": "testing",
    "location": "media",
    "addressing_style": "path",
    "signature_version": "s3v4",
    "default_acl": None,
    "querystring_auth": True,
    "file_overwrite": False,
}


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": OPTIONS},
        }
        yield s3
    # settings' teardown puts the file system storage back (django's storages_changed signal)


def _keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (20, 10), "blue").save(buf, format="PNG")
    return SimpleUploadedFile("p.png", buf.getvalue(), content_type="image/png")


def test_settings_choose_the_bucket_from_the_environment():
    """settings.py builds the S3 storage from LIANXIN_S3_* (read in a fresh interpreter)."""
    import subprocess
    import sys

    env = {
        **os.environ,
        "LIANXIN_S3_BUCKET": "b1",
        "LIANXIN_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; d = s.STORAGES['default'];"
            "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['endpoint_url'],"
            " d['OPTIONS']['default_acl'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["storages.backends.s3.S3Storage", "b1", "http://127.0.0.1:9000", "None"]


def test_a_case_photo_goes_to_the_bucket_and_back_through_the_scoped_view(world, login, bucket):
    case = make_case(world, photos=[_png()])
    photo = CasePhoto.objects.get(case=case)
    assert isinstance(photo.image.storage, S3Storage)
    assert f"media/{photo.image.name}" in _keys(bucket)
    stored = bucket.get_object(Bucket=BUCKET, Key=f"media/{photo.image.name}")["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (20, 10)  # cleaned, re-encoded, then stored
    url = reverse("cases:photo", args=[photo.token])
    r = login(world.users["county_admin"]).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == stored
    assert "no-store" in r["Cache-Control"]
    # outside the request's part of the tree: refused, the bucket is never a way round
    assert login(world.users["town_b"]).get(url).status_code in (403, 404)


def test_objects_are_private_and_links_are_signed(bucket):
    name = default_storage.save("private/x.txt", ContentFile(b"secret"))
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"media/{name}")["Grants"]
    assert all("AllUsers" not in str(g.get("Grantee", {})) for g in grants)
    assert "X-Amz-Signature=" in default_storage.url(name)
    # no overwrite: a second file of the same name gets a name of its own
    other = default_storage.save("private/x.txt", ContentFile(b"other"))
    assert other != name and default_storage.open(name).read() == b"secret"


def test_another_app_server_reads_what_this_one_wrote(bucket):
    """Two gunicorns, two storage objects, one bucket: a file saved by one opens on the other."""
    one, two = S3Storage(**OPTIONS), S3Storage(**OPTIONS)
    name = one.save("exports/2026-12/台账.xlsx", ContentFile(b"PK\x03\x04data"))
    assert two.exists(name) and two.open(name).read() == b"PK\x03\x04data"
    two.delete(name)
    assert not one.exists(name)


def test_a_background_export_is_downloaded_from_the_bucket(world, client, login, bucket, settings):
    from tests.venues import factories as f

    settings.LIANXIN_EXPORT_INLINE_ROWS = 0  # through the job and its stored result
    f.venue_for(world.village_a, name="桶里的阵地")
    login(world.users["county_admin"])
    response = client.get(reverse("venues:venue_export"), follow=True)
    job = response.context["job"]
    assert job.state == "done" and job.has_result
    assert f"media/{job.result.name}" in _keys(bucket)
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # the .xlsx, from the bucket


def test_backup_and_restore_carry_the_bucket_media(world, bucket, tmp_path):
    """The backup walks the bucket through the storage API; restore puts a file back by name."""
    import tarfile

    from lianxin.core.backup import _restore_media, backup_create, media_names

    case = make_case(world, photos=[_png()])
    name = CasePhoto.objects.get(case=case).image.name
    default_storage.save("deep/a/b/c.txt", ContentFile(b"nested"))
    assert {name, "deep/a/b/c.txt"} <= set(media_names(default_storage))
    before = default_storage.open(name).read()
    archive = backup_create(output_dir=tmp_path, fmt="json")
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"media/{name}").read() == before
        assert tar.extractfile("media/deep/a/b/c.txt").read() == b"nested"
        tar.extract(f"media/{name}", tmp_path / "x", filter="data")
    default_storage.delete(name)
    _restore_media(name, tmp_path / "x" / "media" / name)
    assert default_storage.open(name).read() == before
    _restore_media(name, tmp_path / "x" / "media" / name)  # over an existing file: same name
    assert default_storage.open(name).read() == before
