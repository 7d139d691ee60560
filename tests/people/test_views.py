import pytest
from django.urls import reverse

from lianxin.people.models import Household, Person

pytestmark = pytest.mark.django_db


def test_clerk_registers_a_household_and_a_member(world, client, login):
    login(world.users["village_a"])
    page = client.get(reverse("people:household_new")).content.decode()
    assert world.grid_a1.name in page
    assert world.grid_b1.name not in page  # only own grids are offered
    response = client.post(
        reverse("people:household_new"),
        {"grid": world.grid_a1.pk, "address": "东关社区7组7号", "tags": ["独居老人"]},
    )
    household = Household.objects.get(address="东关社区7组7号")
    assert response["Location"] == reverse("people:household_detail", args=[household.pk])
    assert household.tags == ["独居老人"]
    response = client.post(
        reverse("people:person_new", args=[household.pk]),
        {"name": "赵六", "relation": "户主", "id_number": "620524195001010021x", "phone": ""},
    )
    assert response.status_code == 200  # 19 characters: refused, input kept
    body = response.content.decode()
    assert "18 位" in body and 'value="赵六"' in body
    response = client.post(
        reverse("people:person_new", args=[household.pk]),
        {
            "name": "赵六",
            "relation": "户主",
            "id_number": "11010519491231002X",
            "phone": "13712345678",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(name="赵六").household == household


def test_other_villages_grid_cannot_be_posted(world, client, login):
    login(world.users["village_a"])
    response = client.post(
        reverse("people:household_new"), {"grid": world.grid_b1.pk, "address": "张家村"}
    )
    assert response.status_code == 200
    assert not Household.objects.filter(address="张家村").exists()


def test_edit_form_never_prefills_full_numbers(world, client, login):
    login(world.users["village_a"])
    body = client.get(reverse("people:person_edit", args=[world.persons["a"].pk])).content.decode()
    assert world.persons["a"].id_number not in body
    assert world.persons["a"].phone not in body
    response = client.post(
        reverse("people:person_edit", args=[world.persons["a"].pk]),
        {"name": "甲金丝雀", "relation": "户主", "id_number": "", "phone": ""},
    )
    assert response.status_code == 302
    world.persons["a"].refresh_from_db()
    assert world.persons["a"].phone == "13811112222"  # blank kept it


def test_department_handler_cannot_register(world, client, login):
    login(world.users["dept"])
    assert client.get(reverse("people:household_new")).status_code == 403
