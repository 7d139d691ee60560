"""常用语: the county administrator's canned replies for the 办结, 退回 and 不予受理 boxes.

Rules: only ``cases.manage_canned_reply`` (the county administrator) creates, edits,
deactivates or activates one; every change is one transaction that appends an audit row with
the values before and after. A reply is never deleted (deactivated, it is no longer offered).
The handler's forms offer the active replies of the request's category, of its parent category,
and those for every category (``replies_for``), in their order; the text is inserted into the
box and edited there before sending, so a reply never decides anything itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import CannedPurpose, CannedReply, Case, Category
from lianxin.cases.services.machine import CaseError

if TYPE_CHECKING:
    from django.http import HttpRequest

    from lianxin.accounts.models import User

MANAGE_PERM = "cases.manage_canned_reply"
TEXT_MAX = 500
ORDER_MAX = 32767


def _check(actor: User | None) -> None:
    if actor is None or not actor.has_perm(MANAGE_PERM):
        raise PermissionDenied(MANAGE_PERM)


def _snapshot(reply: CannedReply) -> dict[str, Any]:
    return {
        "category": reply.category.code if reply.category is not None else None,
        "purpose": reply.purpose,
        "text": reply.text,
        "order": reply.order,
        "active": reply.active,
    }


def _clean(purpose: str, text: str, order: int | None) -> tuple[str, str, int]:
    if purpose not in CannedPurpose.values:
        raise CaseError(_("请选择常用语的用途。"))
    text = (text or "").strip()
    if not text:
        raise CaseError(_("请填写常用语内容。"))
    if len(text) > TEXT_MAX:
        raise CaseError(_("常用语最多 %(n)d 个字。") % {"n": TEXT_MAX})
    order = order or 0
    if not 0 <= order <= ORDER_MAX:
        raise CaseError(_("排序应为 0 到 %(n)d 之间的整数。") % {"n": ORDER_MAX})
    return purpose, text, order


@transaction.atomic
def canned_reply_create(
    *,
    actor: User,
    purpose: str,
    text: str,
    category: Category | None = None,
    order: int | None = 0,
    request: HttpRequest | None = None,
) -> CannedReply:
    _check(actor)
    purpose, text, order = _clean(purpose, text, order)
    reply = CannedReply.objects.create(category=category, purpose=purpose, text=text, order=order)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=reply,
        target_repr=text[:50],
        request=request,
        extra={"after": _snapshot(reply)},
    )
    return reply


@transaction.atomic
def canned_reply_update(
    *,
    actor: User,
    reply: CannedReply,
    purpose: str,
    text: str,
    category: Category | None = None,
    order: int | None = 0,
    request: HttpRequest | None = None,
) -> CannedReply:
    _check(actor)
    purpose, text, order = _clean(purpose, text, order)
    reply = CannedReply.objects.select_for_update().get(pk=reply.pk)
    before = _snapshot(reply)
    reply.category, reply.purpose, reply.text, reply.order = category, purpose, text, order
    reply.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=reply,
        target_repr=text[:50],
        request=request,
        extra={"before": before, "after": _snapshot(reply)},
    )
    return reply


@transaction.atomic
def canned_reply_set_active(
    *, actor: User, reply: CannedReply, active: bool, request: HttpRequest | None = None
) -> CannedReply:
    _check(actor)
    reply = CannedReply.objects.select_for_update().get(pk=reply.pk)
    if reply.active == active:
        return reply
    before = _snapshot(reply)
    reply.active = active
    reply.save(update_fields=["active", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=reply,
        target_repr=reply.text[:50],
        request=request,
        extra={"before": before, "after": _snapshot(reply)},
    )
    return reply


# --- reads ------------------------------------------------------------------------------------


def canned_list() -> QuerySet[CannedReply]:
    """Every reply (active first), for the administrator's screen."""
    return CannedReply.objects.select_related("category").order_by(
        "-active", "purpose", "category__sort_order", "order", "id"
    )


def replies_for(case: Case, purpose: str) -> list[CannedReply]:
    """The active replies offered on ``case``'s form for ``purpose``: its category's, its
    parent category's and those for every category, in their order."""
    cats = [case.category_id]
    parent_id = case.category.parent_id
    if parent_id:
        cats.append(parent_id)
    return list(
        CannedReply.objects.filter(active=True, purpose=purpose)
        .filter(Q(category__isnull=True) | Q(category_id__in=cats))
        .order_by("order", "id")
    )


def replies_by_purpose(case: Case) -> dict[str, list[CannedReply]]:
    """One query: the replies of every purpose offered on ``case``'s forms."""
    cats = [case.category_id, *([case.category.parent_id] if case.category.parent_id else [])]
    out: dict[str, list[CannedReply]] = {p: [] for p in CannedPurpose.values}
    rows = (
        CannedReply.objects.filter(active=True)
        .filter(Q(category__isnull=True) | Q(category_id__in=cats))
        .order_by("order", "id")
    )
    for row in rows:
        out[row.purpose].append(row)
    return out


def canned_text(purpose: str, pk: int | None) -> str:
    """The text of an active reply of ``purpose`` (the no-JS select): '' when there is none."""
    if pk is None:
        return ""
    row = CannedReply.objects.filter(pk=pk, purpose=purpose, active=True).first()
    return row.text if row is not None else ""
