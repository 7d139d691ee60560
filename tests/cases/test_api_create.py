"""POST /api/v1/cases/: intake through the API, idempotent, through the intake service.

The clock is the cases suite's pinned one (tests/clock.py); deadlines and timestamps come from it.
"""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from lianxin.cases.models import Case, Channel, State
from lianxin.cases.signals import api_case_created
from tests.cases.factories import category

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def body(world, **kw):
    data = {
        "title": "路灯不亮",
        "description": "东关小区门口的路灯坏了三天。",
        "category": category("infra-light").pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "张三",
        "reporter_phone": "13912345678",
    }
    data.update(kw)
    return data


def post(client, data, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(URL, data, content_type="application/json", headers=headers)


@pytest.fixture
def sent():
    calls = []

    def receiver(sender, **kw):
        calls.append(kw)

    api_case_created.connect(receiver, dispatch_uid="test-api-case-created")
    yield calls
    api_case_created.disconnect(dispatch_uid="test-api-case-created")


def test_staff_create_is_idempotent_by_header(world, login, sent):
    c = login(world.users["town_a"])
    first = post(c, body(world), key="k-1")
    assert first.status_code == 201, first.content
    again = post(c, body(world), key="k-1")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1
    case = Case.objects.get()
    # 首问责任: the clerk who registered it owns it, in their own unit
    assert case.channel == Channel.STAFF
    assert case.owner_user == world.users["town_a"]
    assert case.unit == world.town_a
    assert case.created_by == world.users["town_a"]
    assert len(sent) == 1  # the replay sends nothing
    assert sent[0]["case"] == case and sent[0]["external_id"] == ""
    assert sent[0]["request"].user == world.users["town_a"]


def test_key_in_the_body_works_like_the_header(world, login):
    c = login(world.users["village_a"])
    a = post(c, body(world, idempotency_key="body-key"))
    b = post(c, body(world), key="body-key")
    assert (a.status_code, b.status_code) == (201, 200)
    assert a.json()["id"] == b.json()["id"]


def test_same_key_other_body_is_409(world, login):
    c = login(world.users["town_a"])
    assert post(c, body(world), key="k-2").status_code == 201
    r = post(c, body(world, title="路灯又不亮了"), key="k-2")
    assert r.status_code == 409
    assert "幂等键" in r.json()["detail"]
    assert Case.objects.count() == 1


def test_whitespace_is_not_a_different_body(world, login):
    c = login(world.users["town_a"])
    a = post(c, body(world), key="k-3")
    b = post(c, body(world, title="  路灯不亮 "), key="k-3")
    assert b.status_code == 200 and b.json()["id"] == a.json()["id"]


def test_keys_are_per_caller(world, login, client):
    a = post(login(world.users["town_a"]), body(world), key="shared")
    client.logout()
    b = post(login(world.users["village_a"]), body(world), key="shared")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_header_and_body_keys_must_agree(world, login):
    r = post(login(world.users["town_a"]), body(world, idempotency_key="one"), key="two")
    assert r.status_code == 422
    assert not Case.objects.exists()


def test_without_a_key_each_post_is_a_request(world, login):
    c = login(world.users["town_a"])
    assert post(c, body(world)).status_code == 201
    assert post(c, body(world)).status_code == 201
    assert Case.objects.count() == 2


def test_grid_worker_registers_on_patrol(world, login):
    r = post(login(world.users["grid_a1"]), body(world), key="patrol")
    assert r.status_code == 201
    case = Case.objects.get(pk=r.json()["id"])
    assert case.channel == Channel.GRID and case.owner_user == world.users["grid_a1"]


def test_resident_reports_their_own_and_sees_it_masked(world, login):
    r = post(login(world.users["resident_a"]), body(world, priority="critical"), key="mine")
    assert r.status_code == 201, r.content
    data = r.json()
    case = Case.objects.get(pk=data["id"])
    assert case.channel == Channel.RESIDENT and case.reporter == world.users["resident_a"]
    assert case.owner_unit == world.grid_a1  # the grid's queue owns it
    assert case.priority == category("infra-light").default_priority  # residents do not set it
    assert data["reporter_phone"] == "139****5678"
    assert data["reporter_name"] == "张*"
    assert "13912345678" not in r.content.decode()
    assert data["actions"] == []
    assert all(e["is_public"] for e in data["events"])


def test_county_admin_registers_anywhere_in_the_county(world, login):
    r = post(login(world.users["county_admin"]), body(world, grid=world.grid_b1.pk))
    assert r.status_code == 201
    assert r.json()["grid_id"] == world.grid_b1.pk


@pytest.mark.parametrize("user", ["town_b", "village_b", "grid_b1"])
def test_staff_cannot_register_in_another_town(world, login, user):
    r = post(login(world.users[user]), body(world))
    assert r.status_code == 422
    assert r.json()["detail"] == "只能登记本辖区网格内的诉求。"
    assert not Case.objects.exists()


def test_place_by_point(world, login):
    data = body(world, lat=34.715, lng=104.885)
    del data["grid"]
    r = post(login(world.users["town_a"]), data)
    assert r.status_code == 201, r.content
    assert r.json()["grid_id"] == world.grid_a1.pk


def test_point_outside_every_grid_and_no_place(world, login):
    c = login(world.users["resident_a"])
    data = body(world, lat=30.0, lng=100.0)
    del data["grid"]
    assert post(c, data).status_code == 422
    del data["lat"], data["lng"]
    assert post(c, data).status_code == 422
    assert not Case.objects.exists()


def test_a_village_is_not_a_grid(world, login):
    r = post(login(world.users["town_a"]), body(world, grid=world.village_a.pk))
    assert r.status_code == 422


def test_inactive_or_unknown_category(world, login):
    c = login(world.users["town_a"])
    cat = category("infra-light")
    cat.is_active = False
    cat.save()
    assert post(c, body(world)).status_code == 422
    assert post(c, body(world, category=10**12)).status_code == 422


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"title": "长" * 81},
        {"reporter_phone": "12345"},
        {"priority": "soon"},
        {"lat": 91},
        {"idempotency_key": "含中文"},
    ],
)
def test_body_is_validated(world, login, bad):
    r = post(login(world.users["town_a"]), body(world, **bad))
    assert r.status_code == 422
    assert not Case.objects.exists()


