"""The offline app on a shared phone: its page names its user (markup and header) and carries
the log-out button, dialog and script; the service worker drops a page cached for another user."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.field.views import SHARED_FILES, USER_HEADER, shell_version

pytestmark = pytest.mark.django_db


def test_shell_names_its_user(world, client, login):
    user = world.users["grid_a1"]
    login(user)
    response = client.get(reverse("field:shell"))
    assert response[USER_HEADER] == str(user.pk)
    html = response.content.decode()
    assert f'<meta name="lx-user" content="{user.pk}">' in html
    assert f'data-user="{user.pk}"' in html


def test_shell_has_the_logout_button_dialog_and_script_first(world, client, login):
    login(world.users["grid_a1"])
    html = client.get(reverse("field:shell")).content.decode()
    assert f'action="{reverse("accounts:logout")}" data-lx-logout>' in html
    assert 'id="lx-logout-dialog"' in html and "还有 {n} 条记录未上传" in html
    assert "上传后再退出" in html and "删除并退出" in html
    # logout.js defines lxOffline.checkUser, which field.js waits for before opening IndexedDB.
    assert html.index("accounts/logout.js") < html.index("field/field.js")


def test_worker_precaches_logout_js_and_keys_pages_by_user(client):
    js = client.get(reverse("field:sw")).content.decode()
    assert "accounts/logout.js" in js.split("ASSETS")[1].split(";")[0]
    assert f'const USER_HEADER = "{USER_HEADER}";' in js
    assert "opaqueredirect" in js and "forgetPages()" in js


def test_shell_version_follows_the_shared_logout_files():
    assert all(path.is_file() for path in SHARED_FILES)
    names = {path.name for path in SHARED_FILES}
    assert {"logout.js", "logout_confirm.html", "logout_dialog.html"} <= names
    assert len(shell_version()) == 12
