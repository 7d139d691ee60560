"""A county clerk opens the county dashboard, sees a trend chart (server-side SVG) with its
table, and follows a town's overdue number down to the workbench list it counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e


def test_county_clerk_drills_from_a_towns_overdue_number_to_its_list(e2e_world, new_page):
    from lianxin.dashboards.rollup import build_all
    from tests.cases.factories import ensure_categories, make_case

    w = e2e_world
    ensure_categories()
    past = timezone.now() - timedelta(days=9)
    for i, grid in enumerate([w.grid_a1, w.grid_a1, w.grid_a2]):
        make_case(w, grid=grid, now=past - timedelta(hours=i))
    make_case(w, grid=w.grid_b1, reporter="resident_b", now=past)
    make_case(w, grid=w.grid_a1)  # fresh: not overdue
    build_all(months=2)

    page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, "county_admin")
    page.goto(f"/dashboards/{w.county.pk}/")
    chart = page.locator('figure.dash-chart[data-key="cases_total"]')
    assert chart.locator("svg.pygal-chart").count() == 1
    assert chart.locator("table.dash-trend tbody tr").count() == 12
    assert page.locator("script[src*=pygal]").count() == 0
    link = page.locator(f'tr[data-unit="{w.town_a.pk}"] td[data-key="overdue"] a')
    number = int(link.inner_text())
    assert number == 3
    link.click()
    page.wait_for_load_state("networkidle")
    assert "/cases/" in page.url and "view=overdue" in page.url
    assert page.locator('tr[data-testid="case-row"]').count() == number
    assert errors == []


def test_the_dashboard_fits_a_phone(e2e_world, new_page):
    from lianxin.dashboards.rollup import build_all

    build_all(months=1)
    page = new_page(phone=True)
    log_in(page, "county_admin")
    page.goto(f"/dashboards/{e2e_world.county.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width
