"""Sign-ups through the API: register, cancel (with the waiting list moving up), the staff
roster and attendance, per role and scope (suite pinned by tests/clock.py)."""

from __future__ import annotations

import pytest

from lianxin.events import services
from lianxin.events.models import Registration, RegistrationStatus
from tests.api_contract import api_contract  # noqa: F401
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

API = "/api/v1/activities"


def _post(client, url):
    return client.post(url, {}, content_type="application/json")


def test_cancel_moves_the_first_waiting_person_up(world, client, login):
    event = make_event(world, capacity=1)
    first = services.registration_create(actor=world.users["party_a"], event=event)
    login(world.users["resident_a"])
    waiting = _post(client, f"{API}/events/{event.pk}/register").json()
    assert waiting["status"] == "waitlisted"
    login(world.users["resident_b"])  # not theirs, not in their scope
    assert _post(client, f"{API}/registrations/{first.pk}/cancel").status_code == 404
    login(world.users["party_a"])
    r = _post(client, f"{API}/registrations/{first.pk}/cancel")
    assert r.status_code == 200
    assert r.json()["cancelled"] == {"id": first.pk, "event_id": event.pk, "status": "cancelled"}
    assert r.json()["promoted"]["id"] == waiting["id"]
    assert Registration.objects.get(pk=waiting["id"]).status == RegistrationStatus.CONFIRMED
    assert _post(client, f"{API}/registrations/{first.pk}/cancel").status_code == 409


def test_staff_over_the_event_cancel_for_a_registrant(world, client, login):
    event = make_event(world, capacity=5)
    reg = services.registration_create(actor=world.users["party_a"], event=event)
    login(world.users["village_b"])
    assert _post(client, f"{API}/registrations/{reg.pk}/cancel").status_code == 404
    login(world.users["village_a"])
    r = _post(client, f"{API}/registrations/{reg.pk}/cancel")
    assert r.status_code == 200 and r.json()["promoted"] is None


def test_roster_is_for_the_staff_running_the_event(world, client, login):
    event = make_event(world, capacity=5)
    services.registration_create(actor=world.users["party_a"], event=event)
    services.registration_create(actor=world.users["resident_a"], event=event)
    url = f"{API}/events/{event.pk}/registrations"
    login(world.users["village_a"])
    rows = client.get(url).json()
    assert [r["name"] for r in rows] == ["甲党员", "甲居民"]
    assert rows[1]["phone_masked"] == "139****0001" and "13900000001" not in str(rows)
    assert client.get(url + "?limit=1&offset=1").json()[0]["name"] == "甲居民"
    login(world.users["resident_a"])  # signed up, but no roster for residents
    assert client.get(url).status_code == 403
    login(world.users["village_b"])
    assert client.get(url).status_code == 404


def test_attendance_is_marked_by_staff_over_the_event(world, client, login):
    event = make_event(world, capacity=5)
    reg = services.registration_create(actor=world.users["resident_a"], event=event)
    url = f"{API}/registrations/{reg.pk}/attend"
    login(world.users["resident_a"])  # their own registration: still staff work
    assert _post(client, url).status_code == 403
    login(world.users["town_b"])
    assert _post(client, url).status_code == 404
    login(world.users["village_a"])
    r = _post(client, url)
    assert r.status_code == 200 and r.json()["checked_in_at"] is not None


def test_attendance_of_a_waitlisted_person_is_refused(world, client, login):
    event = make_event(world, capacity=1)
    services.registration_create(actor=world.users["party_a"], event=event)
    waiting = services.registration_create(actor=world.users["resident_a"], event=event)
    login(world.users["village_a"])
    assert _post(client, f"{API}/registrations/{waiting.pk}/attend").status_code == 409


def test_my_registrations(world, client, login):
    event = make_event(world, capacity=5)
    services.registration_create(actor=world.users["resident_a"], event=event)
    login(world.users["resident_a"])
    rows = client.get(f"{API}/registrations").json()
    assert [(r["event_title"], r["status"]) for r in rows] == [("东关社区村晚", "confirmed")]
    assert client.get(f"{API}/registrations?status=waitlisted").json() == []
    login(world.users["resident_b"])
    assert client.get(f"{API}/registrations").json() == []


def test_register_for_another_towns_event_is_404(world, client, login):
    event = make_event(world, capacity=5)
    login(world.users["resident_b"])
    assert _post(client, f"{API}/events/{event.pk}/register").status_code == 404
    assert not Registration.objects.filter(event=event).exists()
