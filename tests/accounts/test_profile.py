import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


def _jpeg():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    Image.new("RGB", (1200, 900), "green").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_staff_uploads_a_clean_photo(world, client, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(world.users["village_a"])
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "东关社区" in page
    response = client.post(
        reverse("accounts:profile"), {"photo": SimpleUploadedFile("me.jpg", _jpeg(), "image/jpeg")}
    )
    assert response.status_code == 302
    user = world.users["village_a"]
    user.refresh_from_db()
    data = user.photo.read()
    assert b"SecretCam" not in data
    assert Image.open(io.BytesIO(data)).size == (800, 600)
    served = client.get(reverse("accounts:profile_photo"))
    assert served.status_code == 200 and served["Cache-Control"] == "no-store"


def test_bad_upload_is_refused_in_chinese(world, client, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    login(world.users["village_a"])
    response = client.post(
        reverse("accounts:profile"), {"photo": SimpleUploadedFile("me.jpg", b"not an image")}
    )
    assert response.status_code == 422
    assert "无法识别" in response.content.decode()
