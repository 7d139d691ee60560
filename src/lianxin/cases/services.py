"""Every change to a request, one function per step of 接诉即办, each writing its timeline event.

The state machine lives in ``ALLOWED``: an action from a state not listed raises
``CaseError`` with a Chinese message. Rows are locked (select_for_update) before a
transition, so two handlers acting at the same moment are serialised.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases import search
from lianxin.cases.deadlines import compute_due_detail, due_basis_set
from lianxin.cases.models import (
    AWAITING_ACCEPT_STATES,
    OPEN_STATES,
    Case,
    CaseEvent,
    CasePhoto,
    Category,
    Channel,
    EventKind,
    ExtensionState,
    Rating,
    State,
)
from lianxin.cases.stats import stats_snapshot, stats_sync
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.org.models import STAFF_ROLES, Membership, Unit, UnitKind
from lianxin.org.scoping import user_scope

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
EVALUATION_DAYS = 7


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


def _lock(case: Case) -> Case:
    return stats_snapshot(Case.objects.select_for_update().get(pk=case.pk))


def _save(case: Case) -> None:
    """Save and keep the rates rollup current in the same transaction."""
    case.save()
    stats_sync(case)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- who may act ---------------------------------------------------------------------------


def acting_membership(user, unit: Unit | None) -> Membership | None:
    """The user's staff membership closest above ``unit`` (or their main one)."""
    scope = user_scope(user)
    staff = [m for m in scope.memberships if m.role in STAFF_ROLES]
    if unit is not None:
        covering = [m for m in staff if unit.path.startswith(m.unit.path)]
        if covering:
            return max(covering, key=lambda m: len(m.unit.path))
    return staff[0] if staff else None


def can_handle(user, case: Case) -> bool:
    """The owner, or staff whose subtree holds the handling unit (or the queue)."""
    if case.owner_user_id is not None and case.owner_user_id == user.pk:
        return True
    scope = user_scope(user)
    return scope.covers(case.unit) or (
        case.owner_unit is not None and scope.covers(case.owner_unit)
    )


def can_accept(user, case: Case) -> bool:
    if case.owner_user_id is not None:
        return case.owner_user_id == user.pk
    return user_scope(user).covers(case.owner_unit)


def can_supervise(user, case: Case) -> bool:
    """Staff of a unit strictly above the handling unit (the level that approves and reviews)."""
    scope = user_scope(user)
    if scope.is_global:
        return True
    return any(
        m.role in STAFF_ROLES
        and case.unit.path.startswith(m.unit.path)
        and m.unit.path != case.unit.path
        for m in scope.memberships
    )


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您无权办理该诉求。"))


def unit_above(unit: Unit) -> Unit:
    """The next level up (grid → village → town → county; a department → the county)."""
    return unit.parent if unit.parent_id is not None else unit


