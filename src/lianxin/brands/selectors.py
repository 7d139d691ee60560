"""Scoped reads for 党建品牌 and 合理化建议."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.models import User
from lianxin.brands.models import BrandProject, BrandReview, Proposal
from lianxin.org.models import (
    Unit,
    UnitKind,
)
from lianxin.org.scoping import scoped_units, user_scope


def party_org_units(*, user: User) -> QuerySet[Unit]:
    """Party organisations in scope (who may submit a 党建品牌)."""
    return scoped_units(user, UnitKind.PARTY_ORG).order_by("path")[:500]


# ------------------------------------------------------------------------------ brands and proposals
def brand_list(*, user: User, status: str = "") -> QuerySet[BrandProject]:
    qs = BrandProject.objects.visible_to(user).select_related("unit", "unit__parent")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def brand_get(*, user: User, pk: int) -> BrandProject:
    project = (
        BrandProject.objects.visible_to(user)
        .select_related("unit", "unit__parent", "submitted_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def brand_reviews(*, project: BrandProject) -> QuerySet[BrandReview]:
    return project.reviews.select_related("reviewer")


def proposal_unit(*, user: User) -> Unit | None:
    """The unit a proposal is filed under: the user's first membership."""
    return next((m.unit for m in user_scope(user).memberships), None)


def proposal_list(*, user: User, status: str = "") -> QuerySet[Proposal]:
    qs = (
        Proposal.objects.visible_to(user)
        if user_scope(user).is_staff
        else Proposal.objects.filter(submitted_by=user)
    )
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("unit", "submitted_by").order_by("-created_at", "-id")


def proposal_get(*, user: User, pk: int) -> Proposal:
    qs = Proposal.objects.select_related("unit", "submitted_by", "reviewed_by")
    proposal = (
        qs.visible_to(user).filter(pk=pk).first() or qs.filter(pk=pk, submitted_by=user).first()
    )
    if proposal is None:
        raise Http404
    return proposal
