import pytest

from lianxin.org.models import Unit
from lianxin.org.scoping import scope_queryset, user_scope
from lianxin.people.models import Person

pytestmark = pytest.mark.django_db


def test_village_staff_sees_only_their_village(world):
    codes = set(Unit.objects.visible_to(world.users["village_a"]).values_list("code", flat=True))
    assert world.village_a.code in codes
    assert world.grid_a1.code in codes
    assert world.village_b.code not in codes
    assert world.grid_b1.code not in codes
    assert world.town_a.code not in codes  # not upwards either


def test_town_staff_sees_town_subtree_not_sibling_town(world):
    names = set(Person.objects.visible_to(world.users["town_a"]).values_list("name", flat=True))
    assert "甲金丝雀" in names
    assert "乙金丝雀" not in names


def test_county_admin_sees_everything_in_county(world):
    assert Person.objects.visible_to(world.users["county_admin"]).count() == Person.objects.count()


def test_resident_has_no_staff_scope(world):
    resident = world.users["resident_a"]
    assert not user_scope(resident).is_staff
    assert Person.objects.visible_to(resident).count() == 0


def test_department_sees_only_its_own_subtree(world):
    visible = Unit.objects.visible_to(world.users["dept"])
    assert list(visible.values_list("code", flat=True)) == [world.department.code]


def test_scope_over_several_fields_is_an_or(world):
    qs = scope_queryset(Person.objects.all(), world.users["dept"], fields=("unit",))
    assert qs.count() == 0


def test_nested_memberships_collapse_to_the_ancestor(world):
    from lianxin.org.models import Role
    from lianxin.org.services import membership_grant

    user = world.users["town_a"]
    membership_grant(user=user, unit=world.village_a, role=Role.VILLAGE_STAFF)
    assert user_scope(user).staff_paths == (world.town_a.path,)


def test_superuser_is_global(world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    assert Person.objects.visible_to(admin).count() == Person.objects.count()
