"""Playwright driving Debian's Chromium (never a downloaded browser) against the live server."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def e2e_world(transactional_db):
    from tests.conftest import build_world

    return build_world()


class _OneAtATime:
    """Serve one request at a time and let the test wait until the server is idle.

    On SQLite the live server shares the test's in-memory connection. Two requests at once
    (parallel htmx panels), or a request still running while the next test flushes the
    database, make SQLite refuse with "cannot start a transaction within a transaction".
    The lock is held until the response has been written (wsgiref always calls close())."""

    def __init__(self, app) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        self.lock.acquire()
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.lock.release()
            raise
        return _ReleaseOnClose(result, self.lock)

    def wait_idle(self, timeout: float = 30.0) -> None:
        if self.lock.acquire(timeout=timeout):
            self.lock.release()


class _ReleaseOnClose:
    def __init__(self, result, lock) -> None:
        self.result = result
        self.lock = lock

    def __iter__(self):
        return iter(self.result)

    def close(self) -> None:
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            self.lock.release()


@pytest.fixture(scope="session")
def quiet_server(live_server):
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _OneAtATime):
        app = _OneAtATime(app)
        httpd.set_app(app)
    return app


@pytest.fixture
def new_page(browser, live_server, quiet_server, settings, transactional_db):
    """Browser pages on the live server. Depends on transactional_db so that the pages are
    closed, and the server idle, before the database is flushed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    contexts = []

    def _new_page(*, phone: bool = False):
        options = {"locale": "zh-CN", "base_url": live_server.url}
        if phone:
            options.update(
                viewport={"width": 360, "height": 740},
                is_mobile=True,
                has_touch=True,
                device_scale_factor=2,
            )
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()
    quiet_server.wait_idle()


def log_in(page, username: str, password: str = "Test-pass-123") -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
