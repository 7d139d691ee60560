"""The 走访 API: record (idempotent by key), list and open visits, per role and scope
(suite pinned by tests/clock.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.visits.models import Visit
from lianxin.visits.services import visit_log
from lianxin.volunteers.models import ServiceRecord
from tests.api_contract import api_contract  # noqa: F401

pytestmark = pytest.mark.django_db

API = "/api/v1/visits/visits"


def _record(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(API, body, content_type="application/json", **headers)


def test_the_grid_worker_records_a_visit_once_per_key(world, client, login):
    login(world.users["grid_a1"])
    body = {
        "household": world.households["a"].pk,
        "kind": "care",
        "met": "户主",
        "notes": "身体尚好，需要助老服务",
        "needs": ["助老", "助老", "医疗"],
    }
    first = _record(client, body, key="visit-1")
    assert first.status_code == 201
    data = first.json()
    assert data["household_number"] == "A-0001" and data["kind"] == "care"
    assert data["needs"] == ["助老", "医疗"] and data["visitor"] == "grid_a1"
    assert data["lat"] == pytest.approx(34.715)  # the household's point when none is sent
    again = _record(client, body, key="visit-1")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert Visit.objects.count() == 1
    assert ServiceRecord.objects.filter(user=world.users["grid_a1"]).count() == 1  # credited once
    assert _record(client, body).status_code == 201  # no key: a second visit
    assert Visit.objects.count() == 2


def test_one_users_key_never_finds_another_users_visit(world, client, login):
    body = {"household": world.households["a"].pk}
    login(world.users["grid_a1"])
    mine = _record(client, body, key="same").json()["id"]
    login(world.users["village_a"])
    theirs = _record(client, body, key="same")
    assert theirs.status_code == 201 and theirs.json()["id"] != mine


def test_a_key_reused_for_another_household_is_409(world, client, login):
    from lianxin.people.models import Household

    other = Household.objects.create(number="A-0002", grid=world.grid_a1, address="东关社区3组13号")
    login(world.users["grid_a1"])
    assert _record(client, {"household": world.households["a"].pk}, key="k").status_code == 201
    assert _record(client, {"household": other.pk}, key="k").status_code == 409


def test_who_may_record(world, client, login):
    body = {"household": world.households["a"].pk}
    for who in ("grid_b1", "town_b", "village_b"):
        login(world.users[who])
        assert _record(client, body).status_code == 404, who  # not in their subtree
    login(world.users["resident_a"])
    assert _record(client, body).status_code == 403
    login(world.users["dept"])
    assert _record(client, body).status_code == 403
    assert not Visit.objects.exists()
    for who in ("grid_a1", "village_a", "town_a", "county_admin"):
        login(world.users[who])
        assert _record(client, body).status_code == 201, who


def test_bad_input_is_422_or_409(world, client, login):
    login(world.users["grid_a1"])
    h = world.households["a"].pk
    assert _record(client, {"household": h, "kind": "party"}).status_code == 422
    assert _record(client, {"household": h, "lat": 91, "lng": 104}).status_code == 422
    assert _record(client, {"household": h}, key="含中文").status_code == 422
    assert _record(client, {"household": h}, key="x" * 41).status_code == 422
    ahead = (timezone.now() + timedelta(hours=1)).isoformat()
    assert _record(client, {"household": h, "visited_at": ahead}).status_code == 409
    assert _record(client, {"household": h, "lat": 34.7}).status_code == 409  # lng missing
    naive = _record(client, {"household": h, "visited_at": "2026-11-18T09:00:00"})
    assert naive.status_code == 422 and naive.json()["code"] == "validation_error"
    assert naive.json()["errors"][0]["loc"] == ["body", "payload", "visited_at"]
    assert not Visit.objects.exists()


def test_list_and_detail_are_scoped(world, client, login):
    a = visit_log(actor=world.users["grid_a1"], household=world.households["a"])[0]
    b = visit_log(actor=world.users["grid_b1"], household=world.households["b"])[0]
    visit_log(actor=world.users["village_a"], household=world.households["a"])
    login(world.users["town_a"])
    assert len(client.get(API).json()) == 2
    assert client.get(f"{API}/{a.pk}").json()["address"] == "东关社区3组12号"
    assert client.get(f"{API}/{b.pk}").status_code == 404
    rows = client.get(f"{API}?household={world.households['b'].pk}").json()
    assert rows == []  # another town's household lists nothing
    login(world.users["grid_a1"])
    assert [v["id"] for v in client.get(f"{API}?mine=true").json()] == [a.pk]
    assert len(client.get(f"{API}?household={world.households['a'].pk}").json()) == 2
    login(world.users["resident_a"])
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{a.pk}").status_code == 403
    login(world.users["town_b"])
    assert [v["id"] for v in client.get(API).json()] == [b.pk]
