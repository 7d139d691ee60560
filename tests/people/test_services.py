from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.people.services import household_create, person_create, person_update

pytestmark = pytest.mark.django_db


def test_household_numbers_follow_the_grid(world):
    h1 = household_create(
        actor=world.users["village_a"], grid=world.grid_a2, address="东关社区9组1号"
    )
    h2 = household_create(
        actor=world.users["village_a"], grid=world.grid_a2, address="东关社区9组2号"
    )
    assert h1.number == f"{world.grid_a2.code}-H00001"
    assert h2.number == f"{world.grid_a2.code}-H00002"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, target_id=str(h1.pk)).exists()


def test_household_from_a_map_point_finds_its_grid(world):
    h = household_create(actor=world.users["village_a"], address="新住址", lng=104.895, lat=34.715)
    assert h.grid == world.grid_a2


def test_household_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        household_create(actor=world.users["village_a"], grid=world.grid_b1, address="张家村1组1号")


def test_household_needs_a_grid(world):
    with pytest.raises(ValidationError):
        household_create(actor=world.users["village_a"], address="无处", lng=1.0, lat=1.0)


def test_person_derives_birth_and_gender_from_id(world):
    person = person_create(
        actor=world.users["grid_a1"],
        household=world.households["a"],
        name="李四",
        id_number="11010519491231002x",
    )
    assert person.unit == world.grid_a1
    assert person.birth_date == date(1949, 12, 31)
    assert person.gender == "F"
    assert person.id_number == "11010519491231002X"


def test_person_with_bad_id_is_refused(world):
    with pytest.raises(ValidationError):
        person_create(
            actor=world.users["grid_a1"],
            household=world.households["a"],
            name="王五",
            id_number="110105194912310021",
        )


def test_duplicate_id_is_refused(world):
    with pytest.raises(ValidationError):
        person_create(
            actor=world.users["grid_a1"],
            household=world.households["a"],
            name="重复",
            id_number=world.persons["a"].id_number,
        )


def test_update_audits_field_names_not_values(world):
    person_update(
        actor=world.users["village_a"],
        person=world.persons["a"],
        phone="13900009999",
        relation="户主",
    )
    event = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert event.extra == {"fields": ["phone"]}
    assert "13900009999" not in str(event.extra) + event.reason + event.target_repr


def test_update_outside_scope_is_refused(world):
    with pytest.raises(PermissionDenied):
        person_update(actor=world.users["village_b"], person=world.persons["a"], name="改名")
