"""No input answers 5xx: every GET route and every form, fed hostile values.

Routes come from the URLconf (as in test_route_scoping.py, with the same
``tests/<app>/route_params.py`` kwargs). For each route and actor, one normal GET records
which query parameters the view reads (``QueryDict`` access is instrumented; for the JSON API
they come from the OpenAPI schema); each of them is then replayed with hostile values. Every
``<form method=post>`` on the pages reached is posted once per field with hostile values in
that field and plausible values in the others. Integer URL kwargs are tried out of range too.

CI runs a sample (7 values per query parameter, 3 per form field, each form once per route);
``LIANXIN_HOSTILE_FULL=1`` tries every value for every actor.
"""

from __future__ import annotations

import contextlib
import os
import re
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.datastructures import MultiValueDict

from lianxin.core.routes import discover_routes, param_names
from tests.core.test_route_scoping import ROUTE_KWARGS

FULL = os.environ.get("LIANXIN_HOSTILE_FULL") == "1"
HUGE = "1" + "0" * 23
VALUES = {
    "huge": HUGE,
    "negative": "-1",
    "text": "abc",
    "min_date": "0001-01-01",
    "max_date": "9999-12-31",
    "nul": "a\x00b",
    "week": "9999-W99",
    "zero": "0",
    "long": "长" * 10_000,
    "unicode": "\u202e😀\ufeff",
    "month": "0000-00",
    "max_month": "9999-12",
    "datetime": "9999-12-31T23:59",
}
QUERY_SAMPLE = ["huge", "negative", "text", "min_date", "max_date", "max_month", "nul"]
FIELD_SAMPLE = {
    "number": ["huge", "negative", "text"],
    "date": ["min_date", "max_date", "text"],
    "datetime-local": ["datetime", "min_date", "nul"],
    "time": ["text", "huge", "nul"],
    "month": ["month", "max_date", "nul"],
    "week": ["week", "text", "nul"],
    "select": ["huge", "negative", "nul"],
    "hidden": ["huge", "long", "nul"],
    "checkbox": ["huge", "negative", "nul"],
    "radio": ["huge", "negative", "nul"],
}
TEXT_SAMPLE = ["huge", "long", "nul"]
ACTORS = ["anonymous", "county_admin", "village_a", "resident_a"]
SKIP_ACTIONS = {"/accounts/logout/"}  # logging out mid-walk would hide the rest
ROUTES = [r for r in discover_routes() if r[1] not in {"api:openapi-view"}]


def _values(kind: str | None) -> list[str]:
    if FULL:
        return list(VALUES.values())
    if kind is None:
        return [VALUES[k] for k in QUERY_SAMPLE]
    return [VALUES[k] for k in FIELD_SAMPLE.get(kind, TEXT_SAMPLE)]


def _show(value: str) -> str:
    return repr(value if len(value) < 40 else value[:20] + f"...({len(value)} chars)")


class _Recorder:
    """Keys read from an immutable QueryDict (request.GET / request.POST) while active."""

    def __init__(self):
        self.keys: list[str] = []
        self.active = False

    def wrap(self, method):
        recorder = self

        def wrapper(qd, key, *args, **kwargs):
            if (
                recorder.active
                and isinstance(qd, QueryDict)
                and not qd._mutable
                and key not in recorder.keys
            ):
                recorder.keys.append(key)
            return method(qd, key, *args, **kwargs)

        return wrapper

    def patches(self):
        return [
            mock.patch.object(MultiValueDict, name, self.wrap(getattr(MultiValueDict, name)))
            for name in ("get", "getlist", "__getitem__", "__contains__")
        ]


