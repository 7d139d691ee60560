"""The person roll at any length (issue 16, 1): keyset pages in the roll's order, any depth."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_roll_pages_by_cursor_every_person_once_names_tied_by_id(
    world, client, login, settings, django_assert_max_num_queries
):
    settings.LIANXIN_PAGE_SIZE = 3
    for i in range(4):  # the same name in the same grid: tied on unit and name
        Person.objects.create(name="张伟", unit=world.grid_a1)
        Person.objects.create(name=f"居民{i}", unit=world.grid_a2 if i % 2 else world.grid_a1)
    login(world.users["town_a"])
    url = reverse("people:person_list")
    r = client.get(url)
    seen = [p.pk for p in r.context["page_obj"]]
    counts = []
    while r.context["page_obj"].has_next:
        nxt = url + "?cursor=" + r.context["page_obj"].next_cursor
        client.get(nxt)
        with django_assert_max_num_queries(15) as ctx:
            r = client.get(nxt)
        counts.append(len(ctx.captured_queries))
        seen += [p.pk for p in r.context["page_obj"]]
    mine = Person.objects.filter(unit__path__startswith=world.town_a.path)
    expected = [p.pk for p in sorted(mine, key=lambda p: (p.unit.path, p.name, p.pk))]
    assert seen == expected and len(seen) >= 8  # every person of the town once, in order
    assert len(set(counts)) == 1  # the same queries on every page
    body = r.content.decode()
    last = (len(expected) + 2) // 3
    assert 'data-testid="people-pager"' in body and f"第 {last} 页" in body
    back = client.get(url + "?cursor=" + r.context["page_obj"].previous_cursor)
    assert [p.pk for p in back.context["page_obj"]] == expected[(last - 2) * 3 : (last - 1) * 3]
    assert [p.pk for p in client.get(url + "?cursor=zzz").context["page_obj"]] == expected[:3]
