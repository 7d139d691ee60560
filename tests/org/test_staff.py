import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.org.models import Membership, Role
from lianxin.org.services import grantable_roles, membership_end, staff_account_create

pytestmark = pytest.mark.django_db


def test_county_admin_grants_any_staff_role_town_staff_only_village_roles(world):
    assert Role.TOWN_STAFF in grantable_roles(world.users["county_admin"], world.town_a)
    roles = grantable_roles(world.users["town_a"], world.village_a)
    assert Role.VILLAGE_STAFF in roles and Role.GRID_WORKER in roles
    assert Role.COUNTY_ADMIN not in roles and Role.TOWN_STAFF not in roles
    assert grantable_roles(world.users["town_a"], world.village_b) == set()
    assert grantable_roles(world.users["village_a"], world.grid_a1) == set()


def test_new_account_must_change_password_and_is_audited(world):
    m = staff_account_create(
        actor=world.users["town_a"],
        unit=world.grid_a2,
        role=Role.GRID_WORKER,
        username="new_grid",
        display_name="新网格员",
        initial_password="Initial-pass-9",
    )
    assert m.user.must_change_password
    assert AuditEvent.objects.filter(
        action=AuditAction.ROLE_CHANGE, actor=world.users["town_a"]
    ).exists()


def test_town_staff_cannot_create_in_sibling_town(world):
    with pytest.raises(PermissionDenied):
        staff_account_create(
            actor=world.users["town_a"],
            unit=world.village_b,
            role=Role.VILLAGE_STAFF,
            username="x",
            display_name="x",
            initial_password="Initial-pass-9",
        )
    assert not User.objects.filter(username="x").exists()


def test_end_membership_removes_scope(world, client, login):
    membership = Membership.objects.get(user=world.users["village_a"])
    membership_end(actor=world.users["town_a"], membership=membership)
    login(world.users["village_a"])
    assert client.get(reverse("people:person_list")).status_code == 403


def test_staff_form_flow(world, client, login):
    login(world.users["town_a"])
    page = client.get(reverse("org:staff_new") + f"?unit={world.village_a.code}").content.decode()
    roles = re.search(r'<select name="role".*?</select>', page, re.S).group()
    assert "村（社区）干部" in roles and "县级管理员" not in roles
    response = client.post(
        reverse("org:staff_new"),
        {
            "unit_code": world.village_a.code,
            "role": Role.VILLAGE_STAFF,
            "display_name": "李书记",
            "username": "li_shuji",
            "initial_password": "weak",
            "post": "党组织书记",
            "phone": "",
        },
    )
    assert response.status_code == 200
    assert 'value="李书记"' in response.content.decode()
    assert not User.objects.filter(username="li_shuji").exists()
    response = client.post(
        reverse("org:staff_new"),
        {
            "unit_code": world.village_a.code,
            "role": Role.VILLAGE_STAFF,
            "display_name": "李书记",
            "username": "li_shuji",
            "initial_password": "Strong-pass-42",
            "post": "党组织书记",
            "phone": "13612345678",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="li_shuji").unit == world.village_a
    response = client.post(
        reverse("org:staff_new"),
        {
            "unit_code": world.village_b.code,
            "role": Role.VILLAGE_STAFF,
            "display_name": "越权",
            "username": "yuequan",
            "initial_password": "Strong-pass-42",
        },
    )
    assert not User.objects.filter(username="yuequan").exists()


def test_village_staff_has_no_staff_page(world, client, login):
    login(world.users["village_a"])
    assert client.get(reverse("org:staff_list")).status_code == 403
