"""Logging out on a shared phone: the POST's answer tells the browser to clear the site's data
(Clear-Site-Data), the GET is the Chinese confirm page whose choices keep or drop unsent records,
and every page names its user for the phone's check (accounts/logout.js)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.accounts.views import CLEAR_SITE_DATA

pytestmark = pytest.mark.django_db


def test_logout_post_clears_site_data_and_ends_the_session(world, client, login):
    login(world.users["grid_a1"])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert response["Clear-Site-Data"] == '"cache", "storage"' == CLEAR_SITE_DATA
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("field:shell")).status_code == 302  # logged out indeed


def test_logout_post_when_anonymous_still_clears(client):
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Clear-Site-Data"] == CLEAR_SITE_DATA


def test_pages_without_logout_send_no_clear_header(world, client, login):
    login(world.users["grid_a1"])
    assert not client.get(reverse("core:home")).has_header("Clear-Site-Data")
    assert not client.get(reverse("accounts:logout")).has_header("Clear-Site-Data")


def test_confirm_page_offers_upload_or_delete(world, client, login):
    login(world.users["grid_a1"])
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "退出后，这部手机上保存的离线记录和页面都会被删除。" in html  # what shows without JS
    # The count's sentence, for logout.js to fill in ({n}).
    assert "还有 {n} 条记录未上传，退出将删除这些记录。请先联网上传，或确认删除后退出。" in html
    assert f'href="{reverse("field:shell")}" data-lx-logout-upload' in html
    assert "上传后再退出" in html and "删除并退出" in html
    assert (
        f'action="{reverse("accounts:logout")}" class="d-grid" data-lx-logout="confirmed"' in html
    )
    assert "btn-lg" in html and "accounts/logout.js" in html
    # The page is still logged in: looking at the choices logs nobody out.
    assert client.session.get("_auth_user_id") == str(world.users["grid_a1"].pk)


def test_confirm_page_sends_anonymous_to_login(client):
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")


def test_confirm_page_in_english(world, client, login):
    login(world.users["grid_a1"])
    client.cookies["lianxin_language"] = "en"
    html = client.get(reverse("accounts:logout")).content.decode()
    assert "Upload first, then log out" in html and "Delete and log out" in html
    assert "{n} records have not been uploaded yet." in html
    assert "上传后再退出" not in html


def test_every_page_names_its_user_and_has_the_dialog(world, client, login):
    user = world.users["grid_a1"]
    login(user)
    html = client.get(reverse("core:home")).content.decode()
    assert f'<meta name="lx-user" content="{user.pk}">' in html
    assert 'data-lx-logout data-testid="logout"' not in html  # the button is inside the form
    assert "data-lx-logout>" in html and 'id="lx-logout-dialog"' in html
    client.logout()
    html = client.get(reverse("accounts:login")).content.decode()
    assert '<meta name="lx-user" content="">' in html and 'id="lx-logout-dialog"' not in html
