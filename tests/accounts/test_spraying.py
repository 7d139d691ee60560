"""Password spraying: one address trying many usernames is stopped, an office behind it is not."""

from __future__ import annotations

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Test-pass-123"
SPRAYER = "10.0.0.66"
BLOCKED = "此网络地址近期登录失败次数过多"
WRONG = "账号或密码不正确"


def _login(client, username, password=PASSWORD, ip=SPRAYER, **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def _spray(client, n, ip=SPRAYER, **extra):
    return [_login(client, f"user{i:02d}", "Spring2026!", ip=ip, **extra) for i in range(n)]


def test_forty_usernames_from_one_address_are_blocked_after_thirty(client):
    make_user("newcomer")
    responses = _spray(client, 40)
    assert [r.status_code for r in responses] == [200] * 30 + [429] * 10
    assert all(WRONG in r.content.decode() for r in responses[:30])
    assert all(BLOCKED in r.content.decode() for r in responses[30:])
    # No password is checked any more for an account never used from here, even the right one,
    r = _login(client, "newcomer")
    assert r.status_code == 429 and BLOCKED in r.content.decode()
    assert 'value="newcomer"' in r.content.decode()  # what was typed stays
    assert "_auth_user_id" not in client.session
    # and each refusal is in the audit trail.
    blocked = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, outcome="blocked")
    assert blocked.count() == 11
    assert blocked.filter(actor_name="newcomer", ip_address=SPRAYER).exists()


def test_colleagues_who_logged_in_from_that_address_keep_working(client):
    make_user("clerk")
    assert _login(client, "clerk").status_code == 302  # an ordinary day in the office
    client.logout()
    _spray(client, 35)
    assert _login(client, "clerk").status_code == 302
    client.logout()
    # Their password is still checked (and axes' 5 per pair still holds for them).
    r = _login(client, "clerk", "wrong")
    assert r.status_code == 200 and WRONG in r.content.decode()


def test_a_colleague_elsewhere_is_unaffected(client):
    make_user("colleague")
    _spray(client, 40)
    assert _login(client, "colleague", ip="10.0.0.77").status_code == 302


def test_the_block_ends_with_the_window(client):
    make_user("newcomer")
    with time_machine.travel("2026-11-03 09:00:00+08:00", tick=False) as clock:
        _spray(client, 31)
        assert _login(client, "newcomer").status_code == 429
        clock.shift(16 * 60)
        assert _login(client, "newcomer").status_code == 302


def test_the_limit_is_configurable(client, settings):
    settings.LIANXIN_LOGIN_ADDRESS_LIMIT = (3, 600)
    assert [r.status_code for r in _spray(client, 5)] == [200, 200, 200, 429, 429]
    assert "10 分钟" in _spray(client, 1)[0].content.decode()


def test_behind_the_trusted_proxy_each_resident_is_counted_apart(client, settings):
    """nginx at 10.0.0.1 forwards: the sprayer is 203.0.113.5, for axes and for this limit."""
    settings.LIANXIN_TRUSTED_PROXIES = ["10.0.0.1"]
    make_user("resident")
    via = {"ip": "10.0.0.1"}
    sprayed = _spray(client, 31, HTTP_X_FORWARDED_FOR="203.0.113.5", **via)
    assert sprayed[-1].status_code == 429
    assert AccessAttempt.objects.filter(ip_address="203.0.113.5").count() == 30
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.1").exists()
    # Another resident behind the same nginx is not the sprayer ...
    ok = _login(client, "resident", HTTP_X_FORWARDED_FOR="203.0.113.6", **via)
    assert ok.status_code == 302
    client.logout()
    # ... and the sprayer cannot become someone else by writing the header itself.
    spoofed = _login(client, "resident", HTTP_X_FORWARDED_FOR="203.0.113.6, 203.0.113.5", **via)
    assert spoofed.status_code == 429
