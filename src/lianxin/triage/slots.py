"""Triage's parts of other apps' pages (``lianxin.core.slots``).

- ``cases.intake``: a live area under the text that asks ``triage:intake_check`` as the
  resident or clerk writes and places the request.
- ``cases.workbench``: in each row a request could be dispatched from, an empty place for its
  suggested units; under the list one loader that fetches the whole page's suggestions in one
  request (``triage:workbench``, out-of-band into those places) and the dispatch confirmation a
  click on a suggested unit opens. Nothing is read here (the workbench's own queries stay as
  they were); the loader's view reads the page in one batch (``triage.workbench``).
- ``maps.map``: 热点预警 on the 民情地图, a flag per hot spot (``hotspots``) at its requests'
  mean point, and the list beside the map; among the requests the user sees, for staff.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from lianxin.triage.hotspots import hot_spots
from lianxin.triage.workbench import may_show

MAP_FLAGS = 10


def _staff(request) -> bool:
    user = request.user
    return user.is_authenticated and user.has_perm("triage.view_suggestions")


def form_slots(slot: str, request, **context) -> list[str]:
    if slot == "cases.intake":
        return [render_to_string("triage/partials/intake_slot.html", context, request=request)]
    if slot == "cases.workbench" and _staff(request):
        ids = [c.pk for c in context.get("rows", []) if may_show(c)]
        if not ids:
            return []
        return [
            render_to_string(
                "triage/partials/workbench_slot.html",
                {"ids": ids, "next": request.get_full_path()},
                request=request,
            )
        ]
    if slot == "maps.map" and _staff(request):
        return [_map_flags(request)]
    return []


def _map_flags(request) -> str:
    flags = []
    for h in hot_spots(user=request.user)[:MAP_FLAGS]:
        point = h.point
        flags.append(
            {
                "label": f"{h.grid.name} · {h.category.label}",
                "n": h.count,
                "lat": point[0] if point else None,
                "lng": point[1] if point else None,
                "href": reverse("cases:case_detail", args=[h.cases[0].pk]),
            }
        )
    days = int(getattr(settings, "LIANXIN_TRIAGE_HOTSPOT_DAYS", 7))
    return render_to_string(
        "triage/partials/map_flags.html", {"flags": flags, "days": days}, request=request
    )


def row_slots(slot: str, request, rows) -> dict[int, str]:
    if slot != "cases.workbench" or not _staff(request):
        return {}
    return {
        c.pk: format_html(
            '<div id="lx-triage-row-{}" class="lx-triage-row" data-testid="triage-row"></div>',
            c.pk,
        )
        for c in rows
        if may_show(c)
    }
