"""Writes of 督办问责: issue, reply, accept or re-issue an order; take, follow and close an
accountability decision. Each is one transaction, checks its rule (``supervision.rules``) and
is audited; the addressed unit's staff and the issuer are told through notifications."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case
from lianxin.core.params import clean_month
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.org.models import Unit
from lianxin.org.selectors import unit_staff
from lianxin.supervision.models import (
    Decision,
    DecisionKind,
    DecisionNote,
    DecisionState,
    OrderKind,
    OrderRound,
    OrderState,
    RoundOutcome,
    SupervisionOrder,
)
from lianxin.supervision.rules import can_issue, can_reply, can_review, issuer_memberships

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Notification texts, rendered later in each reader's language (notifications.i18n).
NOTICE_MSGIDS = (
    gettext_noop("督办：%(title)s"),
    gettext_noop("重新督办：%(title)s"),
    gettext_noop("督办已验收：%(title)s"),
    gettext_noop("督办回复：%(title)s"),
    gettext_noop("请于 %(due)s 前书面回复。"),
    gettext_noop("问责决定：%(kind)s"),
    gettext_noop("督办逾期：%(title)s"),
    gettext_noop("回复时限 %(due)s 已过，尚未书面回复。"),
)
KIND_MSGIDS: dict[str, str] = {
    DecisionKind.INTERVIEW.value: gettext_noop("约谈"),
    DecisionKind.NOTICE.value: gettext_noop("通报"),
    DecisionKind.RECTIFY.value: gettext_noop("限期整改"),
}
# A reply deadline lies between one hour and this many days ahead.
MAX_REPLY_DAYS = 90


def _text(raw: str | None, field: str, *, min_length: int = 2, max_length: int = 2000) -> str:
    value = (raw or "").replace("\x00", "").strip()
    if len(value) < min_length:
        raise ValidationError({field: _("请填写内容（至少 %(n)d 个字）。") % {"n": min_length}})
    if len(value) > max_length:
        raise ValidationError({field: _("内容过长（最多 %(n)d 个字）。") % {"n": max_length}})
    return value


def _due(due_at: datetime | None, now: datetime) -> datetime:
    if due_at is None or due_at < now + timedelta(hours=1):
        raise ValidationError({"due_at": _("回复时限须至少在一小时之后。")})
    if due_at > now + timedelta(days=MAX_REPLY_DAYS):
        raise ValidationError({"due_at": _("回复时限不能超过 %(n)d 天。") % {"n": MAX_REPLY_DAYS}})
    return due_at


def _issuer_unit(actor: User, unit: Unit) -> Unit:
    members = issuer_memberships(actor, unit)
    if members:
        return members[0].unit
    return unit.parent or unit  # a superuser without a membership: the level above


def order_url(order: SupervisionOrder) -> str:
    return reverse("supervision:order_detail", args=[order.pk])


def _notify_unit(order: SupervisionOrder, *, key: str, title_id: str, body_id: str, **kw) -> None:
    due = f"{timezone.localtime(order.reply_due_at):%Y-%m-%d %H:%M}"
    params = {"title": order.title, "due": due, **kw}
    notify(
        recipients=unit_staff(order.unit),
        kind=NotificationKind.SUPERVISE,
        title=_(title_id) % params,
        body=_(body_id) % params if body_id else "",
        title_msg=msg(title_id, **params),
        body_msg=msg(body_id, **params) if body_id else None,
        url=order_url(order),
        dedupe_key=f"supervision:{order.pk}:{key}",
    )


@transaction.atomic
def order_issue(
    *,
    actor: User,
    unit: Unit,
    title: str,
    instruction: str,
    due_at: datetime | None,
    case: Case | None = None,
    month: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> SupervisionOrder:
    """Issue a 督办 order to ``unit``: on a request (``case``), on a 末位 entry (``month``) or
    on the unit itself.

    Rule: only the level above issues (``can_issue``: an issuing role strictly above the unit),
    so the addressed unit never supervises itself; an order on a request goes to the request's
    handling unit or a unit above it that answers for it, never sideways. The reply deadline is
    between an hour and ``MAX_REPLY_DAYS`` ahead so every order can be answered and followed.
    """
    now = now or timezone.now()
    if not can_issue(actor, unit):
        raise PermissionDenied(_("只有上级单位可以督办。"))
    if case is not None and not case.unit.is_under(unit):
        raise ValidationError({"unit": _("诉求的督办对象须是承办单位或其上级。")})
    month = clean_month(month) if case is None else ""
    kind = OrderKind.CASE if case is not None else OrderKind.RANKING if month else OrderKind.UNIT
    title = _text(title, "title", max_length=120)
    instruction = _text(instruction, "instruction")
    due_at = _due(due_at, now)
    order = SupervisionOrder.objects.create(
        kind=kind,
        unit=unit,
        issuer_unit=_issuer_unit(actor, unit),
        case=case,
        month=month,
        title=title,
        reply_due_at=due_at,
        issued_by=actor,
        issued_at=now,
    )
    OrderRound.objects.create(
        order=order,
        number=1,
        instruction=instruction,
        due_at=due_at,
        issued_by=actor,
        issued_at=now,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=order,
        reason="supervision order issued",
        request=request,
        extra={"unit": unit.code, "kind": kind, "case": case.pk if case else None},
    )
    _notify_unit(
        order,
        key="1",
        title_id="督办：%(title)s",
        body_id="请于 %(due)s 前书面回复。",
    )
    return order


def _current_round(order: SupervisionOrder) -> OrderRound:
    return OrderRound.objects.select_for_update().get(order=order, number=order.round)


def _locked(order: SupervisionOrder) -> SupervisionOrder:
    return SupervisionOrder.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_reply(
    *,
    actor: User,
    order: SupervisionOrder,
    reply: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> SupervisionOrder:
    """The addressed unit's written reply to the current round.

    Rule: only the unit's own staff reply (``can_reply``), once per round, and only while it
    awaits a reply; a late reply is accepted and stays marked late (``replied_late``) so the
    overdue record is never lost.
    """
    now = now or timezone.now()
    if not can_reply(actor, order):
        raise PermissionDenied(_("只有被督办单位的工作人员可以回复。"))
    order = _locked(order)
    if order.state != OrderState.ISSUED:
        raise ValidationError(_("该督办单当前不需要回复。"))
    current = _current_round(order)
    current.reply = _text(reply, "reply", min_length=5, max_length=4000)
    current.replied_by, current.replied_at = actor, now
    current.save(update_fields=["reply", "replied_by", "replied_at"])
    order.state = OrderState.REPLIED
    order.save(update_fields=["state"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=order,
        reason="supervision order replied",
        request=request,
        extra={"round": order.round, "late": current.replied_late},
    )
    title_id = "督办回复：%(title)s"
    notify(
        recipients=[order.issued_by, current.issued_by],
        kind=NotificationKind.SUPERVISE,
        title=_(title_id) % {"title": order.title},
        title_msg=msg(title_id, title=order.title),
        url=order_url(order),
        dedupe_key=f"supervision:{order.pk}:reply:{order.round}",
    )
    return order


@transaction.atomic
def order_accept(
    *,
    actor: User,
    order: SupervisionOrder,
    note: str = "",
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> SupervisionOrder:
    """Accept the reply (验收) and close the order.

    Rule: the issuer side reviews (``can_review``), never the addressed unit; only a reply can
    be accepted, so an order is never closed without the unit's written answer.
    """
    now = now or timezone.now()
    if not can_review(actor, order):
        raise PermissionDenied(_("只有督办单位可以验收。"))
    order = _locked(order)
    if order.state != OrderState.REPLIED:
        raise ValidationError(_("只有已回复的督办单可以验收。"))
    current = _current_round(order)
    current.outcome = RoundOutcome.ACCEPTED
    current.review_note = (note or "").replace("\x00", "").strip()[:2000]
    current.reviewed_by, current.reviewed_at = actor, now
    current.save(update_fields=["outcome", "review_note", "reviewed_by", "reviewed_at"])
    order.state, order.accepted_at = OrderState.ACCEPTED, now
    order.save(update_fields=["state", "accepted_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=order,
        reason="supervision order accepted",
        request=request,
        extra={"round": order.round},
    )
    _notify_unit(order, key="accepted", title_id="督办已验收：%(title)s", body_id="")
    return order


@transaction.atomic
def order_reissue(
    *,
    actor: User,
    order: SupervisionOrder,
    instruction: str,
    due_at: datetime | None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> SupervisionOrder:
    """Re-issue (重新督办): the reply is not enough, or none came by the deadline.

    Rule: the issuer side only (``can_review``); the current round is closed as re-issued and a
    new round opens with its own instruction and deadline, so the history of every round, its
    reply and its review stays on the record.
    """
    now = now or timezone.now()
    if not can_review(actor, order):
        raise PermissionDenied(_("只有督办单位可以重新督办。"))
    order = _locked(order)
    if not (order.state == OrderState.REPLIED or order.is_overdue(now)):
        raise ValidationError(_("只有已回复或逾期未回复的督办单可以重新督办。"))
    instruction = _text(instruction, "instruction")
    due_at = _due(due_at, now)
    current = _current_round(order)
    current.outcome = RoundOutcome.REISSUED
    current.reviewed_by, current.reviewed_at = actor, now
    current.review_note = instruction
    current.save(update_fields=["outcome", "review_note", "reviewed_by", "reviewed_at"])
    order.round += 1
    order.state, order.reply_due_at = OrderState.ISSUED, due_at
    order.save(update_fields=["round", "state", "reply_due_at"])
    OrderRound.objects.create(
        order=order,
        number=order.round,
        instruction=instruction,
        due_at=due_at,
        issued_by=actor,
        issued_at=now,
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=order,
        reason="supervision order re-issued",
        request=request,
        extra={"round": order.round},
    )
    _notify_unit(
        order,
        key=str(order.round),
        title_id="重新督办：%(title)s",
        body_id="请于 %(due)s 前书面回复。",
    )
    return order


def orders_overdue_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Tell the addressed unit and the issuer, once per round, that a reply deadline passed.

    Rule: an order awaiting its reply past the round's deadline is overdue (a query over the
    stored deadline, shown on every page at once); the sweep only sends the word, and marks the
    round as told so that running it twice, or late, sends nothing more (``lianxin worker``).
    """
    now = now or timezone.now()
    told = 0
    pending = (
        SupervisionOrder.objects.overdue(now)
        .filter(overdue_notified_round__lt=F("round"))
        .select_related("unit", "issued_by")
        .order_by("pk")
    )
    for order in pending.iterator():
        with transaction.atomic():
            marked = SupervisionOrder.objects.filter(
                pk=order.pk, overdue_notified_round__lt=order.round
            ).update(overdue_notified_round=order.round)
            if not marked:
                continue
            due = f"{timezone.localtime(order.reply_due_at):%Y-%m-%d %H:%M}"
            title_id, body_id = "督办逾期：%(title)s", "回复时限 %(due)s 已过，尚未书面回复。"
            notify(
                recipients=[*unit_staff(order.unit), order.issued_by],
                kind=NotificationKind.OVERDUE,
                title=_(title_id) % {"title": order.title},
                body=_(body_id) % {"due": due},
                title_msg=msg(title_id, title=order.title),
                body_msg=msg(body_id, due=due),
                url=order_url(order),
                dedupe_key=f"supervision:{order.pk}:overdue:{order.round}",
            )
        told += 1
    return {"overdue_notified": told}


