"""Issue 16 (1): the workbench costs the same at a village and a county, with 3 or 60 requests:
keyset pages by the sort key, bounded counts ("10,000+"), a constant number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianxin.cases.models import Case
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

# The page's own reads: the keyset page (rows with their joins) and one query of bounded counts
# (the list's size and every queue tab). The rest is the request's fixed cost, the same on
# every staff page: the session, the user (with their resident-entry flags, accounts.backends),
# the scope's memberships and the permissions (one query, user's and groups'); the filter's
# categories come from the process's copy (cases.category_cache).
OWN_QUERIES = 2
# PostgreSQL runs one statement more: the scope's unit ids (org.scoping.scope_unit_ids), read
# once per request so the list and its counts match by foreign-key id.
PAGE_QUERIES = 7 if connection.vendor == "postgresql" else 6


def _queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm what a session keeps warm
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def _own(sqls: list[str]) -> list[str]:
    return [s for s in sqls if '"cases_case"' in s]


def test_queries_are_few_and_the_same_at_village_and_county_with_3_or_60(world, login, settings):
    settings.LIANXIN_PAGE_SIZE = 20
    url = reverse("cases:workbench")
    village, county = login(world.users["village_a"]), None
    for _i in range(3):
        make_case(world)
    few_v, sql_few_v = _queries(village, url)
    county = login(world.users["county_admin"])
    few_c, sql_few_c = _queries(county, url)
    for i in range(57):
        make_case(world, grid=world.grid_b1 if i % 2 else world.grid_a1, reporter="resident_b")
    many_c, sql_many_c = _queries(county, url)
    village = login(world.users["village_a"])
    many_v, sql_many_v = _queries(village, url)
    print(f"\nworkbench queries: village {few_v}/{many_v}, county {few_c}/{many_c} (3/60 requests)")
    assert few_v == many_v == few_c == many_c <= PAGE_QUERIES
    for sqls in (sql_few_v, sql_many_v, sql_few_c, sql_many_c):
        own = _own(sqls)
        assert len(own) == OWN_QUERIES, own
        assert not any(re.search(r"SELECT COUNT\(\*\) AS \"__count\" FROM", s) for s in own)
        assert all("LIMIT" in s for s in own)  # every read of the requests is bounded
    # the page size does not change the count either
    settings.LIANXIN_PAGE_SIZE = 50
    assert _queries(county, url)[0] == many_c


def test_the_count_and_the_tabs_stop_at_the_bound(world, login, settings):
    settings.LIANXIN_LIST_COUNT_BOUND = 5
    for _i in range(7):
        make_case(world)
    c = login(world.users["county_admin"])
    r = c.get(reverse("cases:workbench"))
    body = r.content.decode()
    assert 'data-testid="case-count">共 5+ 件' in body
    assert r.context["list_total"].capped and r.context["counts"]["due_soon"] >= 0
    tabs = body[body.index('data-testid="workbench-views"') :]
    tabs = tabs[: tabs.index("</ul>")]
    assert "5+" in tabs  # the awaiting-acceptance queues hold all 7
    settings.LIANXIN_LIST_COUNT_BOUND = 10
    body = c.get(reverse("cases:workbench")).content.decode()
    assert 'data-testid="case-count">共 7 件' in body and "5+" not in body


def _codes(response) -> list[str]:
    return [c.code for c in response.context["page_obj"]]


def _walk(client, url: str) -> list[list[str]]:
    r = client.get(url)
    pages = [_codes(r)]
    while r.context["page_obj"].has_next:
        r = client.get(url + "&cursor=" + r.context["page_obj"].next_cursor)
        assert r.status_code == 200
        pages.append(_codes(r))
    back = [_codes(r)]
    while r.context["page_obj"].has_previous:
        assert 'data-testid="pager-prev"' in r.content.decode()
        r = client.get(url + "&cursor=" + r.context["page_obj"].previous_cursor)
        back.append(_codes(r))
    assert back[::-1] == pages
    return pages


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("-created", lambda c: (-c.created_at.timestamp(), -c.pk)),
        ("created", lambda c: (c.created_at.timestamp(), c.pk)),
        ("due", lambda c: (c.resolve_due_at is None, c.resolve_due_at or 0, c.pk)),
        ("accept_due", lambda c: (c.accept_due_at is None, c.accept_due_at or 0, c.pk)),
    ],
)
def test_next_and_previous_walk_every_request_once_ties_broken_by_id(
    world, login, settings, sort, key
):
    settings.LIANXIN_PAGE_SIZE = 3
    at = timezone.now() - timedelta(hours=2)
    for i in range(5):  # five at the same instant: the same created_at and deadlines
        make_case(world, title=f"同时{i}", now=at)
    for i in range(6):
        make_case(world, title=f"先后{i}", now=at - timedelta(minutes=i * 7))
    expected = [c.code for c in sorted(Case.objects.all(), key=key)]
    c = login(world.users["county_admin"])
    pages = _walk(c, reverse("cases:workbench") + f"?sort={sort}")
    assert [code for page in pages for code in page] == expected
    assert len(pages) == 4 and [len(p) for p in pages] == [3, 3, 3, 2]


def test_a_garbled_cursor_gives_the_first_page_and_htmx_gets_the_rows(world, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    for i in range(5):
        make_case(world, title=f"路灯{i}")
    c = login(world.users["town_a"])
    url = reverse("cases:workbench") + "?view=all"
    first = _codes(c.get(url))
    for cursor in ("", "nonsense", "eyJhIjoxfQ:1abc:def", "%00", "a" * 3000):
        r = c.get(url, {"cursor": cursor})
        assert r.status_code in (200, 400) and (r.status_code == 400 or _codes(r) == first)
    nxt = c.get(url).context["page_obj"].next_cursor
    # a cursor made under one sort is no position in another: that list's first page
    assert _codes(c.get(url + "&sort=created&cursor=" + nxt)) == _codes(
        c.get(url + "&sort=created")
    )
    r = c.get(url + "&cursor=" + nxt, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="lx-case-list")
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and 'data-testid="keyset-pager"' in body
    assert _codes(r) != first and "第 2 页" in body and 'rel="next"' in body


def test_search_keeps_its_numbered_pages(world, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    for i in range(5):
        make_case(world, title=f"路灯不亮{i}")
    body = login(world.users["county_admin"]).get(reverse("cases:workbench") + "?q=路灯").content
    assert "第 1 / 3 页" in body.decode() and b"cursor=" not in body
