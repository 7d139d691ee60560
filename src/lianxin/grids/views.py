"""Thin views: the boundary editor, save, import/export, re-assignment, grid staff, the public card."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.accounts.models import User
from lianxin.core.decorators import permission_required, public_view
from lianxin.grids import selectors, services
from lianxin.grids.models import GridLeader, LeaderPost
from lianxin.org import selectors as org_selectors
from lianxin.org.forms_actions import PostAction, post_action
from lianxin.org.models import Membership, Role, UnitKind

MAX_BODY = 2 * 1024 * 1024


def _crumbs(unit, label):
    return [
        {"label": _("网格边界"), "url": reverse("grids:index")},
        {"label": unit.name, "url": reverse("grids:map", args=[unit.code])},
        {"label": label},
    ]


@permission_required("grids.edit_boundary")
@require_GET
def index(request):
    code = request.GET.get("code", "").strip()[:64]
    if code:
        return redirect("grids:map", code=code)
    units = [
        u for u in org_selectors.unit_roots_for(request.user) if u.kind in selectors.EDITABLE_KINDS
    ]
    return render(
        request,
        "grids/index.html",
        {"units": units, "breadcrumbs": [{"label": _("网格边界")}]},
    )


def _overlap_rows(result):
    return [{"a": o["a"].name, "b": o["b"].name, "area": o["area"]} for o in result.overlaps]


@permission_required("grids.edit_boundary")
@require_GET
def map_editor(request, code: str):
    unit = selectors.unit_for_edit(user=request.user, code=code)
    grids = list(selectors.grids_under(unit))
    result = selectors.analysis(unit)
    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": g.boundary,
                "properties": {"code": g.code, "name": g.name, "kind": g.kind},
            }
            for g in grids
            if g.boundary
        ],
    }
    parents = [
        u for u in [unit, *grids] if u.kind != UnitKind.MICRO_GRID and u.kind != UnitKind.COUNTY
    ]
    return render(
        request,
        "grids/map.html",
        {
            "unit": unit,
            "grids": grids,
            "parents": parents,
            "features": features,
            "analysis": selectors.analysis_geojson(result),
            "overlaps": result.overlaps,
            "gaps": result.gaps,
            "breadcrumbs": [
                {"label": _("网格边界"), "url": reverse("grids:index")},
                {"label": unit.name},
            ],
        },
    )


def _json_error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message}, status=status)


def _geojson_from(request):
    raw = request.POST.get("geojson", "")
    if len(raw) > MAX_BODY:
        raise ValidationError(_("边界数据过大。"))
    try:
        return json.loads(raw)
    except ValueError:
        raise ValidationError(_("边界数据不是有效的 GeoJSON。")) from None


def _saved(unit, grid) -> JsonResponse:
    """The answer to a save: the warnings for the saved grid, and the unit's overlaps, gaps and
    pending re-assignments afresh, so the page redraws them without a reload."""
    whole = selectors.analysis(unit)
    mine = [o for o in whole.overlaps if grid.pk in (o["a"].pk, o["b"].pk)]
    overlaps = [
        {"name": (o["b"] if o["a"].pk == grid.pk else o["a"]).name, "area": o["area"]} for o in mine
    ]
    warnings = [
        _("与“%(name)s”重叠 %(area)d 平方米") % {"name": o["name"], "area": o["area"]}
        for o in overlaps
    ]
    moves = len(selectors.regrid_preview(unit))
    return JsonResponse(
        {
            "ok": True,
            "code": grid.code,
            "name": grid.name,
            "overlaps": overlaps,
            "warnings": warnings,
            "analysis": selectors.analysis_geojson(whole),
            "overlap_items": [
                _("%(a)s 与 %(b)s 重叠 %(area)s 平方米")
                % {"a": o["a"].name, "b": o["b"].name, "area": o["area"]}
                for o in whole.overlaps
            ],
            "gap_items": [
                _("%(name)s 内空白 %(area)s 平方米")
                % {"name": g["parent"].name if g["parent"] else "", "area": g["area"]}
                for g in whole.gaps
            ],
            "regrid": _("按新边界有 %(n)d 项户或诉求待调整所属网格。") % {"n": moves}
            if moves
            else "",
        }
    )


@permission_required("grids.edit_boundary")
@require_POST
def boundary_save(request, code: str, grid: str):
    """Save the polygon of an existing grid under the editor's unit (JSON answer)."""
    unit = selectors.unit_for_edit(user=request.user, code=code)
    target = next((g for g in selectors.grids_under(unit) if g.code == grid), None)
    if target is None:
        return _json_error(_("没有找到该网格。"), 404)
    try:
        services.boundary_set(
            actor=request.user, grid=target, geojson=_geojson_from(request), request=request
        )
    except ValidationError as exc:
        return _json_error(" ".join(exc.messages))
    return _saved(unit, target)


@permission_required("grids.edit_boundary")
@require_POST
def grid_new(request, code: str):
    """Draw a new grid (under a village, community or town) or micro-grid (under a grid)."""
    unit = selectors.unit_for_edit(user=request.user, code=code)
    name = request.POST.get("name", "").strip()[:100]
    parent_code = request.POST.get("parent", "")
    candidates = [unit, *selectors.grids_under(unit).filter(kind=UnitKind.GRID)]
    parent = next((u for u in candidates if u.code == parent_code), None)
    if not name:
        return _json_error(_("请填写网格名称。"))
    if parent is None or parent.kind in (UnitKind.MICRO_GRID, UnitKind.COUNTY):
        return _json_error(_("请选择上级单位。"))
    try:
        grid = services.grid_draw(
            actor=request.user,
            parent=parent,
            name=name,
            geojson=_geojson_from(request),
            request=request,
        )
    except ValidationError as exc:
        return _json_error(" ".join(exc.messages))
    return _saved(unit, grid)


