"""Audit reads. Rows name actors across the tree, so only county admins and supervisors read them,
and only rows whose actor holds a membership in their subtree (or no membership at all)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from lianxin.audit.models import AuditEvent
from lianxin.org.models import Membership


def audit_event_list(*, user, action: str = "", q: str = "") -> QuerySet[AuditEvent]:
    visible_members = Membership.objects.visible_to(user)
    qs = AuditEvent.objects.filter(
        Exists(visible_members.filter(user=OuterRef("actor"))) | Q(actor__isnull=True)
    )
    if user.is_superuser:
        qs = AuditEvent.objects.all()
    if action:
        qs = qs.filter(action=action)
    if q:
        qs = qs.filter(Q(actor_name__contains=q) | Q(target_repr__contains=q))
    return qs.order_by("-created_at", "-id")
