"""The same household or person form posted twice (or eight times at once) makes one row."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lianxin.people.models import Household, Person


def _token(page: str) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the create form carries a one-submission token"
    return match.group(1)


def _household_post(client, world) -> dict:
    page = client.get(reverse("people:household_new")).content.decode()
    return {
        "grid": world.grid_a1.pk,
        "address": "东关社区9组9号",
        "tags": ["独居老人"],
        "form_token": _token(page),
    }


def test_household_posted_twice_is_one_household(world, client, login):
    login(world.users["village_a"])
    data = _household_post(client, world)
    first = client.post(reverse("people:household_new"), data)
    second = client.post(reverse("people:household_new"), data)
    household = Household.objects.get(address="东关社区9组9号")
    assert first.status_code == second.status_code == 302
    assert (
        first["Location"]
        == second["Location"]
        == reverse("people:household_detail", args=[household.pk])
    )


def test_a_fresh_form_makes_a_second_household(world, client, login):
    login(world.users["village_a"])
    client.post(reverse("people:household_new"), _household_post(client, world))
    client.post(reverse("people:household_new"), _household_post(client, world))
    assert Household.objects.filter(address="东关社区9组9号").count() == 2


def test_person_posted_twice_is_one_person(world, client, login):
    login(world.users["village_a"])
    url = reverse("people:person_new", args=[world.households["a"].pk])
    data = {
        "name": "钱七",
        "relation": "子女",
        "id_number": "",
        "phone": "",
        "form_token": _token(client.get(url).content.decode()),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Person.objects.filter(name="钱七").count() == 1


@pytest.mark.parametrize("token", ["x" * 65, "x" * 10_000, "坏令牌", "a b"])
def test_a_token_longer_than_its_column_or_malformed_is_refused_cleanly(
    world, client, login, token
):
    """SQLite stores any length in a varchar: the length is checked by the form, not the database."""
    login(world.users["village_a"])
    data = {"grid": world.grid_a1.pk, "address": "东关社区9组9号", "form_token": token}
    response = client.post(reverse("people:household_new"), data)
    assert response.status_code == 200
    assert "表单已失效，请刷新页面后重新填写提交。" in response.content.decode()
    assert not Household.objects.filter(address="东关社区9组9号").exists()
    url = reverse("people:person_new", args=[world.households["a"].pk])
    response = client.post(url, {"name": "钱七", "form_token": token})
    assert response.status_code == 200 and "表单已失效" in response.content.decode()
    assert not Person.objects.filter(name="钱七").exists()


def test_edit_form_carries_no_token(world, client, login):
    login(world.users["village_a"])
    page = client.get(reverse("people:person_edit", args=[world.persons["a"].pk])).content.decode()
    assert 'name="form_token"' not in page


def _concurrently(world, url: str, data: dict, n: int = 8) -> list[int]:
    from lianxin.accounts.models import User

    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def post():
        try:
            c = Client()
            c.force_login(
                User.objects.get(username="village_a"),
                backend="lianxin.accounts.backends.PhoneOrUsernameBackend",
            )
            barrier.wait()
            statuses.append(c.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_identical_household_posts_at_once_make_one_household(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    data = {
        "grid": world.grid_a1.pk,
        "address": "东关社区8组8号",
        "form_token": "same-household-token",
    }
    statuses = _concurrently(world, reverse("people:household_new"), data)
    assert statuses == [302] * 8
    assert Household.objects.filter(address="东关社区8组8号").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_identical_person_posts_at_once_make_one_person(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    url = reverse("people:person_new", args=[world.households["a"].pk])
    data = {
        "name": "孙八",
        "relation": "子女",
        "id_number": "11010519491231002X",
        "form_token": "same-person-token",
    }
    statuses = _concurrently(world, url, data)
    assert statuses == [302] * 8
    assert Person.objects.filter(name="孙八").count() == 1
