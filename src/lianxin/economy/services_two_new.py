"""Writes on the 两新组织 ledger: marking an enterprise as 新业态.

Rules enforced here, and why:
- only an active enterprise (企业) can be 新业态; a social organisation is its own column;
- the mark is set by the county admin or the town staff whose subtree holds the enterprise
  (``rules.may_mark_new_economy``): who keeps the town's 两新 table;
- marking twice, or unmarking an unmarked one, writes nothing; every change is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.economy.models import NewEconomyEnterprise
from lianxin.economy.rules import may_mark_new_economy
from lianxin.org.models import Unit, UnitKind


@transaction.atomic
def new_economy_set(
    *, actor: User, unit: Unit, flag: bool, request: HttpRequest | None = None
) -> bool:
    """Mark (``flag``) or unmark ``unit`` as 新业态企业. Returns whether anything changed."""
    if not may_mark_new_economy.test(actor, unit):
        raise PermissionDenied(_("只有所属乡镇或县级管理员可以标记新业态企业。"))
    if unit.kind != UnitKind.ENTERPRISE or not unit.is_active:
        raise ValidationError(_("只有启用的企业可以标记为新业态企业。"))
    row = NewEconomyEnterprise.objects.select_for_update().filter(unit=unit).first()
    if flag and row is None:
        row = NewEconomyEnterprise.objects.create(unit=unit, marked_by=actor)
        audit_record(
            action=AuditAction.CREATE, actor=actor, target=row, request=request, reason="新业态"
        )
        return True
    if not flag and row is not None:
        audit_record(
            action=AuditAction.DELETE, actor=actor, target=row, request=request, reason="新业态"
        )
        row.delete()
        return True
    return False
