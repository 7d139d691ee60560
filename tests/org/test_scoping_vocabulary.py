"""The scoping vocabulary other apps build on (org.scoping, org.selectors.unit_staff)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.scoping import (
    ScopedQuerySet,
    forget_scope,
    home_area_q,
    require_covers,
    scope_q,
    scope_queryset,
    scope_unit_ids,
    user_scope,
)
from lianxin.org.selectors import unit_staff
from lianxin.org.services import unit_create
from lianxin.people.models import Household, Person
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def codes(qs):
    return set(qs.values_list("code", flat=True))


# --------------------------------------------------------------------- ScopedQuerySet
def test_scoped_querysets_share_one_base():
    from lianxin.people.models import PartyMember

    for model in (Unit, Membership, Household, Person, PartyMember):
        assert isinstance(model.objects.all(), ScopedQuerySet), model


def test_scope_fields_name_the_unit_lookups(world):
    assert Unit.objects.all().scope_fields == ("",)
    assert Household.objects.all().scope_fields == ("grid",)
    village = world.users["village_a"]
    assert set(Household.objects.visible_to(village)) == {world.households["a"]}


# --------------------------------------------------------------------- require_covers
def test_require_covers_passes_inside_and_denies_outside(world):
    require_covers(world.users["town_a"], world.grid_a1)
    with pytest.raises(PermissionDenied):
        require_covers(world.users["town_a"], world.grid_b1)
    with pytest.raises(PermissionDenied):
        require_covers(world.users["town_a"], None)


def test_require_covers_carries_the_message(world):
    with pytest.raises(PermissionDenied) as exc:
        require_covers(world.users["village_a"], world.town_a, message="nope")
    assert str(exc.value) == "nope"


def test_require_covers_with_roles_uses_those_memberships_only(world):
    from lianxin.org.services import membership_grant

    user = world.users["grid_a1"]
    membership_grant(user=user, unit=world.village_b, role=Role.SUPERVISOR)
    require_covers(user, world.grid_b1)  # any staff role
    with pytest.raises(PermissionDenied):
        require_covers(user, world.grid_b1, Role.GRID_WORKER)
    require_covers(user, world.grid_a1, Role.GRID_WORKER)


def test_require_covers_lets_a_superuser_through(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    require_covers(root, world.grid_b1)
    require_covers(root, None)


def test_residents_are_covered_nowhere(world):
    with pytest.raises(PermissionDenied):
        require_covers(world.users["resident_a"], world.grid_a1)


# --------------------------------------------------------------------- Scope.is_above
def test_is_above_is_strict(world):
    town = user_scope(world.users["town_a"])
    assert town.is_above(world.village_a)
    assert town.is_above(world.grid_a1)
    assert not town.is_above(world.town_a)  # its own level is not above
    assert not town.is_above(world.village_b)
    assert not town.is_above(world.county)
    assert not town.is_above(None)


def test_is_above_needs_a_staff_membership(world):
    assert not user_scope(world.users["party_a"]).is_above(world.party_org_a)
    assert user_scope(world.users["village_a"]).is_above(world.party_org_a)


def test_superuser_is_above_everything(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert user_scope(root).is_above(world.county)


# --------------------------------------------------------------------- ancestors
def test_scope_q_with_ancestors_adds_the_units_above(world):
    village = world.users["village_a"]
    plain = codes(scope_queryset(Unit.objects.all(), village, ("",)))
    both = codes(scope_queryset(Unit.objects.all(), village, ("",), ancestors=True))
    assert world.town_a.code not in plain
    assert both - plain == {world.town_a.code, world.county.code, "620500000000", "620000000000"}
    assert world.town_b.code not in both and world.village_b.code not in both


def test_scope_q_is_none_for_a_superuser_and_nothing_for_a_resident(world, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert scope_q(root, ancestors=True) is None
    resident = world.users["resident_a"]
    assert not scope_queryset(Unit.objects.all(), resident, ("",), ancestors=True).exists()


# --------------------------------------------------------------------- home area
def test_home_area_is_the_village_of_a_grid_resident(world):
    resident = world.users["resident_a"]  # lives in grid a1: the area is village a
    area = codes(Unit.objects.filter(home_area_q(resident, ("",))))
    assert area == {
        world.village_a.code,
        world.grid_a1.code,
        world.grid_a2.code,
        "620524100001-P01",
    }


def test_home_area_with_ancestors_adds_the_town_and_county_only(world):
    area = codes(Unit.objects.filter(home_area_q(world.users["party_a"], ("",), ancestors=True)))
    assert {world.town_a.code, world.county.code} <= area
    assert world.town_b.code not in area and world.village_b.code not in area


def test_a_department_is_its_own_area(world):
    area = codes(Unit.objects.filter(home_area_q(world.users["dept"], ("",))))
    assert area == {world.department.code}


def test_home_area_over_membership_units_and_kinds(world):
    """Room.bookable_by: the memberships' own units and those above, of the venue kinds."""
    q = home_area_q(
        world.users["resident_a"],
        ("",),
        subtree=False,
        ancestors=True,
        membership_units=True,
        kinds=[UnitKind.TOWN, UnitKind.VILLAGE, UnitKind.COMMUNITY, UnitKind.GRID],
    )
    assert codes(Unit.objects.filter(q)) == {
        world.grid_a1.code,
        world.village_a.code,
        world.town_a.code,
    }


