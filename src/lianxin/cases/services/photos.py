"""Photos of a request: cleaned (re-encoded, size-capped) before anything is stored."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from lianxin.cases.models import Case, CasePhoto
from lianxin.cases.services.machine import CaseError

if TYPE_CHECKING:
    from lianxin.core.photos import CleanPhoto


def _photo_clean(upload: File) -> CleanPhoto:
    from lianxin.core.photos import photo_clean

    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise CaseError(exc.messages[0]) from exc


@transaction.atomic
def case_photo_add(*, case: Case, upload: File) -> CasePhoto:
    """Attach a photo to a request; only a cleaned image is stored.

    Rule: an upload's type, size and pixel count are checked and it is re-encoded (core.photos), so
    a resident's phone picture never keeps its GPS metadata and a crafted file is never served
    back; a photo that does not clean is refused with the cleaner's message.
    """
    return _photo_store(case, _photo_clean(upload))


def _photo_store(case: Case, clean: CleanPhoto) -> CasePhoto:
    photo = CasePhoto(
        case=case,
        token=secrets.token_hex(16),
        width=clean.width,
        height=clean.height,
        size=clean.content.size,
    )
    photo.image.save("photo.jpg", clean.content, save=False)
    photo.save()
    return photo
