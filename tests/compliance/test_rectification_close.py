"""销号 of a rectification task needs its after-photo (整改后照片), cleaned by core.photos;
a refusal loses nothing the clerk sent. And the venue photo form lets nothing but photo_clean
open an upload (an over-cap image is refused with the pixel message)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lianxin.audit.models import AuditEvent
from lianxin.compliance import rectification, services
from lianxin.venues import services as venue_services
from lianxin.venues.models import VenuePhoto
from lianxin.venues.services import archive as venue_archive_services
from tests.compliance import factories as c
from tests.venues import factories as f

NEEDS_PHOTO = "销号前请上传整改后照片。"
TOO_MANY = "照片像素过大"
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _jpeg(name: str = "after.jpg") -> SimpleUploadedFile:
    img = Image.new("RGB", (40, 30), "green")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make: must not survive
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _huge_png(width: int = 10_000, height: int = 6_000) -> SimpleUploadedFile:
    """60 Mpx declared in a header of a few bytes: over the 25 Mpx cap, and over twice it (where
    Pillow's own bomb check fires inside Image.open, which a form ImageField would call)."""
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("huge.png", data, content_type="image/png")


def _task(world):
    return c.inspection_for(world, f.venue_a(world)).tasks.get()


# --- the service ------------------------------------------------------------------------------


def test_closing_without_after_photo_is_refused_and_changes_nothing(world):
    task = _task(world)
    with pytest.raises(ValidationError) as exc:
        services.task_close(actor=world.users["village_a"], task=task, note="已安排专人保洁")
    assert exc.value.message_dict == {"photo": [NEEDS_PHOTO]}
    task.refresh_from_db()
    assert task.closed_on is None and task.closing_note == ""
    assert not AuditEvent.objects.filter(
        target_type="compliance.rectificationtask", reason="closed"
    ).exists()


def test_missing_note_and_photo_are_both_reported(world):
    task = _task(world)
    with pytest.raises(ValidationError) as exc:
        services.task_close(actor=world.users["village_a"], task=task, note="")
    assert set(exc.value.message_dict) == {"note", "photo"}


def test_closing_with_after_photo_succeeds_cleaned_and_audited(world):
    task = _task(world)
    clerk = world.users["village_a"]
    rectification.task_close_with_photo(
        actor=clerk, task=task, note="已安排专人保洁", upload=_jpeg()
    )
    task.refresh_from_db()
    assert (
        task.closed_on is not None
        and task.closed_by == clerk
        and task.closing_note == "已安排专人保洁"
    )
    photo = VenuePhoto.objects.get(task=task)
    assert photo.kind == "after" and photo.venue_id == task.venue_id and photo.uploaded_by == clerk
    stored = photo.image.read()
    assert b"CanaryCam" not in stored and photo.image.name.endswith(".jpg")
    added = AuditEvent.objects.get(target_type="venues.venuephoto", target_id=str(photo.pk))
    assert (
        added.reason == "task_after_photo"
        and added.extra == {"task": task.pk}
        and added.actor == clerk
    )
    closed = AuditEvent.objects.get(
        target_type="compliance.rectificationtask", target_id=str(task.pk), reason="closed"
    )
    assert closed.actor == clerk


def test_after_photo_of_another_scope_is_refused(world):
    from django.core.exceptions import PermissionDenied

    task = _task(world)
    with pytest.raises(PermissionDenied):
        rectification.task_photo_add(actor=world.users["village_b"], task=task, upload=_jpeg())
    assert not VenuePhoto.objects.filter(task=task).exists()


def test_signage_task_accepts_the_checks_after_photo_taken_since_it_opened(world):
    venue = f.venue_a(world)
    check = c.signage_check_for(world, venue)
    first, second = list(check.tasks.all())
    clerk = world.users["village_a"]
    venue_services.photo_add(
        actor=clerk, venue=venue, upload=_jpeg(), kind="before", signage_check=check
    )
    with pytest.raises(ValidationError, match=NEEDS_PHOTO):  # a before-photo is not an after-photo
        services.task_close(actor=clerk, task=first, note="已补挂")
    venue_services.photo_add(
        actor=clerk, venue=venue, upload=_jpeg(), kind="after", signage_check=check
    )
    services.task_close(actor=clerk, task=first, note="已补挂")
    services.task_close(actor=clerk, task=second, note="已撤除")
    check.refresh_from_db()
    assert check.status == "rectified"


# --- the screens ------------------------------------------------------------------------------


def test_close_form_without_photo_is_refused_in_chinese_keeping_the_note(world, client, login):
    task = _task(world)
    login(world.users["village_a"])
    url = reverse("compliance:task_close", args=[task.pk])
    r = client.post(
        url, {"note": "已安排专人保洁", "next": f"/venues/inspections/{task.inspection_id}/"}
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert NEEDS_PHOTO in body
    assert 'value="已安排专人保洁"' in body  # what was typed is still there
    assert f'value="/venues/inspections/{task.inspection_id}/"' in body  # and where to go back
    task.refresh_from_db()
    assert task.closed_on is None


def test_a_good_photo_is_kept_when_the_note_is_missing(world, client, login):
    task = _task(world)
    login(world.users["village_a"])
    url = reverse("compliance:task_close", args=[task.pk])
    r = client.post(url, {"note": "", "photo": _jpeg()})
    assert r.status_code == 422
    body = r.content.decode()
    assert "请填写整改情况" in body and NEEDS_PHOTO not in body
    photo = VenuePhoto.objects.get(task=task)
    assert reverse("venues:photo_file", args=[photo.pk]) in body  # shown on the page
    r = client.post(url, {"note": "已安排专人保洁"})  # only what was missing
    assert r.status_code == 302 and r["Location"] == reverse("compliance:task_list")
    task.refresh_from_db()
    assert task.closed_on is not None


def test_close_form_with_photo_closes_and_returns(world, client, login):
    task = _task(world)
    login(world.users["village_a"])
    back = f"/venues/inspections/{task.inspection_id}/"
    r = client.post(
        reverse("compliance:task_close", args=[task.pk]),
        {"note": "已安排专人保洁", "photo": _jpeg(), "next": back},
    )
    assert r.status_code == 302 and r["Location"] == back
    task.refresh_from_db()
    assert (
        task.closed_on is not None
        and VenuePhoto.objects.filter(task=task, kind="after").count() == 1
    )
    page = client.get(reverse("compliance:task_close", args=[task.pk])).content.decode()
    assert "已安排专人保洁" in page and "task-close-page-form" not in page


def test_close_form_refuses_an_over_cap_photo(world, client, login):
    task = _task(world)
    login(world.users["village_a"])
    r = client.post(
        reverse("compliance:task_close", args=[task.pk]),
        {"note": "已安排专人保洁", "photo": _huge_png()},
    )
    assert r.status_code == 422 and TOO_MANY in r.content.decode()
    task.refresh_from_db()
    assert task.closed_on is None and not VenuePhoto.objects.exists()


def test_task_pages_offer_the_photo_with_the_close(world, client, login):
    task = _task(world)
    login(world.users["village_a"])
    for url in (
        reverse("compliance:task_list"),
        reverse("compliance:inspection_detail", args=[task.inspection_id]),
    ):
        body = client.get(url).content.decode()
        assert 'enctype="multipart/form-data"' in body and 'name="photo"' in body, url


def test_close_page_of_another_scope_is_404(world, client, login):
    task = _task(world)
    login(world.users["village_b"])
    assert client.get(reverse("compliance:task_close", args=[task.pk])).status_code == 404
    assert (
        client.post(
            reverse("compliance:task_close", args=[task.pk]), {"note": "x", "photo": _jpeg()}
        ).status_code
        == 404
    )
    assert not VenuePhoto.objects.exists()


# --- the venue photo form -----------------------------------------------------------------------


def test_venue_photo_form_refuses_an_over_cap_image_with_the_pixel_message(
    world, client, login, monkeypatch
):
    """The form must not let Pillow open the upload (ImageField did, before the pixel cap): the
    refusal is photo_clean's, in Chinese, and nothing is stored."""
    import PIL.Image

    from lianxin.core import photos

    opened_outside_photo_clean = []
    real_open, real_clean = PIL.Image.open, photos.photo_clean
    inside = []

    def spy_open(*args, **kwargs):
        if not inside:
            opened_outside_photo_clean.append(args)
        return real_open(*args, **kwargs)

    def spy_clean(*args, **kwargs):
        inside.append(1)
        try:
            return real_clean(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(PIL.Image, "open", spy_open)
    monkeypatch.setattr(venue_archive_services, "photo_clean", spy_clean)
    venue = f.venue_a(world)
    login(world.users["village_a"])
    r = client.post(
        reverse("venues:photo_upload", args=[venue.pk]),
        {"image": _huge_png(), "kind": "exterior", "caption": "外景"},
        follow=True,
    )
    assert TOO_MANY in r.content.decode()
    assert not VenuePhoto.objects.exists()
    assert opened_outside_photo_clean == []
