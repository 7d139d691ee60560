import pytest

from lianxin.events import services
from tests.events.factories import make_event
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


def test_openapi_documents_both_routers(world, client, login):
    login(world.users["county_admin"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for p in (
        "/api/v1/wishes/wishes/{pk}/claim",
        "/api/v1/wishes/stats",
        "/api/v1/activities/events/{pk}/register",
        "/api/v1/activities/ranking",
    ):
        assert p in paths


def test_events_register_and_ranking(world, client, login):
    event = make_event(world, capacity=1)
    services.registration_create(actor=world.users["party_a"], event=event)
    login(world.users["resident_a"])
    events = client.get("/api/v1/activities/events").json()
    assert [e["title"] for e in events] == ["东关社区村晚"]
    r = client.post(f"/api/v1/activities/events/{event.pk}/register")
    assert r.status_code == 200 and r.json()["status"] == "waitlisted"
    assert client.post(f"/api/v1/activities/events/{event.pk}/register").status_code == 409
    login(world.users["resident_b"])
    assert client.get(f"/api/v1/activities/events/{event.pk}").status_code == 404
    make_wish(world, "confirmed")
    login(world.users["town_a"])
    rows = client.get("/api/v1/activities/ranking").json()["rows"]
    assert rows[0]["points"] == 5 and rows[0]["name"] == "甲党员"
    login(world.users["town_b"])
    assert client.get("/api/v1/activities/ranking").json()["rows"] == []
