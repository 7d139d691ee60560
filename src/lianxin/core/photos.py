"""Uploaded photos: type, size and content checked, then re-encoded so no EXIF/GPS survives.

Every module that takes photos (requests, venues, wishes …) goes through ``photo_clean``;
the stored file is served only by the module's scoped view, never by a public media URL.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
MAX_SIDE = 2000


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def photo_clean(upload, *, max_side: int = MAX_SIDE) -> CleanPhoto:
    """A fresh JPEG with pixels only, or ValidationError in Chinese.

    The byte size is checked before anything is decoded; the format is what Pillow finds in the
    content, not what the file name or browser claims.
    """
    if upload is None:
        raise ValidationError(_("请上传照片。"))
    max_bytes = settings.LIANXIN_MAX_PHOTO_BYTES
    if getattr(upload, "size", None) is None or upload.size > max_bytes:
        raise ValidationError(_("照片不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)})
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
            img = ImageOps.exif_transpose(img).convert("RGB")
            img.thumbnail((max_side, max_side))
            clean = Image.new("RGB", img.size)  # a new image carries no EXIF, GPS or XMP
            clean.paste(img)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("无法识别的图片文件。")) from exc
    finally:
        upload.seek(0)
    return CleanPhoto(ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), clean.width, clean.height)
