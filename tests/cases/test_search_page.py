"""Search results past the count bound (issue 16): a keyset page in the sort's index order and
"N+", never a sort of every match; up to the bound, numbered pages with the exact total."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lianxin.core.keyset import KeysetPage
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def _make(world, n: int) -> list:
    at = timezone.now() - timedelta(hours=3)
    return [make_case(world, title=f"路灯不亮{i}", now=at + timedelta(minutes=i)) for i in range(n)]


def test_up_to_the_bound_numbered_pages_and_the_exact_total(world, login, settings):
    settings.LIANXIN_LIST_COUNT_BOUND = 10
    settings.LIANXIN_PAGE_SIZE = 3
    _make(world, 7)
    make_case(world, title="井盖丢失", description="井盖不见了")
    r = login(world.users["county_admin"]).get(reverse("cases:workbench"), {"q": "路灯"})
    assert r.status_code == 200
    assert not isinstance(r.context["page_obj"], KeysetPage)
    assert r.context["list_total"] == 7
    assert 'data-testid="case-count">共 7 件' in r.content.decode()


def test_past_the_bound_a_keyset_page_newest_first_and_n_plus(world, login, settings):
    settings.LIANXIN_LIST_COUNT_BOUND = 4
    settings.LIANXIN_PAGE_SIZE = 3
    made = _make(world, 7)
    make_case(world, title="井盖丢失", description="井盖不见了")
    c = login(world.users["county_admin"])
    url = reverse("cases:workbench")
    r = c.get(url, {"q": "路灯"})
    page = r.context["page_obj"]
    body = r.content.decode()
    assert isinstance(page, KeysetPage) and r.context["list_total"].capped
    assert 'data-testid="case-count">共 4+ 件' in body and 'data-testid="pager-next"' in body
    newest = sorted(made, key=lambda c: (c.created_at, c.pk), reverse=True)
    seen = [x.pk for x in page]
    while page.has_next:  # every match once, in order, by the cursor; the query is kept
        r = c.get(url, {"q": "路灯", "cursor": page.next_cursor})
        page = r.context["page_obj"]
        seen += [x.pk for x in page]
    assert seen == [x.pk for x in newest]
    # a garbled cursor is the first page, never an error
    r = c.get(url, {"q": "路灯", "cursor": "garbled"})
    assert r.status_code == 200 and [x.pk for x in r.context["page_obj"]] == seen[:3]


def test_scope_still_holds_past_the_bound(world, login, settings):
    settings.LIANXIN_LIST_COUNT_BOUND = 2
    _make(world, 4)  # in town A's grids
    r = login(world.users["town_b"]).get(reverse("cases:workbench"), {"q": "路灯"})
    assert r.status_code == 200 and list(r.context["page_obj"]) == []
    assert r.context["list_total"] == 0
