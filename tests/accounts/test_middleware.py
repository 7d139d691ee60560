"""The session policy renews the idle expiry at most once a minute, not on every request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.accounts.test_login import _post_login

pytestmark = pytest.mark.django_db


def _expires(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_idle_expiry_slides_once_a_minute(world, client, clock):
    _post_login(client, "village_a")
    client.get(reverse("core:home"))
    first = _expires(client)
    clock.shift(timedelta(seconds=20))
    client.get(reverse("core:home"))
    assert _expires(client) == first  # no session write within the minute
    clock.shift(timedelta(seconds=50))
    client.get(reverse("core:home"))
    later = _expires(client)
    assert later - first >= timedelta(seconds=60)  # renewed: the idle limit slides forward
    assert client.session.get_expiry_age() == 30 * 60


def test_idle_session_still_ends_after_30_minutes(world, client, clock):
    _post_login(client, "village_a")
    client.get(reverse("core:home"))
    clock.shift(timedelta(minutes=31))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 or "登录" in response.content.decode()
