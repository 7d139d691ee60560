"""Issue 9 item 4: registration by phone asks for the community (town → village); the new
account is linked to it as pending, for a clerk to confirm (org.residence)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from lianxin.accounts import sms
from lianxin.accounts.models import User
from lianxin.org.models import Membership, ResidenceClaim, ResidenceStatus, Unit
from tests.accounts.community import a_village

pytestmark = pytest.mark.django_db

PASSWORD = "Wushan-2026"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LocmemSmsBackend"
    sms.outbox.clear()
    cache.clear()
    yield
    sms.outbox.clear()
    cache.clear()


def _post(client, **extra):
    data = {
        "phone": "13987654321",
        "display_name": "王大妈",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(extra)
    return client.post(reverse("accounts:register"), data)


def test_register_page_offers_villages_grouped_by_town():
    from django.test import Client

    a_village()
    html = Client().get(reverse("accounts:register")).content.decode()
    select = re.search(r'<select name="community"[^>]*>.*?</select>', html, re.S).group()
    assert "data-unit-picker" in select and "required" in select
    assert '<optgroup label="城关镇">' in select and "东关社区" in select


def test_community_is_required_and_nothing_is_texted_without_it(client):
    a_village()
    response = _post(client)
    assert response.status_code == 200
    assert "请选择所在的村（社区）" in response.content.decode()
    assert 'value="王大妈"' in response.content.decode()
    assert sms.outbox == []


def test_a_unit_that_is_not_a_village_is_refused(client):
    town = Unit.objects.get(pk=a_village()).parent
    response = _post(client, community=town.pk)
    assert response.status_code == 200 and "请选择所在的村（社区）" in response.content.decode()
    assert _post(client, community="999999").status_code == 200
    assert sms.outbox == []


def test_registered_resident_is_linked_to_the_community_as_pending(client):
    village = a_village()
    assert _post(client, community=village).status_code == 302
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    assert client.post(reverse("accounts:register_confirm"), {"code": code}).status_code == 302
    user = User.objects.get(phone="13987654321")
    claim = ResidenceClaim.objects.get(user=user)
    assert claim.unit_id == village and claim.chosen_unit_id == village
    assert claim.status == ResidenceStatus.PENDING
    assert not Membership.objects.filter(user=user).exists()  # no area before a clerk confirms
    home = client.get(reverse("core:home")).content.decode()
    assert "我的社区（待确认）" in home and "城关镇 · 东关社区" in home
