"""Fixtures of the Open311 tests: the shipped attributes, tokens of town A and town B."""

from __future__ import annotations

import pytest

GRID_A1_POINT = {"lat": "34.715", "long": "104.885"}  # inside 东关第1网格 (tests/conftest.py)
GRID_B1_POINT = {"lat": "34.755", "long": "104.955"}  # inside 张家第1网格 (town B)
BOTH = ["cases.submit_case", "cases.view_case"]


@pytest.fixture
def attributes(db):
    """The categories and the shipped attributes (a transactional test's flush removes them)."""
    from lianxin.cases.models import Category
    from lianxin.open311.defaults import seed_attributes
    from lianxin.open311.models import ServiceAttribute
    from tests.cases.factories import ensure_categories

    ensure_categories()
    seed_attributes(Category, ServiceAttribute)


@pytest.fixture
def token_a(world, attributes):
    from tests.integrations.factories import make_token

    raw, _token = make_token(world.town_a, BOTH, name="12345平台")
    return raw


@pytest.fixture
def token_b(world, attributes):
    from tests.integrations.factories import make_token

    raw, _token = make_token(world.town_b, BOTH, name="洛门镇小程序")
    return raw


def light(**extra) -> dict:
    """A valid street-light request in grid A1, with its required attribute."""
    data = {
        "service_code": "infra-light",
        "description": "东关小区门口路灯不亮三天了，晚上很黑。",
        "attribute[fault]": "dark",
        "phone": "13912345678",
        "last_name": "王",
        "first_name": "大妈",
        **GRID_A1_POINT,
    }
    data.update(extra)
    return data


@pytest.fixture
def submit(client):
    """POST requests.{fmt} with an api_key; returns the response."""

    def _submit(token, data=None, *, fmt="json", headers=None):
        body = dict(light() if data is None else data)
        if token is not None:
            body["api_key"] = token
        return client.post(f"/open311/v2/requests.{fmt}", body, headers=headers or {})

    return _submit
