"""民情地图 pages: the map, and its JSON (viewport points, grid heat, hot spots). Thin: the
selectors read and scope; a bad viewport or filter is a 400 with a Chinese message."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lianxin.cases.models import State
from lianxin.cases.selectors import category_choices
from lianxin.core.decorators import permission_required
from lianxin.core.slots import form_slots
from lianxin.maps import selectors
from lianxin.maps.selectors import ViewportError

PERM = "cases.view_case"


def _bad(exc: ViewportError) -> JsonResponse:
    return JsonResponse({"error": str(exc)}, status=400)


def tile_url() -> str:
    """The tile URL: 天地图 when a key is set (``LIANXIN_TIANDITU_KEY``), else the setting."""
    key = settings.LIANXIN_TIANDITU_KEY
    if key:
        return (
            "https://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
            "&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
            f"&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
        )
    return settings.LIANXIN_TILE_URL


@permission_required(PERM)
@require_GET
def map_page(request):
    return render(
        request,
        "maps/map.html",
        {
            "tile_url": tile_url(),
            "categories": category_choices(),
            "states": State.choices,
            "units": selectors.unit_choices(user=request.user),
            "hot_spots": selectors.hot_spots(user=request.user),
            # other apps' additions (triage: 热点预警 flags), without maps importing them
            "map_slots": form_slots("maps.map", request),
        },
    )


@permission_required(PERM)
@require_GET
def points(request):
    try:
        vp = selectors.parse_viewport(request.GET, user=request.user)
    except ViewportError as exc:
        return _bad(exc)
    return JsonResponse(selectors.viewport_points(user=request.user, vp=vp))


@permission_required(PERM)
@require_GET
def grids(request):
    try:
        vp = selectors.parse_viewport(request.GET, user=request.user)
    except ViewportError as exc:
        return _bad(exc)
    metric = "overdue" if request.GET.get("metric") == "overdue" else "per100"
    return JsonResponse(selectors.grid_heat(user=request.user, vp=vp, metric=metric))


@permission_required(PERM)
@require_GET
def hot_spots(request):
    return JsonResponse({"hot_spots": selectors.hot_spots(user=request.user)})
