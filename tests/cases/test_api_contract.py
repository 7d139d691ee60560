"""Every 诉求 API response is one the OpenAPI document declares for its operation.

What schemathesis will check across the whole API, done here for the requests' operations
with hand-picked calls that reach each of their outcomes: the status is among the operation's
declared responses, a success body validates against the declared model, and an error body is
the API's one error shape (``lianxin.api.errors``: ``{"code", "detail"[, "errors"]}``, the code
for its status, the detail in Chinese).
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianxin.cases import services as s
from tests.cases.factories import category, make_case

pytestmark = pytest.mark.django_db

errors_module = pytest.importorskip("lianxin.api.errors", reason="the API's error handlers")


def _operations():
    from lianxin.api.urls import api

    doc = api.get_openapi_schema()
    out = {}
    for path, ops in doc["paths"].items():
        if not path.startswith("/api/v1/cases"):
            continue
        regex = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$")
        for method, op in ops.items():
            out[(regex, method)] = op
    return doc, out


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "null": type(None),
}


def conforms(value, schema: dict, doc: dict, where: str = "$") -> list[str]:
    """The ways ``value`` breaks ``schema`` (the subset of JSON Schema django-ninja writes)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return conforms(value, doc["components"]["schemas"][name], doc, where)
    if "anyOf" in schema:
        branches = [conforms(value, sub, doc, where) for sub in schema["anyOf"]]
        return [] if any(not b for b in branches) else [f"{where}: no anyOf branch fits"]
    problems = []
    kind = schema.get("type")
    if kind is not None:
        expected = _TYPES[kind]
        if not isinstance(value, expected) or (kind != "boolean" and isinstance(value, bool)):
            return [f"{where}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        problems += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            if key in props:
                problems += conforms(item, props[key], doc, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problems += conforms(item, schema["items"], doc, f"{where}[{i}]")
    return problems


class Checker:
    def __init__(self):
        self.doc, self.ops = _operations()
        self.seen: set[tuple[str, str, int]] = set()

    def check(self, response, method: str):
        path = response.request["PATH_INFO"]
        op = next((o for (rx, m), o in self.ops.items() if m == method and rx.match(path)), None)
        assert op is not None, f"{method} {path} is not in the document"
        status = response.status_code
        declared = {int(k) for k in op["responses"]}
        assert status in declared, f"{method} {path}: {status} not among {sorted(declared)}"
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        declared_response = op["responses"].get(status) or op["responses"][str(status)]
        schema = declared_response["content"]["application/json"]["schema"]
        problems = conforms(body, schema, self.doc)
        assert not problems, f"{method} {path} {status}: {problems}"
        if status >= 400:
            assert set(body) <= {"code", "detail", "errors"}, body
            assert body["code"] == errors_module.CODES[status], body
            assert re.search(r"[\u4e00-\u9fff]", body["detail"]), body
        self.seen.add((op["operationId"], method, status))
        return response


def png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (12, 12)).save(buf, format="PNG")
    return buf.getvalue()


def test_responses_match_the_document(world, client, login):
    ck = Checker()
    case = make_case(world)
    other = make_case(world, grid=world.grid_b1, reporter="resident_b")
    base = "/api/v1/cases/"

    def post(path, data=None):
        return ck.check(client.post(path, data or {}, content_type="application/json"), "post")

    def get(path):
        return ck.check(client.get(path), "get")

    assert get(base).status_code == 401
    assert post(f"{base}{case.pk}/accept").status_code == 401
    login(world.users["resident_a"])
    assert get(base).status_code == 403
    assert get(f"{base}{case.pk}").status_code == 403
    assert post(f"{base}{case.pk}/accept").status_code == 403
    new = {
        "title": "井盖丢了",
        "description": "路口井盖丢失，很危险。",
        "category": category("infra-light").pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "甲居民",
        "reporter_phone": "13900000001",
    }
    assert post(base, {**new, "idempotency_key": "c-1"}).status_code == 201
    assert post(base, {**new, "idempotency_key": "c-1"}).status_code == 200
    assert post(base, {**new, "idempotency_key": "c-1", "title": "别的"}).status_code == 409
    assert post(base, {**new, "title": ""}).status_code == 422
    assert post(base, {**new, "grid": world.village_a.pk}).status_code == 422
    client.logout()

    login(world.users["town_a"])
    assert get(base).status_code == 200
    assert get(base + "?limit=0").status_code == 422
    assert get(f"{base}{case.pk}").status_code == 200
    assert get(f"{base}{other.pk}").status_code == 404
    assert post(f"{base}{other.pk}/note", {"note": "x"}).status_code == 404
    assert post(f"{base}{case.pk}/note", {"note": "已联系"}).status_code == 201
    assert post(f"{base}{case.pk}/note", {}).status_code == 422
    assert post(f"{base}{case.pk}/dispatch", {"to_unit": world.village_b.pk}).status_code == 422
    assert post(f"{base}{case.pk}/resolve", {"resolution": "好了"}).status_code == 409
    assert post(f"{base}{case.pk}/accept").status_code == 200
    assert post(f"{base}{case.pk}/accept").status_code == 409  # already accepted
    assert get(f"{base}{case.pk}/photos").status_code == 200
    photo = SimpleUploadedFile("p.png", png(), content_type="image/png")
    ck.check(client.post(f"{base}{case.pk}/photos", {"photo": photo}), "post")
    ck.check(client.post(f"{base}{case.pk}/photos", {}), "post")
    assert post(f"{base}{case.pk}/resolve", {"resolution": "已修好"}).status_code == 200
    assert post(f"{base}{case.pk}/evaluate", {"rating": "basic"}).status_code == 403
    assert post(f"{base}{case.pk}/escalate", {"reason": "x"}).status_code == 409
    client.logout()
    s.case_accept(case=other, actor=world.users["grid_b1"])

    statuses = {st for _op, _m, st in ck.seen}
    assert statuses == {200, 201, 401, 403, 404, 409, 422}
