"""The dashboard pages: figures with their lists behind, child rows, SVG charts with tables,
scope (403 outside, 404 for what has no dashboard), and a constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lianxin.dashboards.rollup import build_all
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _overdue_cases(world, n_a=2, n_b=1):
    past = timezone.now() - timedelta(days=10)
    for i in range(n_a):
        make_case(world, grid=world.grid_a1, now=past - timedelta(hours=i))
    for i in range(n_b):
        make_case(world, grid=world.grid_b1, reporter="resident_b", now=past - timedelta(hours=i))
    make_case(world, grid=world.grid_a2)  # fresh: not overdue


def test_county_dashboard_shows_figures_children_charts_and_tables(world, client, login):
    _overdue_cases(world)
    build_all(months=2)
    login(world.users["county_admin"])
    html = client.get(f"/dashboards/{world.county.pk}/").content.decode()
    assert "<svg" in html and "<script" not in html.split("<main", 1)[-1].split("</main>")[0]
    assert html.count('class="table table-sm table-bordered dash-trend"') == 7
    assert "实时" in html and "数据截至" in html
    # the town row's overdue number is a link to the workbench's overdue list of that town
    row = re.search(rf'<tr data-unit="{world.town_a.pk}">(.*?)</tr>', html, re.S).group(1)
    link = re.search(r'data-key="overdue"><a href="([^"]+)">(\d+)</a>', row)
    assert link.group(2) == "2"
    url = link.group(1).replace("&amp;", "&")
    assert f"area={world.town_a.pk}" in url and "view=overdue" in url
    listed = client.get(url).content.decode()
    assert listed.count("路灯不亮") >= 2
    # the town's name opens the town's dashboard
    assert f'href="/dashboards/{world.town_a.pk}/?month=' in row


def test_every_level_opens_for_the_county_and_only_inside_scope(world, client, login):
    build_all(months=1)
    login(world.users["county_admin"])
    for unit in (world.county, world.town_a, world.village_a, world.grid_a1, world.department):
        assert client.get(f"/dashboards/{unit.pk}/").status_code == 200, unit.name
    assert client.get(f"/dashboards/{world.party_org_a.pk}/").status_code == 404
    assert client.get("/dashboards/999999999/").status_code == 404
    login(world.users["town_b"])
    assert client.get(f"/dashboards/{world.town_a.pk}/").status_code == 403
    assert client.get(f"/dashboards/{world.county.pk}/").status_code == 403
    assert client.get(f"/dashboards/{world.town_b.pk}/").status_code == 200
    home = client.get("/dashboards/")
    assert home.status_code == 302 and home["Location"] == f"/dashboards/{world.town_b.pk}/"
    login(world.users["resident_a"])
    assert client.get(f"/dashboards/{world.grid_a1.pk}/").status_code == 403
    assert client.get("/dashboards/").status_code == 403


def test_drill_list_chart_and_bad_input(world, client, login):
    from tests.wishes.factories import make_wish

    make_wish(world, "published")
    make_wish(world, "published", unit=world.grid_a2, title="想要一副老花镜")
    build_all(months=1)
    login(world.users["village_a"])
    page = client.get(f"/dashboards/{world.village_a.pk}/").content.decode()
    link = re.search(
        r'data-key="wishes_posted">\s*<div[^>]*>[^<]*</div>\s*<a class="dash-value" href="([^"]+)">(\d+)</a>',
        page,
    )
    assert link.group(2) == "2"
    drill = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "想要一台收音机" in drill and "想要一副老花镜" in drill
    svg = client.get(f"/dashboards/{world.village_a.pk}/wishes_posted/chart.svg")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"<svg" in svg.content
    assert client.get(f"/dashboards/{world.village_a.pk}/nope/list/").status_code == 404
    assert client.get(f"/dashboards/{world.village_a.pk}/?month=garbage").status_code == 200
    assert client.get(f"/dashboards/{world.village_a.pk}/?month=2099-01").status_code == 200
    # a request figure's list is the workbench
    r = client.get(f"/dashboards/{world.village_a.pk}/overdue/list/")
    assert r.status_code == 302 and r["Location"].startswith("/cases/?")


def test_query_count_does_not_grow_with_the_data(world, client, login):
    login(world.users["county_admin"])
    build_all(months=1)
    client.get(f"/dashboards/{world.county.pk}/")  # warm the caches (session, scope, nav)
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"/dashboards/{world.county.pk}/").status_code == 200
    _overdue_cases(world, n_a=6, n_b=4)
    build_all(months=2)
    client.get(f"/dashboards/{world.county.pk}/")  # the session's idle timer may renew meanwhile
    with CaptureQueriesContext(connection) as large:
        assert client.get(f"/dashboards/{world.county.pk}/").status_code == 200
    assert len(large) == len(small)
