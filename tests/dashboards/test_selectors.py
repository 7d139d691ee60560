"""The public selectors (used by lianxin.reports): figures, children, trend, chart, scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from lianxin.dashboards.rollup import build_all, current_month
from lianxin.dashboards.selectors import (
    DashboardFigures,
    dashboard_chart_svg,
    dashboard_figures,
    dashboard_trend,
)
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_figures_children_trend_and_chart(world):
    make_case(world, grid=world.grid_a1)
    make_case(world, grid=world.grid_b1)
    build_all(months=2)
    month = current_month()
    data = dashboard_figures(actor=world.users["county_admin"], unit=world.county, month=month)
    assert isinstance(data, DashboardFigures)
    assert data.figure("cases_total").value == 2
    assert data.figure("cases_total").live
    assert not data.figure("overdue").live and data.figure("overdue").as_of is not None
    names = {c.unit.name for c in data.children}
    assert {"城关镇", "洛门镇", "县住建局"} <= names
    town_a = next(c for c in data.children if c.unit == world.town_a)
    assert next(f for f in town_a.figures if f.key == "cases_total").value == 1
    trend = dashboard_trend(actor=world.users["county_admin"], unit=world.county, key="cases_total")
    assert len(trend) == 12 and trend[-1] == (month, 2)
    svg = dashboard_chart_svg(
        actor=world.users["county_admin"], unit=world.county, key="cases_total"
    )
    assert svg.lstrip().startswith("<svg") and "<script" not in svg


def test_outside_scope_is_denied(world):
    with pytest.raises(PermissionDenied):
        dashboard_figures(
            actor=world.users["town_b"], unit=world.town_a, month=timezone.localdate()
        )
