"""Services of 阵地规范化 (moved from tests/venues/test_services.py with their code)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.compliance import services
from tests.compliance import factories as c
from tests.venues import factories as f

pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (40, 30), "blue")
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 43.0, 12.0)}  # GPS IFD
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def test_inspection_photos_are_cleaned_too(world):
    cl = c.checklist()
    inspection = services.inspection_record(
        actor=world.users["town_a"],
        venue=f.venue_a(world),
        checklist=cl,
        scores={i.pk: (i.max_score, "") for i in cl.items.all()},
        photos=[SimpleUploadedFile("site-gps.jpg", _jpeg_with_gps(), content_type="image/jpeg")],
    )
    photo = inspection.photos.get()
    stored = photo.image.read()
    assert photo.kind == "inspection" and b"CanaryCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    with pytest.raises(ValidationError):
        services.inspection_record(
            actor=world.users["town_a"],
            venue=f.venue_a(world),
            checklist=cl,
            scores={i.pk: (i.max_score, "") for i in cl.items.all()},
            photos=[SimpleUploadedFile("x.jpg", b"not an image")],
        )
