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


TWO_NEW_BUILDER = "lianxin.economy.exports.two_new_sheets"


def two_new_sheets(*, actor: Any, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """The 两新组织 ledger in the actor's scope: coverage by town, then every organisation with
    its party organisation; the contact phone masked (``core.masking``). Audited as an export."""
    from lianxin.core.masking import mask_phone
    from lianxin.economy.selectors_two_new import two_new_ledger

    ledger = two_new_ledger(user=actor)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        reason="economy two-new ledger",
        extra={"rows": len(ledger.lines)},
    )
    county = _("县直")
    kind_columns = []
    for i, (label, *_rest) in enumerate(ledger.scope.by_kind):
        kind_columns += [
            Column(_("%(kind)s数") % {"kind": label}, lambda g, i=i: g.by_kind[i][2], kind="int"),
            Column(_("%(kind)s已建") % {"kind": label}, lambda g, i=i: g.by_kind[i][1], kind="int"),
            Column(
                _("%(kind)s覆盖率（%%）") % {"kind": label},
                lambda g, i=i: g.by_kind[i][3],
                kind="decimal",
                digits=1,
            ),
        ]
    coverage = Sheet(
        title=_("两新组织党组织覆盖率"),
        scope=scope_label(actor),
        columns=[
            Column(
                _("乡镇（街道）"),
                lambda g: _("合计") if g is ledger.scope else (g.unit.name if g.unit else county),
                width=14,
            ),
            *kind_columns,
            Column(_("合计覆盖率（%）"), "rate", kind="decimal", digits=1),
        ],
        rows=[*ledger.groups, ledger.scope],
    )
    details = Sheet(
        title=_("两新组织明细"),
        scope=scope_label(actor),
        columns=[
            Column(_("编码"), "unit.code", width=22),
            Column(_("名称"), "unit.name", width=24),
            Column(_("类别"), "category_label", width=12),
            Column(_("所属乡镇"), lambda r: r.town.name if r.town else county, width=12),
            Column(_("地址"), "unit.address", width=24),
            Column(_("联系电话"), lambda r: mask_phone(r.unit.phone), width=14),
            Column(_("党组织"), lambda r: r.party_org.name if r.party_org else "", width=24),
            Column(_("组建方式"), "form_label", width=10),
            Column(_("是否建立党组织"), lambda r: _("是") if r.covered else _("否"), width=8),
        ],
        rows=ledger.lines,
    )
    return _("两新组织党建台账.xlsx"), [coverage, details]


ALLIANCES_BUILDER = "lianxin.economy.exports.alliance_sheets"


def alliance_sheets(*, actor: Any, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """The 党建联合体 in the actor's scope: one line per alliance (members, activities), then one
    per member unit. No personal data is written. Audited as an export."""
    from lianxin.economy.selectors_alliances import alliance_lines

    lines = alliance_lines(user=actor)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        request=request,
        reason="economy alliances",
        extra={"rows": len(lines)},
    )
    county = _("县直")
    summary = Sheet(
        title=_("党建联合体"),
        scope=scope_label(actor),
        columns=[
            Column(_("党建联合体"), "alliance.name", width=28),
            Column(_("成员单位涉及乡镇"), lambda r: "、".join(r.towns), width=30),
            Column(_("成员单位数"), "member_count", kind="int"),
            Column(_("活动数"), "activities", kind="int"),
        ],
        rows=lines,
    )
    members = Sheet(
        title=_("党建联合体成员单位"),
        scope=scope_label(actor),
        columns=[
            Column(_("党建联合体"), lambda r: r[0].alliance.name, width=28),
            Column(_("成员单位"), lambda r: r[1].unit.name, width=28),
            Column(_("类型"), lambda r: r[1].unit.get_kind_display(), width=10),
            Column(_("所属乡镇"), lambda r: r[1].town.name if r[1].town else county, width=12),
        ],
        rows=[(line, m) for line in lines for m in line.members],
    )
    return _("党建联合体台账.xlsx"), [summary, members]
