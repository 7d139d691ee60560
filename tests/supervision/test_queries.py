"""The console's lists cost a fixed number of queries however many rows they show (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db

PAGES = ["supervision:order_list", "supervision:decision_list"]


def _count(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", PAGES)
def test_list_queries_do_not_grow_with_rows(world, client, login, name):
    login(world.users["town_a"])
    url = reverse(name)
    issue(world)
    decide(world)
    few = _count(client, url)
    for _ in range(6):
        decide(world, order=issue(world))
    assert _count(client, url) == few


def test_unit_record_panel_queries_do_not_grow(world, client, login):
    login(world.users["town_a"])
    url = reverse("org:unit_detail", args=[world.village_a.code])
    decide(world, order=issue(world))
    few = _count(client, url)
    for _ in range(5):
        decide(world, order=issue(world))
    assert _count(client, url) == few
