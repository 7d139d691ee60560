"""Photos of a request: cleaned (re-encoded, size-capped) before anything is stored."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, CasePhoto, EventKind, PhotoKind
from lianxin.cases.services.authority import can_handle, require
from lianxin.cases.services.common import _event, _now
from lianxin.cases.services.machine import CaseError

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.core.photos import CleanPhoto


def _photo_clean(upload: File) -> CleanPhoto:
    from lianxin.core.photos import photo_clean

    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise CaseError(exc.messages[0]) from exc


@transaction.atomic
def case_photo_add(
    *, case: Case, upload: File, actor: User | None = None, now: datetime | None = None
) -> CasePhoto:
    """Attach a photo to a request; only a cleaned image is stored.

    Rule: an upload's type, size and pixel count are checked and it is re-encoded (core.photos), so
    a resident's phone picture never keeps its GPS metadata and a crafted file is never served
    back; a photo that does not clean is refused with the cleaner's message.

    Who, when ``actor`` is given (a photo added after intake, e.g. through the API): ``can_handle``,
    like an internal note, and the timeline records who added it (internal: a photo may show the
    resident, the public page lists none).
    """
    if actor is not None:
        require(can_handle(actor, case))
    photo = _photo_store(case, _photo_clean(upload))
    if actor is not None:
        _event(
            case,
            EventKind.NOTE,
            actor=actor,
            note=_("上传了照片（%(w)d×%(h)d）。") % {"w": photo.width, "h": photo.height},
            is_public=False,
            at=_now(now),
        )
    return photo


def _photo_store(case: Case, clean: CleanPhoto, kind: str = PhotoKind.REPORT) -> CasePhoto:
    photo = CasePhoto(
        case=case,
        kind=kind,
        token=secrets.token_hex(16),
        width=clean.width,
        height=clean.height,
        size=clean.content.size,
    )
    photo.image.save("photo.jpg", clean.content, save=False)
    photo.save()
    return photo


def result_photo_clean(upload: File | None) -> CleanPhoto | None:
    """办结照片: the same cleaning as every photo of a request; ``None`` without an upload."""
    return None if upload is None else _photo_clean(upload)


def result_photo_store(case: Case, clean: CleanPhoto) -> CasePhoto:
    """Stored as a ``CasePhoto`` of kind ``result``: the one kind the public tracking page shows."""
    return _photo_store(case, clean, kind=PhotoKind.RESULT)
