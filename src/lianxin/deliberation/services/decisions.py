"""Decisions and their follow-through: action items with progress, or a request in the
接诉即办 workflow, and publication on the 村务公开 page.

Rules enforced here:
- A decision is recorded on an item whose vote passed (a failed vote decides nothing); the
  item's topic becomes 已形成决议.
- An action item's owner is the deciding unit, a unit under it, a unit above it, or a
  department of the county or town above it (县住建局 repairs the road): someone who answers for
  it. Progress is 0-100; done sets 100 and the time; when every action of every decision on a
  topic is done (and no linked request is open), the topic is closed (已办结).
- A decision handed to 接诉即办 becomes a request through the cases intake service, on a grid of
  the deciding village, linked both ways (the decision names the request; the request page
  shows the decision through ``panels``).
- Publishing puts the decision, its actions, their owner units and progress on the public page;
  no name or phone is ever shown there.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Channel, State
from lianxin.cases.services import case_submit
from lianxin.deliberation.models import (
    ActionItem,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Decision,
    Topic,
    TopicStatus,
)
from lianxin.deliberation.services.common import clean_text, require, village_of
from lianxin.org.models import GRID_KINDS, Unit, UnitKind
from lianxin.org.scoping import user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.cases.models import Category

OPEN_CASE_STATES = (State.SUBMITTED, State.ACCEPTED, State.IN_PROGRESS)


@transaction.atomic
def decision_record(
    *, actor: User, item: AgendaItem, text: str, request: HttpRequest | None = None
) -> Decision:
    """Record what the meeting decided on a passed item (once per item)."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__unit")
        .get(pk=item.pk)
    )
    require(actor, "deliberation.convene_meeting", item.meeting)
    if not item.voted or not item.passed:
        raise ValidationError(_("只有表决通过的议程才能形成决议。"))
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(_("该议程已形成决议。"))
    decision = Decision.objects.create(
        item=item,
        unit=item.meeting.unit,
        text=clean_text(text, _("决议内容"), 2000),
        decided_by=actor,
    )
    if item.topic_id:
        Topic.objects.filter(pk=item.topic_id).exclude(status=TopicStatus.CLOSED).update(
            status=TopicStatus.DECIDED
        )
    audit_record(action=AuditAction.CREATE, actor=actor, target=decision, request=request)
    return decision


def owner_allowed(actor: User, decision: Decision, owner: Unit) -> bool:
    """See the module rules: the actor's subtree, the deciding unit's chain, or a department
    hanging off a unit above the deciding unit."""
    if user_scope(actor).covers(owner):
        return True
    chain = decision.unit.ancestor_paths()
    if owner.path in chain:
        return True
    return (
        owner.kind == UnitKind.DEPARTMENT
        and owner.parent is not None
        and owner.parent.path in chain
    )


@transaction.atomic
def action_add(
    *,
    actor: User,
    decision: Decision,
    owner_unit: Unit,
    title: str,
    due_on: date,
    request: HttpRequest | None = None,
) -> ActionItem:
    """An action item of a decision: who does what by when."""
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=decision.pk)
    )
    require(actor, "deliberation.convene_meeting", decision)
    if not owner_allowed(actor, decision, owner_unit):
        raise ValidationError({"owner_unit": _("责任单位须为本单位、上级单位或其职能部门。")})
    if due_on < timezone.localdate(decision.created_at):
        raise ValidationError({"due_on": _("完成时限不能早于决议日期。")})
    action = ActionItem.objects.create(
        decision=decision,
        owner_unit=owner_unit,
        title=clean_text(title, _("落实事项"), 100),
        due_on=due_on,
    )
    _reopen_topic(decision)
    audit_record(action=AuditAction.CREATE, actor=actor, target=action, request=request)
    return action


def _topic_of(decision: Decision) -> Topic | None:
    item = decision.item
    return item.topic if item.topic_id else None


def _reopen_topic(decision: Decision) -> None:
    topic = _topic_of(decision)
    if topic is not None and topic.status == TopicStatus.CLOSED:
        Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.DECIDED)


