"""The pixel cap: a photo declaring too many pixels (all frames counted) is refused before decoding."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile

from lianxin.core.photos import photo_clean, webp_size

TOO_MANY = "像素过大"
# Between the cap and twice the cap Pillow warns when opening; photo_clean refuses those itself.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def solid_png(width: int, height: int, *, idat: bytes | None = None) -> bytes:
    """A grey PNG built row by row (never a full bitmap in memory): 40 Mpx fit in ~40 KB."""
    if idat is None:
        comp = zlib.compressobj(9)
        row = b"\x00" + b"\x80" * width
        idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _upload(data: bytes, name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel gets decoded."""

    def boom(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", boom)


def test_39_7_mpx_png_is_refused_before_decoding(no_decoding):
    data = solid_png(7300, 5440)  # 39.7 Mpx, as reported
    assert len(data) < 200_000
    with pytest.raises(ValidationError, match=TOO_MANY) as exc:
        photo_clean(_upload(data))
    assert "2500 万像素" in exc.value.messages[0]


def test_24_mpx_png_is_accepted_and_kept_small():
    photo = photo_clean(_upload(solid_png(6000, 4000)))
    assert (photo.width, photo.height) == (2000, 1333)


def test_cap_is_a_setting_and_pillow_uses_the_same(settings, no_decoding):
    settings.LIANXIN_MAX_PHOTO_PIXELS = 1_000_000
    with pytest.raises(ValidationError, match="100 万像素"):
        photo_clean(_upload(solid_png(1001, 1000)))
    assert Image.MAX_IMAGE_PIXELS == 1_000_000
    # Beyond twice the cap Pillow itself refuses when opening: the same message, not "unreadable".
    with pytest.raises(ValidationError, match=TOO_MANY):
        photo_clean(_upload(solid_png(3000, 1000)))


def _frames(fmt: str, n: int, side: int) -> bytes:
    frames = [Image.new("RGB", (side, side), c) for c in ("red", "green", "blue", "white")[:n]]
    out = io.BytesIO()
    frames[0].save(out, format=fmt, save_all=n > 1, append_images=frames[1:], lossless=True)
    return out.getvalue()


def test_animated_png_counts_every_frame(settings):
    settings.LIANXIN_MAX_PHOTO_PIXELS = 100_000
    with pytest.raises(ValidationError, match=TOO_MANY):
        photo_clean(_upload(_frames("PNG", 3, 200)))  # 3 x 40 000 px
    assert photo_clean(_upload(_frames("PNG", 2, 200))).width == 200  # 80 000 px: first frame kept


def test_animated_webp_counts_every_frame_and_webp_counts_double(settings):
    settings.LIANXIN_MAX_PHOTO_PIXELS = 100_000  # 50 000 for WebP (its decoder holds two canvases)
    with pytest.raises(ValidationError, match="5 万像素"):
        photo_clean(_upload(_frames("WEBP", 3, 150), "a.webp"))  # 3 x 22 500 px
    assert photo_clean(_upload(_frames("WEBP", 2, 150), "a.webp")).width == 150


def test_webp_is_sized_from_its_header_before_pillow_opens_it(monkeypatch):
    # VP8X declaring an 8000 x 6000 canvas in 38 bytes: Pillow's reader would allocate it on open.
    vp8x = (
        b"VP8X"
        + struct.pack("<I", 10)
        + b"\x00" * 4
        + (7999).to_bytes(3, "little")
        + (5999).to_bytes(3, "little")
    )
    data = b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x
    assert webp_size(data) == (8000, 6000)

    def boom(*args, **kwargs):
        raise AssertionError("Image.open was called")

    monkeypatch.setattr(Image, "open", boom)
    with pytest.raises(ValidationError, match=TOO_MANY):
        photo_clean(_upload(data, "x.webp"))


@pytest.mark.parametrize(
    "options", [{"lossless": True}, {"quality": 50}, {"quality": 50, "exif": b"Exif\x00\x00"}]
)
def test_webp_header_size_matches_pillow(options):
    out = io.BytesIO()
    Image.new("RGB", (321, 123), "red").save(out, format="WEBP", **options)
    assert webp_size(out.getvalue()[:30]) == (321, 123)


@pytest.mark.parametrize(
    "data",
    [
        solid_png(4000, 3000)[:8000],  # declares 12 Mpx, the pixel data cut off half-way
        solid_png(4000, 3000, idat=bytes(range(256)) * 4),  # declares 12 Mpx, carries noise
    ],
    ids=["truncated", "garbage"],
)
def test_header_that_lies_about_the_data_is_refused_as_unreadable(data):
    with pytest.raises(ValidationError, match="无法识别"):
        photo_clean(_upload(data))


# --- the public request form (cases) -----------------------------------------------------------


def _intake(world, **kw):
    from tests.cases.factories import category

    data = {
        "form_token": "px-1",
        "category": category().pk,
        "title": "小区路灯不亮",
        "description": "东关小区门口路灯坏了三天，晚上很黑。",
        "village": world.village_a.pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "王大妈",
        "reporter_phone": "13912345678",
        "address": "东关小区北门",
    }
    data.update(kw)
    return data


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_public_intake_refuses_a_39_7_mpx_png_in_chinese(
    client, world, settings, tmp_path, fresh_cache
):
    from lianxin.cases.models import Case

    settings.MEDIA_ROOT = tmp_path
    r = client.post(
        reverse("cases:intake"), {**_intake(world), "photo": _upload(solid_png(7300, 5440))}
    )
    assert r.status_code == 422
    body = r.content.decode()
    assert "照片像素过大" in body and "东关小区门口路灯坏了三天" in body  # typed input kept
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_public_intake_accepts_a_24_mpx_png(client, world, settings, tmp_path, fresh_cache):
    from lianxin.cases.models import CasePhoto

    settings.MEDIA_ROOT = tmp_path
    r = client.post(
        reverse("cases:intake"), {**_intake(world), "photo": _upload(solid_png(6000, 4000))}
    )
    assert r.status_code == 302
    photo = CasePhoto.objects.get()
    assert (photo.width, photo.height) == (2000, 1333)


def test_pillow_limit_follows_the_setting_from_start_up():
    import subprocess
    import sys

    code = "import django; django.setup(); from PIL import Image; print(Image.MAX_IMAGE_PIXELS)"
    env = {
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
        "LIANXIN_MAX_PHOTO_PIXELS": "1234567",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "1234567"


def test_cut_off_photo_is_refused_even_when_a_library_turned_truncated_loading_on(monkeypatch):
    # WeasyPrint sets this process-wide when imported; a worker that built a PDF must still refuse
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ValidationError, match="无法识别"):
        photo_clean(_upload(solid_png(4000, 3000, idat=bytes(range(256)) * 4)))
