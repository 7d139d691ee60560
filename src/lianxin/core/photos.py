"""Uploaded photos: type, size and content checked, then re-encoded so no EXIF/GPS survives.

Every module that takes photos (requests, venues, wishes …) goes through ``photo_clean``;
the stored file is served only by the module's scoped view, never by a public media URL.

Resource limits, in the order they are applied (a worker's memory is what is protected: a
115 KB PNG can declare 40 million pixels and cost hundreds of MB once decoded):

1. the byte size (``LIANXIN_MAX_PHOTO_BYTES``), before anything is parsed;
2. the pixel count read from the header, times the number of frames of an animated image
   (``LIANXIN_MAX_PHOTO_PIXELS``, default 25 Mpx), before any pixel is decoded. WebP is sized
   from its first 30 bytes because Pillow's WebP reader allocates the canvas when it opens;
   JPEG and PNG are opened lazily and sized before ``load()``. ``Image.MAX_IMAGE_PIXELS`` is set
   to the same cap, so Pillow itself refuses (anywhere in the process) what is twice as big;
3. only the first frame is decoded, JPEGs at a reduced DCT scale (``draft``), and the image is
   shrunk to ``max_side`` before it is rotated, converted or copied, so the full-size bitmap
   exists once, briefly.

A header that lies about the data can claim no more memory than the header's own size, which is
checked first: pixel data cut short or corrupt fails to decode and is refused as unreadable (a
stream that ends cleanly but early decodes with the missing rows black, as Pillow does).
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

# MPO is how Pillow names a JPEG carrying a second picture (phones' depth maps, previews).
ALLOWED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
MAX_SIDE = 2000
# Modes that can be shrunk as they are; others (palette, 16-bit …) are converted first.
RESIZABLE_MODES = {"RGB", "RGBA", "L", "LA", "CMYK"}


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def max_pixels() -> int:
    """The pixel cap, from settings; also handed to Pillow so the two never disagree."""
    cap = int(settings.LIANXIN_MAX_PHOTO_PIXELS)
    Image.MAX_IMAGE_PIXELS = cap
    return cap


def _too_many_pixels(cap: int) -> ValidationError:
    return ValidationError(
        _("照片像素过大（不能超过 %(n)d 万像素），请缩小后再上传。") % {"n": cap // 10_000}
    )


def webp_size(head: bytes) -> tuple[int, int] | None:
    """Canvas size of a WebP from its first 30 bytes (VP8X, lossless VP8L or lossy VP8)."""
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    kind = head[12:16]
    if kind == b"VP8X":
        w = int.from_bytes(head[24:27], "little") + 1
        h = int.from_bytes(head[27:30], "little") + 1
        return w, h
    if kind == b"VP8L" and head[20] == 0x2F:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    return None


def _cap_for(fmt: str, cap: int) -> int:
    """WebP counts double: Pillow decodes it through libwebp's animation decoder, which holds
    two full canvases besides Pillow's own copy (25 Mpx measured 387 MB, a PNG 137 MB)."""
    return cap // 2 if fmt == "WEBP" else cap


def _probe(upload, cap: int) -> tuple[str, int, int]:
    """Format and header size, refusing too many pixels before a single one is decoded."""
    upload.seek(0)
    declared = webp_size(upload.read(30))
    if declared is not None and declared[0] * declared[1] > _cap_for("WEBP", cap):
        raise _too_many_pixels(_cap_for("WEBP", cap))
    upload.seek(0)
    with Image.open(upload) as probe:
        fmt = probe.format
        width, height = probe.size
        frames = max(1, int(getattr(probe, "n_frames", 1) or 1))
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(_("只接受 JPEG、PNG 或 WebP 格式的照片。"))
        if width * height * frames > _cap_for(fmt, cap):
            raise _too_many_pixels(_cap_for(fmt, cap))
        probe.verify()
    return fmt, width, height


# EXIF orientation -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _shrink(img: Image.Image, max_side: int) -> Image.Image:
    """A copy no larger than ``max_side``, alpha dropped (as ``convert("RGB")`` would). An image
    with alpha is shrunk band by band: resizing RGBA would first make a premultiplied full-size
    copy, doubling the peak."""
    if img.mode in ("RGBA", "LA"):
        parts = []
        for band in img.getbands()[:-1]:
            part = img.getchannel(band)
            part.thumbnail((max_side, max_side))
            parts.append(part)
        return Image.merge("RGB" if len(parts) == 3 else "L", parts)
    if img.mode not in RESIZABLE_MODES:
        img = img.convert("RGB")
    img.thumbnail((max_side, max_side))
    return img.copy()  # small now; the opened image is closed (and its pixels freed) after this


def _decode_small(upload, *, fmt: str, size: tuple[int, int], max_side: int) -> Image.Image:
    """The first frame, upright, RGB, no larger than ``max_side``: shrunk before anything else."""
    upload.seek(0)
    with Image.open(upload) as img:
        if img.size != size:  # the same bytes read twice must say the same thing
            raise ValidationError(_("无法识别的图片文件。"))
        if fmt in ("JPEG", "MPO"):
            # decode at 1/2, 1/4 or 1/8 scale while still at least the size the photo is kept at
            longest = max(size)
            if longest > max_side:
                img.draft(
                    None,
                    (max(1, size[0] * max_side // longest), max(1, size[1] * max_side // longest)),
                )
        # never trust the process-wide switch (a library may have turned it on): cut-off or
        # corrupt pixel data is refused, not padded with grey
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        img.load()
        orientation = img.getexif().get(0x0112)
        small = _shrink(img, max_side)
    if orientation in ORIENTATION:
        small = small.transpose(ORIENTATION[orientation])
    clean = Image.new("RGB", small.size)  # a new image carries no EXIF, GPS or XMP
    clean.paste(small.convert("RGB") if small.mode != "RGB" else small)
    return clean


def photo_clean(upload, *, max_side: int = MAX_SIDE) -> CleanPhoto:
    """A fresh JPEG with pixels only, or ValidationError in Chinese.

    The byte size and then the pixel count (header, all frames) are checked before anything is
    decoded; the format is what Pillow finds in the content, not what the file name or browser
    claims.
    """
    if upload is None:
        raise ValidationError(_("请上传照片。"))
    max_bytes = settings.LIANXIN_MAX_PHOTO_BYTES
    if getattr(upload, "size", None) is None or upload.size > max_bytes:
        raise ValidationError(_("照片不能超过 %(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)})
    cap = max_pixels()
    try:
        fmt, width, height = _probe(upload, cap)
        clean = _decode_small(upload, fmt=fmt, size=(width, height), max_side=max_side)
        out = io.BytesIO()
        clean.save(out, format="JPEG", quality=85, optimize=True)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(cap) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ValidationError(_("无法识别的图片文件。")) from exc
    finally:
        upload.seek(0)
    return CleanPhoto(
        ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), clean.width, clean.height
    )
