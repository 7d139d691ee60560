"""Thin views: a unit's dashboard, the list behind a number, a trend chart as SVG."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.dashboards import selectors
from lianxin.dashboards.figures import TREND_KEYS, figure_def
from lianxin.dashboards.rollup import current_month, previous_month
from lianxin.triage.hotspots import hot_spots_recent

HOT_SPOTS_SHOWN = 10


def _month(request) -> date:
    text = params.month_text(request.GET, "month")
    this = current_month()
    if not text:
        return this
    y, m = (int(x) for x in text.split("-"))
    return min(date(y, m, 1), this)


def _crumbs(unit, *extra):
    chain = [
        {"label": u.name, "url": reverse("dashboards:unit", args=[u.pk])}
        for u in unit.ancestors(include_self=True).filter(kind__in=selectors.DASHBOARD_KINDS)
    ]
    return [{"label": _("看板")}, *chain, *extra]


@permission_required("dashboards.view_dashboards")
@require_GET
def home(request):
    root = selectors.dashboard_root(request.user)
    if root is None:
        raise Http404
    return redirect("dashboards:unit", pk=root.pk)


@permission_required("dashboards.view_dashboards")
@require_GET
def unit_dashboard(request, pk: int):
    unit = selectors.dashboard_unit(actor=request.user, pk=pk)
    month = _month(request)
    data, trends = selectors.dashboard_page(
        actor=request.user, unit=unit, month=month, trend_keys=TREND_KEYS
    )
    charts = []
    for key, trend in trends.items():
        fd = figure_def(key)
        charts.append(
            {
                "key": key,
                "label": fd.label,
                "kind": fd.kind,
                "as_of": trend.as_of,
                "svg": selectors.trend_chart_svg(key, trend),
                "points": [(m, selectors.format_value(v, fd.kind)) for m, v in trend.points],
            }
        )
    spots, spots_at = hot_spots_recent(user=request.user, under=unit)
    return render(
        request,
        "dashboards/unit.html",
        {
            "unit": unit,
            "data": data,
            "month": month,
            "prev_month": previous_month(month),
            "next_month": _next(month),
            "charts": charts,
            "main_labels": [f.label for f in data.children[0].figures] if data.children else [],
            "breadcrumbs": _crumbs(unit),
            # 热点预警 (triage): among the requests the user sees under this unit, minutes old
            "hot_spots": spots[:HOT_SPOTS_SHOWN],
            "hot_spots_at": spots_at,
            "hot_spot_days": settings.LIANXIN_TRIAGE_HOTSPOT_DAYS,
        },
    )


def _next(month: date) -> date | None:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt if nxt <= current_month() else None


@permission_required("dashboards.view_dashboards")
@require_GET
def drill(request, pk: int, key: str):
    unit = selectors.dashboard_unit(actor=request.user, pk=pk)
    try:
        fd = figure_def(key)
    except ValueError:
        raise Http404 from None
    if fd.live or fd.workbench is not None:
        return redirect(selectors.drill_url(fd, unit, _month(request)))
    month = _month(request)
    rows = selectors.drill_rows(actor=request.user, unit=unit, key=key, month=month)
    page = Paginator(rows, 50).get_page(params.get_page(request.GET))
    return render(
        request,
        "dashboards/drill.html",
        {
            "unit": unit,
            "figure": fd,
            "month": month,
            "page": page,
            "rows": [selectors.drill_describe(key, obj) for obj in page],
            "breadcrumbs": _crumbs(unit, {"label": fd.label}),
        },
    )


@permission_required("dashboards.view_dashboards")
@require_GET
def chart(request, pk: int, key: str):
    unit = selectors.dashboard_unit(actor=request.user, pk=pk)
    try:
        figure_def(key)
    except ValueError:
        raise Http404 from None
    svg = selectors.dashboard_chart_svg(
        actor=request.user, unit=unit, key=key, month=_month(request)
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
