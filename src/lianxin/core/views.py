from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lianxin.core.decorators import login_required, public_view
from lianxin.core.registry import home_panel_providers, record_audit

logger = logging.getLogger("lianxin.healthz")


@login_required
@require_GET
def home(request):
    """Each role's home page: panels from every module listing what needs the user today."""
    panels = []
    for provider in home_panel_providers():
        panels.extend(provider(request))
    for panel in panels:
        # Without the keys, the template's panel.items would find dict.items().
        panel.setdefault("items", [])
        panel.setdefault("stats", [])
    panels.sort(key=lambda p: p.get("order", 100))
    return render(request, "core/home.html", {"panels": panels})


# What every page needs: base.html links these two.
HEALTHZ_STATIC_ASSETS = ("lianxin/app.css", "bootstrap/css/bootstrap.min.css")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 answered wrong")


def _check_static() -> None:
    """The storage pages render with resolves base.html's assets to files that exist.

    In production that is the manifest this process loaded at start: without it (collectstatic
    not run, or run after the server started) ``{% static %}`` raises and every page is a 500.
    """
    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    for asset in HEALTHZ_STATIC_ASSETS:
        if isinstance(staticfiles_storage, ManifestFilesMixin):
            stored = staticfiles_storage.stored_name(asset)  # ValueError without a manifest entry
            if not staticfiles_storage.exists(stored):
                raise FileNotFoundError(stored)
        elif finders.find(asset) is None:
            raise FileNotFoundError(asset)


def _check_cache() -> None:
    """Every configured cache (rate-limit counters live there) keeps what it is given."""
    import secrets

    from django.conf import settings
    from django.core.cache import caches

    for alias in settings.CACHES:
        token = secrets.token_hex(8)
        caches[alias].set("lianxin:healthz", token, 30)
        if caches[alias].get("lianxin:healthz") != token:
            raise RuntimeError(f"cache {alias!r} did not return what was set")


HEALTHZ_CHECKS = {"database": _check_database, "static": _check_static, "cache": _check_cache}


@public_view
@require_GET
def healthz(request):
    """200 only when a page can render: database round trip, static manifest, cache set/get.

    A failure answers 503 naming the failed checks; the details go to the log, not to the
    (public) response.
    """
    failed = []
    for name, check in HEALTHZ_CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("healthz: %s check failed", name)
            failed.append(name)
    if failed:
        checks = {name: ("failed" if name in failed else "ok") for name in HEALTHZ_CHECKS}
        return JsonResponse({"status": "error", "failed": failed, "checks": checks}, status=503)
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    """403 in Chinese; every denial is audited (等保: 越权访问留痕)."""
    record_audit(
        action="permission_denied",
        actor=getattr(request, "user", None),
        outcome="denied",
        reason=str(exception or "")[:200],
        request=request,
    )
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    """400 in Chinese: a parameter a request cannot do without was missing or bad (core.params)."""
    return render(request, "400.html", status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
