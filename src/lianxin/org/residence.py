"""Which community a self-registered resident lives in: chosen at registration, confirmed by
a clerk (issue 9: "a resident who registers by phone is linked to no community").

The resident picks their village (town → village) when registering; that choice is a
``ResidenceClaim`` *pending* confirmation and gives no access by itself: anyone can type any
village, and a village's rooms, events and wishes (whose beneficiaries are named) are for the
people who live there. Until a clerk confirms, the resident's home page says which community
is awaiting confirmation and who confirms it; their home area is empty, so they are offered
no village's rooms, events or wishes, and the public pages (反映诉求, 查询进度) work as for
anyone.

A clerk — village staff of that village, town staff of its town, or a county admin — sees the
pending residents of their area and confirms the choice or corrects it to another village in
their own area. Confirming grants the resident membership at the village, the one thing a
home area is made of (``org.scoping.home_units``), so rooms, events and wishes of that village
then appear. Every decision is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.org.models import VILLAGE_KINDS, ResidenceClaim, ResidenceStatus, Role, Unit
from lianxin.org.scoping import covers_as, forget_scope, scope_queryset_for_roles
from lianxin.org.services import membership_grant

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Who may confirm a resident's community: the clerks of the village and of the units above it.
CLERK_ROLES = (Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.COUNTY_ADMIN)


def _check_village(unit: Unit | None) -> Unit:
    if unit is None or unit.kind not in VILLAGE_KINDS or not unit.is_active:
        raise ValidationError(_("请选择所在的村（社区）。"), code="village")
    return unit


@transaction.atomic
def residence_claim_create(*, user: Any, unit: Unit, request=None) -> ResidenceClaim:
    """Record the community a new resident chose at registration, pending a clerk's confirmation."""
    _check_village(unit)
    claim = ResidenceClaim.objects.create(user=user, unit=unit, chosen_unit=unit)
    audit_record(
        action=AuditAction.CREATE,
        actor=user,
        target=claim,
        reason=f"residence pending @ {unit.code}",
        request=request,
    )
    return claim


def may_decide(user: Any, claim: ResidenceClaim) -> bool:
    """A clerk of the claimed village or above (``CLERK_ROLES``) decides a pending claim."""
    return claim.status == ResidenceStatus.PENDING and covers_as(user, claim.unit, *CLERK_ROLES)


@transaction.atomic
def residence_claim_confirm(
    *, claim: ResidenceClaim, actor: User, unit: Unit | None = None, request=None
) -> ResidenceClaim:
    """Confirm a pending claim, or correct it to ``unit`` (a village in the actor's own area).

    The claim is locked so two clerks deciding at once give one decision; the resident then
    holds a resident membership at the village, which makes it their home area.
    """
    claim = ResidenceClaim.objects.select_for_update().select_related("unit").get(pk=claim.pk)
    if not may_decide(actor, claim):
        if claim.status != ResidenceStatus.PENDING:
            raise ValidationError(_("该居民的所在社区已确认。"), code="decided")
        raise PermissionDenied
    target = _check_village(unit or claim.unit)
    if not covers_as(actor, target, *CLERK_ROLES):
        raise ValidationError(_("只能改为本辖区内的村（社区）。"), code="out_of_scope")
    before = claim.unit
    claim.unit = target
    claim.status = ResidenceStatus.CONFIRMED
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    claim.save(update_fields=["unit", "status", "decided_by", "decided_at"])
    membership_grant(user=claim.user, unit=target, role=Role.RESIDENT, actor=actor)
    forget_scope(claim.user)
    reason = (
        f"residence confirmed @ {target.code}"
        if before.pk == target.pk
        else f"residence corrected {before.code} -> {target.code}"
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=claim, reason=reason, request=request
    )
    return claim


def pending_claims(*, user: Any) -> QuerySet[ResidenceClaim]:
    """Pending claims of villages in the subtrees where the user is a clerk (``CLERK_ROLES``)."""
    qs = ResidenceClaim.objects.filter(status=ResidenceStatus.PENDING).select_related(
        "user", "unit", "unit__parent", "chosen_unit"
    )
    return scope_queryset_for_roles(qs, user, CLERK_ROLES, fields=("unit",)).order_by(
        "created_at", "id"
    )


def pending_claim_get(*, user: Any, pk: int) -> ResidenceClaim | None:
    """One pending claim the user may decide, or None (outside their area: a 404)."""
    return pending_claims(user=user).filter(pk=pk).first()


def claim_of(user: Any) -> ResidenceClaim | None:
    """The user's own claim, if they registered with one."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ResidenceClaim.objects.filter(user=user).select_related("unit", "unit__parent").first()


def clerk_villages(user: Any) -> QuerySet[Unit]:
    """Villages a clerk may correct a claim to: the active villages of their clerk subtrees."""
    qs = Unit.objects.filter(kind__in=VILLAGE_KINDS, is_active=True)
    return scope_queryset_for_roles(qs, user, CLERK_ROLES, fields=("",))
