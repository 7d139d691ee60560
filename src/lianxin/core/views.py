from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.decorators import login_required, public_view
from lianxin.core.registry import home_panel_providers


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


@public_view
@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def permission_denied(request, exception=None):
    """403 in Chinese; every denial is audited (等保: 越权访问留痕)."""
    audit_record(
        action=AuditAction.PERMISSION_DENIED,
        actor=getattr(request, "user", None),
        outcome="denied",
        reason=str(exception or "")[:200],
        request=request,
    )
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
