"""The wish list and the claim list at any length (issue 16): keyset pages in the lists' orders
(ties broken by the id), filters kept in the pager's links, bounded tab counts, and the same
queries at any depth and any number of wishes."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.core import keyset
from lianxin.wishes import selectors
from lianxin.wishes.models import Wish, WishStatus
from tests.keyset_walk import first_and_third_page_queries, pager_href, walked_pks
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


def _tied_wishes(world, n: int, *, state: str = "pending", title: str = "心愿") -> list[Wish]:
    wishes = [make_wish(world, state, title=f"{title}{i}") for i in range(n)]
    # Half of them made at the same instant: only the id orders them.
    tied = [w.pk for w in wishes[: n // 2 + 1]]
    Wish.objects.filter(pk__in=tied).update(created_at=wishes[0].created_at)
    return list(Wish.objects.filter(pk__in=[w.pk for w in wishes]))


def test_wish_list_pages_by_cursor_every_wish_once_filters_kept(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 3
    wishes = _tied_wishes(world, 8)
    make_wish(world, "pending", title="别的请求")  # not matched by q
    make_wish(world, "published", title="心愿已发布")  # not matched by status
    login(world.users["village_a"])
    url = reverse("wishes:wish_list") + "?status=pending&q=心愿"
    seen, pages = walked_pks(client, url)
    expected = [w.pk for w in sorted(wishes, key=lambda w: (w.created_at, w.pk), reverse=True)]
    assert seen == expected  # every matching wish once, newest first, ties by id
    assert len(pages) == 3
    last = pages[-1].content.decode()
    assert 'data-testid="wish-pager"' in last and "第 3 页" in last
    assert "status=pending" in pager_href(last, "pager-prev") and "q=" in pager_href(
        last, "pager-prev"
    )
    back = client.get(reverse("wishes:wish_list") + pager_href(last, "pager-prev"))
    assert [w.pk for w in back.context["page_obj"]] == expected[3:6]
    first = client.get(reverse("wishes:wish_list") + pager_href(last, "pager-first"))
    assert [w.pk for w in first.context["page_obj"]] == expected[:3]


GARBLED = [
    "zzz",
    "eyJhIjoxfQ:1abc:forged",  # a signature that does not check
    "x" * 2000,
    signing.dumps(["wishes.list", "n", 2, ["2026-01-01T00:00:00+00:00", 1]], salt="other"),
    # signed as ours, but its key values are not a time and an id
    signing.dumps(["wishes.list", "n", 2, ["not-a-time", "x"]], salt=keyset._SALT),
    signing.dumps(["wishes.list", "n", 2, [None]], salt=keyset._SALT),
]


# ids by position: the signed cursors carry a timestamp, and every xdist worker must collect
# the same test ids
@pytest.mark.parametrize("cursor", GARBLED, ids=[f"cursor{i}" for i in range(len(GARBLED))])
def test_a_garbled_or_forged_cursor_gives_the_first_page(world, client, login, settings, cursor):
    settings.LIANXIN_PAGE_SIZE = 3
    wishes = _tied_wishes(world, 5)
    login(world.users["village_a"])
    r = client.get(reverse("wishes:wish_list"), {"cursor": cursor, "status": "pending"})
    expected = [w.pk for w in sorted(wishes, key=lambda w: (w.created_at, w.pk), reverse=True)]
    assert r.status_code == 200 and [w.pk for w in r.context["page_obj"]] == expected[:3]


def test_a_claim_list_cursor_does_not_open_the_wish_list(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    wishes = _tied_wishes(world, 5, state="published")
    login(world.users["village_a"])
    nxt = client.get(reverse("wishes:claimable")).context["page_obj"].next_cursor
    r = client.get(reverse("wishes:wish_list") + "?cursor=" + nxt)
    newest = sorted(wishes, key=lambda w: (w.created_at, w.pk), reverse=True)
    assert r.status_code == 200 and list(r.context["page_obj"]) == newest[:2]


def test_claimable_pages_oldest_first_ties_by_id(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    wishes = [make_wish(world, "published", title=f"待认领{i}") for i in range(5)]
    Wish.objects.filter(pk__in=[w.pk for w in wishes[1:4]]).update(
        published_at=wishes[1].published_at
    )
    make_wish(world, "claimed", title="已被认领")  # not claimable
    login(world.users["village_a"])
    seen, pages = walked_pks(client, reverse("wishes:claimable"))
    fresh = Wish.objects.filter(pk__in=[w.pk for w in wishes])
    assert seen == [w.pk for w in sorted(fresh, key=lambda w: (w.published_at, w.pk))]
    assert 'data-testid="claimable-pager"' in pages[-1].content.decode()
    assert 'data-testid="claimable-card"' in pages[-1].content.decode()


def test_tab_counts_are_bounded_and_one_statement(world, client, login, settings):
    settings.LIANXIN_LIST_COUNT_BOUND = 3
    for i in range(5):
        make_wish(world, "pending", title=f"待审{i}")
    make_wish(world, "published", title="待认领")
    user = world.users["village_a"]
    selectors.wish_status_counts(user=user)  # the user's scope, read once and kept
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.wish_status_counts(user=user)
    assert len(ctx.captured_queries) == 1
    assert str(counts[WishStatus.PENDING]) == "3+" and counts[WishStatus.PENDING].capped
    assert str(counts[WishStatus.PUBLISHED]) == "1" and counts[WishStatus.LIT] == 0
    login(user)
    body = client.get(reverse("wishes:wish_list")).content.decode()
    tab = re.search(r'data-testid="tab-pending">[^<]*<span[^>]*>([^<]*)<', body)
    assert tab is not None and tab.group(1) == "3+"


@pytest.mark.parametrize("url_name", ["wishes:wish_list", "wishes:claimable"])
def test_same_queries_on_page_one_and_page_three_and_with_more_wishes(
    world, client, login, settings, url_name
):
    settings.LIANXIN_PAGE_SIZE = 2
    settings.LIANXIN_LIST_COUNT_BOUND = 4
    for i in range(7):
        make_wish(world, "published", title=f"心愿{i}")
    login(world.users["village_a"])
    url = reverse(url_name)

    small = first_and_third_page_queries(client, url)
    for i in range(12):  # past the count bound and more pages deep
        make_wish(world, "published", title=f"又一个心愿{i}")
    make_wish(world, "pending", title="待审")
    large = first_and_third_page_queries(client, url)
    assert small[0] == small[1] == large[0] == large[1]
