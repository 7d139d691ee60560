"""Internal notes on a request's timeline (staff only)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import Case, CaseEvent, EventKind
from lianxin.cases.services.authority import can_handle, require
from lianxin.cases.services.common import _event, _now
from lianxin.cases.services.machine import _required_text

if TYPE_CHECKING:
    from lianxin.accounts.models import User


@transaction.atomic
def case_note(*, case: Case, actor: User, note: str, now: datetime | None = None) -> CaseEvent:
    """An internal note: staff see it, the resident and the public page never do.

    Who: ``can_handle``. Notes are internal (``is_public=False``) so handlers can record calls
    and reasons the resident and the public page must not see.
    """
    require(can_handle(actor, case))
    return _event(
        case,
        EventKind.NOTE,
        actor=actor,
        note=_required_text(note, _("备注")),
        is_public=False,
        at=_now(now),
    )
