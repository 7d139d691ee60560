"""长辈版 switch (core.elder): the cookie, the way back, the safe next-URL check, and the page
rendered in elder mode by the server (no JavaScript needed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.core.elder import COOKIE

URL = reverse("core:elder_mode")


@pytest.mark.django_db
def test_switch_on_sets_the_cookie_and_goes_back(client):
    response = client.post(URL, {"on": "1", "next": "/cases/new/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/new/"
    morsel = response.cookies[COOKIE]
    assert morsel.value == "1"
    assert int(morsel["max-age"]) >= 300 * 24 * 3600
    assert morsel["samesite"] == "Lax"
    page = client.get("/cases/new/")
    assert b'<html lang="zh-hans" class="lx-elder">' in page.content
    assert "标准版" in page.content.decode()  # the switch now offers the way back


@pytest.mark.django_db
def test_switch_off(client):
    client.cookies[COOKIE] = "1"
    response = client.post(URL, {"on": "0", "next": "/cases/track/"})
    assert response.cookies[COOKIE].value == "0"
    page = client.get("/cases/track/")
    assert b"lx-elder" not in page.content.split(b"<head>")[0]
    assert "长辈版" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "", "http:///evil"],
)
def test_next_must_be_on_this_site(client, next_url):
    response = client.post(URL, {"on": "1", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_referer_is_the_fallback_when_on_this_site(client):
    response = client.post(URL, {"on": "1"}, HTTP_REFERER="http://testserver/wishes/")
    assert response["Location"] == "http://testserver/wishes/"
    response = client.post(URL, {"on": "1"}, HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_get_is_refused(client):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db
def test_csrf_is_checked():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"on": "1"}).status_code == 403