# --- accountability decisions -----------------------------------------------------------------


@transaction.atomic
def decision_take(
    *,
    actor: User,
    unit: Unit,
    kind: str,
    reason: str,
    responsible: str,
    due_on: date | None,
    month: str = "",
    order: SupervisionOrder | None = None,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Take an accountability decision (约谈, 通报, 限期整改) on ``unit``.

    Rule: only the level above (``can_issue``); each decision names a responsible person and a
    due date so that it can be followed to closure; a linked order must be one on this unit.
    """
    now = now or timezone.now()
    if not can_issue(actor, unit):
        raise PermissionDenied(_("只有上级单位可以作出问责决定。"))
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("请选择问责方式。")})
    if order is not None and order.unit_id != unit.pk:
        raise ValidationError({"order": _("督办单不属于该单位。")})
    today = timezone.localdate(now)
    if due_on is None or not (today <= due_on <= today + timedelta(days=366)):
        raise ValidationError({"due_on": _("完成期限须在今天到一年之内。")})
    decision = Decision.objects.create(
        kind=kind,
        unit=unit,
        issuer_unit=_issuer_unit(actor, unit),
        month=clean_month(month),
        order=order,
        reason=_text(reason, "reason"),
        responsible=_text(responsible, "responsible", max_length=60),
        due_on=due_on,
        decided_by=actor,
        decided_at=now,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=decision,
        reason="accountability decision",
        request=request,
        extra={"unit": unit.code, "kind": kind},
    )
    title_id = "问责决定：%(kind)s"
    notify(
        recipients=unit_staff(unit),
        kind=NotificationKind.SUPERVISE,
        title=_(title_id) % {"kind": decision.get_kind_display()},
        title_msg=msg(title_id, kind=msg(KIND_MSGIDS[kind])),
        url=reverse("supervision:decision_detail", args=[decision.pk]),
        dedupe_key=f"supervision:decision:{decision.pk}",
    )
    return decision


def _open_decision(actor: User, decision: Decision) -> Decision:
    if not can_review(actor, decision):
        raise PermissionDenied(_("只有决定单位可以跟踪问责决定。"))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.state != DecisionState.OPEN:
        raise ValidationError(_("该问责决定已办结。"))
    return decision


@transaction.atomic
def decision_note(
    *,
    actor: User,
    decision: Decision,
    text: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> DecisionNote:
    """A dated follow-up note on an open decision (the issuer side follows it: ``can_review``)."""
    decision = _open_decision(actor, decision)
    note = DecisionNote.objects.create(
        decision=decision, text=_text(text, "text"), author=actor, created_at=now or timezone.now()
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=decision,
        reason="accountability follow-up",
        request=request,
    )
    return note


@transaction.atomic
def decision_close(
    *,
    actor: User,
    decision: Decision,
    note: str,
    now: datetime | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Close a decision (办结) with a closing note: the issuer side only, once."""
    decision = _open_decision(actor, decision)
    decision.closing_note = _text(note, "note")
    decision.state, decision.closed_at = DecisionState.CLOSED, now or timezone.now()
    decision.save(update_fields=["closing_note", "state", "closed_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=decision,
        reason="accountability closed",
        request=request,
    )
    return decision
