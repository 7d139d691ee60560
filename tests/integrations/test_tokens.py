"""Integration tokens (issue 14, bullet 1): hashed, shown once, revocable, expiring, audited per
use, rate-limited per token, scoped by the integration's unit, limited to its permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.integrations import services
from lianxin.integrations.auth import API_CALL_ACTION, RateLimited, authenticate_token, token_digest
from lianxin.integrations.models import ApiToken, Integration, IntegrationCase, ServiceUser
from lianxin.integrations.selectors import integration_of_case, token_permission_names
from lianxin.org.scoping import user_scope
from tests.cases.factories import make_case
from tests.integrations.factories import bearer, make_integration, make_token

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["default"].clear()


def test_the_database_never_holds_the_raw_token(world):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    assert raw.startswith("lx_") and len(raw) == 3 + 8 + 40
    assert token.prefix == raw[3:11]
    assert token.digest == token_digest(raw) != raw
    secret = raw[11:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT prefix, digest, permissions FROM integrations_apitoken")
        rows = cursor.fetchall()
    assert rows and not any(secret in str(v) or raw in str(v) for row in rows for v in row)
    assert not AuditEvent.objects.filter(extra__icontains=secret).exists()
    # Two tokens never share a secret.
    raw2, _t2 = make_token(world.town_a, ["cases.view_case"], integration=token.integration)
    assert raw2 != raw


def test_valid_token_reads_as_its_service_user(world, client):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    mine = make_case(world)
    r = client.get(CASES, **bearer(raw))
    assert r.status_code == 200, r.content
    assert [c["id"] for c in r.json()] == [mine.pk]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_scope_town_a_token_never_reads_town_b(world, client):
    raw, _token = make_token(world.town_a, ["cases.view_case"])
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    r = client.get(CASES, **bearer(raw))
    assert [c["id"] for c in r.json()] == [a.pk]
    r = client.get(f"{CASES}{b.pk}", **bearer(raw))
    assert r.status_code == 404
    assert r.json()["code"] == "not_found" and r.json()["detail"]
    assert client.get(f"{CASES}{a.pk}", **bearer(raw)).status_code == 200


def test_permission_list_limits_the_service_user(world):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    user = authenticate_token(raw)
    assert isinstance(user, ServiceUser)
    assert user.has_perm("cases.view_case")
    assert not user.has_perm("cases.enter_case")  # the role would allow it; the token does not
    assert not user.has_perm("cases.handle_case")
    # A plain load of the same account (not through a token) carries no permission list.
    assert not ServiceUser.objects.get(pk=user.pk).has_perm("cases.view_case")
    scope = user_scope(user)
    assert scope.covers(world.village_a) and not scope.covers(world.town_b)


def test_read_only_token_refused_a_write_with_a_403_body(world, client):
    raw, _token = make_token(world.town_a, ["cases.view_case"])
    from tests.cases.factories import category

    body = {
        "title": "路灯不亮",
        "description": "东关小区门口的路灯坏了三天。",
        "category": category("infra-light").pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "张三",
        "reporter_phone": "13912345678",
    }
    r = client.post(
        CASES,
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "x-1"},
        **bearer(raw),
    )
    assert r.status_code == 403, r.content
    assert r.json()["code"] == "permission_denied"
    assert "cases." not in r.json()["detail"]  # a permission name is not the message


def test_token_created_request_records_its_integration(world, client):
    raw, token = make_token(world.town_a, ["cases.view_case", "cases.enter_case"])
    from tests.cases.factories import category

    body = {
        "title": "路灯不亮",
        "description": "东关小区门口的路灯坏了三天。",
        "category": category("infra-light").pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "张三",
        "reporter_phone": "13912345678",
        "external_id": "12345-0001",
    }
    r = client.post(
        CASES,
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "x-2"},
        **bearer(raw),
    )
    assert r.status_code == 201, r.content
    origin = IntegrationCase.objects.get()
    assert origin.integration == token.integration
    assert integration_of_case(origin.case) == token.integration
    assert integration_of_case(make_case(world)) is None


def test_revoked_token_is_refused(world, client):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    assert client.get(CASES, **bearer(raw)).status_code == 200
    services.token_revoke(actor=world.users["county_admin"], token=token)
    r = client.get(CASES, **bearer(raw))
    assert r.status_code == 401
    assert r.json() == {"code": "unauthorized", "detail": r.json()["detail"]}
    assert "令牌" in r.json()["detail"]
    token.refresh_from_db()
    first = token.revoked_at
    services.token_revoke(actor=world.users["county_admin"], token=token)  # a second time
    token.refresh_from_db()
    assert token.revoked_at == first and token.state == "revoked"


def test_only_the_county_admin_of_the_unit_revokes(world):
    _raw, token = make_token(world.town_a, ["cases.view_case"])
    with pytest.raises(PermissionDenied):
        services.token_revoke(actor=world.users["town_a"], token=token)
    with pytest.raises(PermissionDenied):
        services.token_issue(
            actor=world.users["town_a"],
            integration=token.integration,
            permissions=["cases.view_case"],
        )


def test_token_expires_on_a_fixed_clock(world, client, clock):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    assert token.expires_at == pytest.approx(
        timezone.now() + timedelta(days=90), abs=timedelta(seconds=5)
    )
    clock.shift(timedelta(days=89, hours=23))
    assert client.get(CASES, **bearer(raw)).status_code == 200
    clock.shift(timedelta(hours=2))
    assert token.state_at(timezone.now()) == "expired"
    r = client.get(CASES, **bearer(raw))
    assert r.status_code == 401 and r.json()["code"] == "unauthorized"


def test_expiry_has_a_maximum(world, settings):
    integration = make_integration(world.town_a)
    admin = world.users["county_admin"]
    too_late = timezone.now() + timedelta(days=settings.LIANXIN_API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(ValidationError):
        services.token_issue(
            actor=admin,
            integration=integration,
            permissions=["cases.view_case"],
            expires_at=too_late,
        )
    with pytest.raises(ValidationError):
        services.token_issue(
            actor=admin,
            integration=integration,
            permissions=["cases.view_case"],
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    assert not ApiToken.objects.exists()


def test_permissions_outside_the_grantable_list_are_refused(world):
    integration = make_integration(world.town_a)
    names = token_permission_names()
    assert "cases.view_case" in names
    for forbidden in (
        "integrations.manage_integration",
        "org.manage_staff",
        "people.reveal_person",
    ):
        assert forbidden not in names
        with pytest.raises(ValidationError):
            services.token_issue(
                actor=world.users["county_admin"], integration=integration, permissions=[forbidden]
            )


def test_each_use_is_audited(world, client):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    before = AuditEvent.objects.filter(action=API_CALL_ACTION).count()
    client.get(CASES, **bearer(raw))
    client.get(CASES + "?limit=5", **bearer(raw))
    rows = AuditEvent.objects.filter(action=API_CALL_ACTION).order_by("id")
    assert rows.count() == before + 2
    last = rows.last()
    assert last.actor_id == token.integration.service_user_id
    assert last.target_id == str(token.pk) and last.path == CASES + "?limit=5"
    assert last.extra["token"] == token.prefix and last.extra["method"] == "GET"


def test_rate_limit_per_token(world, client, settings):
    settings.LIANXIN_API_TOKEN_RATE = (3, 60)
    raw, _token = make_token(world.town_a, ["cases.view_case"])
    other, _t = make_token(world.town_a, ["cases.view_case"], name="公众号")
    assert [client.get(CASES, **bearer(raw)).status_code for _ in range(3)] == [200] * 3
    r = client.get(CASES, **bearer(raw))
    assert r.status_code == 429
    assert r.json()["code"] == "rate_limited" and "频繁" in r.json()["detail"]
    assert r["Retry-After"] == "60"
    assert client.get(CASES, **bearer(other)).status_code == 200  # another token has its own
    with pytest.raises(RateLimited):
        authenticate_token(raw)


def test_inactive_integration_and_garbage_are_refused(world, client):
    raw, token = make_token(world.town_a, ["cases.view_case"])
    Integration.objects.filter(pk=token.integration_id).update(is_active=False)
    assert authenticate_token(raw) is None
    for bad in ("", "lx_", "Bearer", raw[:-1], "lx_" + "a" * 48, "x" * 5000):
        assert authenticate_token(bad) is None
    assert client.get(CASES, HTTP_AUTHORIZATION="Bearer lx_nope").status_code == 401


def test_session_still_works_and_a_token_post_needs_no_csrf(world, client, login):
    c = login(world.users["town_a"])
    assert c.get(CASES).status_code == 200
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    raw, _token = make_token(world.town_a, ["cases.view_case"])
    # No session cookie: the token decides, and no CSRF refusal gets in the way.
    r = strict.post(f"{CASES}999999/accept", {}, content_type="application/json", **bearer(raw))
    assert r.status_code in (403, 404) and r.json()["code"] in ("permission_denied", "not_found")
    # A session cookie without the CSRF token is refused with the API's body.
    strict.force_login(
        world.users["town_a"], backend="lianxin.accounts.backends.PhoneOrUsernameBackend"
    )
    r = strict.post(f"{CASES}999999/accept", {}, content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "csrf_failed"
