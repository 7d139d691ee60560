"""Every route, discovered from the URLconf, walked as staff (and a resident) of the sibling subtree.

Routes are not listed by hand: a route added later is covered automatically, and a route
whose URL kwargs no ``tests/<app>/route_params.py`` can build fails this test, so no route
goes unexercised (after Zulip's url-coverage check). The acting users belong to town B, or
to a county department (县住建局, under the county, not town A: a department sees its own
subtree and what is dispatched to it, never the county's towns); every object the kwargs
point at belongs to town A and none is dispatched to the department.

The positive control (``test_owner_reaches``): every route with kwargs is requested as the owner
of its objects, town A's staff (``town_a``) unless the route's ``route_params`` names another
user of the test world in ``ROUTE_OWNERS`` (the county administrator for the county's category
table, the resident for their own request ...), and must answer 200, 302 or 405 (a POST-only
route is then POSTed an empty form and must not answer 403, 404 or 5xx) — so a ``route_params``
factory that builds the wrong object cannot pass the walk by getting a 404.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from lianxin.core.routes import discover_routes, is_public, param_names

TESTS_DIR = Path(__file__).resolve().parent.parent
ACTORS = ["town_b", "village_b", "resident_b", "dept"]
# Personal data that no public page may show; every non-public page must hide the unit names too.
DENIED = {403, 404, 405}


OWNER = "town_a"  # who owns the objects the kwargs point at, unless ROUTE_OWNERS says otherwise
REACHED = {200, 302, 405}


def _load_params():
    kwargs, canaries, owners = {}, [], {}
    for path in sorted(TESTS_DIR.glob("*/route_params.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.route_params")
        kwargs.update(getattr(module, "ROUTE_KWARGS", {}))
        owners.update(getattr(module, "ROUTE_OWNERS", {}))
        if hasattr(module, "CANARIES"):
            canaries.append(module.CANARIES)
    return kwargs, canaries, owners


ROUTES = discover_routes()
ROUTE_KWARGS, CANARY_FUNCS, ROUTE_OWNERS = _load_params()
KWARG_ROUTES = [r for r in ROUTES if param_names(r[2])]


def _text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw[:2] == b"PK":  # xlsx and other zip containers: search their XML
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                return "".join(zf.read(n).decode("utf-8", "ignore") for n in zf.namelist())
        except zipfile.BadZipFile:
            pass
    text = raw.decode("utf-8", "ignore")
    if response.get("Content-Type", "").startswith("application/json"):
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _canaries(world, *, public: bool) -> list[str]:
    values = []
    for func in CANARY_FUNCS:
        values.extend(v for v in func(world) if v)
    personal = {world.persons["a"].name, world.persons["a"].phone, world.persons["a"].id_number}
    if public:
        return [v for v in values if v in personal]
    return values


def test_every_route_with_kwargs_is_exercised():
    missing = [
        f"{name or route}"
        for route, name, p in ROUTES
        if param_names(p) and name not in ROUTE_KWARGS
    ]
    assert not missing, (
        "routes with URL kwargs but no entry in any tests/<app>/route_params.py ROUTE_KWARGS: "
        + ", ".join(missing)
    )
    unnamed = [route for route, name, _p in ROUTES if not name]
    assert not unnamed, f"unnamed routes cannot be checked: {unnamed}"


def test_every_view_declares_its_access():
    """Each view names a permission, or is public, or is one of the user's own pages."""
    undeclared = []
    for route, name, p in ROUTES:
        cb = p.callback
        if name.startswith("api:") or name in {"set_language"}:
            continue  # the API authenticates every operation; set_language is Django's
        if (
            is_public(p)
            or getattr(cb, "lianxin_permission", None)
            or getattr(cb, "lianxin_login_required", False)
        ):
            continue
        undeclared.append(name or route)
    assert not undeclared, (
        f"views without permission_required/public_view/login_required: {undeclared}"
    )


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("route", "name", "pattern"), ROUTES, ids=[n or r for r, n, _ in ROUTES])
def test_sibling_subtree_cannot_reach(route, name, pattern, actor, world, client, login):
    login(world.users[actor])
    public = is_public(pattern)
    canaries = _canaries(world, public=public)
    if param_names(pattern):
        kwargs = ROUTE_KWARGS[name](world)
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        if not public:
            assert response.status_code in DENIED, f"GET {url} as {actor}: {response.status_code}"
        text = _text(response)
        leaked = [c for c in canaries if c in text]
        assert not leaked, f"GET {url} as {actor} shows {leaked}"
        response = client.post(url, {})
        if not public:
            assert response.status_code in DENIED, f"POST {url} as {actor}: {response.status_code}"
        text = _text(response)
        leaked = [c for c in canaries if c in text]
        assert not leaked, f"POST {url} as {actor} shows {leaked}"
    else:
        url = reverse(name)
        response = client.get(url)
        assert response.status_code < 500
        text = _text(response)
        leaked = [c for c in canaries if c in text]
        assert not leaked, f"GET {url} as {actor} shows {leaked}"
        for query in ("?q=金丝雀", "?q=东关", "?unit=" + world.village_a.code):
            text = _text(client.get(url + query))
            leaked = [c for c in canaries if c in text]
            assert not leaked, f"GET {url}{query} as {actor} shows {leaked}"


