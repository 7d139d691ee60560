"""Every operation of the API has a scoping test: issue 14's "every API operation has a scoping
test (the route walk covers the API and Open311)", checked from the OpenAPI document itself.

Operations are not listed by hand: one added later is found in the document and fails here
until it is covered.

* An operation with path parameters (``/cases/{pk}/accept``) is covered by the route walk
  (tests/core/test_route_scoping.py): its URL name needs a ``route_params`` entry, and the walk
  then GETs and POSTs it as staff and residents of the sibling subtree (must be 403/404/405 and
  show none of the owner's data) and as the owner (must be reached). The walk only sends GET
  and POST, so an operation with another method fails here until the walk learns it.
* A GET without path parameters (a list) is walked for leaks as every sibling actor, with
  search and unit filters.
* A POST without path parameters (a create) names its object in the body, which the walk cannot
  build: each is listed in ``CREATE_SCOPING`` with the test that posts into another subtree and
  is refused, and that test must exist.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.urls import resolve

from lianxin.api.urls import api
from lianxin.core.routes import discover_routes
from tests.core.test_route_scoping import ROUTE_KWARGS

WALKED_METHODS = {"get", "post"}

# (method, path) of a create -> the test that posts it into another subtree and is refused.
CREATE_SCOPING = {
    ("post", "/api/v1/cases/"): (
        "tests.cases.test_api_create",
        "test_staff_cannot_register_in_another_town",
    ),
    ("post", "/api/v1/visits/visits"): ("tests.visits.test_api", "test_who_may_record"),
    ("post", "/api/v1/wishes/wishes"): (
        "tests.wishes.test_api",
        "test_staff_post_for_someone_in_their_grids_only",
    ),
}


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method, path)
        for path, item in sorted(schema["paths"].items())
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()


def _url_name(path: str) -> str:
    concrete = re.sub(r"\{[^}]+\}", "1", path)
    match = resolve(concrete)
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def test_the_document_lists_the_operations():
    """The check below has something to check: the API's operations, writes among them."""
    assert len(OPERATIONS) >= 70
    assert sum(1 for method, _ in OPERATIONS if method == "post") >= 30


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_has_a_scoping_test(method, path):
    assert method in WALKED_METHODS, (
        f"{method.upper()} {path}: the route walk sends only GET and POST; teach it this method"
    )
    name = _url_name(path)
    if "{" in path:
        assert name in ROUTE_KWARGS, (
            f"{method.upper()} {path} ({name}): add a route_params entry so the route walk "
            "requests it as the sibling subtree and as the owner"
        )
    elif method == "post":
        assert (method, path) in CREATE_SCOPING, (
            f"POST {path}: a create; name the test that posts it into another subtree "
            "in CREATE_SCOPING"
        )
        module, test = CREATE_SCOPING[(method, path)]
        assert callable(getattr(importlib.import_module(module), test, None)), (
            f"{module}::{test} does not exist"
        )


def test_create_scoping_names_only_real_operations():
    stale = sorted(set(CREATE_SCOPING) - set(OPERATIONS))
    assert not stale, f"CREATE_SCOPING names operations the API no longer has: {stale}"


def test_the_route_walk_discovers_the_api_and_open311():
    """The walk's routes include every API path and Open311's: nothing is walked around."""
    names = {name for _route, name, _pattern in discover_routes()}
    api_names = {_url_name(path) for _method, path in OPERATIONS}
    assert api_names <= names, sorted(api_names - names)
    assert {n for n in names if n.startswith("open311:")} >= {
        "open311:discovery",
        "open311:services",
    }
