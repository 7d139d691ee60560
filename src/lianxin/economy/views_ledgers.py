"""Thin views of the 两新组织 and 党建联合体 ledgers (reads in ``selectors_two_new`` and ``alliances``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core.decorators import permission_required
from lianxin.economy import selectors_alliances as alliances
from lianxin.economy import selectors_two_new as twonew


@permission_required("economy.view_two_new")
@require_GET
def two_new(request):
    ledger = twonew.two_new_ledger(user=request.user)
    return render(
        request,
        "economy/two_new.html",
        {"ledger": ledger, "breadcrumbs": [{"label": _("两新组织党建")}]},
    )


@permission_required("economy.view_two_new")
@require_GET
def two_new_export(request):
    from lianxin.economy.exports import TWO_NEW_BUILDER
    from lianxin.jobs.exports import export_response

    return export_response(
        request,
        builder=TWO_NEW_BUILDER,
        params={},
        rows=twonew.liangxin_in_scope(user=request.user).count(),
        title=_("导出两新组织党建台账"),
        kind="economy.two_new_export",
    )


@permission_required("economy.mark_new_economy")
@require_POST
def two_new_mark(request, pk: int):
    """Mark (``flag=1``) or unmark an enterprise in scope as 新业态企业, back to the ledger."""
    from lianxin.economy.services_two_new import new_economy_set

    unit = twonew.liangxin_in_scope(user=request.user).filter(pk=pk).first() if pk < 2**63 else None
    if unit is None:
        raise Http404
    if not request.user.has_perm("economy.mark_new_economy", unit):
        raise PermissionDenied
    flag = request.POST.get("flag") == "1"
    try:
        changed = new_economy_set(actor=request.user, unit=unit, flag=flag, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        if changed:
            messages.success(request, _("已保存。"))
    return redirect(f"{reverse('economy:two_new')}#u{unit.pk}")


@permission_required("economy.view_alliances")
@require_GET
def alliance_list(request):
    return render(
        request,
        "economy/alliances.html",
        {
            "lines": alliances.alliance_lines(user=request.user),
            "breadcrumbs": [{"label": _("党建联合体")}],
        },
    )


@permission_required("economy.view_alliances")
@require_GET
def alliance_export(request):
    from lianxin.economy.exports import ALLIANCES_BUILDER
    from lianxin.jobs.exports import export_response

    return export_response(
        request,
        builder=ALLIANCES_BUILDER,
        params={},
        rows=alliances.alliances_in_scope(user=request.user).count(),
        title=_("导出党建联合体台账"),
        kind="economy.alliances_export",
    )


@permission_required("economy.view_alliances")
@require_GET
def alliance_detail(request, pk: int):
    alliance = alliances.alliance_get(user=request.user, pk=pk)
    if not request.user.has_perm("economy.view_alliances", alliance):
        raise PermissionDenied
    line = alliances.alliance_detail(user=request.user, alliance=alliance)
    crumbs = [
        {"label": _("党建联合体"), "url": reverse("economy:alliances")},
        {"label": alliance.name},
    ]
    return render(request, "economy/alliance.html", {"line": line, "breadcrumbs": crumbs})
