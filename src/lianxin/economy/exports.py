"""The ledger as the county office keeps it: one .xlsx row per village for a year, the columns
the import reads back (村（社区）编码, 名称, 年度, the six sources), plus 合计 and 所属乡镇.
Written through ``lianxin.core.spreadsheets`` (text cells never formulas), by the worker above
``LIANXIN_EXPORT_INLINE_ROWS`` rows (``lianxin.jobs.exports``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.economy.models import SOURCES

BUILDER = "lianxin.economy.exports.ledger_sheets"


def ledger_sheets(*, actor: Any, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """The year's ledger in the actor's scope; audited as an export."""
    from lianxin.economy.selectors import incomes_for_export

    year = int(params["year"])
    rows = incomes_for_export(user=actor, year=year)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        reason="economy ledger",
        extra={"year": year, "rows": rows.count()},
    )
    columns = [
        Column(_("村（社区）编码"), "village.code", width=16),
        Column(_("名称"), "village.name", width=14),
        Column(
            _("所属乡镇"), lambda r: r.village.parent.name if r.village.parent else "", width=12
        ),
        Column(_("年度"), "year", kind="int", width=8),
        *[Column(str(label), key, kind="decimal", width=14) for key, label in SOURCES],
        Column(_("合计"), "total", kind="decimal", width=14),
        Column(_("备注"), "note", width=20),
    ]
    title = _("村级集体经济收入台账（%(year)s 年）") % {"year": year}
    sheet = Sheet(title=title, scope=scope_label(actor), columns=columns, rows=rows.iterator())
    return _("村级集体经济%(year)s.xlsx") % {"year": year}, [sheet]
