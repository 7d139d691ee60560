"""The 点亮统计 export (by town, community, claimant, month) through the shared spreadsheet
writer: claimant and unit names are text cells, never formulas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.wishes import selectors
from lianxin.wishes.models import ClaimantKind

if TYPE_CHECKING:
    from lianxin.accounts.models import User

BUILDER = "lianxin.wishes.exports.stats_sheets"


def _kind_label(kind: str) -> str:
    return str(ClaimantKind(kind).label) if kind else ""


def stats_sheets(
    *, actor: User, params: dict[str, Any], request: HttpRequest | None = None
) -> tuple[str, list[Sheet]]:
    """The 点亮统计 export service (and job builder) of one year's lit counts, read in the
    actor's scope. Rule: every export is audited (one EXPORT row, with the year) before the
    sheets leave, since claimant names are people's names; the view only sends the file."""
    data = selectors.wish_stats(user=actor, year=params.get("year"))
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        reason="wish stats",
        request=request,
        extra={"year": data["year"]},
    )
    scope, lit = scope_label(actor), Column(_("已点亮"), "n", kind="int", width=8)
    year = data["year"]

    def sheet(name: str, columns: list[Column], rows) -> Sheet:
        title = _("%(year)s年心愿点亮统计（%(by)s）") % {"year": year, "by": name}
        return Sheet(title, [*columns, lit], rows, scope=scope, name=name)

    sheets = [
        sheet(
            _("按乡镇（街道）"),
            [Column(_("乡镇（街道）"), "community__parent__name", width=14)],
            data["per_town"],
        ),
        sheet(
            _("按村（社区）"),
            [Column(_("村（社区）"), "community__name", width=16)],
            data["per_unit"],
        ),
        sheet(
            _("按认领方"),
            [
                Column(_("认领方"), "claimant_name", width=20),
                Column(_("认领方类型"), lambda r: _kind_label(r["claimant_kind"]), width=10),
            ],
            data["per_claimant"],
        ),
        sheet(
            _("按月份"),
            [Column(_("月份"), lambda r: r["month"].strftime("%Y-%m"), width=10)],
            data["per_month"],
        ),
    ]
    return _("心愿点亮统计-%(year)s.xlsx") % {"year": year}, sheets
