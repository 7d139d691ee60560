"""Every JSON API response a test receives answers as its operation declares (what schemathesis
checks over generated cases, here over the hand-written ones): the status is one the
operation lists in the OpenAPI document, and an error body is ``ErrorOut`` — ``code``,
``detail`` and, for a 422, ``errors`` — nothing else (success bodies are already validated by
django-ninja against the operation's response schema).

A test module opts in with ``from tests.api_contract import api_contract  # noqa: F401`` (an
autouse fixture): its ``client`` (the one ``login`` logs in) then checks every API response.
"""

from __future__ import annotations

import json
import re
from functools import cache

import pytest

PREFIX = "/api/v1/"


@cache
def _operations() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    from lianxin.api.urls import api

    out = []
    # Paths without parameters first: /bookings/manage is not /bookings/{pk}.
    paths = sorted(api.get_openapi_schema()["paths"].items(), key=lambda kv: kv[0].count("{"))
    for path, ops in paths:
        pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")
        for method, op in ops.items():
            out.append((pattern, method.upper(), frozenset(str(s) for s in op["responses"])))
    return out


def declared(method: str, path: str) -> frozenset[str] | None:
    """The statuses the operation for (method, path) declares; None when no operation matches."""
    for pattern, m, statuses in _operations():
        if m == method and pattern.match(path):
            return statuses
    return None


def check(method: str, path: str, response) -> None:
    from lianxin.api.responses import ErrorOut

    statuses = declared(method, path)
    if statuses is None:
        return  # not an operation (the docs page, the OpenAPI document)
    assert str(response.status_code) in statuses, (
        f"{method} {path} answered {response.status_code}, declares {sorted(statuses)}"
    )
    if response.status_code >= 400:
        body = json.loads(response.content)
        assert set(body) <= {"code", "detail", "errors"}, f"{method} {path}: {body}"
        ErrorOut.model_validate(body)
        assert (response.status_code == 422) or "errors" not in body


@pytest.fixture(autouse=True)
def api_contract(client):
    """The test client checks each API response against its declared operation."""
    send = client.request

    def request(**req):
        response = send(**req)
        path = req.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            check(req.get("REQUEST_METHOD", "GET"), path, response)
        return response

    client.request = request
    return client
