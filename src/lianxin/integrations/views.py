"""Screens of 对接管理 (county admins): integrations and their tokens; a new token shown once.

The raw token is rendered in the response to the POST that created it and nowhere else (no
redirect through the session, no copy in a message): the page is ``no-store`` and a reload
shows nothing again. Revocation is a POST.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.integrations import selectors, services
from lianxin.integrations.forms import IntegrationForm, TokenForm
from lianxin.integrations.models import ApiToken, Integration

PERM = "integrations.manage_integration"


def _crumbs(*items):
    return [{"label": _("对接管理"), "url": reverse("integrations:list")}, *items]


def _integration(request, pk: int) -> Integration:
    try:
        integration = selectors.integration_get(request.user, pk)
    except Integration.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.has_perm(PERM, integration.unit):
        raise Http404
    return integration


@permission_required(PERM)
@require_GET
def integration_list(request):
    integrations = list(selectors.integrations_visible_to(request.user).prefetch_related("tokens"))
    now = timezone.now()
    rows = [
        {
            "integration": i,
            "tokens": [
                {"token": t, "state": t.state_at(now)}
                for t in sorted(i.tokens.all(), key=lambda t: (t.created_at, t.pk), reverse=True)
            ],
        }
        for i in integrations
    ]
    return render(
        request,
        "integrations/list.html",
        {"rows": rows, "breadcrumbs": [{"label": _("对接管理")}]},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def integration_create(request):
    form = IntegrationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            integration = services.integration_create(
                actor=request.user, name=form.cleaned_data["name"], unit=form.cleaned_data["unit"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已添加对接系统“%(name)s”。") % {"name": integration.name})
            return redirect("integrations:token_create", pk=integration.pk)
    return render(
        request,
        "integrations/integration_form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("新建对接系统")})},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def token_create(request, pk: int):
    integration = _integration(request, pk)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw, token = services.token_issue(
                actor=request.user,
                integration=integration,
                permissions=form.cleaned_data["permissions"],
                expires_at=timezone.now() + timedelta(days=form.cleaned_data["days"]),
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            response: HttpResponse = render(
                request,
                "integrations/token_shown.html",
                {
                    "integration": integration,
                    "token": token,
                    "raw": raw,
                    "breadcrumbs": _crumbs({"label": integration.name}),
                },
            )
            add_never_cache_headers(response)
            return response
    return render(
        request,
        "integrations/token_form.html",
        {
            "integration": integration,
            "form": form,
            "breadcrumbs": _crumbs({"label": integration.name}, {"label": _("新建令牌")}),
        },
    )


@permission_required(PERM)
@require_POST
def token_revoke(request, pk: int):
    try:
        token = selectors.token_get(request.user, pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌 %(prefix)s 已撤销。") % {"prefix": token.display_prefix})
    return redirect("integrations:list")
