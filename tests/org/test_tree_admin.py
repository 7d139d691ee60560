"""The tree's new fields and 党建联合体 members in Django admin, written through the services."""

import pytest

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.org.models import AllianceMember, PartyOrgForm, Unit, UnitKind
from lianxin.org.services import unit_create
from lianxin.org.tree import unit_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="Root-pass-123")
    client.force_login(user)
    return user


@pytest.fixture
def alliance(world):
    return unit_add(
        actor=world.users["county_admin"],
        parent=world.county,
        kind=UnitKind.ALLIANCE,
        name="城区党建联合体",
    )


def test_unit_admin_shows_the_new_fields(world, root, client):
    page = client.get(f"/admin/org/unit/{world.party_org_a.pk}/change/").content.decode()
    for field in ("management_company", "belongs_to", "party_org_form"):
        assert f'name="{field}"' in page
    assert "组织关系" in page


def test_unit_admin_add_stores_party_org_links(world, root, client):
    company = unit_create(
        code="620524100001-E01", name="陇原物业", kind=UnitKind.ENTERPRISE, parent=world.village_a
    )
    response = client.post(
        "/admin/org/unit/add/",
        {
            "name": "陇原物业党支部",
            "kind": UnitKind.PARTY_ORG,
            "code": "620524100001-P09",
            "division_code": "",
            "parent": world.village_a.pk,
            "belongs_to": company.pk,
            "party_org_form": PartyOrgForm.values[0],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="620524100001-P09")
    assert unit.belongs_to == company and unit.party_org_form == PartyOrgForm.values[0]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, target_id=str(unit.pk)).exists()


def test_alliance_member_admin_adds_and_removes_through_the_tree(world, root, client, alliance):
    response = client.post(
        "/admin/org/alliancemember/add/", {"alliance": alliance.pk, "member": world.village_b.pk}
    )
    assert response.status_code == 302
    row = AllianceMember.objects.get()
    assert row.member == world.village_b
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, reason=f"alliance + {world.village_b.code}"
    ).exists()
    assert client.get("/admin/org/alliancemember/").status_code == 200
    response = client.post(f"/admin/org/alliancemember/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AllianceMember.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, reason=f"alliance - {world.village_b.code}"
    ).exists()


def test_alliance_member_admin_refuses_another_county(world, root, client, alliance):
    other = unit_create(
        code="620521000000",
        name="清水县",
        kind=UnitKind.COUNTY,
        parent=world.county.parent,
        division_code="620521000000",
    )
    response = client.post(
        "/admin/org/alliancemember/add/", {"alliance": alliance.pk, "member": other.pk}
    )
    assert response.status_code == 200
    assert "成员单位须在本县。" in response.content.decode()
    assert not AllianceMember.objects.exists()
