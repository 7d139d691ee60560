"""The audit log as .xlsx, with the list's filters (action, search): the rows the audit page
shows the exporting user (``selectors.audit_event_list``: county admins and supervisors, rows
whose actor is in their subtree), up to the newest row at the moment of the click, so the
file is the list as it stood (the export's own audit row, and rows written while a large
export waits for the worker, are not in it). Account names and objects that are phone-number
logins leave masked, as on the page. Written through ``lianxin.core.spreadsheets`` (text cells,
never formulas), by the worker above ``LIANXIN_EXPORT_INLINE_ROWS`` rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.selectors import audit_event_list
from lianxin.audit.services import audit_record
from lianxin.core import params as p
from lianxin.core.masking import mask_login
from lianxin.core.spreadsheets import Column, Sheet, scope_label

BUILDER = "lianxin.audit.exports.audit_sheets"


def audit_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The audit list's filters from its query string (JSON-able): the list and its export
    read them here."""
    return {
        "action": p.get_str(query, "action", max_length=40),
        "q": p.get_str(query, "q"),
    }


def audit_rows(*, actor, params: Mapping[str, Any]):
    qs = audit_event_list(user=actor, action=params["action"], q=params["q"])
    if params.get("until") is not None:
        qs = qs.filter(id__lte=params["until"])
    return qs


def newest_id(*, actor, params: Mapping[str, Any]) -> int:
    """The newest row the list shows now (0 for none): the export's upper bound."""
    return audit_rows(actor=actor, params=params).values_list("id", flat=True).first() or 0


def audit_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the audit rows under ``params``; audited itself."""
    rows = audit_rows(actor=actor, params=params)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="audit log",
        reason="audit log xlsx",
        request=request,
        extra={"filters": {k: params[k] for k in ("action", "q") if params.get(k)}},
    )
    columns = [
        Column(_("时间"), "created_at", kind="datetime", width=17),
        Column(_("操作人"), lambda e: mask_login(e.actor_name), width=16),
        Column(_("动作"), lambda e: e.get_action_display(), width=14),
        Column(_("对象"), lambda e: mask_login(e.target_repr), width=28),
        Column(_("事由"), "reason", width=30),
        Column(_("结果"), "outcome", width=8),
        Column(_("IP 地址"), lambda e: e.ip_address or "", width=15),
    ]
    stamp = timezone.localdate().strftime("%Y%m%d")
    sheet = Sheet(_("审计日志"), columns, rows.iterator(chunk_size=2000), scope=scope_label(actor))
    return _("审计日志-%(date)s.xlsx") % {"date": stamp}, [sheet]