def _api_query_params() -> list[tuple[re.Pattern, list[str]]]:
    from lianxin.api.urls import api

    out = []
    for path, ops in api.get_openapi_schema()["paths"].items():
        get = ops.get("get")
        if not get:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query"]
        out.append(
            (re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"), names)
        )
    return out


class _Forms(HTMLParser):
    """The ``<form method=post>`` elements of a page: action and plausible field values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "fields": {}, "kinds": {}}
                self.forms.append(self._form)
            return
        f = self._form
        if f is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                f["fields"].setdefault(name, [a.get("value", "")])
                f["kinds"].setdefault(name, "submit")
                return
            if kind == "file":
                return
            f["kinds"].setdefault(name, kind)
            if kind in {"checkbox", "radio"}:
                if "checked" in a or kind == "radio" and name not in f["fields"]:
                    values = f["fields"].setdefault(name, [])
                    if kind == "radio":
                        values[:] = [a.get("value", "on")]
                    else:
                        values.append(a.get("value", "on"))
                return
            f["fields"][name] = [a.get("value") or _plausible(kind)]
        elif tag == "button" and name:
            f["fields"].setdefault(name, [a.get("value", "")])
            f["kinds"].setdefault(name, "submit")
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
            f["kinds"][name] = "select"
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None and value:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            f["kinds"][name] = "textarea"
            f["fields"][name] = [""]

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            self._form["fields"][s["name"]] = s["chosen"] or ([s["first"]] if s["first"] else [])
            self._select = None
        elif tag == "textarea" and self._textarea:
            if not self._form["fields"][self._textarea][0].strip():
                self._form["fields"][self._textarea] = ["测试内容"]
            self._textarea = None


def _plausible(kind: str) -> str:
    return {
        "number": "1",
        "date": "2026-12-15",
        "datetime-local": "2026-12-15T09:00",
        "time": "09:00",
        "email": "a@example.com",
        "tel": "13900000009",
        "month": "2026-12",
        "week": "2026-W50",
        "password": "Test-pass-123",
        "hidden": "",
    }.get(kind, "测试")


class _Walk:
    def __init__(self, client, route: str):
        self.client = client
        self.route = route
        self.failures: list[str] = []
        self.recorder = _Recorder()

    def request(self, method: str, url: str, data=None, *, what: str):
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, data or {})
        except Exception as exc:  # noqa: BLE001 - every uncaught exception is the finding
            self.failures.append(
                f"{method} {url[:120]} {what}: {type(exc).__name__}: {str(exc)[:120]}"
            )
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url[:120]} {what}: HTTP {response.status_code}")
        return response

    def get_recording(self, url: str):
        patches = self.recorder.patches()
        for p in patches:
            p.start()
        self.recorder.active = True
        self.recorder.keys = []
        try:
            return self.request("GET", url, what="(plain)"), list(self.recorder.keys)
        finally:
            self.recorder.active = False
            for p in patches:
                p.stop()


API_PARAMS = _api_query_params()


def _route_kwargs(name: str, pattern, world) -> dict:
    return ROUTE_KWARGS[name](world) if param_names(pattern) else {}


def _query_keys(name: str, url: str, recorded: list[str]) -> list[str]:
    if name.startswith("api:"):
        for regex, names in API_PARAMS:
            if regex.match(url):
                return names
        return []
    return recorded


def _hostile_kwargs_urls(name: str, pattern, base: dict) -> list[str]:
    """The route with each integer URL kwarg out of range (and a string kwarg carrying junk)."""
    urls = []
    for key, conv in pattern.pattern.converters.items():
        for bad in [HUGE] if type(conv).__name__ == "IntConverter" else ["a" * 300]:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(name, kwargs={**base, key: bad}))
    return urls


def _post_forms(walk: _Walk, page_url: str, html: str, seen: set):
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        action = urljoin(page_url, form["action"]) if form["action"] else page_url
        path = urlsplit(action).path
        if path in SKIP_ACTIONS:
            continue
        try:
            if resolve(path).url_name == "set_language":
                continue  # covered once by test_set_language_survives_hostile_values
        except Exception:  # noqa: BLE001
            continue
        sig = (re.sub(r"\d+", "N", path), tuple(sorted(form["fields"])))
        if not FULL and sig in seen:
            continue
        seen.add(sig)
        base = {k: v for k, v in form["fields"].items() if form["kinds"].get(k) != "submit" or v}
        for field, kind in form["kinds"].items():
            if kind == "submit" or field in {"csrfmiddlewaretoken"}:
                continue
            for value in _values(kind if kind in FIELD_SAMPLE else "text"):
                data = {**base, field: [value]}
                walk.request("POST", action, data, what=f"field {field}={_show(value)}")


@pytest.mark.parametrize(("route", "name", "pattern"), ROUTES, ids=[n or r for r, n, _ in ROUTES])
def test_route_survives_hostile_input(route, name, pattern, world, client, login):
    if param_names(pattern) and name not in ROUTE_KWARGS:
        pytest.skip("no route_params filler (test_route_scoping fails for it)")
    walk = _Walk(client, name)
    seen_forms: set = set()
    kwargs = _route_kwargs(name, pattern, world)  # objects made once, shared by the actors
    url = reverse(name, kwargs=kwargs)
    bad_urls = _hostile_kwargs_urls(name, pattern, kwargs)
    replayed: set[str] = set()  # CI: each parameter replayed by the first actor who reaches it
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            login(world.users[actor])
        response, recorded = walk.get_recording(url)
        reached = response is not None and response.status_code == 200
        if bad_urls and (reached or actor == ACTORS[1]):
            for bad_url in bad_urls:
                walk.request("GET", bad_url, what="(URL kwarg out of range)")
            if not FULL:
                bad_urls = []
        if not reached:
            continue
        keys = [k for k in _query_keys(name, url, recorded) if FULL or k not in replayed]
        replayed.update(keys)
        for key in keys:
            for value in _values(None):
                sep = "&" if "?" in url else "?"
                walk.request(
                    "GET", url + sep + urlencode({key: value}), what=f"param {key}={_show(value)}"
                )
        if "text/html" in response.get("Content-Type", "") and not getattr(
            response, "streaming", False
        ):
            _post_forms(walk, url, response.content.decode("utf-8", "ignore"), seen_forms)
    failures = list(dict.fromkeys(walk.failures))
    assert not failures, f"{len(failures)} hostile inputs gave 5xx:\n" + "\n".join(failures)


def test_set_language_survives_hostile_values(db, client):
    walk = _Walk(client, "set_language")
    for value in VALUES.values():
        walk.request(
            "POST",
            reverse("set_language"),
            {"language": value, "next": "/"},
            what=f"language={_show(value)}",
        )
        walk.request(
            "POST",
            reverse("set_language"),
            {"language": "en", "next": value},
            what=f"next={_show(value)}",
        )
    assert not walk.failures, "\n".join(walk.failures)


def test_recorder_sees_the_keys_a_view_reads(world, client, login):
    """The instrumentation means something: the person list reads its ``q`` and ``unit`` filters."""
    login(world.users["county_admin"])
    walk = _Walk(client, "people:person_list")
    response, keys = walk.get_recording(reverse("people:person_list"))
    assert response.status_code == 200
    assert {"q", "unit"} <= set(keys)