def test_no_membership_no_home_area(world, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert not Unit.objects.filter(home_area_q(nobody, ("",))).exists()


def test_home_area_over_a_related_lookup(world):
    q = home_area_q(world.users["resident_a"], ("grid",))
    assert set(Household.objects.filter(q)) == {world.households["a"]}


# --------------------------------------------------------------------- unit ids
def test_scope_unit_ids_are_the_subtree_and_cached(world, django_assert_num_queries):
    user = world.users["village_a"]
    ids = scope_unit_ids(user)
    assert set(ids) == set(Unit.objects.under(world.village_a).values_list("pk", flat=True))
    with django_assert_num_queries(0):
        assert scope_unit_ids(user) is ids
    forget_scope(user)
    assert scope_unit_ids(user) is not ids


def test_scope_unit_ids_none_for_a_superuser(django_user_model, db):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert scope_unit_ids(root) is None


def test_a_wide_scope_falls_back_to_a_subquery(world, monkeypatch):
    from lianxin.org import scoping

    monkeypatch.setattr(scoping, "SCOPE_ID_LIST_LIMIT", 2)
    ids = scope_unit_ids(world.users["county_admin"])
    assert not isinstance(ids, list)
    assert (
        Unit.objects.filter(scoping.ids_q(ids, ("",))).count()
        == Unit.objects.under(world.county).count()
    )


def test_a_scope_holding_every_root_matches_any_unit(world, monkeypatch):
    """A province admin's subtree is the whole tree: "has a unit" replaces the id hash; a
    second root (another province) makes it a subquery again."""
    from lianxin.org import scoping

    monkeypatch.setattr(scoping, "SCOPE_ID_LIST_LIMIT", 2)
    province = world.county.parent.parent
    admin = make_user("province_admin", unit=province, role=Role.COUNTY_ADMIN)
    ids = scope_unit_ids(admin)
    assert ids is scoping.EVERY_UNIT
    for model, fields in ((Person, ("unit",)), (Household, ("grid",)), (Unit, ("",))):
        by_path = set(scope_queryset(model.objects.all(), admin, fields))
        assert set(model.objects.filter(scoping.ids_q(ids, fields))) == by_path, model
    unit_create(
        code="630000000000",
        name="青海省",
        kind=province.kind,
        parent=None,
        division_code="630000000000",
    )
    forget_scope(admin)
    ids = scope_unit_ids(admin)
    assert ids is not scoping.EVERY_UNIT and not isinstance(ids, list)
    assert (
        Unit.objects.filter(scoping.ids_q(ids, ("",))).count()
        == Unit.objects.under(province).count()
    )


@pytest.mark.parametrize("who", ["village_a", "town_b", "dept", "resident_a", "county_admin"])
def test_the_id_strategy_sees_what_the_path_strategy_sees(world, who):
    user = world.users[who]
    for model, fields in ((Person, ("unit",)), (Household, ("grid",)), (Unit, ("",))):
        by_path = set(scope_queryset(model.objects.all(), user, fields))
        by_ids = set(scope_queryset(model.objects.all(), user, fields, strategy="ids"))
        assert by_path == by_ids, (who, model)


def test_the_id_lists_match_by_id_on_postgresql_only(world):
    qs = scope_queryset(Person.objects.all(), world.users["village_a"], strategy="ids")
    sql = str(qs.order_by("pk").query)  # Person's default ordering names the unit's path
    if connection.vendor == "postgresql":
        assert "ANY" in sql and "LIKE" not in sql and "path" not in sql
    else:
        assert "LIKE" in sql


def test_unknown_strategy_is_refused(world):
    with pytest.raises(ValueError):
        scope_queryset(Person.objects.all(), world.users["village_a"], strategy="fast")


# --------------------------------------------------------------------- unit_staff
def test_unit_staff_is_the_units_own_staff(world):
    assert list(unit_staff(world.village_a)) == [world.users["village_a"]]
    assert set(unit_staff(world.county)) == {
        world.users["county_admin"],
        world.users["supervisor"],
    }


def test_unit_staff_over_several_units_and_roles(world):
    staff = unit_staff([world.village_a, world.town_a])
    assert set(staff) == {world.users["village_a"], world.users["town_a"]}
    assert list(unit_staff(world.county, roles=[Role.SUPERVISOR])) == [world.users["supervisor"]]
    assert not unit_staff(world.village_a, roles=[Role.RESIDENT]).exists()


def test_unit_staff_leaves_out_ended_memberships_and_disabled_accounts(world):
    from lianxin.org.services import membership_revoke

    clerk = world.users["village_a"]
    clerk.is_active = False
    clerk.save(update_fields=["is_active"])
    assert not unit_staff(world.village_a).exists()
    assert list(unit_staff(world.village_a, only_active_users=False)) == [clerk]
    membership_revoke(membership=Membership.objects.get(user=clerk))
    assert not unit_staff(world.village_a, only_active_users=False).exists()


def test_under_q_is_a_subtree_filter_not_an_access_rule(world):
    from lianxin.org.scoping import under_q

    assert set(Person.objects.filter(under_q(world.village_a))) == {
        world.persons["a"],
        world.persons["party_a"],
    }
    assert set(Household.objects.filter(under_q(world.town_b, ("grid",)))) == {
        world.households["b"]
    }
