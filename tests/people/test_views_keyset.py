"""The household list and the party roll at any length (issue 16, 1): keyset pages in each
list's order ending with the id, filters kept across pages, the same queries at any depth."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.people.models import Household, PartyMember, Person
from tests.keyset_walk import first_and_third_page_queries, pager_link, pks, walk

pytestmark = pytest.mark.django_db

TAG = "独居老人"


def _households(world, n: int, start: int = 0) -> None:
    """``n`` households of town A, created in the reverse of their number order (so the id
    order is not the list's), every other one tagged."""
    Household.objects.bulk_create(
        [
            Household(
                number=f"A-1{start + i:03d}",
                grid=world.grid_a2 if i % 3 else world.grid_a1,
                address=f"东关{start + i}号",
                tags=[TAG] if i % 2 else [],
            )
            for i in reversed(range(n))
        ]
    )


def _party_members(world, n: int, name: str = "张伟") -> None:
    """``n`` party members of town A's party org all named ``name``: tied on org and name."""
    people = Person.objects.bulk_create(
        [Person(name=name, unit=world.grid_a1 if i % 2 else world.grid_a2) for i in range(n)]
    )
    PartyMember.objects.bulk_create(
        [PartyMember(person=p, party_org=world.party_org_a) for p in people]
    )


def test_households_page_by_cursor_every_one_once_in_number_order(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 3
    _households(world, 8)
    login(world.users["town_a"])
    url = reverse("people:household_list")
    pages = walk(client, url)
    seen = [pk for r in pages for pk in pks(r)]
    mine = Household.objects.filter(grid__path__startswith=world.town_a.path)
    expected = [h.pk for h in sorted(mine, key=lambda h: (h.number, h.pk))]
    assert seen == expected and len(seen) == 9  # every household of the town once, in order
    last = pages[-1]
    body = last.content.decode()
    assert 'data-testid="household-pager"' in body and "第 3 页" in body
    back = client.get(pager_link(last, "prev"))
    assert back.context["page_obj"].number == 2 and pks(back) == expected[3:6]
    first = client.get(pager_link(back, "prev"))
    assert pks(first) == expected[:3] and not first.context["page_obj"].has_previous


def test_household_filters_survive_paging(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    _households(world, 10)
    login(world.users["town_a"])
    pages = walk(client, reverse("people:household_list") + f"?tag={TAG}&q=A-1")
    assert len(pages) == 3
    seen = [h for r in pages for h in r.context["page_obj"]]
    expected = [
        h
        for h in Household.objects.filter(number__startswith="A-1").order_by("number")
        if TAG in h.tags
    ]
    assert [h.pk for h in seen] == [h.pk for h in expected] and len(seen) == 5
    for r in pages[1:]:
        assert r.wsgi_request.GET["tag"] == TAG and r.wsgi_request.GET["q"] == "A-1"


@pytest.mark.parametrize("cursor", ["zzz", "", "a" * 2000, "W10:1abc:xyz"])
def test_a_forged_or_garbled_household_cursor_gives_the_first_page(
    world, client, login, settings, cursor
):
    settings.LIANXIN_PAGE_SIZE = 3
    _households(world, 5)
    login(world.users["town_a"])
    url = reverse("people:household_list")
    first = pks(client.get(url))
    r = client.get(url + "?cursor=" + cursor)
    assert r.status_code == 200 and pks(r) == first and r.context["page_obj"].number == 1


def test_a_cursor_of_another_list_is_not_read_by_the_household_list(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 1
    _households(world, 3)
    _party_members(world, 3)
    login(world.users["town_a"])
    roll_next = pager_link(client.get(reverse("people:party_member_list")), "next")
    cursor = roll_next.split("cursor=")[1]
    url = reverse("people:household_list")
    r = client.get(url + "?cursor=" + cursor)
    assert r.status_code == 200 and pks(r) == pks(client.get(url))


def test_household_list_queries_do_not_grow_with_depth_or_rows(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    _households(world, 6)
    login(world.users["town_a"])
    url = reverse("people:household_list")
    small = first_and_third_page_queries(client, url)
    _households(world, 30, start=100)
    large = first_and_third_page_queries(client, url)
    assert small[0] == small[1] == large[0] == large[1], (small, large)


def test_the_party_roll_pages_by_cursor_names_tied_by_id(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 3
    _party_members(world, 5)
    _party_members(world, 2, name="李娜")
    login(world.users["town_a"])
    url = reverse("people:party_member_list")
    pages = walk(client, url)
    seen = [pk for r in pages for pk in pks(r)]
    visible = PartyMember.objects.visible_to(world.users["town_a"]).select_related(
        "party_org", "person"
    )
    expected = [
        m.pk for m in sorted(visible, key=lambda m: (m.party_org.path, m.person.name, m.pk))
    ]
    assert seen == expected and len(seen) == 8  # 7 new and 甲党员, each once
    last = pages[-1]
    assert 'data-testid="party-member-pager"' in last.content.decode()
    back = client.get(pager_link(last, "prev"))
    assert pks(back) == expected[3:6]
    garbled = client.get(url + "?cursor=not-a-cursor")
    assert garbled.status_code == 200 and pks(garbled) == expected[:3]


def test_the_party_roll_name_filter_survives_paging(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    _party_members(world, 5)
    _party_members(world, 3, name="李娜")
    login(world.users["town_a"])
    pages = walk(client, reverse("people:party_member_list") + "?q=张")
    names = [m.person.name for r in pages for m in r.context["page_obj"]]
    assert names == ["张伟"] * 5 and len(pages) == 3
    assert all(r.wsgi_request.GET["q"] == "张" for r in pages)


def test_party_roll_queries_do_not_grow_with_depth_or_rows(world, client, login, settings):
    settings.LIANXIN_PAGE_SIZE = 2
    _party_members(world, 6)
    login(world.users["town_a"])
    url = reverse("people:party_member_list")
    small = first_and_third_page_queries(client, url)
    _party_members(world, 30)
    large = first_and_third_page_queries(client, url)
    assert small[0] == small[1] == large[0] == large[1], (small, large)


def test_an_empty_household_list_shows_its_empty_state_and_no_pager(world, client, login):
    login(world.users["town_a"])
    body = client.get(reverse("people:household_list") + "?q=无此户").content.decode()
    assert "没有符合条件的住户。" in body and "household-pager" not in body
