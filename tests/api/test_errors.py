"""The JSON API's one error body ``{"code", "detail"}`` (lianxin.api.errors) and its documents:
OpenAPI with the token scheme, the Swagger UI at /api/docs from django-ninja's bundled assets."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from ninja.errors import HttpError

pytestmark = pytest.mark.django_db


def _is_body(data, code):
    assert data["code"] == code, data
    assert isinstance(data["detail"], str) and any(
        "\u4e00" <= ch <= "\u9fff" for ch in data["detail"]
    )


def test_401_without_session_or_token(client):
    r = client.get("/api/v1/cases/")
    assert r.status_code == 401
    _is_body(r.json(), "unauthorized")


def test_404_outside_scope(world, login):
    from tests.cases.factories import make_case

    case = make_case(world)
    r = login(world.users["town_b"]).get(f"/api/v1/cases/{case.pk}")
    assert r.status_code == 404
    _is_body(r.json(), "not_found")


def test_422_names_the_fields_in_chinese(world, login):
    r = login(world.users["town_a"]).get("/api/v1/cases/?limit=0&offset=-1")
    assert r.status_code == 422
    data = r.json()
    _is_body(data, "validation_error")
    locs = [e["loc"] for e in data["errors"]]
    assert ["query", "limit"] in locs and ["query", "offset"] in locs
    assert all("input" not in e for e in data["errors"])
    assert "limit" in data["detail"] and "过小" in data["detail"]


def test_the_handlers_shape_every_status():
    from lianxin.api.urls import api

    request = RequestFactory().get("/api/v1/x")
    cases = [
        (PermissionDenied("cases.view_case"), 403, "permission_denied", "没有执行此操作的权限"),
        (
            PermissionDenied("只能登记本辖区网格内的诉求。"),
            403,
            "permission_denied",
            "只能登记本辖区网格内的诉求。",
        ),
        (HttpError(409, "诉求已在该单位待签收。"), 409, "conflict", "诉求已在该单位待签收。"),
        (HttpError(422, "照片不能超过 1 MB。"), 422, "validation_error", "照片不能超过 1 MB。"),
        (HttpError(403, "CSRF check Failed"), 403, "csrf_failed", "没有执行此操作的权限"),
    ]
    import json

    for exc, status, code, detail in cases:
        response = api.on_exception(request, exc)
        assert response.status_code == status
        assert json.loads(response.content) == {"code": code, "detail": detail}


def test_500_is_json_and_still_reported():
    import json

    from django.core.signals import got_request_exception

    from lianxin.api.urls import api

    seen = []

    def receiver(sender, request, **kw):
        seen.append(request)

    got_request_exception.connect(receiver)
    try:
        request = RequestFactory().get("/api/v1/x")
        try:
            raise RuntimeError("boom")
        except RuntimeError as exc:
            response = api.on_exception(request, exc)
    finally:
        got_request_exception.disconnect(receiver)
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"
    assert "boom" not in response.content.decode()
    assert seen == [request]


def test_openapi_documents_the_token_scheme_and_error_body(client):
    doc = client.get("/api/v1/openapi.json").json()
    scheme = doc["components"]["securitySchemes"]["TokenAuth"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "令牌" in scheme["description"]
    op = doc["paths"]["/api/v1/cases/"]["get"]
    assert {"TokenAuth": []} in op["security"]
    error = doc["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "detail"}
    assert "429" in op["responses"]


def test_docs_served_from_bundled_assets(client):
    r = client.get("/api/docs")
    assert r.status_code == 302 and r["Location"] == "/api/v1/docs"
    assert client.get("/api/docs/").status_code == 302
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("ninja/swagger-ui-init.js")
