import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-123"


def _post_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_by_username_and_by_phone(client):
    make_user("clerk", phone="13700001111")
    assert _post_login(client, "clerk").status_code == 302
    client.logout()
    response = _post_login(client, "137 0000 1111")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_chinese_error_and_is_audited(client):
    make_user("clerk")
    response = _post_login(client, "clerk", "wrong")
    assert response.status_code == 200
    assert "账号或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_name="clerk").exists()


def test_successful_login_is_audited(client):
    make_user("clerk")
    _post_login(client, "clerk")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor_name == "clerk"
    assert event.ip_address == "10.0.0.1"


def test_lockout_after_five_failures_is_per_username_and_ip(client):
    make_user("clerk")
    make_user("colleague")
    for _ in range(5):
        _post_login(client, "clerk", "wrong")
    # The right password no longer works from this address ...
    response = _post_login(client, "clerk")
    assert response.status_code == 429
    assert "30 分钟" in response.content.decode()
    # ... but a colleague behind the same office IP still logs in,
    assert _post_login(client, "colleague").status_code == 302
    client.logout()
    # and the same user from another address is not locked either.
    assert _post_login(client, "clerk", ip="10.0.0.2").status_code == 302
    assert AccessAttempt.objects.filter(username="clerk", ip_address="10.0.0.1").exists()


def test_four_failures_do_not_lock(client):
    make_user("clerk")
    for _ in range(4):
        _post_login(client, "clerk", "wrong")
    assert _post_login(client, "clerk").status_code == 302


def test_argon2_is_the_configured_hasher():
    from lianxin import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_staff_session_idle_expiry_is_30_minutes(world, client):
    _post_login(client, "village_a")
    client.get(reverse("core:home"))
    assert client.session.get_expiry_age() == 30 * 60


def test_resident_session_lasts_longer(world, client):
    _post_login(client, "13900000001")
    client.get(reverse("core:home"))
    assert client.session.get_expiry_age() > 30 * 60


def test_staff_session_ends_after_12_hours(world, client):
    _post_login(client, "village_a")
    session = client.session
    session["lianxin_login_at"] = int(time.time()) - 12 * 3600 - 5
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert "_auth_user_id" not in client.session


def test_new_session_id_at_login(client):
    make_user("clerk")
    client.get(reverse("accounts:login"))
    before = client.cookies.get("sessionid")
    _post_login(client, "clerk")
    after = client.cookies.get("sessionid")
    assert after is not None
    assert before is None or before.value != after.value
