"""GET /api/v1/cases/ filters and the detail's masking (cases/api.py, cases/api_schemas.py).

The filters are the workbench's (``selectors.CaseFilters``); the clock is pinned at
tests/clock.py's PINNED_AT, so "overdue" and the date range do not depend on the calendar.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.cases import services as s
from lianxin.cases.models import State
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def ids(client, query=""):
    r = client.get(URL + query)
    assert r.status_code == 200, r.content
    return sorted(x["id"] for x in r.json())


def test_filters(world, login):
    now = timezone.now()
    old = make_case(world, now=now - timedelta(days=30))  # long past its accept deadline
    light = make_case(world, now=now - timedelta(hours=1))
    garbage = make_case(world, cat="env-garbage", grid=world.grid_a2, now=now - timedelta(hours=2))
    s.case_accept(case=light, actor=world.users["grid_a1"])
    s.case_dispatch(case=garbage, actor=world.users["town_a"], to_unit=world.department)
    c = login(world.users["town_a"])
    assert ids(c) == sorted([old.pk, light.pk, garbage.pk])
    assert ids(c, "?state=accepted") == [light.pk]
    assert ids(c, f"?category={category('env').pk}") == [garbage.pk]  # with its children
    assert ids(c, f"?category={category('infra-light').pk}") == sorted([old.pk, light.pk])
    assert ids(c, f"?unit={world.department.pk}") == [garbage.pk]
    assert ids(c, f"?grid={world.grid_a2.pk}") == [garbage.pk]
    day = (now - timedelta(days=30)).astimezone(timezone.get_current_timezone()).date()
    assert ids(c, f"?created_to={day.isoformat()}") == [old.pk]
    assert ids(c, f"?created_from={(day + timedelta(days=1)).isoformat()}") == sorted(
        [light.pk, garbage.pk]
    )
    assert ids(c, "?overdue=true") == [old.pk]
    assert ids(c, "?view=mine") == []
    assert ids(login(world.users["grid_a1"]), "?view=mine") == [light.pk]


def test_pagination_is_bounded_and_ordered(world, login):
    now = timezone.now()
    made = [make_case(world, now=now - timedelta(minutes=i)) for i in range(3)]
    c = login(world.users["county_admin"])
    page = c.get(URL + "?limit=2").json()
    assert [x["id"] for x in page] == [made[0].pk, made[1].pk]  # newest first
    assert [x["id"] for x in c.get(URL + "?limit=2&offset=2").json()] == [made[2].pk]
    assert c.get(URL + "?limit=201").status_code == 422


@pytest.mark.parametrize(
    "query",
    ["?state=done", "?created_from=1999-12-31", "?created_to=2101-01-01", "?sort=x", "?unit=0"],
)
def test_bad_filters_are_422(world, login, query):
    r = login(world.users["town_a"]).get(URL + query)
    assert r.status_code == 422


def test_list_is_scoped_per_town(world, login):
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    assert ids(login(world.users["county_admin"])) == sorted([a.pk, b.pk])
    assert ids(login(world.users["village_b"])) == [b.pk]
    assert ids(login(world.users["grid_a1"])) == [a.pk]


def test_detail_masks_the_reporter_and_lists_the_callers_steps(world, login):
    case = make_case(world)
    r = login(world.users["village_a"]).get(f"{URL}{case.pk}")
    data = r.json()
    assert data["reporter_phone"] == "139****0001" and data["reporter_name"] == "甲**"
    assert "13900000001" not in r.content.decode()
    assert data["state"] == State.SUBMITTED and data["queue_unit"] == world.grid_a1.name
    assert set(data["actions"]) >= {"accept", "dispatch", "escalate", "note"}
    assert "resolve" not in data["actions"]  # only the owner resolves
