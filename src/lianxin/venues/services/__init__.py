"""Writes of the 阵地 module, one module per sub-domain (archive, surveys, plans, duty),
re-exported here so ``from lianxin.venues import services`` and ``services.<name>`` stay.

Rooms and bookings: ``lianxin.rooms.services`` (ADR 0006); signage, inspections and tasks:
``lianxin.compliance.services`` (ADR 0007).
"""

# transitional re-export for activities (rooms moved out, ADR 0006); the lead removes it
from lianxin.rooms.services import booking_cancel, booking_create  # noqa: F401
from lianxin.venues.services.archive import (
    ARCHIVE_FIELDS,
    DECIMAL_FIELDS,
    FLOAT_FIELDS,
    INT_FIELDS,
    _apply,
    _check_areas,
    _check_kind,
    _choice_value,
    _fresh_venue,
    _full_clean,
    _normalise,
    _photo_store,
    _require_scope,
    _same,
    hazard_add,
    hazard_resolve,
    photo_add,
    town_of,
    venue_build_new,
    venue_upsert,
)
from lianxin.venues.services.duty import (
    _require_venue_staff,
    certificate_save,
    duty_assign,
    duty_remove,
    roster_copy_week,
)
from lianxin.venues.services.plans import (
    _check_funds,
    plan_advance,
    plan_save,
)
from lianxin.venues.services.surveys import (
    READ_ONLY_COLUMNS,
    SHEET_COLUMNS,
    _messages,
    _snapshot,
    campaign_chase,
    campaign_close,
    campaign_open,
    survey_submit,
    venues_export,
    venues_import,
)

__all__ = [
    "ARCHIVE_FIELDS",
    "DECIMAL_FIELDS",
    "FLOAT_FIELDS",
    "INT_FIELDS",
    "_apply",
    "_check_areas",
    "_check_kind",
    "_choice_value",
    "_fresh_venue",
    "_full_clean",
    "_normalise",
    "_photo_store",
    "_require_scope",
    "_same",
    "hazard_add",
    "hazard_resolve",
    "photo_add",
    "town_of",
    "venue_build_new",
    "venue_upsert",
    "READ_ONLY_COLUMNS",
    "SHEET_COLUMNS",
    "_messages",
    "_snapshot",
    "campaign_chase",
    "campaign_close",
    "campaign_open",
    "survey_submit",
    "venues_export",
    "venues_import",
    "_check_funds",
    "plan_advance",
    "plan_save",
    "_require_venue_staff",
    "certificate_save",
    "duty_assign",
    "duty_remove",
    "roster_copy_week",
]
