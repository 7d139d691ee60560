"""Quorum, minutes and the show-of-hands vote on an agenda item.

Rules enforced here:
- Quorum by the meeting's rule over the invited: more than half, or at least two thirds, of
  the invited present (walk-ins count as present, not as invited); no vote without it.
- A vote's for + against + abstain cannot exceed those present; the item passes by the
  meeting's rule over those present: more than half, or at least two thirds, voting for.
- Recording a vote (or minutes) marks the meeting held.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.deliberation.models import AgendaItem, Meeting, MeetingStatus, QuorumRule, VoteRule
from lianxin.deliberation.services.common import require

if TYPE_CHECKING:
    from lianxin.accounts.models import User


@dataclass(frozen=True)
class Quorum:
    invited: int
    present: int
    needed: int  # present needed by the rule (0: no quorum rule)
    rule: str

    @property
    def met(self) -> bool:
        return self.present >= self.needed and self.present > 0


def needed_for(rule: str, invited: int) -> int:
    """How many of ``invited`` must be present under ``rule``."""
    if rule == QuorumRule.HALF:
        return invited // 2 + 1
    if rule == QuorumRule.TWO_THIRDS:
        return -(-2 * invited // 3)
    return 0


def quorum(meeting: Meeting) -> Quorum:
    rows = meeting.attendances.all()
    invited = rows.filter(invited=True).count()
    present = rows.filter(checked_in_at__isnull=False).count()
    return Quorum(invited, present, needed_for(meeting.quorum_rule, invited), meeting.quorum_rule)


def passes(rule: str, votes_for: int, present: int) -> bool:
    """Whether ``votes_for`` of ``present`` carries the item under ``rule``."""
    if present <= 0:
        return False
    if rule == VoteRule.TWO_THIRDS:
        return 3 * votes_for >= 2 * present
    return 2 * votes_for > present


def _lock(item: AgendaItem) -> AgendaItem:
    return (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__unit")
        .get(pk=item.pk)
    )


def _held(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if meeting.status != MeetingStatus.HELD:
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
        meeting.status = MeetingStatus.HELD


@transaction.atomic
def minutes_record(
    *, actor: User, item: AgendaItem, minutes: str, request: HttpRequest | None = None
) -> AgendaItem:
    """The recorder's minutes of one item (replacing what was there)."""
    item = _lock(item)
    require(actor, "deliberation.convene_meeting", item.meeting)
    _held(item.meeting)
    item.minutes = (minutes or "").strip()[:4000]
    item.save(update_fields=["minutes", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=item, reason="minutes", request=request
    )
    return item


@transaction.atomic
def vote_record(
    *,
    actor: User,
    item: AgendaItem,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """The show of hands on one item, counted by the clerk (see the module rules)."""
    item = _lock(item)
    meeting = item.meeting
    require(actor, "deliberation.convene_meeting", meeting)
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError(_("票数不能为负数。"))
    q = quorum(meeting)
    if not q.met:
        raise ValidationError(
            ngettext(
                "到会 %(p)d 人，未达到法定人数（%(n)d 人），不能表决。",
                "到会 %(p)d 人，未达到法定人数（%(n)d 人），不能表决。",
                q.needed,
            )
            % {"p": q.present, "n": q.needed}
        )
    if votes_for + votes_against + votes_abstain > q.present:
        raise ValidationError(
            _("赞成、反对、弃权合计不能超过到会人数（%(p)d 人）。") % {"p": q.present}
        )
    _held(meeting)
    item.votes_for, item.votes_against, item.votes_abstain = (
        votes_for,
        votes_against,
        votes_abstain,
    )
    item.present_at_vote = q.present
    item.voted = True
    item.passed = passes(meeting.vote_rule, votes_for, q.present)
    item.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=item,
        reason="vote",
        extra={"for": votes_for, "against": votes_against, "abstain": votes_abstain},
        request=request,
    )
    return item
