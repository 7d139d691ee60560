import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.core.photos import photo_clean


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "CanonCam"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 43.0, 12.0), 3: "E", 4: (104.0, 53.0, 1.0)}  # GPS IFD
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_stripped():
    raw = _jpeg_with_gps()
    assert b"CanonCam" in raw
    photo = photo_clean(SimpleUploadedFile("x.jpg", raw, content_type="image/jpeg"))
    data = photo.content.read()
    assert b"CanonCam" not in data
    with Image.open(io.BytesIO(data)) as img:
        assert not img.getexif()
        assert img.size == (64, 48)
    assert (photo.width, photo.height) == (64, 48)


def test_not_an_image_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="图片"):
        photo_clean(SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg"))


def test_gif_is_refused():
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    with pytest.raises(ValidationError, match="JPEG"):
        photo_clean(SimpleUploadedFile("x.gif", out.getvalue()))


def test_size_cap_before_decoding(settings):
    settings.LIANXIN_MAX_PHOTO_BYTES = 100
    with pytest.raises(ValidationError, match="MB"):
        photo_clean(SimpleUploadedFile("x.jpg", b"\xff" * 101))


def test_large_photo_is_scaled_down():
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), "blue").save(out, format="PNG")
    photo = photo_clean(SimpleUploadedFile("x.png", out.getvalue()))
    assert (photo.width, photo.height) == (2000, 500)