@permission_required("grids.edit_boundary")
@require_http_methods(["GET", "POST"])
def boundary_import(request, code: str):
    unit = selectors.unit_for_edit(user=request.user, code=code)
    rows = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择 GeoJSON 文件。"))
        else:
            try:
                rows = services.boundaries_import(
                    actor=request.user, parent_unit=unit, file=upload, request=request
                )
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
    return render(
        request,
        "grids/import.html",
        {"unit": unit, "rows": rows, "breadcrumbs": _crumbs(unit, _("导入边界"))},
    )


@permission_required("grids.edit_boundary")
@require_GET
def boundary_export(request, code: str):
    unit = selectors.unit_for_edit(user=request.user, code=code)
    data = services.boundaries_export_file(actor=request.user, unit=unit, request=request)
    body = json.dumps(data, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", unit.code)
    response["Content-Disposition"] = f'attachment; filename="grids-{safe}.geojson"'
    return response


@permission_required("grids.edit_boundary")
@require_http_methods(["GET", "POST"])
def regrid(request, code: str):
    unit = selectors.unit_for_edit(user=request.user, code=code)
    if request.method == "POST":
        try:
            result = services.regrid_apply(
                actor=request.user, unit=unit, token=request.POST.get("token", ""), request=request
            )
        except ValidationError as exc:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.success(
                request,
                _("已调整 %(h)d 户、%(c)d 件诉求的所属网格。")
                % {"h": result["households"], "c": result["cases"]},
            )
        return redirect("grids:regrid", code=unit.code)
    moves = selectors.regrid_preview(unit)
    return render(
        request,
        "grids/regrid.html",
        {
            "unit": unit,
            "moves": moves[: selectors.PREVIEW_LIMIT],
            "total": len(moves),
            "token": selectors.preview_token(moves),
            "breadcrumbs": _crumbs(unit, _("调整所属网格")),
        },
    )


def _staff_url(grid) -> str:
    return reverse("grids:staff", args=[grid.code])


def _leader_add(request, grid) -> dict:
    """The leader form: a name typed in, or a person picked from the grid's village (the pick
    must be one of ``leader_candidates``, else the form's message)."""
    person = None
    pk = _int(request.POST.get("person"))
    if pk:
        person = selectors.leader_candidates(user=request.user, grid=grid).filter(pk=pk).first()
        if person is None:
            raise ValidationError(_("只能选择本村（社区）的人员。"))
    return {
        "grid": grid,
        "name": request.POST.get("name", "")[:50],
        "post": request.POST.get("post", ""),
        "phone": request.POST.get("phone", "")[:20],
        "person": person,
    }


def _leader_remove(request, grid) -> dict:
    leader = get_object_or_404(
        GridLeader.objects.active(), grid=grid, pk=_int(request.POST.get("pk"))
    )
    return {"leader": leader}


def _worker_add(request, grid) -> dict:
    login = request.POST.get("login", "").strip()[:150]
    user = User.objects.filter(username=login).first() or User.objects.filter(phone=login).first()
    if user is None or not login:
        raise ValidationError(_("没有找到该账号（用户名或手机号）。"))
    return {"grid": grid, "user": user, "post": request.POST.get("post", "")[:50]}


def _worker_remove(request, grid) -> dict:
    m = get_object_or_404(
        Membership.objects.active(),
        unit=grid,
        role=Role.GRID_WORKER,
        pk=_int(request.POST.get("pk")),
    )
    return {"membership": m}


def _staff_step(service, kwargs, ok) -> PostAction:
    return PostAction(service, kwargs, ok, _staff_url, with_request=True, each_error=True)


# The grid staff page's POST-then-redirect steps (org.forms_actions): each back to the page.
STAFF_ACTIONS: dict[str, PostAction] = {
    "leader_add": _staff_step(services.leader_assign, _leader_add, _lazy("已添加。")),
    "leader_remove": _staff_step(services.leader_remove, _leader_remove, _lazy("已移除。")),
    "worker_add": _staff_step(services.worker_assign, _worker_add, _lazy("已添加。")),
    "worker_remove": _staff_step(services.worker_remove, _worker_remove, _lazy("已移除。")),
}


@permission_required("grids.manage_staff")
@require_http_methods(["GET", "POST"])
def staff(request, code: str):
    grid = selectors.grid_for_edit(user=request.user, code=code)
    if request.method == "POST":
        action = request.POST.get("action", "")
        return post_action(request, STAFF_ACTIONS, action, grid, fallback=_staff_url(grid))
    return render(
        request,
        "grids/staff.html",
        {
            "grid": grid,
            "workers": selectors.grid_workers(grid),
            "leaders": selectors.grid_leaders(grid),
            "posts": LeaderPost.choices,
            "people": selectors.leader_choices(user=request.user, grid=grid),
            "leader_scope": selectors.leader_scope(grid),
            "breadcrumbs": [
                {"label": _("网格边界"), "url": reverse("grids:index")},
                {"label": grid.name},
            ],
        },
    )


@permission_required("grids.manage_staff")
@require_GET
def leader_people(request, code: str):
    """The leader picker's options as the clerk types a name (htmx): people of the grid's
    village or community only, phones masked."""
    grid = selectors.grid_for_edit(user=request.user, code=code)
    return render(
        request,
        "grids/partials/leader_options.html",
        {
            "people": selectors.leader_choices(
                user=request.user, grid=grid, q=request.GET.get("q", "")
            )
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@public_view
@require_GET
def card(request, code: str):
    grid = selectors.public_grid(code=code)
    return render(request, "grids/card.html", selectors.grid_card(grid))
