"""Full ID/phone reveals are limited per user (30 an hour by default), and refusals are audited."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from lianxin.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _reveal(client, world, field="phone", reason="入户走访核实"):
    url = reverse("people:person_reveal", args=[world.persons["a"].pk])
    return client.post(url, {"field": field, "reason": reason})


def test_thirty_reveals_an_hour_then_refused_and_audited(world, client, login):
    login(world.users["grid_a1"])
    with time_machine.travel("2026-11-03 09:00:00+08:00", tick=False) as clock:
        statuses = [_reveal(client, world).status_code for _ in range(30)]
        assert statuses == [200] * 30
        refused = _reveal(client, world, field="id_number")
        body = refused.content.decode()
        assert refused.status_code == 429
        assert "查看完整信息过于频繁" in body and "620524195001010021" not in body
        events = AuditEvent.objects.filter(action=AuditAction.REVEAL, actor=world.users["grid_a1"])
        assert events.filter(outcome="ok").count() == 30
        row = events.get(outcome="refused")
        assert row.extra == {"field": "id_number", "refused": "rate_limit"}
        assert row.reason == "入户走访核实" and row.target_id == str(world.persons["a"].pk)
        clock.shift(3601)
        login(world.users["grid_a1"])  # the idle session ended meanwhile
        assert "13811112222" in _reveal(client, world).content.decode()


def test_the_limit_is_per_user(world, client, login, settings):
    settings.LIANXIN_REVEAL_LIMIT = (2, 3600)
    login(world.users["grid_a1"])
    assert [_reveal(client, world).status_code for _ in range(3)] == [200, 200, 429]
    client.logout()
    login(world.users["village_a"])
    assert _reveal(client, world).status_code == 200


def test_a_reveal_without_reason_does_not_count(world, client, login, settings):
    settings.LIANXIN_REVEAL_LIMIT = (1, 3600)
    login(world.users["grid_a1"])
    assert _reveal(client, world, reason="").status_code == 422
    assert _reveal(client, world).status_code == 200
