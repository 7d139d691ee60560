"""Writes on 党建品牌 and 合理化建议.

Rules enforced here (each cites its mechanism):
- 党建品牌 are submitted by staff over a party organisation, and approved and reviewed at the
  level strictly above the body that owns it (``rules.is_level_above``), once a year.
- 合理化建议 are filed by a member of the unit, reviewed by staff over it; an adopted proposal
  has a due date and is tracked to implementation.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.brands.models import (
    BrandProject,
    BrandRating,
    BrandReview,
    BrandStatus,
    Proposal,
    ProposalStatus,
)
from lianxin.brands.rules import is_level_above
from lianxin.org.models import Unit
from lianxin.org.scoping import require_covers, user_scope

if TYPE_CHECKING:
    pass


def _require_staff_over(actor: User, unit: Unit, perm: str) -> None:
    require_covers(actor, unit, message=perm)


# ============================================================================ brands and proposals
@transaction.atomic
def brand_submit(*, actor: User, unit: Unit, name: str, summary: str, request=None) -> BrandProject:
    """A party organisation registers a 党建品牌: staff over it, only a ``party_org`` unit, a
    summary of at least 10 characters, names unique per organisation. Audited."""
    _require_staff_over(actor, unit, "brands.manage_brand")
    if unit.kind != "party_org":
        raise ValidationError(_("党建品牌由党组织申报。"))
    if len(summary.strip()) < 10:
        raise ValidationError({"summary": _("请写明品牌内涵（至少 10 个字）。")})
    if BrandProject.objects.filter(unit=unit, name=name.strip()).exists():
        raise ValidationError(_("该党组织已申报过同名品牌。"))
    project = BrandProject.objects.create(
        unit=unit, name=name.strip(), summary=summary.strip(), submitted_by=actor
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=project, request=request)
    return project


@transaction.atomic
def brand_decide(
    *, actor: User, project: BrandProject, approve: bool, note: str = "", request=None
) -> BrandProject:
    """Approve or reject a submitted brand: only staff of the level strictly above the owning
    body (``rules.is_level_above``), once; a rejection needs a reason. Locked, audited."""
    project = (
        BrandProject.objects.select_for_update(of=("self",))
        .select_related("unit__parent")
        .get(pk=project.pk)
    )
    if not is_level_above(actor, project.unit):
        raise PermissionDenied(_("党建品牌由上级党组织审批。"))
    if project.status != BrandStatus.SUBMITTED:
        raise ValidationError(_("该品牌已审批。"))
    if not approve and len(note.strip()) < 2:
        raise ValidationError(_("不予命名时请写明理由。"))
    project.status = BrandStatus.APPROVED if approve else BrandStatus.REJECTED
    project.decided_by, project.decided_at, project.decision_note = (
        actor,
        timezone.now(),
        note.strip()[:300],
    )
    project.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=project,
        reason=project.status,
        request=request,
    )
    return project


@transaction.atomic
def brand_review(
    *, actor: User, project: BrandProject, year: int, rating: str, comment: str = "", request=None
) -> BrandReview:
    """The yearly review of an approved brand by the level above: a known rating, once per year
    (unique (project, year)). Audited."""
    if not is_level_above(actor, project.unit):
        raise PermissionDenied(_("党建品牌由上级党组织评审。"))
    if project.status != BrandStatus.APPROVED:
        raise ValidationError(_("只有已命名的品牌参加年度评审。"))
    if rating not in BrandRating.values:
        raise ValidationError(_("请选择评定等次。"))
    try:
        with transaction.atomic():
            review = BrandReview.objects.create(
                project=project, year=year, rating=rating, comment=comment[:300], reviewer=actor
            )
    except IntegrityError as exc:
        raise ValidationError(_("该品牌本年度已评审。")) from exc
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=project,
        reason=f"review {year} {rating}",
        request=request,
    )
    return review


@transaction.atomic
def proposal_submit(*, actor: User, unit: Unit, title: str, content: str, request=None) -> Proposal:
    """File a 合理化建议 under a unit the actor belongs to (or covers as staff); title and content
    required. Audited."""
    scope = user_scope(actor)
    if not any(m.unit.pk == unit.pk for m in scope.memberships) and not scope.covers(unit):
        raise PermissionDenied("brands.submit_proposal")
    if len(title.strip()) < 2 or len(content.strip()) < 5:
        raise ValidationError(_("请写明建议标题和内容。"))
    proposal = Proposal.objects.create(
        unit=unit, title=title.strip(), content=content.strip(), submitted_by=actor
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=proposal, request=request)
    return proposal


@transaction.atomic
def proposal_review(
    *,
    actor: User,
    proposal: Proposal,
    adopt: bool,
    note: str = "",
    due: date | None = None,
    request=None,
) -> Proposal:
    """Adopt or decline a submitted proposal: staff over its unit, once; adopting sets a due date,
    declining needs a reason. Locked, audited."""
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    _require_staff_over(actor, proposal.unit, "brands.review_proposal")
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("该建议已评审。"))
    if adopt and due is None:
        raise ValidationError({"due": _("采纳的建议请设定落实期限。")})
    if not adopt and len(note.strip()) < 2:
        raise ValidationError({"note": _("未采纳时请写明理由。")})
    proposal.status = ProposalStatus.ADOPTED if adopt else ProposalStatus.NOT_ADOPTED
    proposal.reviewed_by, proposal.reviewed_at = actor, timezone.now()
    proposal.review_note, proposal.implementation_due = note.strip()[:300], due
    proposal.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "implementation_due",
            "updated_at",
        ]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=proposal,
        reason=proposal.status,
        request=request,
    )
    return proposal


@transaction.atomic
def proposal_implement(*, actor: User, proposal: Proposal, note: str, request=None) -> Proposal:
    """Record the implementation of an adopted proposal: staff over its unit, with a note.
    Locked, audited."""
    proposal = Proposal.objects.select_for_update().select_related("unit").get(pk=proposal.pk)
    _require_staff_over(actor, proposal.unit, "brands.review_proposal")
    if proposal.status != ProposalStatus.ADOPTED:
        raise ValidationError(_("只有已采纳的建议可以登记落实。"))
    if len(note.strip()) < 2:
        raise ValidationError({"note": _("请填写落实情况。")})
    proposal.status = ProposalStatus.IMPLEMENTED
    proposal.implementation_note, proposal.implemented_at = note.strip()[:300], timezone.now()
    proposal.save(update_fields=["status", "implementation_note", "implemented_at", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=proposal,
        reason="implemented",
        request=request,
    )
    return proposal
