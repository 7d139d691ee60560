"""Every change to a request, one function per step of 接诉即办, each writing its timeline event.

The state machine lives in ``machine.ALLOWED``: an action from a state not listed raises
``CaseError`` with a Chinese message. Rows are locked (select_for_update) before a
transition, so two handlers acting at the same moment are serialised.

One module per step: ``intake`` (受理), ``routing`` (签收, 派单, 转办, 退回, 上报, 开始办理),
``closure`` (合并, 不予受理, 办结, 关闭, 重新办理, 评价), ``extension`` (延期), ``notes`` and
``photos``. Who may act is decided in one place, ``authority``. Callers import this package
(``from lianxin.cases import services as s; s.case_accept(...)``); the names below are its API.
"""

from lianxin.cases.services.authority import (
    acting_membership,
    actions_for,
    can_accept,
    can_handle,
    can_reveal_reporter,
    can_supervise,
    dispatch_target_ok,
    is_owner,
    may_evaluate,
    require,
)
from lianxin.cases.services.closure import (
    EVALUATION_DAYS,
    case_close,
    case_evaluate,
    case_merge,
    case_reject,
    case_reopen,
    case_resolve,
    evaluation_deadline,
)
from lianxin.cases.services.common import case_url, owner_recipients, unit_above, unit_staff
from lianxin.cases.services.coreport import case_co_report
from lianxin.cases.services.extension import case_extension_decide, case_extension_request
from lianxin.cases.services.intake import (
    CODE_ALPHABET,
    IdempotencyConflict,
    case_submit,
    intake_channel,
)
from lianxin.cases.services.machine import ACTION_LABELS, ALLOWED, CaseError
from lianxin.cases.services.notes import case_note
from lianxin.cases.services.photos import case_photo_add
from lianxin.cases.services.regrid import case_regrid
from lianxin.cases.services.routing import (
    case_accept,
    case_dispatch,
    case_escalate,
    case_send_back,
    case_start,
    case_transfer,
)

__all__ = [
    "ACTION_LABELS",
    "ALLOWED",
    "CODE_ALPHABET",
    "EVALUATION_DAYS",
    "CaseError",
    "IdempotencyConflict",
    "acting_membership",
    "actions_for",
    "can_accept",
    "can_handle",
    "can_reveal_reporter",
    "can_supervise",
    "case_accept",
    "case_close",
    "case_co_report",
    "case_dispatch",
    "case_escalate",
    "case_evaluate",
    "case_extension_decide",
    "case_extension_request",
    "case_merge",
    "case_note",
    "case_photo_add",
    "case_regrid",
    "case_reject",
    "case_reopen",
    "case_resolve",
    "case_send_back",
    "case_start",
    "case_submit",
    "case_transfer",
    "case_url",
    "dispatch_target_ok",
    "evaluation_deadline",
    "intake_channel",
    "is_owner",
    "may_evaluate",
    "owner_recipients",
    "require",
    "unit_above",
    "unit_staff",
]
