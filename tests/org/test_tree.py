"""The tree on screen (org.tree): create, rename, close, move, alliance members — and after a
move, scopes, rollups, search and the audit trail follow."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.cases.models import Case, CaseStat
from lianxin.cases.stats import stats_grouped
from lianxin.org import selectors
from lianxin.org.models import AllianceMember, PartyOrgForm, Unit, UnitKind
from lianxin.org.scoping import forget_scope
from lianxin.org.services import unit_create
from lianxin.org.tree import (
    alliance_member_add,
    alliance_member_remove,
    creatable_kinds,
    unit_add,
    unit_close,
    unit_move,
    unit_rename,
)
from lianxin.people.models import Household
from tests.cases.factories import make_case
from tests.clock import PINNED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT)]


def _fresh(user):
    forget_scope(user)
    return user


def test_town_admin_adds_a_micro_grid_inside_their_town(world):
    mg = unit_add(
        actor=world.users["town_a"], parent=world.grid_a1, kind=UnitKind.MICRO_GRID, name="1号楼"
    )
    assert mg.code == "620524100001-G01-M01"
    assert mg.path == world.grid_a1.path + mg.code + "/"
    assert mg.depth == world.grid_a1.depth + 1
    assert AuditEvent.objects.filter(action="create", target_id=str(mg.pk)).exists()


def test_town_admin_refused_outside_their_town(world):
    with pytest.raises(PermissionDenied):
        unit_add(actor=world.users["town_a"], parent=world.village_b, kind="grid", name="x")
    with pytest.raises(PermissionDenied):
        unit_rename(actor=world.users["town_a"], unit=world.grid_b1, name="x")
    with pytest.raises(PermissionDenied):  # their own town is not "inside" it
        unit_rename(actor=world.users["town_a"], unit=world.town_a, name="x")
    with pytest.raises(PermissionDenied):
        unit_add(actor=world.users["village_a"], parent=world.grid_a1, kind="micro_grid", name="x")


def test_only_allowed_kinds_under_a_parent(world):
    assert creatable_kinds(world.grid_a1) == [UnitKind.MICRO_GRID, UnitKind.PARTY_ORG]
    assert UnitKind.PROPERTY_PROJECT in creatable_kinds(world.village_a)  # a community
    assert UnitKind.PROPERTY_PROJECT not in creatable_kinds(world.village_b)  # a village
    with pytest.raises(ValidationError):
        unit_add(
            actor=world.users["county_admin"], parent=world.village_b, kind="village", name="x"
        )
    with pytest.raises(ValidationError):
        unit_add(
            actor=world.users["county_admin"],
            parent=world.grid_a1,
            kind="property_project",
            name="x",
        )


def test_property_project_and_party_org_of_an_enterprise(world):
    admin = world.users["county_admin"]
    company = unit_add(actor=admin, parent=world.town_a, kind="enterprise", name="安居物业公司")
    project = unit_add(
        actor=admin,
        parent=world.village_a,
        kind="property_project",
        name="东关花园",
        management_company=company,
    )
    assert list(company.managed_projects.all()) == [project]
    party = unit_add(
        actor=admin,
        parent=company,
        kind="party_org",
        name="安居物业党支部",
        belongs_to=company,
        party_org_form=PartyOrgForm.SINGLE,
    )
    assert party.belongs_to == company and party.get_party_org_form_display() == "单独组建"
    with pytest.raises(ValidationError):  # a company is an enterprise
        unit_add(
            actor=admin,
            parent=world.village_a,
            kind="property_project",
            name="x",
            management_company=world.grid_a1,
        )


def test_rename_keeps_codes_and_is_audited(world):
    unit_rename(actor=world.users["county_admin"], unit=world.village_a, name="东关新社区")
    world.village_a.refresh_from_db()
    assert world.village_a.name == "东关新社区"
    assert world.village_a.code == world.village_a.division_code == "620524100001"
    assert AuditEvent.objects.filter(reason__contains="东关新社区").exists()
    with pytest.raises(ValidationError):
        unit_rename(actor=world.users["county_admin"], unit=world.village_a, name="  ")


def test_close_refused_with_active_children_and_for_administrative_units(world):
    admin = world.users["county_admin"]
    mg = unit_add(actor=admin, parent=world.grid_a2, kind="micro_grid", name="2号楼")
    with pytest.raises(ValidationError):
        unit_close(actor=admin, unit=world.grid_a2)
    with pytest.raises(ValidationError):
        unit_close(actor=admin, unit=world.village_a)
    unit_close(actor=admin, unit=mg)
    unit_close(actor=admin, unit=world.grid_a2)
    world.grid_a2.refresh_from_db()
    assert not world.grid_a2.is_active


def test_move_refusals(world):
    admin = world.users["county_admin"]
    with pytest.raises(ValidationError):  # under its own descendant
        unit_move(actor=admin, unit=world.village_a, new_parent=world.grid_a1)
    with pytest.raises(ValidationError):  # a grid is not under a department
        unit_move(actor=admin, unit=world.grid_a1, new_parent=world.department)
    with pytest.raises(PermissionDenied):  # town A's clerk cannot put it in town B
        unit_move(actor=world.users["town_a"], unit=world.grid_a1, new_parent=world.village_b)
    with pytest.raises(ValidationError):
        unit_move(actor=admin, unit=world.town_a, new_parent=world.town_b)  # kind does not fit


def test_no_move_into_another_county(world):
    city = world.county.parent
    other = unit_create(
        code="620521000000",
        name="清水县",
        kind=UnitKind.COUNTY,
        parent=city,
        division_code="620521000000",
    )
    town = unit_create(
        code="620521100000",
        name="永清镇",
        kind=UnitKind.TOWN,
        parent=other,
        division_code="620521100000",
    )
    root = _fresh(world.users["county_admin"])
    root.is_superuser = True  # even a superuser
    with pytest.raises(ValidationError):
        unit_move(actor=root, unit=world.village_a, new_parent=town)
    with pytest.raises(ValidationError):
        unit_move(actor=root, unit=world.county, new_parent=city)


def test_move_village_to_another_town_rewrites_the_subtree(world):
    case = make_case(world, grid=world.grid_a1)
    mg = unit_add(
        actor=world.users["county_admin"], parent=world.grid_a1, kind="micro_grid", name="3号楼"
    )
    old = {u.pk: (u.path, u.depth) for u in Unit.objects.under(world.village_a)}
    assert CaseStat.objects.filter(grid=world.grid_a1, town=world.town_a).exists()

    unit_move(actor=world.users["county_admin"], unit=world.village_a, new_parent=world.town_b)
    world.village_a.refresh_from_db()

    moved = {u.pk: (u.path, u.depth) for u in Unit.objects.under(world.village_a)}
    assert set(moved) == set(old)
    for pk, (path, depth) in moved.items():
        assert path == old[pk][0].replace(world.town_a.path, world.town_b.path, 1)
        assert depth == old[pk][1]
    mg.refresh_from_db()
    assert mg.path.startswith(world.town_b.path)

    # rollups: Case.town and CaseStat.town follow, and the rollup still equals the GROUP BY
    case.refresh_from_db()
    assert case.town_id == world.town_b.pk and case.village_id == world.village_a.pk
    assert set(CaseStat.objects.filter(grid=world.grid_a1).values_list("town", flat=True)) == {
        world.town_b.pk
    }
    grouped = {(r["grid_id"], r["stat_town"]) for r in stats_grouped()}
    assert (world.grid_a1.pk, world.town_b.pk) in grouped

    # scopes: town A no longer sees the households and requests; town B does
    town_a, town_b = _fresh(world.users["town_a"]), _fresh(world.users["town_b"])
    hh = world.households["a"]
    assert not Household.objects.visible_to(town_a).filter(pk=hh.pk).exists()
    assert Household.objects.visible_to(town_b).filter(pk=hh.pk).exists()
    assert not Case.objects.visible_to(town_a).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(town_b).filter(pk=case.pk).exists()

    # search: found by name, with the new breadcrumb
    found = list(selectors.unit_search(user=town_b, q="东关第1"))
    assert [u.pk for u in found] == [world.grid_a1.pk]
    crumbs = [u.name for u in selectors.unit_breadcrumb(user=town_b, unit=found[0])]
    assert crumbs[-2:] == ["洛门镇", "东关社区"]
    assert not selectors.unit_search(user=town_a, q="东关第1").exists()

    # audited, with both paths
    row = AuditEvent.objects.get(reason__startswith="move ")
    assert world.town_a.path in row.reason and world.town_b.path in row.reason


def test_town_admin_moves_a_grid_inside_their_town(world):
    other = unit_create(
        code="620524100002",
        name="西关社区",
        kind=UnitKind.COMMUNITY,
        parent=world.town_a,
        division_code="620524100002",
    )
    unit_move(actor=world.users["town_a"], unit=world.grid_a2, new_parent=other)
    world.grid_a2.refresh_from_db()
    assert world.grid_a2.parent == other and world.grid_a2.path.startswith(other.path)


def test_alliance_members(world):
    admin = world.users["county_admin"]
    alliance = unit_add(actor=admin, parent=world.county, kind="alliance", name="城区党建联合体")
    row = alliance_member_add(actor=admin, alliance=alliance, member=world.village_a)
    alliance_member_add(actor=admin, alliance=alliance, member=world.village_b)
    with pytest.raises(ValidationError):
        alliance_member_add(actor=admin, alliance=alliance, member=world.village_a)
    with pytest.raises(ValidationError):
        alliance_member_add(actor=admin, alliance=world.grid_a1, member=world.village_a)
    with pytest.raises(PermissionDenied):
        alliance_member_add(actor=world.users["town_a"], alliance=alliance, member=world.grid_a1)
    alliance_member_remove(actor=admin, row=row)
    assert list(AllianceMember.objects.values_list("member", flat=True)) == [world.village_b.pk]
    assert AuditEvent.objects.filter(reason__startswith="alliance").count() == 3
