import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.accounts.services import resident_register, user_change_password, user_disable
from tests.accounts.community import a_village
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1A", "alllowercase", "lowercase123", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        password_validation.validate_password(password, User(username="x"))


def test_three_kinds_of_eight_characters_pass():
    password_validation.validate_password("Wushan-2026", User(username="x"))


def test_min_classes_is_a_setting(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "lianxin.accounts.validators.CharacterClassValidator",
            "OPTIONS": {"min_classes": 4},
        }
    ]
    with pytest.raises(ValidationError, match="4"):
        password_validation.validate_password("Wushan2026", User(username="x"))


def test_recent_passwords_cannot_be_reused():
    user = make_user("clerk", password="First-pass-1")
    user_change_password(user=user, new_password="Second-pass-2")
    user_change_password(user=user, new_password="Third-pass-3")
    with pytest.raises(ValidationError, match="最近"):
        user_change_password(user=user, new_password="First-pass-1")


def test_initial_password_must_be_changed_first(client):
    user = make_user("newclerk")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Test-pass-123",
            "new_password1": "Brand-new-77",
            "new_password2": "Brand-new-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("core:home")).status_code == 200


def test_expired_password_forces_a_change(client, settings):
    settings.LIANXIN_PASSWORD_MAX_AGE_DAYS = 90
    user = make_user("oldclerk")
    user.password_changed_at = timezone.now() - timezone.timedelta(days=91)
    user.save()
    client.force_login(user)
    assert client.get(reverse("core:home"))["Location"] == reverse("accounts:password_change")


def test_password_change_form_keeps_errors_in_chinese(client):
    user = make_user("clerk")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "当前密码不正确" in body


def test_resident_registers_with_phone(client, settings):
    import re

    from lianxin.accounts import sms

    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LocmemSmsBackend"
    sms.outbox.clear()
    response = client.post(
        reverse("accounts:register"),
        {
            "phone": "13912345678",
            "display_name": "王大妈",
            "password1": "Wushan-2026",
            "password2": "Wushan-2026",
            "community": a_village(),
        },
    )
    assert response.status_code == 302
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()  # the code texted to the phone
    assert client.post(reverse("accounts:register_confirm"), {"code": code}).status_code == 302
    user = User.objects.get(phone="13912345678")
    assert user.display_name == "王大妈"
    assert client.get(reverse("core:home")).status_code == 200


def test_registration_refuses_bad_phone_and_keeps_input(client):
    response = client.post(
        reverse("accounts:register"),
        {
            "phone": "12345",
            "display_name": "王大妈",
            "password1": "Wushan-2026",
            "password2": "Wushan-2026",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "11 位" in body
    assert 'value="王大妈"' in body
    assert not User.objects.filter(display_name="王大妈").exists()


def test_duplicate_phone_is_refused():
    resident_register(phone="13912345678", display_name="甲", password="Wushan-2026")
    with pytest.raises(ValidationError):
        resident_register(phone="13912345678", display_name="乙", password="Wushan-2026")


def test_disabling_ends_sessions(client):
    user = make_user("clerk")
    admin = make_user("boss")
    client.force_login(user)
    assert client.get(reverse("core:home")).status_code == 200
    user_disable(user=user, actor=admin)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302


def test_disabling_clears_the_cached_copy_of_each_session(settings):
    """With sessions in the cache as well as the table (cached_db, the REDIS_URL set-up), the
    cached copy goes too: a session key read from the cache alone finds nothing afterwards."""
    from importlib import import_module

    from django.core.cache import cache

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    user = make_user("cached-session-user")
    store = store_class()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    store.save()
    key = store.cache_key
    assert cache.get(key) is not None
    user_disable(user=user, actor=make_user("cached-boss"))
    assert cache.get(key) is None
    assert not store_class().exists(store.session_key)


def test_registration_is_rate_limited_per_address(client):
    from django.core.cache import cache

    cache.clear()
    for i in range(10):
        client.post(
            reverse("accounts:register"),
            {"phone": "123", "display_name": f"试{i}"},
            REMOTE_ADDR="10.9.9.9",
        )
    response = client.post(
        reverse("accounts:register"),
        {
            "phone": "13912340000",
            "display_name": "第十一次",
            "password1": "Wushan-2026",
            "password2": "Wushan-2026",
            "community": a_village(),
        },
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429
    assert "太频繁" in response.content.decode()
    assert 'value="第十一次"' in response.content.decode()
    assert not User.objects.filter(phone="13912340000").exists()
    other = client.post(
        reverse("accounts:register"),
        {
            "phone": "13912340001",
            "display_name": "别处",
            "password1": "Wushan-2026",
            "password2": "Wushan-2026",
            "community": a_village(),
        },
        REMOTE_ADDR="10.9.9.10",
    )
    assert other.status_code == 302
    cache.clear()


def test_disabling_in_the_admin_ends_sessions(client, django_user_model):
    from django.test import Client

    user = make_user("clerk2")
    root = django_user_model.objects.create_superuser("root", password="Root-pass-123")
    user_client = Client()
    user_client.force_login(user)
    assert user_client.get(reverse("core:home")).status_code == 200
    client.force_login(root)
    response = client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "clerk2",
            "display_name": "clerk2",
            "phone": "",
            "email": "",
            "is_active": "",
            "is_staff": "",
            "is_superuser": "",
            "must_change_password": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "password_changed_at_0": "",
            "password_changed_at_1": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert user_client.get(reverse("core:home")).status_code == 302
