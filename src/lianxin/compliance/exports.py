"""Inspections (实地指导) and upgrade plans (提升计划) as .xlsx.

The inspection list is the one the 实地指导 page shows (every inspection in the exporting
user's scope, newest first); the plan list takes the plan page's filters (year, progress),
parsed by that page's own parser (``venues.views.plans.plan_filters``). Rows come from
``compliance.selectors`` and ``venues.selectors`` as the exporting user (scoped). An
inspector's phone-number login leaves masked; every export is audited here. Written through
``lianxin.core.spreadsheets`` (text cells, never formulas); large exports by the worker
(``lianxin.jobs.exports``). Money in 万元 as on the plan page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.compliance import selectors
from lianxin.core.masking import mask_login
from lianxin.core.spreadsheets import Column, Sheet, scope_label

INSPECTIONS_BUILDER = "lianxin.compliance.exports.inspection_sheets"
PLANS_BUILDER = "lianxin.compliance.exports.plan_sheets"


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def inspection_rows(*, actor, params: Mapping[str, Any] | None = None):
    return selectors.inspection_list(user=actor)


def inspection_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the inspections in scope; audited."""
    rows = inspection_rows(actor=actor, params=params)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="compliance inspections",
        reason="inspections xlsx",
        request=request,
    )
    columns = [
        Column(_("指导日期"), "visited_on", kind="date", width=12),
        Column(_("乡镇（街道）"), lambda i: i.venue.town.name if i.venue.town_id else "", width=12),
        Column(_("阵地"), "venue.name", width=24),
        Column(_("检查清单"), "checklist.name", width=18),
        Column(_("得分"), "score", kind="int", width=7),
        Column(_("满分"), "max_score", kind="int", width=7),
        Column(_("得分率"), "ratio", kind="percent", width=8),
        Column(_("不合格项"), "n_failed", kind="int", width=8),
        Column(
            _("指导人"), lambda i: mask_login(str(i.inspector)) if i.inspector_id else "", width=12
        ),
        Column(_("指导意见"), "notes", width=40),
    ]
    sheet = Sheet(_("实地指导"), columns, rows.iterator(chunk_size=1000), scope=scope_label(actor))
    return _("实地指导-%(date)s.xlsx") % {"date": _stamp()}, [sheet]


def _money(header: str, key: str) -> Column:
    return Column(header, key, kind="decimal", digits=2, width=11)


def plan_rows(*, actor, params: Mapping[str, Any]):
    from lianxin.venues.selectors import plan_list

    return plan_list(user=actor, year=params.get("year"), status=params.get("status") or "")


def plan_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the upgrade plans under the plan page's filters;
    audited."""
    rows = plan_rows(actor=actor, params=params)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="venue upgrade plans",
        reason="upgrade plans xlsx",
        request=request,
        extra={"filters": {k: params.get(k) for k in ("year", "status") if params.get(k)}},
    )
    columns = [
        Column(_("年度"), "year", kind="int", width=7),
        Column(_("乡镇（街道）"), lambda x: x.venue.town.name if x.venue.town_id else "", width=12),
        Column(_("村（社区）"), "venue.unit.name", width=14),
        Column(_("阵地"), "venue.name", width=24),
        Column(_("类型"), lambda x: x.get_work_type_display(), width=8),
        Column(_("目标面积"), "target_area", kind="decimal", digits=1, width=10),
        _money(_("预算"), "budget"),
        _money(_("省市资金"), "fund_provincial"),
        _money(_("县管党费"), "fund_party_fee"),
        _money(_("基层党建经费"), "fund_party_building"),
        _money(_("其他资金"), "fund_other"),
        Column(_("进度"), lambda x: x.get_status_display(), width=10),
        Column(_("资金到位日期"), "funded_on", kind="date", width=12),
        Column(_("开工日期"), "started_on", kind="date", width=12),
        Column(_("验收日期"), "accepted_on", kind="date", width=12),
    ]
    title = _("提升计划（金额单位：万元）")
    sheet = Sheet(title, columns, rows.iterator(chunk_size=1000), scope=scope_label(actor))
    sheet.name = _("提升计划")
    return _("提升计划-%(date)s.xlsx") % {"date": _stamp()}, [sheet]
