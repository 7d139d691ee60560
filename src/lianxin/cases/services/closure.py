"""The end of a request: 合并, 不予受理, 办结, 关闭, 重新办理 and the resident's 评价."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import OPEN_STATES, Case, EventKind, ExtensionState, Rating, State
from lianxin.cases.services.authority import (
    can_handle,
    can_supervise,
    is_owner,
    may_evaluate,
    require,
)
from lianxin.cases.services.common import (
    _assign_unit,
    _event,
    _lock,
    _notify_assigned,
    _now,
    _save,
    case_url,
    unit_above,
)
from lianxin.cases.services.coreport import keep_reporters
from lianxin.cases.services.machine import CaseError, _require, _required_text
from lianxin.cases.services.photos import result_photo_clean, result_photo_store
from lianxin.cases.services.telling import tell_reopened, tell_resolved
from lianxin.cases.stats import stats_snapshot
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.org.models import Unit

if TYPE_CHECKING:
    from django.core.files import File

    from lianxin.accounts.models import User

EVALUATION_DAYS = 7


@transaction.atomic
def case_merge(*, case: Case, actor: User, into: Case, now: datetime | None = None) -> Case:
    """合并 a duplicate into another open request; the resident is told which one.

    Who: ``can_handle`` on the duplicate, and the target must be visible to the actor: merging
    into a request one cannot see would reveal it. Both rows are locked in id order (no deadlock).
    The duplicate's reporter and co-reporters are kept as the target's co-reporters
    (``coreport.keep_reporters``): told of the outcome, and they may rate it.
    """
    if into.pk == case.pk:
        raise CaseError(_("不能把诉求合并到它自己。"))
    first, second = sorted([case, into], key=lambda c: c.pk)  # consistent lock order
    locked = {
        c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first.pk, second.pk])
    }
    case, into = stats_snapshot(locked[case.pk]), locked[into.pk]
    _require(case, "merge")
    require(can_handle(actor, case))
    if not Case.objects.visible_to(actor).filter(pk=into.pk).exists():
        raise CaseError(_("没有找到要合并到的诉求查询码。"))
    if into.state not in OPEN_STATES and into.state != State.RESOLVED:
        raise CaseError(_("只能合并到正在办理的诉求。"))
    from_state = case.state
    case.state = State.MERGED
    case.merged_into = into
    case.closed_at = _now(now)
    _save(case)
    _event(
        case,
        EventKind.MERGE,
        actor=actor,
        from_state=from_state,
        at=_now(now),
        note=_("与诉求 %(code)s 重复，合并办理。") % {"code": into.code},
    )
    keep_reporters(duplicate=case, into=into)
    return case


@transaction.atomic
def case_reject(*, case: Case, actor: User, reason: str, now: datetime | None = None) -> Case:
    """不予受理 an out-of-scope request; the reason is shown to the resident.

    Who: ``can_handle``. A reason is required because the resident reads it on the tracking page
    (诉求不予受理须说明理由).
    """
    case = _lock(case)
    _require(case, "reject")
    require(can_handle(actor, case))
    case.reject_reason = _required_text(reason, _("不予受理理由"))[:500]
    from_state = case.state
    case.state = State.REJECTED
    case.closed_at = _now(now)
    _save(case)
    _event(
        case,
        EventKind.REJECT,
        actor=actor,
        note=case.reject_reason,
        from_state=from_state,
        at=_now(now),
    )
    return case


@transaction.atomic
def case_resolve(
    *,
    case: Case,
    actor: User,
    resolution: str,
    result_photo: File | None = None,
    now: datetime | None = None,
) -> Case:
    """办结 with a result the resident sees; evaluation is open for seven days.

    Who: the owner alone (``is_owner``): the person who signed answers for the result. Whether it
    was on time is fixed now against ``resolve_due_at`` (限时办结), for the rates. An optional
    办结照片 (``result_photo``) is cleaned as every photo is (a refused one refuses the step) and
    shown on the public tracking page.
    """
    now = _now(now)
    case = _lock(case)
    _require(case, "resolve")
    require(is_owner(actor, case))
    case.resolution = _required_text(resolution, _("办理结果"))
    clean = result_photo_clean(result_photo)
    if clean is not None:
        result_photo_store(case, clean)
    from_state = case.state
    case.state = State.RESOLVED
    case.resolved_at = now
    case.resolved_on_time = case.resolve_due_at is None or now <= case.resolve_due_at
    case.handling_minutes = max(0, int((now - case.created_at).total_seconds() // 60))
    _save(case)
    _event(
        case, EventKind.RESOLVE, actor=actor, note=case.resolution, from_state=from_state, at=now
    )
    tell_resolved(case)
    return case


@transaction.atomic
def case_close(
    *, case: Case, actor: User | None = None, note: str = "", now: datetime | None = None
) -> Case:
    """关闭 a resolved request (by staff, or by the sweep after seven days as 未评价).

    Who: ``can_handle`` for staff; ``actor=None`` is the sweep. A request closed unrated counts as
    未评价, never as satisfied.
    """
    now = _now(now)
    case = _lock(case)
    _require(case, "close")
    if actor is not None:
        require(can_handle(actor, case))
    if not case.rating:
        case.rating = Rating.UNRATED
    case.state = State.CLOSED
    case.closed_at = now
    _save(case)
    _event(case, EventKind.CLOSE, actor=actor, note=note, from_state=State.RESOLVED, at=now)
    return case


def _reopen_to(
    case: Case,
    *,
    actor: User | None,
    unit: Unit,
    note: str,
    now: datetime,
    kind: str = EventKind.REOPEN,
) -> None:
    from_state = case.state
    from_unit = case.unit
    case.state = State.REOPENED
    case.reopen_count += 1
    case.closed_at = None
    case.resolved_at = None
    case.resolved_on_time = None
    case.resolve_due_at = None  # a fresh completion deadline from the reopening
    case.resolve_warned_at = None
    case.resolve_overdue_at = None
    case.extension_state = ExtensionState.NONE
    _assign_unit(case, unit, now)
    _save(case)
    _event(
        case,
        kind,
        actor=actor,
        note=note,
        from_unit=from_unit,
        to_unit=unit,
        from_state=from_state,
        at=now,
    )
    _notify_assigned(case, note)
    tell_reopened(case)


@transaction.atomic
def case_reopen(*, case: Case, actor: User, reason: str, now: datetime | None = None) -> Case:
    """重新办理 a resolved or closed request (town level or above), back to its handling unit.

    Who: ``can_supervise`` (strictly above the handling unit): the unit that resolved it does not
    review its own work. The completion deadline starts afresh.
    """
    case = _lock(case)
    _require(case, "reopen")
    require(can_supervise(actor, case))
    reason = _required_text(reason, _("重新办理理由"))
    _reopen_to(case, actor=actor, unit=case.unit, note=reason, now=_now(now))
    return case


@transaction.atomic
def case_evaluate(
    *,
    case: Case,
    rating: str,
    comment: str = "",
    user: User | AnonymousUser | None = None,
    phone: str = "",
    now: datetime | None = None,
) -> Case:
    """群众评价: 满意/基本满意 closes it; 不满意 reopens it to the level above for review.

    Who: ``may_evaluate`` — the reporter, signed in or giving the phone they left. The rating is
    charged to the unit and handler that resolved the request (docs/rates.md).
    """
    now = _now(now)
    case = _lock(case)
    _require(case, "evaluate")
    if not may_evaluate(case, user=user, phone=phone):
        raise PermissionDenied(_("只有提交人可以评价（请填写提交时留的手机号）。"))
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise CaseError(_("请选择满意、基本满意或不满意。"))
    # The signed-in reporter is the timeline's actor; a phone-verified visitor is nobody.
    actor = cast("User | None", user if getattr(user, "is_authenticated", False) else None)
    case.rating = rating
    case.rating_comment = (comment or "").strip()[:500]
    case.rated_at = now
    # The rating judges this resolution: charged to the unit and handler that resolved it, even
    # after a 不满意 moves the request to the level above (docs/rates.md).
    case.rated_unit, case.rated_handler = case.unit, case.owner_user
    handler = case.owner_user
    note = f"{Rating(rating).label} {case.rating_comment}".strip()
    if rating == Rating.UNSATISFIED:
        _save(case)
        _event(case, EventKind.EVALUATE, actor=actor, note=note, from_state=State.RESOLVED, at=now)
        _reopen_to(
            case,
            actor=None,
            unit=unit_above(case.unit),
            now=now,
            note=_("群众不满意，转上级复核：%(c)s") % {"c": case.rating_comment},
        )
    else:
        case.state = State.CLOSED
        case.closed_at = now
        _save(case)
        _event(case, EventKind.EVALUATE, actor=actor, note=note, from_state=State.RESOLVED, at=now)
    if handler is not None:
        notify(
            recipients=[handler],
            kind=NotificationKind.EVALUATION,
            title=_("群众评价：%(r)s（%(title)s）")
            % {"r": Rating(rating).label, "title": case.title},
            body=case.rating_comment,
            url=case_url(case),
        )
    return case


def evaluation_deadline(case: Case) -> datetime | None:
    return case.resolved_at + timedelta(days=EVALUATION_DAYS) if case.resolved_at else None
