"""The people and household lists as .xlsx, with the lists' filters.

The list pages and their exports read their filters through the same parsers
(:func:`person_filters`, :func:`household_filters`), so a file always holds the list's rows; the
rows come from ``people.selectors`` as the exporting user (scoped). ID and phone numbers leave
masked, as on the pages (revealing one is a separate, audited step); every export is audited
here. Written through ``lianxin.core.spreadsheets`` (text cells, never formulas); large exports
are written by the worker (``core.registry.export_response`` → ``lianxin.jobs.exports``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core import params as p
from lianxin.core.masking import mask_id_number, mask_phone
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.people import selectors
from lianxin.people.tags import care_tag_label

PERSONS_BUILDER = "lianxin.people.exports.person_sheets"
HOUSEHOLDS_BUILDER = "lianxin.people.exports.household_sheets"


def person_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The person list's filters from its query string (JSON-able)."""
    return {"q": p.get_str(query, "q"), "unit_code": p.get_str(query, "unit", max_length=40)}


def household_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The household list's filters from its query string (JSON-able)."""
    return {
        "q": p.get_str(query, "q"),
        "unit_code": p.get_str(query, "unit", max_length=40),
        "tag": p.get_str(query, "tag", max_length=20),
    }


def person_rows(*, actor, params: Mapping[str, Any]):
    return selectors.person_list(user=actor, q=params["q"], unit_code=params["unit_code"])


def household_rows(*, actor, params: Mapping[str, Any]):
    return selectors.household_list(
        user=actor, q=params["q"], unit_code=params["unit_code"], tag=params["tag"]
    )


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


def _audit(actor, request, what: str, params: Mapping[str, Any]) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr=what,
        reason=f"{what} xlsx",
        request=request,
        extra={
            "filters": {k: v for k, v in params.items() if k in ("q", "unit_code", "tag") and v}
        },
    )


def person_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the person list under ``params``; ID and phone
    masked; audited."""
    rows = person_rows(actor=actor, params=params)
    _audit(actor, request, "people persons", params)
    columns = [
        Column(_("姓名"), "name", width=12),
        Column(_("性别"), lambda x: x.get_gender_display(), width=6),
        Column(_("出生日期"), "birth_date", kind="date", width=12),
        Column(_("身份证号"), lambda x: mask_id_number(x.id_number), width=20),
        Column(_("手机号"), lambda x: mask_phone(x.phone), width=14),
        Column(_("户号"), lambda x: x.household.number if x.household_id else "", width=12),
        Column(_("与户主关系"), "relation", width=10),
        Column(_("所属单元"), "unit.name", width=20),
    ]
    sheet = Sheet(_("人员"), columns, rows.iterator(chunk_size=1000), scope=scope_label(actor))
    return _("人员-%(date)s.xlsx") % {"date": _stamp()}, [sheet]


def household_sheets(*, actor, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the household list under ``params``; audited."""
    rows = household_rows(actor=actor, params=params)
    _audit(actor, request, "people households", params)
    columns = [
        Column(_("户号"), "number", width=12),
        Column(_("住址"), "address", width=28),
        Column(_("网格"), "grid.name", width=16),
        Column(_("人数"), "n_members", kind="int", width=6),
        Column(_("标签"), lambda h: "、".join(care_tag_label(t) for t in h.tags or []), width=20),
    ]
    sheet = Sheet(_("住户"), columns, rows.iterator(chunk_size=1000), scope=scope_label(actor))
    return _("住户-%(date)s.xlsx") % {"date": _stamp()}, [sheet]