def test_blank_title_is_refused_like_a_missing_one(world, login):
    r = post(login(world.users["town_a"]), body(world, title="   "))
    assert r.status_code == 422
    assert '"title"' in r.content.decode()  # the field is named (the error body's shape: api)
    assert not Case.objects.exists()


def test_anonymous_is_401(world, client):
    assert post(client, body(world)).status_code == 401


def test_a_failing_receiver_undoes_the_request(world, login):
    def boom(sender, **kw):
        raise RuntimeError("integrations down")

    api_case_created.connect(boom, dispatch_uid="boom")
    try:
        with pytest.raises(RuntimeError):
            post(login(world.users["town_a"]), body(world), key="undo")
    finally:
        api_case_created.disconnect(dispatch_uid="boom")
    assert not Case.objects.exists()  # the retry will create it and record its origin


def test_resident_intake_is_rate_limited_per_phone(world, login, settings):
    settings.LIANXIN_CASE_INTAKE_PHONE_LIMIT = (2, 3600)
    c = login(world.users["resident_a"])
    assert [post(c, body(world)).status_code for _ in range(3)] == [201, 201, 429]
    assert Case.objects.count() == 2


def test_an_integration_request_enters_the_grid_queue(world, sent):
    """A token-authenticated call (``request.integration`` set by the tokens' auth) is channel
    开放接口 and queued at the grid, not owned by the integration's service user."""
    from lianxin.cases.api import case_create
    from lianxin.cases.api_schemas import CaseIn
    from tests.integrations.factories import make_integration

    request = RequestFactory().post(URL)
    request.user = world.users["town_a"]  # stands in for a service user with its unit's scope
    request.integration = make_integration(world.town_a)
    status = case_create(request, CaseIn(**body(world, external_id="12345-0001")), "ext-1")
    assert status.status_code == 201
    case = Case.objects.get()
    assert case.channel == Channel.API
    assert case.owner_user is None and case.owner_unit == world.grid_a1
    assert case.state == State.SUBMITTED
    assert sent[0]["external_id"] == "12345-0001" and sent[0]["request"] is request
