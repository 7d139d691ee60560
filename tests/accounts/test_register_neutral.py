"""Self-registration answers the same for a free and a registered phone number (issue 8): the
code goes to the phone, and only the phone's owner learns whether it has an account."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from lianxin.accounts import sms
from lianxin.accounts.models import User
from lianxin.accounts.services import REGISTRATION_ATTEMPTS, resident_register
from tests.accounts.community import a_village

pytestmark = pytest.mark.django_db

TAKEN = "13912345678"
FREE = "13987654321"
PASSWORD = "Wushan-2026"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.LIANXIN_SMS_BACKEND = "lianxin.accounts.sms.LocmemSmsBackend"
    sms.outbox.clear()
    cache.clear()
    yield
    sms.outbox.clear()
    cache.clear()


@pytest.fixture
def taken():
    return resident_register(phone=TAKEN, display_name="老住户", password="Old-pass-2026")


def _start(client, phone, name="王大妈"):
    return client.post(
        reverse("accounts:register"),
        {
            "phone": phone,
            "display_name": name,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "community": a_village(),
        },
    )


def _page(client) -> str:
    text = client.get(reverse("accounts:register_confirm")).content.decode()
    text = re.sub(r"[A-Za-z0-9]{64}", "CSRF", text)
    return re.sub(r"\d{3}\*{4}\d{4}", "PHONE", text)


def _code(phone) -> str:
    texts = [t for p, t in sms.outbox if p == phone]
    match = re.search(r"\d{6}", texts[-1])
    assert match, texts[-1]
    return match.group()


def test_free_and_registered_numbers_get_the_same_answer(taken, client):
    first = _start(client, TAKEN)
    page_taken = _page(client)
    other = client.__class__()
    second = _start(other, FREE)
    page_free = _page(other)
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert first["Location"] == reverse("accounts:register_confirm")
    assert page_taken == page_free
    assert "如该手机号可以注册" in page_free
    assert "已注册，请直接登录" not in page_taken


def test_the_code_opens_the_account(client):
    assert _start(client, FREE).status_code == 302
    assert not User.objects.filter(phone=FREE).exists()  # nothing until the phone answers
    response = client.post(reverse("accounts:register_confirm"), {"code": _code(FREE)})
    assert response.status_code == 302
    user = User.objects.get(phone=FREE)
    assert user.display_name == "王大妈" and user.check_password(PASSWORD)
    assert client.get(reverse("core:home")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_registered_number_is_told_by_text_and_no_code_works(taken, client):
    _start(client, TAKEN, name="冒名者")
    assert len(sms.outbox) == 1
    phone, text = sms.outbox[0]
    assert phone == TAKEN and "已注册" in text and not re.search(r"\d{6}", text)
    taken_answer = client.post(reverse("accounts:register_confirm"), {"code": "123456"})
    other = client.__class__()
    _start(other, FREE)
    wrong = "000000" if _code(FREE) != "000000" else "111111"
    free_answer = other.post(reverse("accounts:register_confirm"), {"code": wrong})
    assert taken_answer.status_code == free_answer.status_code == 200
    assert "验证码不正确或已失效" in taken_answer.content.decode()
    assert "验证码不正确或已失效" in free_answer.content.decode()
    taken.refresh_from_db()
    assert taken.display_name == "老住户" and taken.check_password("Old-pass-2026")
    assert User.objects.filter(phone=TAKEN).count() == 1


def test_too_many_wrong_codes_drop_the_sign_up(client):
    _start(client, FREE)
    code = _code(FREE)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(REGISTRATION_ATTEMPTS - 1):
        assert client.post(reverse("accounts:register_confirm"), {"code": wrong}).status_code == 200
    last = client.post(reverse("accounts:register_confirm"), {"code": wrong})
    assert last.status_code == 302 and last["Location"] == reverse("accounts:register")
    # The right code no longer helps: the pending sign-up is gone.
    late = client.post(reverse("accounts:register_confirm"), {"code": code})
    assert late["Location"] == reverse("accounts:register")
    assert not User.objects.filter(phone=FREE).exists()


def test_one_number_gets_at_most_three_texts(client):
    for i in range(5):
        _start(client.__class__(), FREE, name=f"试{i}")
    assert len([p for p, _t in sms.outbox if p == FREE]) == 3


def test_the_rate_limit_still_holds_for_registered_numbers(taken, client):
    for _ in range(10):
        _start(client, TAKEN)
    response = _start(client, FREE)
    assert response.status_code == 429
    assert "太频繁" in response.content.decode()


def test_confirm_without_a_sign_up_goes_back_to_the_form(client):
    response = client.post(reverse("accounts:register_confirm"), {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:register")


def test_one_number_gets_at_most_three_texts_a_window(client):
    from lianxin.accounts.services import REGISTRATION_TEXTS_PER_PHONE

    for _ in range(REGISTRATION_TEXTS_PER_PHONE + 2):
        _start(client, FREE)
    assert len([p for p, _t in sms.outbox if p == FREE]) == REGISTRATION_TEXTS_PER_PHONE
