"""The archive as the county office keeps it: one .xlsx row per venue, columns in sheet order
(the import reads the same sheet back), and a second sheet of the open hazards.

Written through ``lianxin.core.spreadsheets``, so names, addresses and hazard descriptions are
text cells, never formulas; a county's archive above ``LIANXIN_EXPORT_INLINE_ROWS`` venues is
written by the worker (``lianxin.jobs.exports``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Column, Sheet, scope_label, workbook_bytes
from lianxin.venues.models import VenueHazard
from lianxin.venues.services import SHEET_COLUMNS

BUILDER = "lianxin.venues.exports.archive_sheets"

# kind and width of each column of SHEET_COLUMNS
_FORMAT: dict[str, tuple[str, float, int]] = {
    "unit_code": ("text", 14, 0),
    "town": ("text", 10, 0),
    "unit": ("text", 12, 0),
    "kind": ("text", 14, 0),
    "name": ("text", 22, 0),
    "address": ("text", 28, 0),
    "build_year": ("int", 8, 0),
    "floor_area": ("decimal", 10, 1),
    "office_area": ("decimal", 10, 1),
    "service_area": ("decimal", 10, 1),
    "service_share": ("percent", 10, 0),
    "structure": ("text", 8, 0),
    "floors": ("int", 6, 0),
    "condition": ("text", 8, 0),
    "open_hazards": ("int", 8, 0),
    "lng": ("decimal", 11, 6),
    "lat": ("decimal", 10, 6),
    "phone": ("text", 14, 0),
    "opening_hours": ("text", 16, 0),
}


def _cell(venue, key: str):
    if key == "unit_code":
        return venue.unit.code
    if key == "town":
        return venue.town.name if venue.town_id else ""
    if key == "unit":
        return venue.unit.name
    if key == "kind":
        return venue.get_kind_display()
    if key == "structure":
        return venue.get_structure_display() if venue.structure else ""
    if key == "condition":
        return venue.get_condition_display() if venue.condition else ""
    if key == "service_share":
        share = getattr(venue, "share", None)
        return round(share, 4) if share is not None else None
    if key == "open_hazards":
        return getattr(venue, "open_hazards", 0)
    return getattr(venue, key)


def archive_columns() -> list[Column]:
    cols = []
    for key, label in SHEET_COLUMNS:
        kind, width, digits = _FORMAT[key]
        cols.append(
            Column(label, lambda v, k=key: _cell(v, k), kind=kind, width=width, digits=digits)
        )
    return cols


def _sheets(venues: QuerySet, *, scope: str) -> list[Sheet]:
    hazards = (
        VenueHazard.objects.open()
        .filter(venue__in=venues.values("pk"))
        .select_related("venue__unit")
        .order_by("venue__unit__path", "venue_id", "-found_on", "id")
    )
    return [
        Sheet(_("阵地档案"), archive_columns(), venues.iterator(chunk_size=1000), scope=scope),
        Sheet(
            _("未消除隐患"),
            [
                Column(_("区划代码"), "venue.unit.code", width=14),
                Column(_("村（社区）"), "venue.unit.name", width=12),
                Column(_("阵地"), "venue.name", width=22),
                Column(_("隐患描述"), "description", width=40),
                Column(_("严重程度"), lambda h: h.get_severity_display(), width=8),
                Column(_("发现日期"), "found_on", kind="date", width=12),
            ],
            hazards.iterator(chunk_size=1000),
            scope=scope,
        ),
    ]


def venues_workbook(venues: QuerySet, *, scope: str = "") -> bytes:
    """The archive (and open hazards) of ``venues`` as .xlsx bytes."""
    return workbook_bytes(_sheets(venues, scope=scope))


def archive_filename() -> str:
    return _("阵地档案-%(date)s.xlsx") % {"date": timezone.localdate().strftime("%Y%m%d")}


def archive_sheets(*, actor: Any, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): every venue ``actor`` sees; audited as an export."""
    from lianxin.venues.selectors import venues_for_export

    venues = venues_for_export(user=actor)
    audit_record(action=AuditAction.EXPORT, actor=actor, request=request, reason="venues xlsx")
    return archive_filename(), _sheets(venues, scope=scope_label(actor))
