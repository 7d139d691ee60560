"""Who may do what through Open311: the token's permissions, never a browser session.

The views are public (the spec's anonymous reads) and name no permission of their own; what a
caller may do comes from its api_key: ``cases.submit_case`` to POST, ``cases.view_case`` to read
the token unit's requests in full. Every staff and resident session gets exactly the anonymous
answer.
"""

from __future__ import annotations

import pytest

from lianxin.cases.models import Case
from tests.open311.conftest import light

TOKEN_MATRIX = [
    # permissions, POST status, GET-with-key status
    (["cases.submit_case", "cases.view_case"], 201, 200),
    (["cases.submit_case"], 201, 403),
    (["cases.view_case"], 403, 200),
    (["cases.handle_case"], 403, 403),
]


@pytest.mark.parametrize(("perms", "post", "get"), TOKEN_MATRIX)
def test_token_permissions(client, world, attributes, perms, post, get):
    from tests.integrations.factories import make_token

    raw, _t = make_token(world.town_a, perms, name="对接测试")
    response = client.post("/open311/v2/requests.json", {**light(), "api_key": raw})
    assert response.status_code == post, response.content
    assert Case.objects.count() == (1 if post == 201 else 0)
    response = client.get("/open311/v2/requests.json", {"api_key": raw})
    assert response.status_code == get
    if get == 403:
        assert response.json()[0]["code"] == 403


ROLES = [
    "county_admin",
    "supervisor",
    "town_a",
    "town_b",
    "village_a",
    "grid_a1",
    "dept",
    "resident_a",
    "party_a",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_session_gets_the_anonymous_answer(client, world, attributes, login, role):
    from tests.cases.factories import make_case

    case = make_case(world, description="路灯不亮，电话 13955556666，请尽快。")
    login(world.users[role])
    assert client.get("/open311/v2/requests.json").json() == []
    [row] = client.get(f"/open311/v2/requests/{case.code}.json").json()
    assert row["lat"] is None and row["address_id"] == ""
    assert row["description"] == case.title
    response = client.post("/open311/v2/requests.json", light())
    assert response.status_code == 403  # no api_key: a session cannot submit


def test_a_token_past_its_rate_limit_gets_429(client, world, attributes, settings):
    from tests.integrations.factories import make_token

    settings.LIANXIN_API_TOKEN_RATE = (2, 60)
    raw, _t = make_token(world.town_a, ["cases.view_case"], name="限流测试")
    for _ in range(2):
        assert client.get("/open311/v2/requests.json", {"api_key": raw}).status_code == 200
    response = client.get("/open311/v2/requests.xml", {"api_key": raw})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "<code>429</code>" in response.content.decode()


def test_an_expired_token_is_refused(client, world, attributes, clock):
    from datetime import timedelta

    from django.utils import timezone

    from tests.integrations.factories import make_token

    raw, _t = make_token(
        world.town_a,
        ["cases.view_case"],
        name="到期测试",
        expires_at=timezone.now() + timedelta(days=1),
    )
    assert client.get("/open311/v2/requests.json", {"api_key": raw}).status_code == 200
    clock.shift(timedelta(days=2))
    assert client.get("/open311/v2/requests.json", {"api_key": raw}).status_code == 403
