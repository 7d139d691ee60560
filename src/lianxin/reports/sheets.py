"""The brief as .xlsx, through the one spreadsheet mechanism (``core.spreadsheets``: text
cells never formulas, rates as numbers with a % format): one tab per section of the PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.core.spreadsheets import Column, Sheet
from lianxin.reports.selectors import Brief

_KINDS = {"count": "int", "rate": "percent", "hours": "decimal"}


def _by_kind(kind: str):
    return lambda f: f.value if f.kind == kind else None


def _trend_rows(brief: Brief) -> list[tuple]:
    """One row per month: (month, [value of each trend])."""
    if not brief.trends:
        return []
    months = [m for m, _v in brief.trends[0].points]
    values = [dict(t.points) for t in brief.trends]
    return [(mo, [v.get(mo) for v in values]) for mo in months]


def brief_sheets(brief: Brief) -> list[Sheet]:
    scope = brief.unit.name
    m = brief.month_text
    rate_cols = [
        Column(_("诉求数"), "rates.total", kind="int", width=8),
        Column(_("响应率"), "rates.response_rate", kind="percent", width=9),
        Column(_("解决率"), "rates.resolution_rate", kind="percent", width=9),
        Column(_("满意率"), "rates.satisfaction_rate", kind="percent", width=9),
        Column(_("按时办结率"), "rates.on_time_rate", kind="percent", width=11),
        Column(_("平均办理时长（小时）"), "rates.avg_hours", kind="decimal", digits=1, width=12),
    ]
    sheets = [
        Sheet(
            _("主要数据 %(month)s") % {"month": m},
            [
                Column(_("指标"), "label", width=24),
                Column(_("数量"), _by_kind("count"), kind="int", width=10),
                Column(_("比率"), _by_kind("rate"), kind="percent", width=10),
                Column(_("小时"), _by_kind("hours"), kind="decimal", digits=1, width=10),
                Column(_("口径"), lambda f: _("实时") if f.live else _("每5分钟汇总"), width=14),
            ],
            brief.headline,
            scope=scope,
            name=_("主要数据"),
        ),
        Sheet(
            _("近12个月趋势"),
            [
                Column(_("月份"), lambda row: f"{row[0]:%Y-%m}", width=10),
                *[
                    Column(
                        t.label,
                        (lambda row, i=i: row[1][i]),
                        kind=_KINDS.get(t.kind, "decimal"),
                        digits=1,
                        width=12,
                    )
                    for i, t in enumerate(brief.trends)
                ],
            ],
            _trend_rows(brief),
            scope=scope,
            name=_("趋势"),
        ),
        Sheet(
            _("三率统计 %(month)s") % {"month": m},
            [
                Column(_("单位"), "label", width=24),
                *rate_cols,
                Column(_("综合得分"), "score", kind="decimal", digits=2, width=9),
                Column(_("排名"), lambda x: x.rank or None, kind="int", width=6),
            ],
            [brief.total, *brief.children],
            scope=scope,
            name=_("三率统计"),
        ),
        Sheet(
            _("末位单位 %(month)s") % {"month": m},
            [
                Column(_("排名"), "rank", kind="int", width=6),
                Column(_("末位单位"), "label", width=24),
                Column(_("综合得分"), "score", kind="decimal", digits=2, width=9),
                Column(_("诉求数"), "rates.total", kind="int", width=8),
                Column(_("超时诉求"), "overdue", kind="int", width=9),
            ],
            brief.bottom,
            scope=scope,
            name=_("末位单位"),
        ),
        Sheet(
            _("超时诉求 %(month)s") % {"month": m},
            [
                Column(_("编号"), "code", width=16),
                Column(_("诉求"), "title", width=30),
                Column(_("所在位置"), "place", width=26),
                Column(_("承办单位"), "unit", width=20),
                Column(_("超时类型"), "kind", width=12),
                Column(_("时限"), "due", kind="datetime", width=17),
                Column(_("提交时间"), "created_at", kind="datetime", width=17),
                Column(_("督办"), lambda c: _("已督办") if c.supervised else "", width=8),
            ],
            brief.overdue,
            scope=scope,
            name=_("超时诉求"),
        ),
    ]
    if brief.ledger is not None:
        ledger = brief.ledger
        sheets.append(
            Sheet(
                _("村级集体经济 %(year)s年") % {"year": ledger.year},
                [
                    Column(_("单位"), "label", width=20),
                    Column(_("村（社区）数"), "villages", kind="int", width=10),
                    Column(_("已填报"), "reported", kind="int", width=8),
                    Column(_("总收入（元）"), "total", kind="decimal", width=16),
                    Column(_("村均（元）"), "average", kind="decimal", width=14),
                    Column(
                        _("同比增长"),
                        lambda x: None if x.growth is None else float(x.growth) / 100,
                        kind="percent",
                        width=10,
                    ),
                    Column(_("薄弱村"), "weak", kind="int", width=8),
                ],
                [ledger.scope, *ledger.lines],
                scope=scope,
                name=_("村级集体经济"),
            )
        )
        sheets.append(
            Sheet(
                _("薄弱村（低于 %(t)s 元）") % {"t": f"{ledger.threshold:,.0f}"},
                [
                    Column(_("乡镇（街道）"), None, width=16),
                    Column(_("村（社区）"), None, width=16),
                    Column(_("总收入（元）"), None, kind="decimal", width=16),
                ],
                ledger.weak,
                scope=scope,
                name=_("薄弱村"),
            )
        )
    if brief.two_new is not None:
        sheets.extend(_two_new_sheets(brief))
    if brief.supervision:
        sheets.append(
            Sheet(
                _("督办问责"),
                [Column(_("项目"), None, width=20), Column(_("数量"), None, kind="int", width=10)],
                brief.supervision,
                scope=brief.unit.name,
                name=_("督办问责"),
            )
        )
    return sheets


def _two_new_sheets(brief: Brief) -> list[Sheet]:
    """两新组织 coverage: one row per group (the unit, then its towns), a column pair per
    category; then the organisations without a party organisation."""
    tn = brief.two_new
    assert tn is not None
    scope = brief.unit.name
    kinds = [label for label, _c, _t, _r in tn.scope.by_kind]
    cols = [Column(_("单位"), "label", width=20)]
    for i, label in enumerate(kinds):
        cols += [
            Column(
                _("%(kind)s数") % {"kind": label},
                (lambda x, i=i: x.by_kind[i][2]),
                kind="int",
                width=10,
            ),
            Column(
                _("%(kind)s已建") % {"kind": label},
                (lambda x, i=i: x.by_kind[i][1]),
                kind="int",
                width=10,
            ),
            Column(
                _("%(kind)s覆盖率") % {"kind": label},
                (lambda x, i=i: _ratio(x.by_kind[i][3])),
                kind="percent",
                width=10,
            ),
        ]
    cols += [
        Column(_("合计"), "total", kind="int", width=8),
        Column(_("已建党组织"), "covered", kind="int", width=10),
        Column(_("覆盖率"), lambda x: _ratio(x.rate), kind="percent", width=9),
    ]
    return [
        Sheet(
            _("两新组织党组织覆盖"), cols, [tn.scope, *tn.lines], scope=scope, name=_("两新覆盖")
        ),
        Sheet(
            _("未建党组织的两新组织"),
            [
                Column(_("乡镇（街道）"), None, width=16),
                Column(_("组织名称"), None, width=26),
                Column(_("类别"), None, width=14),
            ],
            tn.uncovered,
            scope=scope,
            name=_("未覆盖"),
        ),
    ]


def _ratio(value):
    return None if value is None else float(value) / 100
