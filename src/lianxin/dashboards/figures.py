"""The figures a dashboard shows, in order: label, kind, where they come from, the list behind.

``live`` figures are read from ``cases.CaseStat`` (the cases app keeps it in the transaction
of every write; the rates are those of ``cases.rates``/docs/rates.md); the others are the
worker's ``DashboardMonth`` rows (``sources.SOURCES`` says what each counts). ``workbench``:
the query of the requests workbench that lists the rows behind the number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianxin.dashboards.sources import SOURCES


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str | Promise
    kind: str = "count"  # count | rate | hours
    live: bool = False
    workbench: dict | None = None
    main: bool = False  # shown in the child units' table

    @property
    def snapshot(self) -> bool:
        return not self.live and SOURCES[self.key].snapshot


FIGURES: tuple[FigureDef, ...] = (
    FigureDef("cases_total", _("诉求数"), live=True, workbench={"metric": "counted"}, main=True),
    FigureDef("response_rate", _("响应率"), "rate", True, {"metric": "accept_decided"}, main=True),
    FigureDef(
        "resolution_rate", _("解决率"), "rate", True, {"metric": "resolve_decided"}, main=True
    ),
    FigureDef("satisfaction_rate", _("满意率"), "rate", True, {"metric": "rated"}, main=True),
    FigureDef("on_time_rate", _("按时办结率"), "rate", True, {"metric": "resolve_decided"}),
    FigureDef("overdue", _("超时诉求"), workbench={"view": "overdue"}, main=True),
    FigureDef("supervised", _("督办中"), workbench={"view": "supervised"}, main=True),
    FigureDef("wishes_posted", _("微心愿发布"), main=True),
    FigureDef("wishes_lit", _("微心愿点亮"), main=True),
    FigureDef("venue_service_share", _("服务区域占比"), "rate"),
    FigureDef("room_bookings", _("功能室使用（场次）")),
    FigureDef("events", _("活动场次"), main=True),
    FigureDef("attendance", _("活动签到人次")),
    FigureDef("volunteer_hours", _("志愿服务时长（小时）"), "hours", main=True),
    FigureDef("visit_coverage", _("走访覆盖率（季度累计）"), "rate", main=True),
    FigureDef("training_coverage", _("培训覆盖率（本年度）"), "rate"),
)
MAIN_KEYS = [f.key for f in FIGURES if f.main]
TREND_KEYS = (
    "cases_total",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "wishes_lit",
    "events",
    "volunteer_hours",
)
_BY_KEY = {f.key: f for f in FIGURES}


def figure_def(key: str) -> FigureDef:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise ValueError(key) from None
