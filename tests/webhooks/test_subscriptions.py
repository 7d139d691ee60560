"""Registering and deactivating subscriptions: who may, which URLs, what is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.webhooks import services
from lianxin.webhooks.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",  # plain http off the machine
        "ftp://example.org/hook",
        "https://user:pw@example.org/hook",  # credentials would sit in logs
        "https:///nohost",
        "https://example.org:99999/",
        "javascript:alert(1)",
        "",
    ],
)
def test_refused_urls(url):
    with pytest.raises(ValidationError):
        services.validate_webhook_url(url)


def test_https_always_and_loopback_http_only_where_allowed(settings):
    assert services.validate_webhook_url(" https://12345.example.gov.cn/hook?x=1 ").startswith(
        "https"
    )
    settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = True
    assert services.validate_webhook_url("http://127.0.0.1:8080/hook")
    settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP = False  # production
    with pytest.raises(ValidationError):
        services.validate_webhook_url("http://127.0.0.1:8080/hook")


def test_production_settings_refuse_loopback_http(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "LIANXIN_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "LIANXIN_VAR": str(tmp_path),
    }
    env.pop("LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP", None)
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    code = "from django.conf import settings; print(settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP)"
    out = subprocess.run(
        [sys.executable, str(manage), "shell", "--no-imports", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout.strip() == "False", out.stderr[-2000:]


def test_register_is_audited_without_the_secret(world):
    admin = world.users["county_admin"]
    sub, secret = services.subscription_create(
        actor=admin, name="市12345", url="https://h.example/hook?key=abc", unit=world.town_a
    )
    row = AuditEvent.objects.get(target_id=str(sub.pk), action="create")
    assert row.actor == admin and row.extra["url"] == "https://h.example/hook"
    assert secret not in str(row.extra) and "abc" not in str(row.extra)
    assert sub.unit == world.town_a and sub.is_active


def test_only_a_county_admin_in_scope_registers(world):
    for name in ("town_a", "village_a", "supervisor", "resident_a"):
        with pytest.raises(PermissionDenied):
            services.subscription_create(
                actor=world.users[name], name="x", url="https://h.example/", unit=world.town_a
            )
    with pytest.raises(ValidationError):
        services.subscription_create(
            actor=world.users["county_admin"], name="x", url="https://h.example/"
        )
    assert not Subscription.objects.exists()


def test_deactivate_is_audited_once(world):
    admin = world.users["county_admin"]
    sub, _secret = services.subscription_create(
        actor=admin, name="x", url="https://h.example/", unit=world.town_a
    )
    with pytest.raises(PermissionDenied):
        services.subscription_deactivate(actor=world.users["town_a"], subscription=sub)
    services.subscription_deactivate(actor=admin, subscription=sub)
    services.subscription_deactivate(actor=admin, subscription=sub)
    sub.refresh_from_db()
    assert not sub.is_active and sub.deactivated_at is not None
    assert AuditEvent.objects.filter(target_id=str(sub.pk), action="update").count() == 1
