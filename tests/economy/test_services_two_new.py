"""Marking an enterprise 新业态: who may, what may be marked, audited, from the ledger page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lianxin.audit.models import AuditEvent
from lianxin.economy.models import NewEconomyEnterprise
from lianxin.economy.selectors_two_new import two_new_ledger
from lianxin.economy.services_two_new import new_economy_set
from tests.economy.liangxin_factories import liangxin_world

pytestmark = pytest.mark.django_db


def test_mark_and_unmark_moves_the_enterprise_between_columns_and_is_audited(world):
    units = liangxin_world(world)
    town_a = world.users["town_a"]
    before = AuditEvent.objects.count()
    assert new_economy_set(actor=town_a, unit=units["a_bare"], flag=True) is True
    assert new_economy_set(actor=town_a, unit=units["a_bare"], flag=True) is False
    ledger = two_new_ledger(user=town_a)
    assert ledger.scope.total == {"non_public": 1, "social": 1, "new_economy": 1}
    assert AuditEvent.objects.count() == before + 1
    assert new_economy_set(actor=town_a, unit=units["a_bare"], flag=False) is True
    assert not NewEconomyEnterprise.objects.exists()
    assert AuditEvent.objects.count() == before + 2


def test_refusals(world):
    units = liangxin_world(world)
    with pytest.raises(PermissionDenied):
        new_economy_set(actor=world.users["town_b"], unit=units["a_bare"], flag=True)
    with pytest.raises(PermissionDenied):
        new_economy_set(actor=world.users["village_a"], unit=units["a_bare"], flag=True)
    with pytest.raises(ValidationError):
        new_economy_set(actor=world.users["county_admin"], unit=units["a_social"], flag=True)
    assert not NewEconomyEnterprise.objects.exists()


def test_the_ledger_page_marks_in_scope_only(world, client, login):
    units = liangxin_world(world)
    login(world.users["town_a"])
    url = reverse("economy:two_new_mark", args=[units["a_covered"].pk])
    assert "标为新业态" in client.get(reverse("economy:two_new")).content.decode()
    response = client.post(url, {"flag": "1"})
    assert response.status_code == 302
    assert NewEconomyEnterprise.objects.filter(unit=units["a_covered"]).exists()
    assert "改为非公经济组织" in client.get(reverse("economy:two_new")).content.decode()
    other = reverse("economy:two_new_mark", args=[units["b_joint"].pk])
    assert client.post(other, {"flag": "1"}).status_code == 404
    assert client.get(url).status_code == 405
    login(world.users["supervisor"])
    assert client.post(url, {"flag": "0"}).status_code == 403
    assert NewEconomyEnterprise.objects.count() == 1
