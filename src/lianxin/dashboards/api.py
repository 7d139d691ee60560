"""JSON API of the dashboards: the figures a unit's dashboard page shows, for a month, and their
trends, read through the same selectors as the page (``dashboard_unit`` decides the unit:
404 when it has no dashboard, 403 outside the caller's subtree, as on the page)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from lianxin.api.guards import require_perm
from lianxin.api.responses import READ_ERRORS
from lianxin.core.dbrouter import replica_view
from lianxin.core.params import Id, Text, parse_month
from lianxin.dashboards import selectors
from lianxin.dashboards.figures import TREND_KEYS, figure_def
from lianxin.dashboards.rollup import current_month

router = Router(tags=["dashboards"])
router.add_decorator(replica_view)  # GETs read from the replica when it is usable

MonthText = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", description="YYYY-MM")]


class UnitRefOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class FigureOut(Schema):
    """One number of the dashboard: a rate is a fraction 0–1 (``null`` without a denominator);
    ``live`` figures are 实时, the others as built by the worker at ``as_of``; ``url`` is the
    page listing the rows behind the number."""

    key: str
    label: str
    kind: str
    value: float | None
    display: str
    live: bool
    as_of: datetime | None
    url: str


class ChildOut(Schema):
    unit: UnitRefOut
    figures: list[FigureOut]


class DashboardOut(Schema):
    unit: UnitRefOut
    month: str
    as_of: datetime | None
    cases_as_of: datetime | None
    figures: list[FigureOut]
    children: list[ChildOut]


class PointOut(Schema):
    month: str
    value: float | None


class TrendOut(Schema):
    key: str
    label: str
    kind: str
    as_of: datetime | None
    points: list[PointOut]


def _unit(u) -> dict:
    return {"id": u.pk, "code": u.code, "name": u.name, "kind": u.kind}


def _num(value) -> float | None:
    return None if value is None else float(value)


def _figure(f) -> dict:
    return {
        "key": f.key,
        "label": str(f.label),
        "kind": f.kind,
        "value": _num(f.value),
        "display": f.display,
        "live": f.live,
        "as_of": f.as_of,
        "url": f.url,
    }


def _month(raw: str | None) -> date:
    """The month asked for (this month when absent); a month ahead is this month, as on the page."""
    this = current_month()
    if not raw:
        return this
    month = parse_month(raw)
    if month is None:
        raise HttpError(422, _("month 须为 YYYY-MM（2000-01 至 2100-12）。"))
    return min(month, this)


@router.get("/root", response={200: UnitRefOut, **READ_ERRORS}, url_name="dashboards_root")
def root(request):
    """The unit the caller's dashboard starts at (their highest staff unit with a dashboard)."""
    require_perm(request, "dashboards.view_dashboards")
    unit = selectors.dashboard_root(request.user)
    if unit is None:
        raise Http404
    return _unit(unit)


@router.get("/units/{pk}", response={200: DashboardOut, **READ_ERRORS}, url_name="dashboards_unit")
def unit_figures(request, pk: Id, month: MonthText | None = None):
    """Every figure of the unit for ``month`` (default: this month) and the main figures of
    each child unit, as the unit's dashboard page shows them."""
    require_perm(request, "dashboards.view_dashboards")
    unit = selectors.dashboard_unit(actor=request.user, pk=pk)
    data = selectors.dashboard_figures(actor=request.user, unit=unit, month=_month(month))
    return {
        "unit": _unit(data.unit),
        "month": data.month.strftime("%Y-%m"),
        "as_of": data.as_of,
        "cases_as_of": data.cases_as_of,
        "figures": [_figure(f) for f in data.figures],
        "children": [
            {"unit": _unit(c.unit), "figures": [_figure(f) for f in c.figures]}
            for c in data.children
        ],
    }


@router.get(
    "/units/{pk}/trends",
    response={200: list[TrendOut], **READ_ERRORS},
    url_name="dashboards_trends",
)
def unit_trends(
    request,
    pk: Id,
    month: MonthText | None = None,
    months: Annotated[int, Field(ge=1, le=36)] = 12,
    figures: Text = "",  # not "keys": the parameters' model would shadow its own keys()
):
    """Figures month by month up to ``month`` (default: this month), oldest first: ``figures``
    (comma-separated figure keys; default the page's charts) over ``months`` months (1–36)."""
    require_perm(request, "dashboards.view_dashboards")
    unit = selectors.dashboard_unit(actor=request.user, pk=pk)
    wanted = [k.strip() for k in figures.split(",") if k.strip()] or list(TREND_KEYS)
    try:
        defs = {k: figure_def(k) for k in dict.fromkeys(wanted)}
    except ValueError as exc:
        raise HttpError(422, _("未知的指标：%(key)s") % {"key": exc}) from exc
    trends = selectors.dashboard_trends(
        actor=request.user, unit=unit, keys=tuple(defs), months=months, month=_month(month)
    )
    return [
        {
            "key": key,
            "label": str(defs[key].label),
            "kind": defs[key].kind,
            "as_of": t.as_of,
            "points": [{"month": m.strftime("%Y-%m"), "value": _num(v)} for m, v in t.points],
        }
        for key, t in trends.items()
    ]