def _close_topic_if_done(topic: Topic | None) -> None:
    if topic is None or topic.status == TopicStatus.CLOSED:
        return
    decisions = Decision.objects.filter(item__topic=topic)
    if not decisions.exists():
        return
    pending = ActionItem.objects.filter(decision__in=decisions).exclude(status=ActionStatus.DONE)
    cases_open = decisions.filter(case__state__in=OPEN_CASE_STATES)
    if not pending.exists() and not cases_open.exists():
        Topic.objects.filter(pk=topic.pk).update(status=TopicStatus.CLOSED)


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: ActionItem,
    note: str,
    progress: int,
    done: bool = False,
    request: HttpRequest | None = None,
) -> ActionItem:
    """A progress report by the owner unit (or the deciding unit); ``done`` closes the item."""
    action = (
        ActionItem.objects.select_for_update(of=("self",))
        .select_related("decision__unit", "owner_unit", "decision__item__topic")
        .get(pk=action.pk)
    )
    require(actor, "deliberation.track_action", action)
    if action.status == ActionStatus.DONE:
        raise ValidationError(_("该事项已完成。"))
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": _("进度须在 0 到 100 之间。")})
    note = clean_text(note, _("进展情况"), 300)
    if done:
        progress = 100
    ActionUpdate.objects.create(action=action, note=note, progress=progress, actor=actor)
    action.progress = progress
    if done:
        action.status, action.done_at = ActionStatus.DONE, timezone.now()
    elif progress > 0:
        action.status = ActionStatus.DOING
    action.save(update_fields=["progress", "status", "done_at", "updated_at"])
    if done:
        _close_topic_if_done(_topic_of(action.decision))
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=action,
        reason="done" if done else "progress",
        extra={"progress": progress},
        request=request,
    )
    return action


def _grid_for(decision: Decision, grid: Unit | None) -> Unit:
    village = village_of(decision.unit)
    if grid is not None:
        if grid.kind not in GRID_KINDS or not grid.is_under(village):
            raise ValidationError({"grid": _("请选择本村（社区）的网格。")})
        return grid
    first = Unit.objects.filter(parent=village, kind__in=GRID_KINDS).order_by("code").first()
    if first is None:
        raise ValidationError({"grid": _("本村（社区）尚未划分网格，不能转为诉求。")})
    return first


@transaction.atomic
def decision_to_case(
    *,
    actor: User,
    decision: Decision,
    category: Category,
    grid: Unit | None = None,
    request: HttpRequest | None = None,
):
    """Hand a decision to 接诉即办: a request through the cases intake service (staff channel,
    so the clerk is its first receiver), linked both ways; once per decision."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("unit", "item__meeting", "case")
        .get(pk=decision.pk)
    )
    require(actor, "deliberation.convene_meeting", decision)
    if decision.case_id:
        raise ValidationError(_("该决议已转为诉求。"))
    grid = _grid_for(decision, grid)
    if not user_scope(actor).covers(grid):
        raise PermissionDenied("deliberation.convene_meeting")
    meeting = decision.item.meeting
    case, _created = case_submit(
        title=decision.item.title[:80],
        description=_("%(meeting)s决议：%(text)s")
        % {"meeting": meeting.title, "text": decision.text},
        category=category,
        grid=grid,
        channel=Channel.STAFF,
        reporter_name=(actor.display_name or actor.get_username())[:50],
        reporter_phone=actor.phone or decision.unit.phone or "-",
        created_by=actor,
        idempotency_key=f"deliberation-decision-{decision.pk}",
    )
    decision.case = case
    decision.save(update_fields=["case", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=decision, reason="to case", request=request
    )
    return case


@transaction.atomic
def decision_publish(
    *, actor: User, decision: Decision, publish: bool = True, request: HttpRequest | None = None
) -> Decision:
    """Put a decision on (or take it off) the community's 村务公开 page."""
    decision = (
        Decision.objects.select_for_update(of=("self",)).select_related("unit").get(pk=decision.pk)
    )
    require(actor, "deliberation.convene_meeting", decision)
    decision.published_at = timezone.now() if publish else None
    decision.save(update_fields=["published_at", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=decision,
        reason="published" if publish else "unpublished",
        request=request,
    )
    return decision
