"""The ``georeport`` client from PyPI against a live server started by the test.

Not an end-to-end browser test (no ``e2e`` mark): it runs in the ordinary suite, on SQLite and
on PostgreSQL. The client cannot POST (its README says so), so the request is posted with
``requests`` the way a 12345 platform would (form-encoded, ``api_key`` in the body), then read
back through the client in JSON and in XML.
"""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from tests.open311.conftest import BOTH, light


@pytest.fixture
def live(transactional_db, live_server):
    from lianxin.cases.models import Category
    from lianxin.open311.defaults import seed_attributes
    from lianxin.open311.models import ServiceAttribute
    from tests.cases.factories import ensure_categories
    from tests.conftest import build_world
    from tests.integrations.factories import make_token

    world = build_world()
    ensure_categories()
    seed_attributes(Category, ServiceAttribute)
    raw, _token = make_token(world.town_a, BOTH, name="12345平台")
    return f"{live_server.url}/open311/v2", raw


def _post(root: str, raw: str, fmt: str = "json", **extra) -> requests.Response:
    return requests.post(
        f"{root}/requests.{fmt}", data={**light(**extra), "api_key": raw}, timeout=30
    )


def test_georeport_client_json(live):
    root, raw = live
    response = _post(root, raw, media_url="https://img.example.cn/1.jpg")
    assert response.status_code == 201, response.text
    [created] = response.json()
    code = created["service_request_id"]

    client = GeoReport(root, jurisdiction="620524000000")
    services = {s["service_code"]: s for s in client.get_service_list()}
    assert services["infra-light"]["metadata"] is True
    assert services["infra-light"]["group"] == "基础设施"
    definition = client.get_service_definition("infra-light")
    assert [a["code"] for a in definition["attributes"]] == ["fault", "pole"]

    [found] = client.get_service_requests(service_request_id=code)
    assert found["service_request_id"] == code
    assert found["status"] == "open"
    assert found["agency_responsible"] == "东关第1网格"
    assert found["media_url"] == ""  # anonymous: the client sends no api_key
    one = client.get_service_request(code)
    assert one == found
    assert client.get_service_requests() == []  # no anonymous listing
    assert client.get_service_requests(service_request_id=code, status="open")[0] == found

    with pytest.raises(requests.HTTPError) as excinfo:
        client.get_service_definition("no-such")
    assert excinfo.value.response.status_code == 404
    assert excinfo.value.response.json()[0]["code"] == 404
    with pytest.raises(requests.HTTPError):
        client.get_service_requests(
            start_date="2026-01-01T00:00:00Z", end_date="2026-12-01T00:00:00Z"
        )

    # the token resolves to the id; the api_key's own read is scoped and complete
    token = requests.get(f"{root}/tokens/{created['token']}.json", timeout=30).json()
    assert token == [{"service_request_id": code, "token": created["token"]}]
    full = requests.get(f"{root}/requests.json", params={"api_key": raw}, timeout=30).json()
    assert [r["service_request_id"] for r in full] == [code]
    assert full[0]["media_url"] == "https://img.example.cn/1.jpg"


def test_georeport_client_xml(live):
    root, raw = live
    response = _post(root, raw, fmt="xml")
    assert response.status_code == 201, response.text
    assert "<service_request_id>" in response.text

    client = GeoReport(root, output_format="xml")
    services = client.get_service_list()
    light_service = next(s for s in services if s["service_code"] == "infra-light")
    assert light_service["metadata"] == "true"
    definition = client.get_service_definition("heat-cold")
    attributes = definition["attributes"]["attribute"]
    assert [a["code"] for a in attributes] == ["temperature", "heating"]
    assert attributes[1]["values"]["value"][0] == {"key": "central", "name": "集中供暖"}

    code = requests.get(f"{root}/requests.json", params={"api_key": raw}, timeout=30).json()[0][
        "service_request_id"
    ]
    found = client.get_service_request(code)
    assert found["service_request_id"] == code
    assert found["status"] == "open"
    assert found["lat"] is None  # an empty element