def unit_staff(unit: Unit) -> list[Any]:
    from lianxin.accounts.models import User

    return list(
        User.objects.filter(
            memberships__unit=unit,
            memberships__role__in=STAFF_ROLES,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def owner_recipients(case: Case) -> list[Any]:
    if case.owner_user_id is not None:
        return [case.owner_user]
    return unit_staff(case.owner_unit)


def case_url(case: Case) -> str:
    return reverse("cases:case_detail", args=[case.pk])


# --- timeline ------------------------------------------------------------------------------


def _event(
    case: Case,
    kind: str,
    *,
    actor=None,
    note: str = "",
    from_unit: Unit | None = None,
    to_unit: Unit | None = None,
    from_state: str = "",
    is_public: bool = True,
    at: datetime | None = None,
) -> CaseEvent:
    name = post = ""
    if actor is not None:
        name = str(actor)  # the name, or the login masked when it is a phone
        m = acting_membership(actor, case.unit)
        if m is not None:
            post = f"{m.unit.name} {m.post or m.get_role_display()}".strip()
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        actor_name=name[:50],
        actor_post=post[:80],
        from_unit=from_unit,
        to_unit=to_unit,
        from_state=from_state,
        to_state=case.state,
        note=note,
        is_public=is_public,
        created_at=at or timezone.now(),
    )


def _assign_unit(case: Case, unit: Unit, now: datetime) -> None:
    """Put the request in ``unit``'s queue: the queue owns it until someone there accepts."""
    case.owner_user = None
    case.owner_unit = unit
    case.unit = unit
    case.handler_post = ""
    case.dispatched_at = now
    accept_due, resolve_due = compute_due_detail(case.category, case.priority, now)
    case.accept_due_at = accept_due.at
    due_basis_set(case, "accept", accept_due)
    case.accept_warned_at = None
    case.accept_overdue_at = None
    if case.resolve_due_at is None:
        case.resolve_due_at = resolve_due.at
        due_basis_set(case, "resolve", resolve_due)


def _notify_assigned(case: Case, note: str = "") -> None:
    notify(
        recipients=owner_recipients(case),
        kind=NotificationKind.ASSIGNED,
        title=_("新诉求待签收：%(title)s") % {"title": case.title},
        body=note or case.description[:200],
        url=case_url(case),
    )


# --- intake --------------------------------------------------------------------------------


def _new_code() -> str:
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Case.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not allocate a tracking code")


def _grid_context(grid: Unit) -> tuple[Unit | None, Unit | None]:
    village = town = None
    for u in grid.ancestors(include_self=True):
        if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
            village = u
        elif u.kind in (UnitKind.TOWN, UnitKind.STREET):
            town = u
    return town, village


def case_submit(
    *,
    title: str,
    description: str,
    category: Category,
    grid: Unit,
    channel: str,
    reporter_name: str,
    reporter_phone: str,
    reporter=None,
    created_by=None,
    priority: str | None = None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    idempotency_key: str | None = None,
    photos: list[Any] | tuple = (),
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Intake from any channel; the same ``idempotency_key`` twice gives the first request back.

    首问责任: a resident's request is owned by its grid's queue; a request entered by staff or
    a grid worker is owned by that person, the first receiver, until someone accepts it.
    """
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if grid.kind not in (UnitKind.GRID, UnitKind.MICRO_GRID):
        raise CaseError(_("请选择诉求所在的网格。"))
    # Cleaned once, before anything is written: a bad photo refuses the whole submission.
    cleaned = [_photo_clean(photo) for photo in photos]
    try:
        with transaction.atomic():
            case = _case_create(
                title=_required_text(title, _("标题")),
                description=_required_text(description, _("诉求内容")),
                category=category,
                grid=grid,
                channel=channel,
                reporter=reporter,
                reporter_name=_required_text(reporter_name, _("联系人")),
                reporter_phone=_required_text(reporter_phone, _("联系电话")),
                created_by=created_by,
                priority=priority or category.default_priority,
                address=address,
                lat=lat,
                lng=lng,
                idempotency_key=idempotency_key or None,
                now=_now(now),
            )
            for clean in cleaned:
                _photo_store(case, clean)
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return existing, False
        raise
    return case, True


def _case_create(*, now: datetime, created_by, channel: str, grid: Unit, **fields) -> Case:
    town, village = _grid_context(grid)
    case = Case(
        code=_new_code(),
        channel=channel,
        grid=grid,
        town=town,
        village=village,
        created_by=created_by,
        created_at=now,
        state=State.SUBMITTED,
        **fields,
    )
    case.search_tokens = search.index_text(case.title, case.description)
    staff_member = (
        acting_membership(created_by, grid)
        if created_by is not None and channel in (Channel.STAFF, Channel.GRID)
        else None
    )
    _assign_unit(case, grid, now)
    if staff_member is not None:
        case.owner_unit = None
        case.owner_user = created_by
        case.unit = staff_member.unit
        case.handler_post = staff_member.post or staff_member.get_role_display()
    _save(case)
    _event(
        case,
        EventKind.SUBMIT,
        actor=created_by or fields.get("reporter"),
        note=Channel(channel).label,
        to_unit=case.unit,
        at=now,
    )
    if case.owner_unit is not None:
        _notify_assigned(case)
    return case


# --- photos --------------------------------------------------------------------------------


def _photo_clean(upload):
    from lianxin.core.photos import photo_clean

    try:
        return photo_clean(upload)
    except ValidationError as exc:
        raise CaseError(exc.messages[0]) from exc


@transaction.atomic
def case_photo_add(*, case: Case, upload) -> CasePhoto:
    return _photo_store(case, _photo_clean(upload))


def _photo_store(case: Case, clean) -> CasePhoto:
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


# --- accept and ownership ------------------------------------------------------------------


@transaction.atomic
def case_accept(*, case: Case, actor, now: datetime | None = None) -> Case:
    """签收: the one who accepts becomes the owner; a second accept finds it taken."""
    now = _now(now)
    case = _lock(case)
    if case.state not in AWAITING_ACCEPT_STATES:
        if case.state == State.ACCEPTED and case.owner_user_id not in (None, actor.pk):
            raise CaseError(_("该诉求已由%(name)s签收。") % {"name": str(case.owner_user)})
        _require(case, "accept")
    _check(can_accept(actor, case))
    from_state = case.state
    m = acting_membership(actor, case.unit)
    case.owner_user = actor
    case.owner_unit = None
    case.handler_post = (m.post or m.get_role_display()) if m else ""
    case.state = State.ACCEPTED
    case.accepted_at = now
    if case.first_accepted_at is None:
        case.first_accepted_at = now
        case.accepted_on_time = case.accept_due_at is None or now <= case.accept_due_at
    _save(case)
    _event(case, EventKind.ACCEPT, actor=actor, from_state=from_state, at=now)
    return case


def _move(
    case: Case, *, actor, to_unit: Unit, kind: str, note: str, now: datetime, is_public: bool = True
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
    return case


def _dispatch_target_ok(actor, case: Case, to_unit: Unit) -> bool:
    """Down (inside the actor's subtree) or across (a department, or a sibling unit)."""
    scope = user_scope(actor)
    if scope.covers(to_unit):
        return True
    if to_unit.kind == UnitKind.DEPARTMENT:
        return True
    return case.unit.parent_id is not None and to_unit.parent_id == case.unit.parent_id


@transaction.atomic
def case_dispatch(
    *, case: Case, actor, to_unit: Unit, note: str = "", now: datetime | None = None
) -> Case:
    """派单 down the tree or across to a department; the receiving queue must sign for it."""
    case = _lock(case)
    _require(case, "dispatch")
    _check(can_handle(actor, case))
    if to_unit.pk == case.unit_id and case.owner_unit_id == to_unit.pk:
        raise CaseError(_("诉求已在该单位待签收。"))
    if not _dispatch_target_ok(actor, case, to_unit):
        raise CaseError(_("只能向下级单位或职能部门派单。"))
    return _move(
        case, actor=actor, to_unit=to_unit, kind=EventKind.DISPATCH, note=note, now=_now(now)
    )


@transaction.atomic
def case_transfer(
    *, case: Case, actor, to_unit: Unit, reason: str, now: datetime | None = None
) -> Case:
    """转办 to any unit, with a reason recorded in the timeline."""
    case = _lock(case)
    _require(case, "transfer")
    _check(can_handle(actor, case))
    reason = _required_text(reason, _("转办理由"))
    if to_unit.pk == case.unit_id:
        raise CaseError(_("不能转办给本单位。"))
    return _move(
        case, actor=actor, to_unit=to_unit, kind=EventKind.TRANSFER, note=reason, now=_now(now)
    )


@transaction.atomic
def case_send_back(*, case: Case, actor, reason: str, now: datetime | None = None) -> Case:
    """退回 a wrongly routed request to the unit that sent it — once per request."""
    case = _lock(case)
    _require(case, "send_back")
    _check(can_handle(actor, case))
    reason = _required_text(reason, _("退回理由"))
    if case.sent_back:
        raise CaseError(_("该诉求已退回过一次，不能再次退回，请转办或上报。"))
    last = (
        case.events.filter(kind__in=[EventKind.DISPATCH, EventKind.TRANSFER], to_unit=case.unit)
        .exclude(from_unit=None)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None:
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
def case_escalate(*, case: Case, actor, reason: str, now: datetime | None = None) -> Case:
    """上报 to the level above (grid → community → town → county)."""
    case = _lock(case)
    _require(case, "escalate")
    _check(can_handle(actor, case))
    reason = _required_text(reason, _("上报理由"))
    above = unit_above(case.unit)
    if above.pk == case.unit_id:
        raise CaseError(_("已是最高一级，不能再上报。"))
    return _move(
        case, actor=actor, to_unit=above, kind=EventKind.ESCALATE, note=reason, now=_now(now)
    )


@transaction.atomic
def case_merge(*, case: Case, actor, into: Case, now: datetime | None = None) -> Case:
    """合并 a duplicate into another open request; the resident is told which one."""
    if into.pk == case.pk:
        raise CaseError(_("不能把诉求合并到它自己。"))
    first, second = sorted([case, into], key=lambda c: c.pk)  # consistent lock order
    locked = {
        c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first.pk, second.pk])
    }
    case, into = stats_snapshot(locked[case.pk]), locked[into.pk]
    _require(case, "merge")
    _check(can_handle(actor, case))
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
    return case


@transaction.atomic
def case_reject(*, case: Case, actor, reason: str, now: datetime | None = None) -> Case:
    """不予受理 an out-of-scope request; the reason is shown to the resident."""
    case = _lock(case)
    _require(case, "reject")
    _check(can_handle(actor, case))
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
def case_start(*, case: Case, actor, note: str = "", now: datetime | None = None) -> Case:
    case = _lock(case)
    _require(case, "start")
    _check(case.owner_user_id == actor.pk)
    case.state = State.IN_PROGRESS
    _save(case)
    _event(case, EventKind.START, actor=actor, note=note, from_state=State.ACCEPTED, at=_now(now))
    return case


@transaction.atomic
def case_resolve(*, case: Case, actor, resolution: str, now: datetime | None = None) -> Case:
    """办结 with a result the resident sees; evaluation is open for seven days."""
    now = _now(now)
    case = _lock(case)
    _require(case, "resolve")
    _check(case.owner_user_id == actor.pk)
    case.resolution = _required_text(resolution, _("办理结果"))
    from_state = case.state
    case.state = State.RESOLVED
    case.resolved_at = now
    case.resolved_on_time = case.resolve_due_at is None or now <= case.resolve_due_at
    case.handling_minutes = max(0, int((now - case.created_at).total_seconds() // 60))
    _save(case)
    _event(
        case, EventKind.RESOLVE, actor=actor, note=case.resolution, from_state=from_state, at=now
    )
    if case.reporter_id:
        notify(
            recipients=[case.reporter],
            kind=NotificationKind.UPDATE,
            title=_("您的诉求已办结，请评价：%(title)s") % {"title": case.title},
            url=reverse("cases:track", args=[case.code]),
        )
    return case


@transaction.atomic
def case_close(*, case: Case, actor=None, note: str = "", now: datetime | None = None) -> Case:
    """关闭 a resolved request (by staff, or by the sweep after seven days as 未评价)."""
    now = _now(now)
    case = _lock(case)
    _require(case, "close")
    if actor is not None:
        _check(can_handle(actor, case))
    if not case.rating:
        case.rating = Rating.UNRATED
    case.state = State.CLOSED
    case.closed_at = now
    _save(case)
    _event(case, EventKind.CLOSE, actor=actor, note=note, from_state=State.RESOLVED, at=now)
    return case


def _reopen_to(
    case: Case, *, actor, unit: Unit, note: str, now: datetime, kind: str = EventKind.REOPEN
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


@transaction.atomic
def case_reopen(*, case: Case, actor, reason: str, now: datetime | None = None) -> Case:
    """重新办理 a resolved or closed request (town level or above), back to its handling unit."""
    case = _lock(case)
    _require(case, "reopen")
    _check(can_supervise(actor, case))
    reason = _required_text(reason, _("重新办理理由"))
    _reopen_to(case, actor=actor, unit=case.unit, note=reason, now=_now(now))
    return case


# --- extension -----------------------------------------------------------------------------


@transaction.atomic
def case_extension_request(
    *, case: Case, actor, until: datetime, reason: str, now: datetime | None = None
) -> Case:
    """延期: the handler may ask once, before the completion deadline, for a later one."""
    now = _now(now)
    case = _lock(case)
    _require(case, "extension_request")
    _check(case.owner_user_id == actor.pk)
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
    *, case: Case, actor, approve: bool, note: str = "", now: datetime | None = None
) -> Case:
    """The level above approves (the completion deadline moves) or refuses."""
    now = _now(now)
    case = _lock(case)
    _require(case, "extension_decide")
    if case.extension_state != ExtensionState.REQUESTED:
        raise CaseError(_("没有待审批的延期申请。"))
    _check(can_supervise(actor, case))
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


# --- evaluation ----------------------------------------------------------------------------


def may_evaluate(case: Case, *, user=None, phone: str = "") -> bool:
    if (
        user is not None
        and getattr(user, "is_authenticated", False)
        and case.reporter_id == user.pk
    ):
        return True
    return bool(phone) and secrets.compare_digest(phone.strip(), case.reporter_phone)


@transaction.atomic
def case_evaluate(
    *,
    case: Case,
    rating: str,
    comment: str = "",
    user=None,
    phone: str = "",
    now: datetime | None = None,
) -> Case:
    """群众评价: 满意/基本满意 closes it; 不满意 reopens it to the level above for review."""
    now = _now(now)
    case = _lock(case)
    _require(case, "evaluate")
    if not may_evaluate(case, user=user, phone=phone):
        raise PermissionDenied(_("只有提交人可以评价（请填写提交时留的手机号）。"))
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise CaseError(_("请选择满意、基本满意或不满意。"))
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
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


@transaction.atomic
def case_note(*, case: Case, actor, note: str, now: datetime | None = None) -> CaseEvent:
    """An internal note: staff see it, the resident and the public page never do."""
    _check(can_handle(actor, case))
    return _event(
        case,
        EventKind.NOTE,
        actor=actor,
        note=_required_text(note, _("备注")),
        is_public=False,
        at=_now(now),
    )


def evaluation_deadline(case: Case) -> datetime | None:
    return case.resolved_at + timedelta(days=EVALUATION_DAYS) if case.resolved_at else None


def actions_for(user, case: Case) -> list[str]:
    """The steps ``user`` may take on ``case`` now (drives the buttons; services re-check)."""
    out: list[str] = []
    if not user_scope(user).is_staff and case.owner_user_id != user.pk:
        return out
    handle = can_handle(user, case)
    owner = case.owner_user_id == user.pk
    if case.state in ALLOWED["accept"] and can_accept(user, case):
        out.append("accept")
    if case.state in ALLOWED["start"] and owner:
        out.append("start")
    if case.state in ALLOWED["resolve"] and owner:
        out.append("resolve")
    if handle:
        for action in ("dispatch", "transfer", "escalate", "reject", "merge"):
            if case.state in ALLOWED[action]:
                out.append(action)
        if case.state in ALLOWED["send_back"] and not case.sent_back:
            out.append("send_back")
        if case.state in ALLOWED["close"]:
            out.append("close")
        out.append("note")
    if case.state in ALLOWED["extension_request"] and owner and not case.extension_state:
        out.append("extension_request")
    if case.extension_state == ExtensionState.REQUESTED and can_supervise(user, case):
        out.append("extension_decide")
    if case.state in ALLOWED["reopen"] and can_supervise(user, case):
        out.append("reopen")
    return out
