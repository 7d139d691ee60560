"""延期: the handler asks the level above for a later completion deadline, once."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.deadlines import due_basis_set
from lianxin.cases.models import Case, EventKind, ExtensionState
from lianxin.cases.services.authority import can_supervise, is_owner, require
from lianxin.cases.services.common import (
    _event,
    _lock,
    _now,
    _save,
    case_url,
    owner_recipients,
    unit_above,
    unit_staff,
)
from lianxin.cases.services.machine import CaseError, _require, _required_text
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify

if TYPE_CHECKING:
    from lianxin.accounts.models import User


@transaction.atomic
def case_extension_request(
    *, case: Case, actor: User, until: datetime, reason: str, now: datetime | None = None
) -> Case:
    """延期: the handler may ask once, before the completion deadline, for a later one.

    Who: the owner alone (``is_owner``). Once, and before the deadline passes, so an extension
    can never excuse a request already late.
    """
    now = _now(now)
    case = _lock(case)
    _require(case, "extension_request")
    require(is_owner(actor, case))
    if case.extension_state:
        raise CaseError(_("每件诉求只能申请一次延期。"))
    if case.resolve_due_at and now >= case.resolve_due_at:
        raise CaseError(_("已超过办结时限，不能再申请延期。"))
    if case.resolve_due_at and until <= case.resolve_due_at:
        raise CaseError(_("延期后的时限必须晚于原办结时限。"))
    case.extension_state = ExtensionState.REQUESTED
    case.extension_until = until
    case.extension_reason = _required_text(reason, _("延期理由"))[:500]
    _save(case)
    _event(
        case,
        EventKind.EXTENSION_REQUEST,
        actor=actor,
        note=case.extension_reason,
        is_public=False,
        at=now,
    )
    notify(
        recipients=unit_staff(unit_above(case.unit)),
        kind=NotificationKind.EXTENSION,
        title=_("延期申请待审批：%(title)s") % {"title": case.title},
        body=case.extension_reason,
        url=case_url(case),
    )
    return case


@transaction.atomic
def case_extension_decide(
    *, case: Case, actor: User, approve: bool, note: str = "", now: datetime | None = None
) -> Case:
    """The level above approves (the completion deadline moves) or refuses.

    Who: ``can_supervise`` (strictly above the handling unit): the handler never approves their
    own extension. A refusal stays internal; an approval is public with the new deadline.
    """
    now = _now(now)
    case = _lock(case)
    _require(case, "extension_decide")
    if case.extension_state != ExtensionState.REQUESTED:
        raise CaseError(_("没有待审批的延期申请。"))
    require(can_supervise(actor, case))
    if approve:
        case.extension_state = ExtensionState.APPROVED
        case.resolve_due_at = case.extension_until
        due_basis_set(case, "resolve", None)  # a date the level above set, not a count
        case.resolve_warned_at = None
        case.resolve_overdue_at = None
        kind = EventKind.EXTENSION_APPROVE
    else:
        case.extension_state = ExtensionState.REFUSED
        kind = EventKind.EXTENSION_REFUSE
    _save(case)
    _event(case, kind, actor=actor, note=note, is_public=approve, at=now)
    notify(
        recipients=owner_recipients(case),
        kind=NotificationKind.EXTENSION,
        title=(_("延期已批准：%(title)s") if approve else _("延期未批准：%(title)s"))
        % {"title": case.title},
        body=note,
        url=case_url(case),
    )
    return case