def test_route_owners_name_routes_with_kwargs():
    unknown_routes = sorted(set(ROUTE_OWNERS) - set(ROUTE_KWARGS))
    assert not unknown_routes, f"ROUTE_OWNERS names routes without ROUTE_KWARGS: {unknown_routes}"


@pytest.mark.parametrize(
    ("route", "name", "pattern"), KWARG_ROUTES, ids=[n or r for r, n, _ in KWARG_ROUTES]
)
def test_owner_reaches(route, name, pattern, world, client, login):
    """Positive control of the walk above: the owner of the objects gets the page."""
    owner = ROUTE_OWNERS.get(name, OWNER)
    assert owner in world.users, f"ROUTE_OWNERS[{name!r}] = {owner!r} is not a test-world user"
    login(world.users[owner])
    url = reverse(name, kwargs=ROUTE_KWARGS[name](world))
    response = client.get(url)
    assert response.status_code in REACHED, f"GET {url} as {owner}: {response.status_code}"
    if response.status_code == 302:
        assert "/accounts/login/" not in response["Location"], f"GET {url} as {owner}: to log-in"
    if response.status_code == 405:
        # A POST-only route: a 405 says nothing about the object, so POST an empty form (a JSON
        # body to the API): refused input is fine, not finding or not allowing the object is not.
        if name.startswith("api:"):
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.post(url, {})
        assert response.status_code not in {403, 404} and response.status_code < 500, (
            f"POST {url} as {owner}: {response.status_code}"
        )


def test_admin_refuses_staff(world, client, login):
    login(world.users["county_admin"])
    response = client.get("/admin/people/person/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_own_subtree_can_reach_the_same_objects(world, client, login):
    """The negative test above means something: town A's staff do see these objects."""
    login(world.users["town_a"])
    for name in ("people:person_detail", "people:household_detail", "org:unit_detail"):
        response = client.get(reverse(name, kwargs=ROUTE_KWARGS[name](world)))
        assert response.status_code == 200, name
    assert "甲金丝雀" in client.get(reverse("people:person_list")).content.decode()


def test_department_reaches_what_is_dispatched_to_it(world, client, login):
    """The department actor above means something: a town-A request transferred to the
    department opens for its handler, and the same handler still sees no town-A person."""
    from lianxin.cases import services as case_services
    from tests.cases.factories import make_case

    village = world.users["village_a"]
    case = make_case(world, channel="staff", created_by=village, idempotency_key="dept-walk")
    case = case_services.case_transfer(
        case=case, actor=village, to_unit=world.department, reason="属住建职责"
    )
    login(world.users["dept"])
    assert client.get(reverse("cases:case_detail", kwargs={"pk": case.pk})).status_code == 200
    response = client.get(reverse("people:person_detail", kwargs={"pk": world.persons["a"].pk}))
    assert response.status_code in DENIED
