"""Heat per grid (requests per 100 households, overdue per grid) and the hot-spot list; the
maps suite is pinned (tests/clock.py), so "the last 7 days" is a fixed week."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case
from lianxin.people.models import Household
from tests.cases.factories import make_case

BBOX = {"bbox": "104.80,34.60,105.10,34.90", "zoom": "12"}


def _values(client, **params):
    body = client.get(reverse("maps:grids"), {**BBOX, **params}).json()
    return {f["properties"]["name"]: f["properties"]["value"] for f in body["features"]}


def test_requests_per_100_households(world, client, login):
    Household.objects.create(number="A-0002", grid=world.grid_a1, address="东关社区3组13号")
    for _ in range(3):
        make_case(world, grid=world.grid_a1)
    login(world.users["town_a"])
    values = _values(client)
    assert values == {"东关第1网格": 150.0, "东关第2网格": None}


def test_overdue_per_grid(world, client, login):
    late = make_case(world, grid=world.grid_a2)
    make_case(world, grid=world.grid_a2)
    Case.objects.filter(pk=late.pk).update(resolve_due_at=timezone.now() - timedelta(hours=1))
    login(world.users["town_a"])
    assert _values(client, metric="overdue") == {"东关第1网格": 0.0, "东关第2网格": 1.0}


def test_grids_outside_the_viewport_are_left_out(world, client, login):
    login(world.users["county_admin"])
    names = _values(client, bbox="104.875,34.705,104.886,34.725")
    assert set(names) == {"东关第1网格"}


def test_hot_spots_rank_grid_and_category_of_the_last_week(world, client, login):
    now = timezone.now()
    for _ in range(3):
        make_case(world, grid=world.grid_a2, cat="infra-light")
    make_case(world, grid=world.grid_a1, cat="infra-light")
    old = make_case(world, grid=world.grid_a1, cat="infra-light")
    old2 = make_case(world, grid=world.grid_a1, cat="infra-light")
    old3 = make_case(world, grid=world.grid_a1, cat="infra-light")
    Case.objects.filter(pk__in=[old.pk, old2.pk, old3.pk]).update(
        created_at=now - timedelta(days=8)
    )
    make_case(world, grid=world.grid_b1, reporter="resident_b")
    login(world.users["town_a"])
    spots = client.get(reverse("maps:hot_spots")).json()["hot_spots"]
    assert [(s["grid"], s["n"]) for s in spots] == [("东关第2网格", 3), ("东关第1网格", 1)]
    assert spots[0]["href"].startswith(reverse("cases:workbench") + f"?grid={world.grid_a2.pk}&")
    assert client.get(spots[0]["href"]).status_code == 200


def test_the_page_renders_for_staff_with_hot_spots_and_filters(world, client, login):
    make_case(world, grid=world.grid_a2)
    login(world.users["town_a"])
    response = client.get(reverse("maps:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="lx-civic-map"' in html and "maps/map.js" in html and "东关第2网格" in html
    assert "<script>" not in html
    assert "张家村" not in html  # the unit picker holds the user's scope only
