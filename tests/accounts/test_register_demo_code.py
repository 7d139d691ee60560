"""Without an SMS provider (the demo), the code page shows the code, and still cannot tell a
free number from a registered one: a registered number is shown a decoy that never matches."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from lianxin.accounts.models import User
from lianxin.accounts.services import resident_register
from tests.accounts.community import a_village

pytestmark = pytest.mark.django_db

PASSWORD = "Wushan-2026"


@pytest.fixture(autouse=True)
def _demo(settings):
    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LogSmsBackend"
    settings.LIANXIN_SMS_DEMO_ON_PAGE = None
    settings.PRODUCTION = False
    cache.clear()
    yield
    cache.clear()


def _start(client, phone):
    client.post(
        reverse("accounts:register"),
        {
            "phone": phone,
            "display_name": "王大妈",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "community": a_village(),
        },
    )
    page = client.get(reverse("accounts:register_confirm")).content.decode()
    match = re.search(r'data-testid="register-demo-code">[^<]*<strong>(\d{6})</strong>', page)
    return match.group(1) if match else None


def test_demo_page_shows_the_code_and_it_opens_the_account(client):
    code = _start(client, "13987654321")
    assert code is not None
    client.post(reverse("accounts:register_confirm"), {"code": code})
    assert User.objects.filter(phone="13987654321").exists()


def test_registered_number_gets_a_decoy_that_fails_like_a_wrong_code(client):
    resident_register(phone="13912345678", display_name="老住户", password="Old-pass-2026")
    code = _start(client, "13912345678")
    assert code is not None  # the page looks the same as for a free number
    response = client.post(reverse("accounts:register_confirm"), {"code": code})
    assert "验证码不正确或已失效" in response.content.decode()
    assert User.objects.filter(phone="13912345678").count() == 1


def test_no_code_on_the_page_in_production_or_with_a_provider(client, settings):
    settings.PRODUCTION = True
    assert _start(client, "13987654321") is None
    settings.PRODUCTION = False
    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LocmemSmsBackend"
    assert _start(client, "13987654322") is None
