"""A shared phone (Chromium): logging out leaves none of the worker's offline data behind.

Unsent records are never lost silently: the log-out button counts them and asks (上传后再退出 /
删除并退出); with none it logs out at once. After it, IndexedDB and CacheStorage hold nothing of
the site, and the next worker on the same browser is never shown a page cached for the first.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

STORAGE = """async () => ({
  dbs: (await indexedDB.databases()).map(d => d.name).filter(n => n.startsWith("lianxin-")),
  caches: await caches.keys(),
  shellUser: await caches.match("/field/").then(r => r ? r.headers.get("X-Lianxin-User") : null),
})"""
EMPTY = {"dbs": [], "caches": [], "shellUser": None}


def _field_ready(page) -> None:
    page.goto("/field/")
    page.wait_for_selector("body[data-synced='1']")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => caches.match('/field/').then(r => !!r)")


def test_unsent_record_is_counted_then_deleted_on_logout(e2e_world, new_page, quiet_server):
    from lianxin.visits.models import Visit

    errors: list[str] = []
    page = new_page(phone=True)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    context = page.context
    log_in(page, "grid_a1")
    _field_ready(page)
    assert page.evaluate(STORAGE)["dbs"] == ["lianxin-field"]
    before = Visit.objects.count()

    context.set_offline(True)
    page.wait_for_selector("[data-testid=field-net][data-online='0']")
    page.select_option("#visit-household", str(e2e_world.households["a"].pk))
    page.fill("#visit-notes", "老人独居，屋顶漏水")
    page.click("[data-testid=field-visit-save]")
    page.wait_for_selector("[data-testid=field-item][data-state=queued]")

    page.click("header [data-testid=logout]")
    dialog = page.locator("#lx-logout-dialog")
    dialog.wait_for(state="visible")
    assert dialog.locator("[data-testid=logout-text]").inner_text() == (
        "还有 1 条记录未上传，退出将删除这些记录。请先联网上传，或确认删除后退出。"
    )
    assert dialog.locator("[data-testid=logout-upload]").inner_text() == "上传后再退出"
    assert dialog.locator("[data-testid=logout-delete]").bounding_box()["height"] >= 44
    # 上传后再退出 keeps everything: the dialog closes, the record is still queued, still logged in.
    dialog.locator("[data-testid=logout-upload]").click()
    dialog.wait_for(state="hidden")
    assert page.locator("[data-testid=field-item][data-state=queued]").count() == 1

    page.click("header [data-testid=logout]")
    dialog.wait_for(state="visible")
    dialog.locator("[data-testid=logout-delete]").click()
    # No signal: the phone's copies go at once, the session ends when the signal is back.
    page.wait_for_function(
        "() => document.querySelector('#lx-logout-dialog [data-testid=logout-text]')"
        ".textContent.includes('联网后会自动退出登录')"
    )
    assert page.evaluate(STORAGE) == EMPTY
    assert page.locator("[data-testid=field-item]").count() == 0
    assert page.locator("[data-testid=field-household]").count() == 0
    with page.expect_navigation(url="**/accounts/login/**"):
        context.set_offline(False)
    assert page.evaluate(STORAGE) == EMPTY
    quiet_server.wait_idle()
    assert Visit.objects.count() == before  # deleted, never sent
    page.goto("/field/")
    assert "/accounts/login/" in page.url  # logged out on the server too
    assert errors == []


def test_empty_queue_logs_out_at_once_and_next_user_gets_nothing_cached(
    e2e_world, new_page, quiet_server
):
    a1, b1 = e2e_world.users["grid_a1"], e2e_world.users["grid_b1"]
    page = new_page()
    log_in(page, "grid_a1")
    _field_ready(page)
    assert page.evaluate(STORAGE)["shellUser"] == str(a1.pk)

    page.goto("/visits/today/")
    with page.expect_navigation(url="**/accounts/login/**"):
        page.click("nav [data-testid=logout]")
    assert not page.locator("#lx-logout-dialog").count()
    assert page.evaluate(STORAGE) == EMPTY

    # The next worker on the same browser: the page and its data are theirs only.
    log_in(page, "grid_b1")
    _field_ready(page)
    assert page.get_attribute("body", "data-user") == str(b1.pk)
    assert page.evaluate(STORAGE)["shellUser"] == str(b1.pk)
    page.context.set_offline(True)
    response = page.reload()
    assert response is not None and response.from_service_worker
    page.wait_for_selector("body[data-ready='1']")
    assert page.get_attribute("body", "data-user") == str(b1.pk)
    households = page.locator("[data-testid=field-household]").all_inner_texts()
    assert households and all("B-0001" in h for h in households)
    assert "A-0001" not in page.content()


def test_user_change_without_logout_drops_the_first_users_copies(e2e_world, new_page):
    """The session ended some other way (expired, cookies cleared): the next user's first page
    sees another user's mark and deletes what the phone kept; the worker re-caches theirs."""
    b1 = e2e_world.users["grid_b1"]
    page = new_page()
    log_in(page, "grid_a1")
    _field_ready(page)
    page.context.clear_cookies()
    log_in(page, "grid_b1")
    page.wait_for_function(
        "() => indexedDB.databases().then(l => !l.some(d => d.name === 'lianxin-field'))"
    )
    assert page.evaluate(STORAGE)["shellUser"] is None
    _field_ready(page)
    assert page.evaluate(STORAGE)["shellUser"] == str(b1.pk)
    households = page.locator("[data-testid=field-household]").all_inner_texts()
    assert households and all("B-0001" in h for h in households)
