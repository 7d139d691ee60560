"""Photo proof for lit wishes: type, size and content checked, EXIF/GPS stripped by re-encoding."""

from __future__ import annotations

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600


def photo_clean(upload) -> ContentFile:
    """Return a fresh JPEG with no metadata, or raise ValidationError in Chinese.

    The size cap is checked before the file is read; the decoder only sees capped input.
    """
    if upload is None:
        raise ValidationError(_("请上传照片。"))
    if upload.size > settings.LIANXIN_MAX_PHOTO_BYTES:
        raise ValidationError(
            _("照片不能超过 %(mb)d MB。") % {"mb": settings.LIANXIN_MAX_PHOTO_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片。"))
        if width * height > MAX_PIXELS:
            raise ValidationError(_("照片像素过大。"))
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()
            img = ImageOps.exif_transpose(img)
            img = img.convert("RGB")
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # A new image object carries no EXIF/GPS/XMP: nothing is passed through.
            clean = Image.new("RGB", img.size)
            clean.paste(img)
            clean.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError) as exc:
        raise ValidationError(_("无法识别的图片文件。")) from exc
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
