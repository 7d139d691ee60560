"""Residents and party members log in with their phone number: wherever a login name is shown
(the staff list, the audit pages, the Django admin, one's own account page, a user's name when
they have none), a login name that is a phone number is masked like every other phone."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from lianxin.audit.services import audit_record
from lianxin.core.masking import mask_login
from lianxin.org.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PHONE = "13900000001"  # resident_a's login name in the world fixture
MASKED = "139****0001"


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_mask_login_masks_phone_numbers_only():
    assert mask_login("13912345678") == "139****5678"
    assert mask_login("zhangsan") == "zhangsan"
    assert mask_login("admin1391234567") == "admin1391234567"
    assert mask_login("") == ""
    assert Template("{{ v|mask_login }}").render(Context({"v": "13912345678"})) == "139****5678"


def test_a_user_without_a_name_is_shown_by_the_masked_login(world):
    user = make_user("13912345678", name="", phone="13912345678")
    user.display_name = ""
    assert str(user) == "139****5678"
    assert user.get_full_name() == "139****5678"
    assert user.display_login == "139****5678"
    assert str(make_user("wangwu", name="")) == "wangwu"


def test_staff_list_masks_phone_logins(world, client, login):
    login(world.users["town_a"])
    body = _body(client.get(reverse("org:staff_list")))
    assert "甲居民" in body  # the resident's membership is listed …
    assert MASKED in body  # … with the login masked
    assert PHONE not in body
    assert "grid_a1" in body  # a staff login name is not a phone: shown as it is


def test_audit_page_masks_phone_logins(world, client, login):
    resident = world.users["resident_a"]
    nameless = make_user(
        "13912345678", unit=world.grid_a1, role=Role.RESIDENT, phone="13912345678", name=""
    )
    nameless.display_name = ""
    nameless.save(update_fields=["display_name"])
    audit_record(action=AuditAction.LOGIN, actor=resident, target=resident)
    audit_record(action=AuditAction.LOGIN, actor=nameless, target=nameless)
    audit_record(action=AuditAction.LOGIN_FAILED, username="13955556666", outcome="failed")
    assert AuditEvent.objects.filter(actor_name=PHONE).exists()  # the trail keeps the full name
    login(world.users["county_admin"])
    body = _body(client.get(reverse("audit:audit_list")))
    for full, masked in (
        (PHONE, MASKED),
        ("13912345678", "139****5678"),
        ("13955556666", "139****6666"),
    ):
        assert full not in body
        assert masked in body


def test_admin_masks_phone_logins(world, client, django_user_model):
    boss = django_user_model.objects.create_superuser(username="root", password="x-Test-pass-123")
    client.force_login(boss)
    audit_record(
        action=AuditAction.LOGIN, actor=world.users["resident_a"], target=world.users["resident_a"]
    )
    event = AuditEvent.objects.filter(actor_name=PHONE).first()
    pages = [
        "/admin/accounts/user/",
        "/admin/org/membership/",
        "/admin/audit/auditevent/",
        f"/admin/audit/auditevent/{event.pk}/change/",
    ]
    for url in pages:
        body = _body(client.get(url))
        assert PHONE not in body, url
    assert MASKED in _body(client.get("/admin/accounts/user/"))
    assert MASKED in _body(client.get("/admin/audit/auditevent/"))
    # The administrator can still find the account by the full number.
    assert "甲居民" in _body(client.get("/admin/accounts/user/", {"q": PHONE}))


def test_own_account_page_masks_the_login(world, client, login):
    login(world.users["resident_a"])
    body = _body(client.get(reverse("accounts:profile")))
    assert MASKED in body
    assert PHONE not in body
