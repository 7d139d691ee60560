"""Walking a keyset list the way a browser does: follow the pager's links as rendered.

Following the rendered ``href`` (not a cursor taken from the context) is what shows the
filters in the query string survive paging ({% query_with %} keeps them, swaps the cursor).
"""

from __future__ import annotations

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

_LINK = r'<a class="page-link" href="([^"]*)"[^>]*data-testid="pager-{}"'


def pager_link(response, which: str) -> str | None:
    """The pager's ``next`` / ``prev`` / ``first`` link (path + query string), or None."""
    m = re.search(_LINK.format(which), response.content.decode())
    if m is None:
        return None
    return response.wsgi_request.path + html.unescape(m.group(1))


def pager_href(body: str, testid: str) -> str | None:
    """The query string of the pager link ``testid`` (e.g. "pager-prev") in a page's HTML."""
    m = re.search(rf'<a [^>]*href="([^"]*)"[^>]*data-testid="{testid}"', body)
    return html.unescape(m.group(1)) if m else None


def walked_pks(client, url: str) -> tuple[list[int], list]:
    """``walk`` from ``url``: the ids of every row seen, in order, and the responses."""
    pages = walk(client, url)
    return [x.pk for r in pages for x in r.context["page_obj"]], pages


def pks(response) -> list[int]:
    return [x.pk for x in response.context["page_obj"]]


def walk(client, url: str) -> list:
    """Every page from ``url`` on, following the rendered next links: the responses in order."""
    pages = [client.get(url)]
    while (nxt := pager_link(pages[-1], "next")) is not None:
        assert len(pages) < 50, "the pager does not end"
        pages.append(client.get(nxt))
        assert pages[-1].status_code == 200
    return pages


def query_count(client, url: str) -> int:
    """How many queries one GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def first_and_third_page_queries(client, url: str) -> tuple[int, int]:
    """The queries of page 1 and of page 3 (reached by following next twice)."""
    client.get(url)  # the first page after log-in may renew the session (a write)
    first = query_count(client, url)
    second = pager_link(client.get(url), "next")
    assert second is not None
    third = pager_link(client.get(second), "next")
    assert third is not None
    return first, query_count(client, third)
