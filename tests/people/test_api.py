"""The people API: scoped like the register's pages, numbers always masked, no reveal."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.api_contract import api_contract  # noqa: F401
from tests.clock import SHANGHAI

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.clock(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)),
]

API = "/api/v1/people"
FULL = ("620524195001010021", "13811112222")  # person A's ID and phone


def test_person_numbers_are_masked_for_every_reader(world, client, login):
    pk = world.persons["a"].pk
    for who in ("grid_a1", "village_a", "town_a", "county_admin"):
        login(world.users[who])
        r = client.get(f"{API}/persons/{pk}")
        assert r.status_code == 200, who
        data = r.json()
        assert data["id_number_masked"] == "6205**********0021"
        assert data["phone_masked"] == "138****2222"
        assert data["birth_year"] == 1950 and data["household_id"] == world.households["a"].pk
        listed = client.get(f"{API}/persons?q=甲金丝雀").content.decode()
        assert "甲金丝雀" in listed and not any(n in listed for n in FULL), who


def test_another_towns_person_and_household_are_404(world, client, login):
    login(world.users["town_b"])
    assert client.get(f"{API}/persons/{world.persons['a'].pk}").status_code == 404
    assert client.get(f"{API}/households/{world.households['a'].pk}").status_code == 404
    assert client.get(f"{API}/households").json()[0]["number"] == "B-0001"
    assert [p["name"] for p in client.get(f"{API}/party-members").json()] == ["乙党员"]


def test_residents_and_departments_see_no_register(world, client, login):
    for who in ("resident_a", "party_a", "dept"):
        login(world.users[who])
        assert client.get(f"{API}/households/{world.households['a'].pk}").status_code in (403, 404)
        assert client.get(f"{API}/persons/{world.persons['a'].pk}").status_code in (403, 404)
    login(world.users["resident_a"])
    assert client.get(f"{API}/households").status_code == 403
    assert client.get(f"{API}/party-members").status_code == 403


def test_household_with_members_masked(world, client, login):
    login(world.users["village_a"])
    data = client.get(f"{API}/households/{world.households['a'].pk}").json()
    assert data["number"] == "A-0001" and data["grid_code"] == world.grid_a1.code
    assert [m["name"] for m in data["members"]] == ["甲金丝雀"]
    text = str(data)
    assert not any(n in text for n in FULL)
    rows = client.get(f"{API}/households?q=A-00").json()
    assert [(r["number"], r["members"]) for r in rows] == [("A-0001", 1)]


def test_party_members_phone_masked(world, client, login):
    login(world.users["village_a"])
    rows = client.get(f"{API}/party-members").json()
    assert rows == [
        {
            "person_id": world.persons["party_a"].pk,
            "name": "甲党员",
            "phone_masked": "139****0003",
            "party_org": "东关社区党委",
            "party_org_code": world.party_org_a.code,
            "joined_on": "2001-07-01",
            "post": "",
            "is_probationary": False,
        }
    ]


def test_the_api_has_no_reveal(world, client, login):
    login(world.users["county_admin"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    people = [p for p in paths if p.startswith("/api/v1/people/")]
    assert people and not [p for p in people if "reveal" in p]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    person_fields = set(schema["PersonOut"]["properties"])
    assert "id_number" not in person_fields and "phone" not in person_fields
