"""Volunteer hours and points (the 积分排行 page) as .xlsx, with the page's filters (month,
unit): the ranking per person (every person, the page shows the first 50), per unit, and the
confirmed records they add up. The page and its export read the filters through
:func:`hours_filters`, the rows through ``volunteers.selectors`` as the exporting user (scoped).
A name that is a phone-number login leaves masked; every export is audited here. Written
through ``lianxin.core.spreadsheets`` (text cells, never formulas); large exports by the worker
(``lianxin.jobs.exports``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core import params as p
from lianxin.core.masking import mask_login
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.volunteers import selectors

BUILDER = "lianxin.volunteers.exports.hours_sheets"


def hours_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The ranking page's filters (JSON-able): the month as ``YYYY-MM`` (this month when none
    or a bad one is given, as the page shows), the unit's code ("" for the whole scope)."""
    start, _end = selectors.month_bounds(p.month_text(query, "month"))
    return {"month": start.strftime("%Y-%m"), "unit": p.get_str(query, "unit", max_length=40)}


def _parts(actor, params: Mapping[str, Any]):
    unit = selectors.ranking_unit(user=actor, code=params["unit"])
    return params["month"], unit


def hours_ranking(*, actor, params: Mapping[str, Any], limit: int | None = 50) -> dict:
    month, unit = _parts(actor, params)
    return {**selectors.ranking(user=actor, month=month, unit=unit, limit=limit), "unit": unit}


def hours_rows(*, actor, params: Mapping[str, Any]) -> int:
    """How many rows the export writes (the three sheets together), for the inline limit."""
    data = hours_ranking(actor=actor, params=params, limit=None)
    month, unit = _parts(actor, params)
    records = selectors.confirmed_records(user=actor, month=month, unit=unit).count()
    return len(data["rows"]) + len(data["units"]) + records


def _name(row: dict) -> str:
    return mask_login(row["user__display_name"] or row["user__username"])


def hours_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the month's hours and points; audited."""
    data = hours_ranking(actor=actor, params=params, limit=None)
    month, unit = params["month"], data["unit"]
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr=f"volunteer hours {month}",
        reason="volunteer hours xlsx",
        request=request,
        extra={"filters": {"month": month, "unit": params["unit"]}},
    )
    scope = unit.name if unit is not None else scope_label(actor)
    records = selectors.confirmed_records(user=actor, month=month, unit=unit)
    people = Sheet(
        _("%(month)s 积分排行") % {"month": month},
        [
            Column(_("排名"), lambda r: r["rank"], kind="int", width=6),
            Column(_("姓名"), _name, width=14),
            Column(_("单位"), "unit__name", width=20),
            Column(_("积分"), "points", kind="int", width=8),
            Column(_("时长（小时）"), "hours", kind="decimal", digits=1, width=10),
            Column(_("记录数"), "n", kind="int", width=8),
        ],
        [{**r, "rank": i} for i, r in enumerate(data["rows"], start=1)],
        scope=scope,
        name=_("按人员"),
    )
    units = Sheet(
        _("%(month)s 按单位") % {"month": month},
        [
            Column(_("单位"), "unit__name", width=20),
            Column(_("人数"), "people", kind="int", width=6),
            Column(_("积分"), "points", kind="int", width=8),
            Column(_("时长（小时）"), "hours", kind="decimal", digits=1, width=10),
        ],
        data["units"],
        scope=scope,
        name=_("按单位"),
    )
    detail = Sheet(
        _("%(month)s 时长积分明细") % {"month": month},
        [
            Column(_("日期"), "occurred_on", kind="date", width=12),
            Column(_("姓名"), lambda r: mask_login(str(r.user)), width=14),
            Column(_("单位"), "unit.name", width=20),
            Column(_("来源"), lambda r: r.get_source_kind_display(), width=10),
            Column(_("事项"), "title", width=28),
            Column(_("时长（小时）"), "hours", kind="decimal", digits=1, width=10),
            Column(_("积分"), "points", kind="int", width=8),
        ],
        records.iterator(chunk_size=1000),
        scope=scope,
        name=_("明细"),
    )
    return _("志愿服务时长-%(month)s.xlsx") % {"month": month}, [people, units, detail]
