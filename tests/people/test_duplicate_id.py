"""An ID number registered already is refused in words, never with the database's constraint
name, and names the other person only when they are in the clerk's own scope (issue 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lianxin.people.models import Person
from lianxin.people.services import person_create, person_update

pytestmark = pytest.mark.django_db

NEUTRAL = "该身份证号已登记，请联系上级管理员核实"
CONSTRAINT = "person_id_number_unique"


def _messages(exc: pytest.ExceptionInfo) -> str:
    return " ".join(exc.value.messages)


def test_a_number_held_outside_the_scope_names_nobody(world):
    other = world.persons["b"]  # 张家村, town B
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=world.users["village_a"],
            household=world.households["a"],
            name="重复者",
            id_number=other.id_number,
        )
    text = _messages(exc)
    assert NEUTRAL in text
    for secret in (CONSTRAINT, other.name, world.households["b"].number, world.village_b.name):
        assert secret not in text
    assert exc.value.message_dict.keys() == {"id_number"}
    assert not Person.objects.filter(name="重复者").exists()


def test_a_number_held_inside_the_scope_names_the_person(world):
    mine = world.persons["a"]
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=world.users["town_a"],
            household=world.households["a"],
            name="重复者",
            id_number=mine.id_number,
        )
    text = _messages(exc)
    assert mine.name in text and world.households["a"].number in text
    assert CONSTRAINT not in text and NEUTRAL not in text


def test_lower_case_x_is_the_same_number(world):
    holder = world.persons["a"]
    person_update(actor=world.users["town_a"], person=holder, id_number="11010519491231002X")
    with pytest.raises(ValidationError) as exc:
        person_create(
            actor=world.users["village_b"],
            household=world.households["b"],
            name="重复者",
            id_number="11010519491231002x",
        )
    assert NEUTRAL in _messages(exc)


def test_editing_to_a_number_held_elsewhere_is_refused_the_same_way(world):
    with pytest.raises(ValidationError) as exc:
        person_update(
            actor=world.users["village_a"],
            person=world.persons["a"],
            id_number=world.persons["b"].id_number,
        )
    text = _messages(exc)
    assert NEUTRAL in text and CONSTRAINT not in text and world.persons["b"].name not in text
    # Saving one's own unchanged number is no duplicate.
    person_update(
        actor=world.users["village_a"],
        person=world.persons["a"],
        id_number=world.persons["a"].id_number,
    )


def test_the_form_shows_the_message_and_keeps_the_input(world, client, login):
    login(world.users["village_a"])
    response = client.post(
        reverse("people:person_new", args=[world.households["a"].pk]),
        {
            "name": "重复者",
            "relation": "子女",
            "id_number": world.persons["b"].id_number,
            "phone": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert NEUTRAL in body and 'value="重复者"' in body
    assert CONSTRAINT not in body and world.persons["b"].name not in body
