"""The 诉求 API called by another platform with an integration token (the tokens come from
tests/integrations/factories.py): scoped by the token's unit, limited to its permissions, and
its requests remembered as the integration's (``cases.signals.api_case_created``)."""

from __future__ import annotations

import pytest

from lianxin.cases.models import Case, Channel, State
from lianxin.integrations.models import IntegrationCase
from tests.cases.factories import category, make_case
from tests.integrations.factories import bearer, make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"
HANDLER = ["cases.view_case", "cases.enter_case", "cases.handle_case"]


def body(world, **kw):
    data = {
        "title": "拖欠工资",
        "description": "12345 转来：工地拖欠三个月工资。",
        "category": category("infra-light").pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "李四",
        "reporter_phone": "13700001111",
        "external_id": "12345-2026-0001",
    }
    data.update(kw)
    return data


def create(client, raw, data, key="hotline-1"):
    return client.post(
        URL, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **bearer(raw)
    )


def test_hotline_request_is_queued_and_remembered_once(world, client):
    raw, _token = make_token(world.town_a, HANDLER)
    first = create(client, raw, body(world))
    assert first.status_code == 201, first.content
    again = create(client, raw, body(world))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    case = Case.objects.get()
    assert case.channel == Channel.API and case.state == State.SUBMITTED
    assert case.owner_unit == world.grid_a1 and case.owner_user is None  # the grid's queue
    origin = IntegrationCase.objects.get()
    assert origin.case == case and origin.external_id == "12345-2026-0001"
    assert first.json()["reporter_phone"] == "137****1111"


def test_hotline_key_reused_for_another_request_is_409(world, client):
    raw, _token = make_token(world.town_a, HANDLER)
    assert create(client, raw, body(world)).status_code == 201
    r = create(client, raw, body(world, description="另一件事"))
    assert r.status_code == 409
    assert Case.objects.count() == 1 and IntegrationCase.objects.count() == 1


def test_token_bound_to_a_town_cannot_register_in_another(world, client):
    raw, _token = make_token(world.town_a, HANDLER)
    assert create(client, raw, body(world, grid=world.grid_b1.pk)).status_code == 422
    assert not Case.objects.exists()


def test_token_without_the_permission(world, client):
    raw, _token = make_token(world.town_a, ["cases.view_case"])
    assert create(client, raw, body(world)).status_code == 403
    case = make_case(world)
    r = client.post(f"{URL}{case.pk}/accept", content_type="application/json", **bearer(raw))
    assert r.status_code == 403
    assert client.get(f"{URL}{case.pk}", **bearer(raw)).status_code == 200


def test_token_reads_and_acts_within_its_unit(world, client):
    raw, _token = make_token(world.town_a, HANDLER)
    mine, theirs = make_case(world), make_case(world, grid=world.grid_b1, reporter="resident_b")
    listed = client.get(URL, **bearer(raw)).json()
    assert [x["id"] for x in listed] == [mine.pk]
    assert client.get(f"{URL}{theirs.pk}", **bearer(raw)).status_code == 404
    r = client.post(
        f"{URL}{theirs.pk}/note", {"note": "看看"}, content_type="application/json", **bearer(raw)
    )
    assert r.status_code == 404
    r = client.post(
        f"{URL}{mine.pk}/note", {"note": "热线回访"}, content_type="application/json", **bearer(raw)
    )
    assert r.status_code == 201


def test_bad_token_is_401(world, client):
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer lx_nottherightone").status_code == 401
