"""The event list at any length (issue 16): keyset pages in the list's order for upcoming (soonest
first) and past (latest first) events, ties broken by the id, filters kept in the pager's links,
and the same queries at any depth and any number of events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse

from lianxin.core import keyset
from lianxin.events.models import Event, EventKind
from tests.events.factories import make_event
from tests.keyset_walk import first_and_third_page_queries, pager_href, walked_pks

pytestmark = pytest.mark.django_db


def _events(world, n: int, *, kind=EventKind.TRAINING, past: bool = False) -> list[Event]:
    """``n`` events of ``kind``, half of them starting at the same moment (tied on the key)."""
    made = [
        make_event(world, kind=kind, title=f"活动{i}", starts_in=timedelta(days=2 + i))
        for i in range(n)
    ]
    tied = [e.pk for e in made[: n // 2 + 1]]
    Event.objects.filter(pk__in=tied).update(starts_at=made[0].starts_at, ends_at=made[0].ends_at)
    if past:
        for e in Event.objects.filter(pk__in=[e.pk for e in made]):
            Event.objects.filter(pk=e.pk).update(
                starts_at=e.starts_at - timedelta(days=60), ends_at=e.ends_at - timedelta(days=60)
            )
    return list(Event.objects.filter(pk__in=[e.pk for e in made]))


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_event_list_pages_by_cursor_every_event_once_filters_kept(
    world, client, login, settings, when
):
    settings.LIANXIN_PAGE_SIZE = 3
    events = _events(world, 8, past=when == "past")
    make_event(world, kind=EventKind.CULTURE, title="不是培训")  # not matched by kind
    login(world.users["village_a"])
    url = reverse("events:event_list") + f"?kind=training&when={when}"
    seen, pages = walked_pks(client, url)
    ordered = sorted(events, key=lambda e: (e.starts_at, e.pk), reverse=when == "past")
    expected = [e.pk for e in ordered]
    assert seen == expected  # every matching event once, in the list's order, ties by id
    assert len(pages) == 3
    last = pages[-1].content.decode()
    assert 'data-testid="event-pager"' in last and "第 3 页" in last
    prev = pager_href(last, "pager-prev")
    assert "kind=training" in prev and f"when={when}" in prev
    back = client.get(reverse("events:event_list") + prev)
    assert [e.pk for e in back.context["page_obj"]] == expected[3:6]


def test_an_upcoming_cursor_does_not_page_the_past_list(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    _events(world, 3)
    past = _events(world, 3, past=True)
    login(world.users["village_a"])
    nxt = client.get(reverse("events:event_list")).context["page_obj"].next_cursor
    r = client.get(reverse("events:event_list"), {"when": "past", "cursor": nxt})
    latest = sorted(past, key=lambda e: (e.starts_at, e.pk), reverse=True)
    assert r.status_code == 200 and list(r.context["page_obj"]) == latest[:2]


@pytest.mark.parametrize(
    "cursor",
    [
        "zzz",
        "x" * 2000,
        signing.dumps(["events.list.upcoming", "n", 2, ["2026-01-01", 1]], salt="other"),
        signing.dumps(["events.list.upcoming", "n", 2, ["not-a-time", "x"]], salt=keyset._SALT),
    ],
    ids=["short", "long", "other-salt", "bad-values"],  # stable: signed values carry a timestamp
)
def test_a_garbled_or_forged_cursor_gives_the_first_page(world, client, login, settings, cursor):
    settings.LIANXIN_PAGE_SIZE = 2
    events = _events(world, 4)
    login(world.users["village_a"])
    r = client.get(reverse("events:event_list"), {"cursor": cursor})
    soonest = sorted(events, key=lambda e: (e.starts_at, e.pk))
    assert r.status_code == 200 and list(r.context["page_obj"]) == soonest[:2]


def test_same_queries_on_page_one_and_page_three_and_with_more_events(
    world, client, login, settings
):
    settings.LIANXIN_PAGE_SIZE = 2
    _events(world, 7)
    login(world.users["village_a"])
    url = reverse("events:event_list")

    small = first_and_third_page_queries(client, url)
    _events(world, 10, kind=EventKind.CULTURE)
    make_event(world, title="镇里的活动", unit=world.town_a, actor=world.users["town_a"])
    large = first_and_third_page_queries(client, url)
    assert small[0] == small[1] == large[0] == large[1]
