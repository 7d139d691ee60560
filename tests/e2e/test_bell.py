"""The navbar bell polls its unread count; a redirect (password change due, session over) must
never be swapped into the navbar (issue 9 item 1)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}


def _count_bell_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/notifications/bell/" in r.url else None)
    return seen


def _header_is_clean(page) -> None:
    assert page.locator("nav.navbar, .navbar").count() == 1
    slot = page.locator("[data-testid=bell-slot]")
    if slot.count():
        assert slot.locator("form, nav, .navbar, input").count() == 0
        assert "navbar" not in slot.inner_html()


def test_first_log_in_with_forced_change_does_not_nest_or_flood(e2e_world, new_page, settings):
    settings.LIANXIN_BELL_POLL_SECONDS = 1
    from lianxin.accounts.models import User

    user = User.objects.get(username="village_a")
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])

    page = new_page()
    page.set_viewport_size(DESKTOP)
    seen = _count_bell_requests(page)
    log_in(page, "village_a")
    assert "/accounts/password/" in page.url
    page.wait_for_timeout(4_000)  # four polling intervals
    _header_is_clean(page)
    assert page.locator("input[name=new_password1], input[type=password]").count() >= 1
    assert len(seen) <= 2, f"{len(seen)} bell requests in 4 s"
    assert "/accounts/password/" in page.url


def test_expired_session_sends_the_whole_page_to_log_in(e2e_world, new_page, settings):
    from django.contrib.sessions.models import Session

    settings.LIANXIN_BELL_POLL_SECONDS = 1
    page = new_page()
    page.set_viewport_size(DESKTOP)
    seen = _count_bell_requests(page)
    log_in(page, "village_a")
    page.goto("/org/")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=bell]").count() == 1
    Session.objects.all().delete()  # the session expired on the server
    page.wait_for_url("**/accounts/login/**", timeout=10_000)
    page.wait_for_load_state("networkidle")
    assert "next=%2Forg%2F" in page.url
    _header_is_clean(page)
    assert page.locator("form input[name=username]").count() == 1
    assert page.locator("header form input[name=password], nav input[name=password]").count() == 0
    count = len(seen)
    page.wait_for_timeout(3_000)
    assert len(seen) == count  # the log-in page has no bell and nothing polls


def test_login_page_on_a_phone_offers_the_language_switch(e2e_world, new_page):
    """Issue 9 item 7: at 390 px the log-in page shows the language switch (it was folded into
    a collapsed menu without a toggler for signed-out visitors)."""
    page = new_page(phone=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/accounts/login/")
    switch = page.locator("select[name=language]")
    assert switch.is_visible()
    with page.expect_navigation():
        switch.select_option("en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
