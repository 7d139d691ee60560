"""回访: the handler (or the level above) calls the reporter back about a result.

Rules:
- only a resolved or closed request (``CALLBACK_STATES``) is called back;
- who: the named permission ``cases.record_callback`` (``rules.py``: staff of the handling unit,
  the handler, or staff of a unit above it, the same line as may reveal the reporter's phone,
  whose full number the caller reveals with a reason through ``cases.reveal``);
- 满意/基本满意/不满意 is recorded only when the call reached the reporter; a call not reached
  has no satisfaction;
- the call is charged to the handling unit and handler that resolved the request (as the
  resident's rating is) and counted apart from that rating (``rates.callback_counts``): the
  latest reached call of a request counts, as 12345 lines count 回访;
- every call appends an audit row and an internal timeline event (never shown to the public).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import CallBack, CallbackSatisfaction, Case, EventKind, State
from lianxin.cases.services.common import _event, _now
from lianxin.cases.services.machine import CaseError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from lianxin.accounts.models import User

CALLBACK_PERM = "cases.record_callback"
CALLBACK_STATES = (State.RESOLVED, State.CLOSED)
NOTES_MAX = 1000


def may_record_callback(user: User, case: Case) -> bool:
    """Whether the 回访 form is offered (the service checks the same permission)."""
    return case.state in CALLBACK_STATES and user.has_perm(CALLBACK_PERM, case)


@transaction.atomic
def case_callback_record(
    *,
    case: Case,
    actor: User,
    reached: bool,
    satisfied: str = "",
    notes: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> CallBack:
    """Record one call back; audited. Refused (``CaseError``) on a request not resolved or
    closed, a reached call without its satisfaction, or notes over 1,000 characters."""
    now = _now(now)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not actor.has_perm(CALLBACK_PERM, case):
        raise PermissionDenied(_("您无权回访该诉求。"))
    if case.state not in CALLBACK_STATES:
        raise CaseError(_("只能回访已办结或已关闭的诉求。"))
    satisfied = (satisfied or "").strip()
    if reached:
        if satisfied not in CallbackSatisfaction.values:
            raise CaseError(_("已接通的回访请选择满意、基本满意或不满意。"))
    else:
        satisfied = ""
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX:
        raise CaseError(_("回访记录最多 %(n)d 个字。") % {"n": NOTES_MAX})
    callback = CallBack.objects.create(
        case=case,
        by=actor,
        by_name=str(actor)[:50],
        unit=case.unit,
        handler=case.owner_user,
        at=now,
        reached=reached,
        satisfied=satisfied,
        notes=notes,
    )
    outcome = (
        _("已接通，%(s)s") % {"s": CallbackSatisfaction(satisfied).label}
        if reached
        else _("未接通")
    )
    _event(
        case,
        EventKind.CALLBACK,
        actor=actor,
        note=f"{outcome} {notes}".strip(),
        from_state=case.state,
        is_public=False,
        at=now,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=callback,
        target_repr=case.code,
        request=request,
        extra={"case": case.pk, "reached": reached, "satisfied": satisfied},
    )
    return callback


def case_callbacks(case: Case) -> list[CallBack]:
    """The request's call backs, newest first (the caller fetched ``case`` through the scoped
    selector)."""
    return list(case.callbacks.select_related("by").order_by("-at", "-id"))
