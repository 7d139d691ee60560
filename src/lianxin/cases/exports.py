"""The request workbench as .xlsx, with the list's current filters: one row per request the
list shows, in the list's order. The filters are parsed by the workbench's own parser
(``views.workbench._filters``) and carried as JSON-able params, so the file and the list cannot
disagree; the rows come from ``selectors.case_list`` as the exporting user (scoped). The
reporter's name and phone are masked as on the request's page; every export is audited here.
Written through ``lianxin.core.spreadsheets`` (text cells, never formulas), by the worker above
``LIANXIN_EXPORT_INLINE_ROWS`` rows (``lianxin.jobs.exports``)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases import selectors
from lianxin.core.masking import mask_name, mask_phone
from lianxin.core.spreadsheets import Column, Sheet, scope_label

BUILDER = "lianxin.cases.exports.workbench_sheets"
_DATES = ("date_from", "date_to")


def filters_params(filters: selectors.CaseFilters) -> dict[str, Any]:
    """The workbench's parsed filters as JSON-able params (dates as ISO text)."""
    out = asdict(filters)
    for key in _DATES:
        out[key] = out[key].isoformat() if out[key] else None
    return out


def params_filters(params: dict[str, Any]) -> selectors.CaseFilters:
    """The filters back from :func:`filters_params` (extra keys of a job's params ignored)."""
    names = {f.name for f in fields(selectors.CaseFilters)}
    values = {k: v for k, v in params.items() if k in names}
    for key in _DATES:
        if values.get(key):
            values[key] = date.fromisoformat(values[key])
    return selectors.CaseFilters(**values)


def _owner(case) -> str:
    if case.owner_user_id:
        return str(case.owner_user)
    return case.owner_unit.name if case.owner_unit_id else ""


def _due(case):
    """The deadline the list shows: the acceptance deadline while awaiting acceptance, the
    resolution deadline while open, none once done."""
    if case.state in ("submitted", "reopened"):
        return case.accept_due_at
    return case.resolve_due_at if case.is_open else None


def _overdue(case, now) -> str:
    if not case.is_open:
        return ""
    late = []
    if case.state in ("submitted", "reopened") and case.accept_due_at and case.accept_due_at < now:
        late.append(_("超时未签收"))
    if case.resolve_due_at and case.resolve_due_at < now:
        late.append(_("超时未办结"))
    return "、".join(late)


def workbench_rows(*, actor, params: dict[str, Any]):
    return selectors.case_list(user=actor, filters=params_filters(params))


def workbench_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the workbench rows under ``params``; audited."""
    now = timezone.now()
    cases = workbench_rows(actor=actor, params=params)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="cases workbench",
        reason="cases workbench xlsx",
        request=request,
        extra={"filters": {k: v for k, v in filters_params(params_filters(params)).items() if v}},
    )
    columns = [
        Column(_("查询码"), "code", width=13),
        Column(_("诉求"), "title", width=30),
        Column(_("类别"), lambda c: c.category.label if c.category_id else "", width=18),
        Column(_("状态"), lambda c: c.get_state_display(), width=12),
        Column(_("紧急程度"), lambda c: c.get_priority_display(), width=8),
        Column(_("来源"), lambda c: c.get_channel_display(), width=12),
        Column(_("提交时间"), "created_at", kind="datetime", width=17),
        Column(_("网格"), lambda c: c.grid.name if c.grid_id else "", width=16),
        Column(_("地点"), "address", width=24),
        Column(_("承办"), _owner, width=18),
        Column(_("承办单位"), lambda c: c.unit.name if c.unit_id else "", width=18),
        Column(_("时限"), _due, kind="datetime", width=17),
        Column(_("超时"), lambda c: _overdue(c, now), width=14),
        Column(_("督办"), lambda c: _("督办") if c.supervised_at else "", width=6),
        Column(_("办结时间"), "resolved_at", kind="datetime", width=17),
        Column(_("联系人"), lambda c: mask_name(c.reporter_name), width=10),
        Column(_("联系电话"), lambda c: mask_phone(c.reporter_phone), width=14),
    ]
    title = _("诉求清单")
    stamp = timezone.localdate().strftime("%Y%m%d")
    sheet = Sheet(title, columns, cases.iterator(chunk_size=1000), scope=scope_label(actor))
    return _("诉求清单-%(date)s.xlsx") % {"date": stamp}, [sheet]
