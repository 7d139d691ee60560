"""The grid leader picker: people of the grid's village or community only, phones masked; a
person of another village is refused by the form and by the service."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.grids import selectors, services
from lianxin.grids.models import GridLeader
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db


def test_candidates_are_the_grid_village_people_in_the_users_scope(world):
    admin = world.users["county_admin"]  # sees both towns: the village is what narrows
    names = set(
        selectors.leader_candidates(user=admin, grid=world.grid_a1).values_list("name", flat=True)
    )
    assert "甲金丝雀" in names and "甲党员" in names
    assert "乙金丝雀" not in names and "乙党员" not in names
    # a micro-grid's leaders come from its village too (a neighbour registered on the grid)
    assert selectors.leader_scope(world.grid_a2) == world.village_a
    # town B's clerk sees nobody of village A's people (the user's scope still applies)
    assert not selectors.leader_candidates(user=world.users["town_b"], grid=world.grid_a1).exists()


def test_staff_page_lists_village_people_with_phones_masked(world, client, login):
    login(world.users["county_admin"])
    page = client.get(reverse("grids:staff", args=[world.grid_a1.code])).content.decode()
    picker = page[
        page.index('id="leader-person"') : page.index("</select>", page.index('id="leader-person"'))
    ]
    assert f'value="{world.persons["a"].pk}"' in picker and "甲金丝雀" in picker
    assert "138****2222" in picker and "13811112222" not in page
    assert "乙金丝雀" not in page and f'value="{world.persons["b"].pk}"' not in picker


def test_search_as_you_type_filters_by_name_within_the_village(world, client, login):
    login(world.users["village_a"])
    url = reverse("grids:leader_people", args=[world.grid_a1.code])
    body = client.get(url, {"q": "金丝雀"}, HTTP_HX_REQUEST="true").content.decode()
    assert "甲金丝雀" in body and "乙金丝雀" not in body and "13811112222" not in body
    body = client.get(url, {"q": "乙"}).content.decode()
    assert "乙金丝雀" not in body and "没有匹配的人员" in body
    # town B's clerk may not open village A's picker
    login(world.users["town_b"])
    assert client.get(url, {"q": "甲"}).status_code in (403, 404)


def test_choosing_a_person_names_the_leader_with_their_phone(world, client, login):
    login(world.users["village_a"])
    url = reverse("grids:staff", args=[world.grid_a1.code])
    r = client.post(
        url,
        {"action": "leader_add", "person": world.persons["a"].pk, "post": "building"},
        follow=True,
    )
    assert "已添加" in r.content.decode()
    leader = GridLeader.objects.get()
    assert leader.person == world.persons["a"] and leader.name == "甲金丝雀"
    assert leader.phone == "13811112222"  # stored; the public card masks it
    card = client.get(reverse("grids:card", args=[world.grid_a1.code])).content.decode()
    assert "138****2222" in card and "13811112222" not in card


def test_a_person_from_another_village_cannot_be_chosen(world, client, login):
    login(world.users["county_admin"])
    url = reverse("grids:staff", args=[world.grid_a1.code])
    r = client.post(
        url,
        {"action": "leader_add", "person": world.persons["b"].pk, "post": "building"},
        follow=True,
    )
    assert "只能选择本村（社区）的人员。" in r.content.decode()
    assert not GridLeader.objects.exists()
    # and the service refuses it whatever the form sends
    with pytest.raises(ValidationError):
        services.leader_assign(
            actor=world.users["county_admin"],
            grid=world.grid_a1,
            name="",
            post="building",
            person=Person.objects.get(pk=world.persons["b"].pk),
        )
    assert not GridLeader.objects.exists()
