"""Writes of 提升计划: saving a plan (funds add up) and advancing it stage by stage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.venues.models import (
    FUND_FIELDS,
    PLAN_NEXT,
    PlanStatus,
    UpgradePlan,
    Venue,
)

if TYPE_CHECKING:
    from lianxin.accounts.models import User
from lianxin.venues.rules import require
from lianxin.venues.services.archive import _require_scope

# --- upgrade plans ----------------------------------------------------------------------------


def _check_funds(plan: UpgradePlan) -> None:
    total = sum((getattr(plan, f) or Decimal("0")) for f in FUND_FIELDS)
    if any((getattr(plan, f) or 0) < 0 for f in FUND_FIELDS) or (plan.budget or 0) < 0:
        raise ValidationError(_("金额不能为负数。"))
    if total != plan.budget:
        raise ValidationError(
            {
                "budget": _("各渠道资金合计 %(total)s 万元，与预算 %(budget)s 万元不一致。")
                % {"total": total, "budget": plan.budget}
            }
        )


@transaction.atomic
def plan_save(
    *,
    actor: User,
    venue: Venue,
    values: dict[str, Any],
    plan: UpgradePlan | None = None,
    request=None,
) -> UpgradePlan:
    """提升计划: one per venue and year; the funding parts must add up to the budget.

    Rule: town or county staff (``venues.manage_plan``) covering the venue."""
    require(actor, "venues.manage_plan")
    _require_scope(actor, venue.unit)
    created = plan is None
    plan = plan or UpgradePlan(venue=venue, created_by=actor)
    for name, value in values.items():
        setattr(plan, name, value)
    _check_funds(plan)
    if UpgradePlan.objects.filter(venue=venue, year=plan.year).exclude(pk=plan.pk).exists():
        raise ValidationError({"year": _("该阵地本年度已有提升计划。")})
    plan.full_clean(exclude=["venue"], validate_constraints=False)
    plan.save()
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        target=plan,
        request=request,
    )
    return plan


@transaction.atomic
def plan_advance(*, actor: User, plan: UpgradePlan, on_date: date | None = None) -> UpgradePlan:
    """Move a plan one step: planned → funded → under construction → accepted, with the date."""
    plan = UpgradePlan.objects.select_for_update().select_related("venue__unit").get(pk=plan.pk)
    _require_scope(actor, plan.venue.unit)
    nxt = PLAN_NEXT.get(plan.status)
    if nxt is None:
        raise ValidationError(_("该计划已验收。"))
    on_date = on_date or timezone.localdate()
    previous = [d for d in (plan.funded_on, plan.started_on) if d]
    if previous and on_date < max(previous):
        raise ValidationError(_("日期不能早于上一阶段。"))
    plan.status = nxt
    if nxt == PlanStatus.FUNDED:
        plan.funded_on = on_date
    elif nxt == PlanStatus.UNDER_CONSTRUCTION:
        plan.started_on = on_date
    else:
        plan.accepted_on = on_date
    plan.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=plan, reason=f"status {nxt}")
    return plan
