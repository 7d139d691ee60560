"""The state machine of 接诉即办: which step may be taken from which state.

``ALLOWED`` maps every step to the states it may start from; a step from any other state
raises ``CaseError`` with a Chinese message naming both. The buttons (``authority.actions_for``)
and the services read the same table, so a button is never offered for a step the service
would refuse on state.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianxin.cases.models import AWAITING_ACCEPT_STATES, OPEN_STATES, Case, EventKind, State


class CaseError(ValidationError):
    """An invalid step (wrong state, missing reason …); the message is for the user."""


ACTION_LABELS = {
    "accept": EventKind.ACCEPT.label,
    "dispatch": EventKind.DISPATCH.label,
    "transfer": EventKind.TRANSFER.label,
    "send_back": EventKind.SEND_BACK.label,
    "escalate": EventKind.ESCALATE.label,
    "merge": EventKind.MERGE.label,
    "reject": EventKind.REJECT.label,
    "start": EventKind.START.label,
    "resolve": EventKind.RESOLVE.label,
    "close": EventKind.CLOSE.label,
    "reopen": EventKind.REOPEN.label,
    "extension_request": EventKind.EXTENSION_REQUEST.label,
    "extension_decide": EventKind.EXTENSION_APPROVE.label,
    "evaluate": EventKind.EVALUATE.label,
}

ALLOWED: dict[str, tuple[str, ...]] = {
    "accept": AWAITING_ACCEPT_STATES,
    "dispatch": (State.SUBMITTED, State.ACCEPTED, State.REOPENED),
    "transfer": OPEN_STATES,
    "send_back": (State.SUBMITTED, State.ACCEPTED),
    "escalate": OPEN_STATES,
    "merge": OPEN_STATES,
    "reject": (State.SUBMITTED, State.ACCEPTED, State.REOPENED),
    "start": (State.ACCEPTED,),
    "resolve": (State.ACCEPTED, State.IN_PROGRESS),
    "close": (State.RESOLVED,),
    "reopen": (State.RESOLVED, State.CLOSED),
    "extension_request": (State.ACCEPTED, State.IN_PROGRESS),
    "extension_decide": (State.ACCEPTED, State.IN_PROGRESS),
    "evaluate": (State.RESOLVED,),
}


def _require(case: Case, action: str) -> None:
    if case.state not in ALLOWED[action]:
        raise CaseError(
            _("诉求当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": case.get_state_display(), "action": ACTION_LABELS[action]}
        )


def _required_text(value: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CaseError(_("请填写%(what)s。") % {"what": what})
    return value
