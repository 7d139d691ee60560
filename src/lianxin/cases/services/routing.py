"""Routing (派单, 转办, 退回, 上报) and taking ownership (签收, 开始办理): where a request is,
and who answers for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.cases.models import AWAITING_ACCEPT_STATES, Case, EventKind, State
from lianxin.cases.services.authority import (
    acting_membership,
    can_accept,
    can_handle,
    dispatch_target_ok,
    is_owner,
    require,
)
from lianxin.cases.services.common import (
    _assign_unit,
    _event,
    _lock,
    _notify_assigned,
    _now,
    _save,
    unit_above,
)
from lianxin.cases.services.machine import CaseError, _require, _required_text
from lianxin.cases.services.telling import tell_accepted, tell_handler_changed
from lianxin.org.models import Unit

if TYPE_CHECKING:
    from lianxin.accounts.models import User


@transaction.atomic
def case_accept(*, case: Case, actor: User, now: datetime | None = None) -> Case:
    """签收: the one who accepts becomes the owner; a second accept finds it taken.

    Who: ``can_accept`` — the first receiver who owns it, or staff over the queue. Whether it
    was signed on time is fixed at the first accept only (签收时限), for the rates.
    """
    now = _now(now)
    case = _lock(case)
    if case.state not in AWAITING_ACCEPT_STATES:
        if case.state == State.ACCEPTED and case.owner_user_id not in (None, actor.pk):
            raise CaseError(_("该诉求已由%(name)s签收。") % {"name": str(case.owner_user)})
        _require(case, "accept")
    require(can_accept(actor, case))
    from_state = case.state
    m = acting_membership(actor, case.unit)
    case.owner_user = actor
    case.owner_unit = None
    case.handler_post = (m.post or m.get_role_display()) if m else ""
    case.state = State.ACCEPTED
    case.accepted_at = now
    first = case.first_accepted_at is None
    if first:
        case.first_accepted_at = now
        case.accepted_on_time = case.accept_due_at is None or now <= case.accept_due_at
    _save(case)
    _event(case, EventKind.ACCEPT, actor=actor, from_state=from_state, at=now)
    if from_state != State.ACCEPTED:  # a repeat accept by the owner is no news
        tell_accepted(case, first=first)
    return case


@transaction.atomic
def case_start(*, case: Case, actor: User, note: str = "", now: datetime | None = None) -> Case:
    """开始办理: only the owner, from 已签收, marks work begun.

    Rule: the person who signed for the request answers for it (首问负责), so no one else may
    mark it started; the public timeline then tells the resident that work has begun.
    """
    case = _lock(case)
    _require(case, "start")
    require(is_owner(actor, case))
    case.state = State.IN_PROGRESS
    _save(case)
    _event(case, EventKind.START, actor=actor, note=note, from_state=State.ACCEPTED, at=_now(now))
    return case


def _move(
    case: Case,
    *,
    actor: User,
    to_unit: Unit,
    kind: str,
    note: str,
    now: datetime,
    is_public: bool = True,
) -> Case:
    from_unit = case.unit
    from_state = case.state
    _assign_unit(case, to_unit, now)
    case.state = State.SUBMITTED if from_state != State.REOPENED else State.REOPENED
    _save(case)
    _event(
        case,
        kind,
        actor=actor,
        note=note,
        from_unit=from_unit,
        to_unit=to_unit,
        from_state=from_state,
        is_public=is_public,
        at=now,
    )
    _notify_assigned(case, note)
    if kind != EventKind.DISPATCH:  # 转办/上报/退回: the resident hears who has it now
        tell_handler_changed(case)
    return case


@transaction.atomic
def case_dispatch(
    *, case: Case, actor: User, to_unit: Unit, note: str = "", now: datetime | None = None
) -> Case:
    """派单 down the tree or across to a department; the receiving queue must sign for it.

    Who: ``can_handle``; where: ``dispatch_target_ok`` (down inside the actor's subtree, across to
    a sibling, or to a department), so no one pushes work into a subtree they do not lead.
    """
    case = _lock(case)
    _require(case, "dispatch")
    require(can_handle(actor, case))
    if to_unit.pk == case.unit_id and case.owner_unit_id == to_unit.pk:
        raise CaseError(_("诉求已在该单位待签收。"))
    if not dispatch_target_ok(actor, case, to_unit):
        raise CaseError(_("只能向下级单位或职能部门派单。"))
    return _move(
        case, actor=actor, to_unit=to_unit, kind=EventKind.DISPATCH, note=note, now=_now(now)
    )


@transaction.atomic
def case_transfer(
    *, case: Case, actor: User, to_unit: Unit, reason: str, now: datetime | None = None
) -> Case:
    """转办 to any unit, with a reason recorded in the timeline.

    Who: ``can_handle``. A reason is required and recorded: a request moved sideways must say
    why, so the next unit and the rates can see the hand-off.
    """
    case = _lock(case)
    _require(case, "transfer")
    require(can_handle(actor, case))
    reason = _required_text(reason, _("转办理由"))
    if to_unit.pk == case.unit_id:
        raise CaseError(_("不能转办给本单位。"))
    return _move(
        case, actor=actor, to_unit=to_unit, kind=EventKind.TRANSFER, note=reason, now=_now(now)
    )


@transaction.atomic
def case_send_back(*, case: Case, actor: User, reason: str, now: datetime | None = None) -> Case:
    """退回 a wrongly routed request to the unit that sent it — once per request.

    Who: ``can_handle``. Once per request, so two units cannot bounce it between them (推诿);
    after that it must be transferred or escalated.
    """
    case = _lock(case)
    _require(case, "send_back")
    require(can_handle(actor, case))
    reason = _required_text(reason, _("退回理由"))
    if case.sent_back:
        raise CaseError(_("该诉求已退回过一次，不能再次退回，请转办或上报。"))
    last = (
        case.events.filter(kind__in=[EventKind.DISPATCH, EventKind.TRANSFER], to_unit=case.unit)
        .exclude(from_unit=None)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.from_unit is None:  # (the query already excludes the latter)
        raise CaseError(_("该诉求不是派来的，无可退回的单位。"))
    case.sent_back = True
    return _move(
        case,
        actor=actor,
        to_unit=last.from_unit,
        kind=EventKind.SEND_BACK,
        note=reason,
        now=_now(now),
    )


@transaction.atomic
def case_escalate(*, case: Case, actor: User, reason: str, now: datetime | None = None) -> Case:
    """上报 to the level above (grid → community → town → county).

    Who: ``can_handle``. A reason is required; the top of the tree cannot escalate further.
    """
    case = _lock(case)
    _require(case, "escalate")
    require(can_handle(actor, case))
    reason = _required_text(reason, _("上报理由"))
    above = unit_above(case.unit)
    if above.pk == case.unit_id:
        raise CaseError(_("已是最高一级，不能再上报。"))
    return _move(
        case, actor=actor, to_unit=above, kind=EventKind.ESCALATE, note=reason, now=_now(now)
    )
