"""List pages cost a fixed number of queries, however many rows they show (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.people.models import Household, PartyMember, Person

pytestmark = pytest.mark.django_db


def _grow(world, n):
    start = Household.objects.count()
    hs = Household.objects.bulk_create(
        [
            Household(number=f"A-X{start + i:03d}", grid=world.grid_a1, address=f"东关{i}号")
            for i in range(n)
        ]
    )
    ps = Person.objects.bulk_create(
        [Person(name=f"居民{i}", unit=world.grid_a1, household=h) for i, h in enumerate(hs)]
    )
    PartyMember.objects.bulk_create(
        [PartyMember(person=p, party_org=world.party_org_a) for p in ps]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name",
    [
        "people:person_list",
        "people:household_list",
        "people:party_member_list",
        "org:unit_list",
        "org:staff_list",
        "core:home",
    ],
)
def test_list_pages_do_not_grow_with_rows(world, client, login, name):
    login(world.users["town_a"])
    url = reverse(name)
    _grow(world, 2)
    client.get(url)  # the first page after log-in renews the session (a write, once a minute)
    small = _queries(client, url)
    _grow(world, 18)
    large = _queries(client, url)
    assert large == small, f"{name}: {small} queries with few rows, {large} with more"
    # the home page gathers one panel per module
    assert small <= (40 if name == "core:home" else 15)
