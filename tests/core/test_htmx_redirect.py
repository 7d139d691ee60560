"""An htmx request is never answered with a redirect to the log-in or password-change page
(issue 9 item 1): 401/403 with HX-Redirect so the whole page moves, never a page in the navbar."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/org/?page=2"}


def test_signed_out_poll_gets_401_and_the_page_goes_to_log_in(client):
    r = client.get("/notifications/bell/", headers=HX)
    assert r.status_code == 401
    assert r["HX-Redirect"] == "/accounts/login/?next=%2Forg%2F%3Fpage%3D2"


def test_plain_request_still_redirects(client):
    r = client.get("/notifications/bell/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_password_change_due_gets_403_with_redirect(world, client, login):
    user = world.users["village_a"]
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    login(user)
    r = client.get("/notifications/bell/", headers=HX)
    assert r.status_code == 403 and r["HX-Redirect"] == "/accounts/password/"
    # already on the change page: a bare 403, the bell stops polling (no reload loop)
    on_page = {"HX-Request": "true", "HX-Current-URL": "http://testserver/accounts/password/"}
    r = client.get("/notifications/bell/", headers=on_page)
    assert r.status_code == 403 and "HX-Redirect" not in r


def test_other_redirects_are_left_alone(world, client, login):
    login(world.users["village_a"])
    r = client.post("/notifications/read-all/", headers=HX)
    assert r.status_code == 302 and r["Location"] == "/notifications/"
