"""The monthly brief of one unit, assembled from the dashboard's public selectors
(``lianxin.dashboards.selectors``: the headline figures, the trends and their SVG charts) and
the scoped reads in ``selectors`` (the rates table, 末位 with overdue requests, the ledger) and
``lianxin.supervision.selectors`` (督办问责 in the month).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.dashboards import selectors as dashboards
from lianxin.dashboards.figures import TREND_KEYS, figure_def
from lianxin.org.models import Unit
from lianxin.reports import selectors as s
from lianxin.supervision.models import DecisionKind
from lianxin.supervision.selectors import supervision_month_summary


def brief_trends(*, actor: User, unit: Unit, month: date, months: int = 12) -> list[s.Trend]:
    """The dashboard's trend charts (``TREND_KEYS``) up to ``month``, each with its points
    for the table under it."""
    out = []
    for key in TREND_KEYS:
        fd = figure_def(key)
        points = dashboards.dashboard_trend(
            actor=actor, unit=unit, key=key, months=months, month=month
        )
        svg = dashboards.dashboard_chart_svg(
            actor=actor, unit=unit, key=key, months=months, month=month
        )
        out.append(s.Trend(key=key, label=str(fd.label), kind=fd.kind, points=points, svg=svg))
    return out


def brief_build(
    *,
    actor: User,
    unit: Unit,
    month: date,
    now: datetime | None = None,
    months: int = 12,
    charts: bool = True,
) -> s.Brief:
    """Everything one brief shows, read as ``actor`` and narrowed to ``unit``.
    ``charts=False`` leaves the SVGs out (the .xlsx has the trend figures only)."""
    now = now or timezone.now()
    month = s.month_start(month)
    figures = dashboards.dashboard_figures(actor=actor, unit=unit, month=month)
    total = s.unit_rates(actor=actor, unit=unit, month=month)
    children = s.children_rates(actor=actor, unit=unit, month=month)
    bottom = s.bottom_of(children)
    overdue_qs = s.overdue_cases(
        actor=actor, unit=unit, month=month, units=[b.unit for b in bottom if b.unit], now=now
    )
    overdue = [s._overdue_line(c, now) for c in overdue_qs[: s.OVERDUE_LIMIT]]
    overdue_total = overdue_qs.count() if len(overdue) >= s.OVERDUE_LIMIT else len(overdue)
    if bottom:
        ids = {b.unit.pk: s.CHILD_FIELD[b.unit.kind] for b in bottom if b.unit is not None}
        counts: dict[int, int] = {}
        for row in overdue_qs.values("town_id", "village_id", "grid_id", "unit_id"):
            for pk, attr in ids.items():
                if row[attr] == pk:
                    counts[pk] = counts.get(pk, 0) + 1
        for b in bottom:
            b.overdue = counts.get(b.unit.pk, 0) if b.unit else 0
    if charts:
        trends = brief_trends(actor=actor, unit=unit, month=month, months=months)
    else:
        trends = [
            s.Trend(
                key=key,
                label=str(figure_def(key).label),
                kind=figure_def(key).kind,
                points=dashboards.dashboard_trend(
                    actor=actor, unit=unit, key=key, months=months, month=month
                ),
            )
            for key in TREND_KEYS
        ]
    return s.Brief(
        unit=unit,
        level=s.level_of(unit),
        month=month,
        generated_at=now,
        dashboard=figures,
        total=total,
        children=children,
        trends=trends,
        bottom=bottom,
        overdue=overdue,
        overdue_total=overdue_total,
        ledger=s.ledger(actor=actor, unit=unit, month=month),
        two_new=s.two_new(actor=actor, unit=unit),
        supervision=brief_supervision(unit=unit, month=month),
    )


def brief_supervision(*, unit: Unit, month: date) -> list[tuple[str, int]]:
    """督办问责 in the month for ``unit``'s subtree (issue 13: 督办 orders and the accountability
    decisions belong in the monthly report): the orders issued, answered, late and accepted, and
    the 约谈/通报/限期整改 decisions taken and closed, as (label, count) rows for PDF and .xlsx.
    The brief is read by someone already allowed to see ``unit`` (the view and the job check)."""
    m = supervision_month_summary(unit, month)
    rows = [
        (_("发出督办"), m["issued"]),
        (_("再次督办"), m["reissued"]),
        (_("收到回复"), m["replied"]),
        (_("其中逾期回复"), m["replied_late"]),
        (_("逾期未回复"), m["overdue"]),
        (_("验收通过"), m["accepted"]),
        (_("月末尚未验收"), m["open"]),
    ]
    for kind in DecisionKind:
        rows.append(
            (_("问责：%(kind)s") % {"kind": kind.label}, m["decisions"]["by_kind"][kind.value])
        )
    rows.append((_("问责事项本月办结"), m["decisions_closed"]))
    return [(str(label), int(n)) for label, n in rows]
