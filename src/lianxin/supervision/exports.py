"""The 督办单 list as .xlsx through the one export mechanism (``lianxin.jobs.exports``): the rows
the list shows under its filters, read as the requesting user, every cell text or typed (never a
formula), the issuer's login masked; each export audited here."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.masking import mask_login
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.supervision import selectors
from lianxin.supervision.models import SupervisionOrder

ORDERS_BUILDER = "lianxin.supervision.exports.order_sheets"


def _issuer(o: SupervisionOrder) -> str:
    return o.issued_by.display_name or mask_login(o.issued_by.get_username())


def order_sheets(*, actor: User, params: dict[str, Any], request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the orders of the list under ``params``; audited."""
    f = selectors.order_filters(params)
    now = timezone.now()
    orders = selectors.order_list(user=actor, filters=f, now=now)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="supervision orders",
        reason="supervision orders xlsx",
        request=request,
        extra={"filters": f},
    )
    columns = [
        Column(_("编号"), "code", width=10),
        Column(_("督办类型"), lambda o: o.get_kind_display(), width=10),
        Column(_("督办事项"), "title", width=30),
        Column(_("被督办单位"), "unit.name", width=18),
        Column(_("督办单位"), "issuer_unit.name", width=18),
        Column(_("诉求编号"), lambda o: o.case.code if o.case_id else "", width=16),
        Column(_("排名月份"), "month", width=9),
        Column(_("督办人"), _issuer, width=12),
        Column(_("督办时间"), "issued_at", kind="datetime", width=17),
        Column(_("轮次"), "round", kind="int", width=6),
        Column(_("回复时限"), "reply_due_at", kind="datetime", width=17),
        Column(_("状态"), lambda o: o.get_state_display(), width=8),
        Column(_("逾期未回复"), lambda o: _("是") if o.is_overdue(now) else "", width=10),
        Column(_("验收时间"), "accepted_at", kind="datetime", width=17),
    ]
    sheet = Sheet(_("督办单"), columns, orders.iterator(chunk_size=1000), scope=scope_label(actor))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _("督办单-%(date)s.xlsx") % {"date": stamp}, [sheet]
