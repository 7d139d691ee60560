from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate
from lianxin.org import selectors
from lianxin.org.models import UnitKind


def _crumbs(user, unit):
    crumbs = [
        {"label": u.name, "url": reverse("org:unit_detail", args=[u.code])}
        for u in selectors.unit_breadcrumb(user=user, unit=unit)
    ]
    return [{"label": _("组织架构"), "url": reverse("org:unit_list")}, *crumbs, {"label": unit.name}]


@permission_required("org.view_unit")
@require_GET
def unit_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q or kind:
        page = paginate(request, selectors.unit_search(user=request.user, q=q, kind=kind))
        roots = None
    else:
        page = None
        roots = selectors.unit_roots_for(request.user)
    return render(
        request,
        "org/unit_list.html",
        {
            "roots": roots,
            "page_obj": page,
            "q": q,
            "kind": kind,
            "kinds": UnitKind.choices,
            "breadcrumbs": [{"label": _("组织架构")}],
        },
    )


@permission_required("org.view_unit")
@require_GET
def unit_detail(request, code: str):
    unit = selectors.unit_get(user=request.user, code=code)
    children = paginate(request, selectors.unit_children(user=request.user, unit=unit), 50)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "page_obj": children,
            "memberships": selectors.unit_memberships(user=request.user, unit=unit),
            "grid_geojson": selectors.unit_grid_features(user=request.user, unit=unit),
            "breadcrumbs": _crumbs(request.user, unit),
        },
    )
