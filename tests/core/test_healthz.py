"""/healthz/ is green only when a page can render, and names what failed when one cannot."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse

from lianxin.core import views

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "lianxin.core.storage.LianxinStaticFilesStorage"},
}


def test_healthy_answers_ok(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


class _DatabaseDown:
    def cursor(self):
        raise OperationalError("connection refused")


def test_database_down_is_red(client, monkeypatch):
    monkeypatch.setattr(views, "connection", _DatabaseDown())
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "failed": ["database"],
        "checks": {"database": "failed", "static": "ok", "cache": "ok"},
    }
    assert "connection refused" not in response.content.decode()  # details go to the log only


def test_production_storage_without_manifest_is_red(client, tmp_path):
    # collectstatic never ran: {% static %} raises in every template, so every page is a 500.
    with override_settings(STORAGES=PRODUCTION_STORAGE, STATIC_ROOT=tmp_path / "static"):
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 503
        assert response.json()["failed"] == ["static"]


def test_production_storage_with_manifest_but_files_gone_is_red(client, tmp_path):
    static_root = tmp_path / "static"
    with override_settings(STORAGES=PRODUCTION_STORAGE, STATIC_ROOT=static_root):
        call_command("collectstatic", "--no-input", verbosity=0)
        for hashed in static_root.glob("lianxin/app.*.css"):
            hashed.unlink()
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 503
        assert response.json()["failed"] == ["static"]


def test_production_storage_after_collectstatic_is_green(client, tmp_path):
    with override_settings(STORAGES=PRODUCTION_STORAGE, STATIC_ROOT=tmp_path / "static"):
        call_command("collectstatic", "--no-input", verbosity=0)
        response = client.get(reverse("core:healthz"))
        assert response.status_code == 200, response.content
        # ...and a page renders through the manifest (hashed asset names in the HTML).
        login_page = client.get(reverse("accounts:login"))
        assert login_page.status_code == 200
        assert "/static/lianxin/app." in login_page.content.decode()
        assert "/static/lianxin/app.css" not in login_page.content.decode()


def test_cache_that_forgets_is_red(client):
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["failed"] == ["cache"]
