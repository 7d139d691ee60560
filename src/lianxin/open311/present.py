"""Our rows as GeoReport v2 fields (the mapping, in one place).

* ``status``: ``open`` while a request waits for or is in handling (待签收, 已签收, 办理中,
  重新办理); ``closed`` once it is done with (已办结待评价, 已关闭, 已合并, 不予受理): the spec's
  "closed - it has been resolved". ``status_notes`` is the latest step of the *public*
  timeline (the one the tracking page shows): "办结：路灯已更换".
* ``agency_responsible``: the handling unit (``Case.unit``: the grid's queue, the town, the
  county department it was dispatched to), as the tracking page's 承办单位.
* ``service_request_id`` is the tracking code (查询码), never the database id.
* Personal data is never in a row: no reporter name, phone or e-mail; free text is passed
  through ``core.masking.mask_numbers`` (a phone or ID number a resident typed is masked).
  A caller without an api_key gets what the tracking page shows: the title for a description,
  the village for an address, no point, no media link.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from lianxin.cases.models import OPEN_STATES, Case, Category, EventKind
from lianxin.core.masking import mask_numbers
from lianxin.open311.models import LIST_TYPES, ServiceAttribute


def w3c(moment: datetime | None) -> str | None:
    """A W3C date-time in China time with its offset (2026-11-18T10:00:00+08:00)."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def status_of(case: Case) -> str:
    return "open" if case.state in OPEN_STATES else "closed"


def service_row(category: Category) -> dict[str, Any]:
    parent = category.parent
    count = getattr(category, "attribute_count", None)
    if count is None:
        count = category.open311_attributes.filter(is_active=True).count()
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": f"{parent.label} · {category.label}" if parent else category.label,
        "metadata": bool(count),
        "type": "realtime",  # a request is accepted and given its id in the same call
        "keywords": "",
        "group": parent.label if parent else category.label,
    }


def attribute_row(attr: ServiceAttribute) -> dict[str, Any]:
    row: dict[str, Any] = {
        "variable": attr.variable,
        "code": attr.code,
        "datatype": attr.datatype,
        "required": attr.required,
        "datatype_description": attr.datatype_description,
        "order": attr.order,
        "description": attr.description,
    }
    if attr.datatype in LIST_TYPES:
        row["values"] = [
            {"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in attr.values
        ]
    return row


def definition_row(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [attribute_row(a) for a in category.open311_attributes.all()],
    }


def _status_notes(case: Case) -> str:
    kind = getattr(case, "last_public_kind", None)
    if not kind:
        return ""
    label = str(EventKind(kind).label) if kind in EventKind.values else ""
    note = getattr(case, "last_public_note", "") or ""
    return mask_numbers(f"{label}：{note}" if note else label)


def _area(case: Case) -> str:
    return "".join(u.name for u in (case.town, case.village) if u is not None)


def request_row(case: Case, *, full: bool) -> dict[str, Any]:
    """One request; ``full`` (an api_key in whose scope it is) adds the place and the media link."""
    submission = getattr(case, "open311_submission", None) if full else None
    updated = max(
        [m for m in (case.updated_at, getattr(case, "last_public_at", None)) if m is not None],
        default=case.created_at,
    )
    return {
        "service_request_id": case.code,
        "status": status_of(case),
        "status_notes": _status_notes(case),
        "service_name": case.category.label,
        "service_code": case.category.code,
        "description": mask_numbers(case.description if full else case.title),
        "agency_responsible": case.unit.name,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(case.resolve_due_at) if case.state in OPEN_STATES else None,
        "address": mask_numbers(case.address or _area(case)) if full else _area(case),
        "address_id": case.grid.code if full else "",
        "zipcode": "",
        "lat": case.lat if full else None,
        "long": case.lng if full else None,
        "media_url": submission.media_url if submission is not None else "",
    }
