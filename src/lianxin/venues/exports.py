"""The archive as the county office keeps it: one .xlsx row per venue, columns in sheet order."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from lianxin.venues.services import SHEET_COLUMNS


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
    value = getattr(venue, key)
    if key in {"floor_area", "office_area", "service_area"} and value is not None:
        return float(value)
    return value


def venues_workbook(venues) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = _("阵地档案")
    ws.append([label for _key, label in SHEET_COLUMNS])
    for c in ws[1]:
        c.font = Font(bold=True)
    for venue in venues.iterator(chunk_size=1000):
        ws.append([_cell(venue, key) for key, _label in SHEET_COLUMNS])
    for col, width in zip("ABCDEFGHIJKLMNOPQRS", [14, 10, 12, 14, 22, 28, 8, 10, 10, 10, 10, 8, 6, 8, 8, 10, 10, 14, 16], strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
