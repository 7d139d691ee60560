"""No write path around the services: the admin's unit and role changes go through them."""

import pytest
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import SYSTEM_ACTOR
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.services import membership_grant, membership_revoke
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", password="Root-pass-123")
    client.force_login(user)
    return user


def role_rows(**filters):
    return AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGE, **filters)


# ----------------------------------------------------------------------- system actor
def test_a_grant_without_an_actor_is_audited_as_system(world):
    user = make_user("newcomer")
    m = membership_grant(user=user, unit=world.village_a, role=Role.RESIDENT)
    row = role_rows(target_id=str(m.pk)).get()
    assert row.actor is None and row.actor_name == SYSTEM_ACTOR
    assert row.reason == f"grant resident @ {world.village_a.code}"


def test_a_revoke_without_an_actor_is_audited_as_system(world):
    m = Membership.objects.get(user=world.users["village_a"])
    membership_revoke(membership=m)
    row = role_rows(reason__startswith="revoke").get(target_id=str(m.pk))
    assert row.actor is None and row.actor_name == SYSTEM_ACTOR


def test_a_grant_with_an_actor_names_them(world):
    user = make_user("newcomer")
    m = membership_grant(
        user=user, unit=world.village_a, role=Role.GRID_WORKER, actor=world.users["town_a"]
    )
    row = role_rows(target_id=str(m.pk), actor=world.users["town_a"]).get()
    assert row.actor_name == "town_a"


# ----------------------------------------------------------------------- UnitAdmin
def test_unit_added_in_the_admin_goes_through_unit_create(client, root, world):
    response = client.post(
        reverse("admin:org_unit_add"),
        {
            "name": "东关第3网格",
            "kind": UnitKind.GRID,
            "code": "620524100001-G03",
            "division_code": "",
            "parent": world.village_a.pk,
            "address": "",
            "phone": "",
            "lat": "",
            "lng": "",
            "boundary": "null",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    unit = Unit.objects.get(code="620524100001-G03")
    assert unit.path == world.village_a.path + "620524100001-G03/"
    assert unit.depth == world.village_a.depth + 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, actor=root, target_type="org.unit", target_id=str(unit.pk)
    ).exists()


def test_unit_admin_refuses_a_kind_under_the_wrong_parent(client, root, world):
    response = client.post(
        reverse("admin:org_unit_add"),
        {
            "name": "错挂的村",
            "kind": UnitKind.VILLAGE,
            "code": "620524100099",
            "division_code": "620524100099",
            "parent": world.county.pk,
            "boundary": "null",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form shows the error
    assert not Unit.objects.filter(code="620524100099").exists()


# ----------------------------------------------------------------------- MembershipAdmin
def _membership_post(user, unit, role, *, post="", active=True):
    data = {"user": user.pk, "unit": unit.pk, "role": role, "post": post}
    if active:
        data["is_active"] = "on"
    return data


def test_membership_added_in_the_admin_is_audited(client, root, world):
    user = make_user("clerk9")
    response = client.post(
        reverse("admin:org_membership_add"),
        _membership_post(user, world.village_b, Role.VILLAGE_STAFF, post="文书"),
    )
    assert response.status_code == 302
    m = Membership.objects.get(user=user)
    assert (m.unit, m.role, m.post, m.is_active) == (world.village_b, "village_staff", "文书", True)
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="grant").exists()


def test_membership_switched_off_in_the_admin_is_a_revoke(client, root, world):
    m = Membership.objects.get(user=world.users["village_b"])
    response = client.post(
        reverse("admin:org_membership_change", args=[m.pk]),
        _membership_post(m.user, m.unit, m.role, active=False),
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="revoke").exists()


def test_membership_moved_in_the_admin_ends_the_old_role_and_grants_the_new(client, root, world):
    m = Membership.objects.get(user=world.users["village_b"])
    response = client.post(
        reverse("admin:org_membership_change", args=[m.pk]),
        _membership_post(m.user, world.village_a, m.role),
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active and m.unit == world.village_b
    new = Membership.objects.get(user=m.user, unit=world.village_a)
    assert new.is_active
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="revoke").exists()
    assert role_rows(actor=root, target_id=str(new.pk), reason__startswith="grant").exists()


def test_membership_deleted_in_the_admin_is_ended_not_erased(client, root, world):
    m = Membership.objects.get(user=world.users["village_b"])
    response = client.post(reverse("admin:org_membership_delete", args=[m.pk]), {"post": "yes"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert not m.is_active
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="revoke").exists()


# ----------------------------------------------------------------------- UserAdmin inline
def _user_post(user, forms, initial=0):
    data = {
        "username": user.username,
        "display_name": user.display_name,
        "phone": "",
        "email": "",
        "is_active": "on",
        "is_staff": "",
        "is_superuser": "",
        "must_change_password": "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "password_changed_at_0": "",
        "password_changed_at_1": "",
        "memberships-TOTAL_FORMS": str(len(forms)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, f in enumerate(forms):
        for k, v in f.items():
            data[f"memberships-{i}-{k}"] = v
    return data


def test_role_added_on_the_account_page_is_audited(client, root, world):
    user = make_user("clerk8")
    form = {"unit": world.grid_b1.pk, "role": Role.GRID_WORKER, "post": "", "is_active": "on"}
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), _user_post(user, [form])
    )
    assert response.status_code == 302, response.content[:3000]
    m = Membership.objects.get(user=user)
    assert (m.unit, m.role, m.is_active) == (world.grid_b1, "grid_worker", True)
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="grant").exists()


def test_role_deleted_on_the_account_page_is_a_revoke(client, root, world):
    user = world.users["grid_b1"]
    m = Membership.objects.get(user=user)
    form = {
        "id": m.pk,
        "user": user.pk,
        "unit": m.unit.pk,
        "role": m.role,
        "post": "",
        "is_active": "on",
        "DELETE": "on",
    }
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]), _user_post(user, [form], initial=1)
    )
    assert response.status_code == 302, response.content[:3000]
    m.refresh_from_db()
    assert not m.is_active
    assert role_rows(actor=root, target_id=str(m.pk), reason__startswith="revoke").exists()


def test_a_bulk_grant_audits_every_membership_as_system(world):
    from lianxin.org.services import membership_bulk_grant

    users = [make_user(f"bulk{i}") for i in range(3)]
    created = membership_bulk_grant(
        [Membership(user=u, unit=world.village_a, role=Role.RESIDENT) for u in users]
    )
    assert len(created) == 3 and all(m.pk for m in created)
    rows = role_rows(target_id__in=[str(m.pk) for m in created], actor_name=SYSTEM_ACTOR)
    assert rows.count() == 3
    assert {r.reason for r in rows} == {f"grant resident @ {world.village_a.code}"}
