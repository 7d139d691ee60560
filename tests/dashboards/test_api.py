"""The dashboards API: a unit's figures and trends for a month, read through the page's
selectors, scoped as the page (403 outside the subtree, 404 without a dashboard)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.dashboards.rollup import build_all
from tests.api_contract import api_contract  # noqa: F401
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

API = "/api/v1/dashboards"


def _cases(world):
    past = timezone.now() - timedelta(days=10)
    make_case(world, grid=world.grid_a1, now=past)
    make_case(world, grid=world.grid_a1, now=past - timedelta(hours=1))
    make_case(world, grid=world.grid_b1, reporter="resident_b", now=past)


def _months_back(n: int) -> list[str]:
    """The last ``n`` months up to the test clock's, oldest first (the 1st of a month in CI too)."""
    first = timezone.localdate().replace(day=1)
    out = []
    for _ in range(n):
        out.append(f"{first:%Y-%m}")
        first = (first - timedelta(days=1)).replace(day=1)
    return out[::-1]


def test_unit_figures_match_the_page(world, client, login):
    _cases(world)
    build_all(months=2)
    login(world.users["county_admin"])
    data = client.get(f"{API}/units/{world.county.pk}").json()
    assert data["unit"]["code"] == world.county.code and data["month"] == _months_back(1)[0]
    by_key = {f["key"]: f for f in data["figures"]}
    assert by_key["overdue"]["value"] == 2 + 1 and by_key["overdue"]["live"] is False
    assert by_key["cases_total"]["live"] is True
    towns = {c["unit"]["code"]: c for c in data["children"]}
    town_a = {f["key"]: f["value"] for f in towns[world.town_a.code]["figures"]}
    assert town_a["overdue"] == 2
    html = client.get(f"/dashboards/{world.county.pk}/").content.decode()
    assert by_key["cases_total"]["display"] in html


def test_a_towns_staff_see_their_town_only(world, client, login):
    login(world.users["town_a"])
    assert client.get(f"{API}/root").json()["id"] == world.town_a.pk
    assert client.get(f"{API}/units/{world.town_a.pk}").status_code == 200
    assert client.get(f"{API}/units/{world.village_a.pk}").status_code == 200
    assert client.get(f"{API}/units/{world.town_b.pk}").status_code == 403
    assert client.get(f"{API}/units/{world.county.pk}").status_code == 403
    assert client.get(f"{API}/units/{world.town_b.pk}/trends").status_code == 403
    assert client.get(f"{API}/units/{world.party_org_a.pk}").status_code == 404  # no dashboard
    assert client.get(f"{API}/units/999999").status_code == 404


def test_residents_have_no_dashboards(world, client, login):
    login(world.users["resident_a"])
    assert client.get(f"{API}/root").status_code == 403
    assert client.get(f"{API}/units/{world.grid_a1.pk}").status_code == 403


def test_trends_and_months(world, client, login):
    _cases(world)
    build_all(months=3)
    login(world.users["town_a"])
    url = f"{API}/units/{world.town_a.pk}/trends"
    rows = client.get(url + "?figures=cases_total,wishes_lit&months=3").json()
    assert [r["key"] for r in rows] == ["cases_total", "wishes_lit"]
    months = _months_back(3)
    assert [p["month"] for p in rows[0]["points"]] == months
    made = f"{timezone.localtime(timezone.now() - timedelta(days=10)):%Y-%m}"  # _cases' month
    assert {p["month"]: p["value"] for p in rows[0]["points"]}[made] == 2
    assert len(client.get(url).json()) == 7  # the page's charts
    assert client.get(url + "?figures=nope").status_code == 422
    assert client.get(url + "?months=37").status_code == 422
    assert client.get(f"{API}/units/{world.town_a.pk}?month=2026-13").status_code == 422
    assert client.get(f"{API}/units/{world.town_a.pk}?month=11-2026").status_code == 422
    ahead = client.get(f"{API}/units/{world.town_a.pk}?month=2099-05").json()
    assert ahead["month"] == months[-1]  # a month ahead is this month, as on the page
    got = client.get(f"{API}/units/{world.town_a.pk}?month={months[1]}").json()["month"]
    assert got == months[1]
