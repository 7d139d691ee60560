"""Exports of events, each audited here (not in the view): the printed sign-in sheet (签到表), the
training coverage (per unit, and the people still missing), the event list with its filters and
one event's attendance, through the shared spreadsheet writer: names are text cells, never
formulas; rates are numbers with a % format; phones masked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core import params as p
from lianxin.core.masking import mask_phone
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.events import selectors
from lianxin.events.models import Event, EventKind, Registration, RegistrationStatus
from lianxin.org.scoping import require_covers

BUILDER = "lianxin.events.exports.coverage_sheets"
EVENTS_BUILDER = "lianxin.events.exports.event_list_sheets"
ATTENDANCE_BUILDER = "lianxin.events.exports.attendance_sheets"


def coverage_rows(cov: dict) -> int:
    return len(cov["per_unit"]) + len(cov["missing"])


def coverage_sheets(*, actor: User, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job) of one programme's coverage; phones masked; audited."""
    from lianxin.core.masking import mask_phone

    prog = selectors.programme_get(user=actor, pk=params["pk"])
    cov = selectors.programme_coverage(programme=prog)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=prog,
        reason="training coverage",
        request=request,
        extra={"rows": len(cov["missing"])},
    )
    scope = scope_label(actor)
    per_unit = Sheet(
        _("按单位覆盖情况（%(rule)s）") % {"rule": cov["rule"]},
        [
            Column(_("单位"), lambda r: r["unit"].name, width=24),
            Column(_("应训"), "required", kind="int", width=8),
            Column(_("已训"), "attended", kind="int", width=8),
            Column(_("覆盖率"), lambda r: r["rate"] or 0, kind="percent", width=9),
        ],
        cov["per_unit"],
        scope=scope,
    )
    missing = Sheet(
        _("未参训人员"),
        [
            Column(_("姓名"), lambda p: str(p[0]), width=12),
            Column(_("单位"), lambda p: p[1].name, width=24),
            Column(_("联系电话"), lambda p: mask_phone(p[0].phone), width=14),
            Column(_("已参加场次"), lambda p: p[2]["attended"], kind="int", width=10),
            Column(
                _("缺席场次"),
                lambda p: "；".join(
                    f"{timezone.localtime(e.starts_at):%Y-%m-%d} {e.title}" for e in p[2]["missed"]
                ),
                width=40,
            ),
        ],
        [(s["user"], s["unit"], s) for s in cov["short"]],
        scope=scope,
    )
    for sheet in (per_unit, missing):
        sheet.title = f"{prog.title} · {sheet.title}"
    per_unit.name, missing.name = _("按单位覆盖情况"), _("未参训人员")
    return _("培训覆盖-%(title)s.xlsx") % {"title": prog.title}, [per_unit, missing]


def sign_in_sheet(*, actor: User, event: Event, request=None) -> list[Registration]:
    """The confirmed registrants for the printed 签到表 (names and masked phones): staff over the
    event's unit only; every print is audited as an export (it carries people's details)."""
    require_covers(actor, event.unit, message="events.manage_event")
    roster = [
        r for r in selectors.event_roster(event=event) if r.status == RegistrationStatus.CONFIRMED
    ]
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=event,
        reason="sign-in sheet",
        request=request,
    )
    return roster


# --- the event list and an event's attendance --------------------------------------------------


def event_list_filters(query: Mapping[str, Any]) -> dict[str, str]:
    """The event list's filters from its query string (JSON-able): the list page and its export
    read them here, so the file holds the list's rows."""
    kind = p.get_str(query, "kind", max_length=20)
    return {
        "kind": kind if kind in EventKind.values else "",
        "when": "past" if query.get("when") == "past" else "upcoming",
    }


def event_list_rows(*, actor: User, params: Mapping[str, Any]):
    return selectors.event_list(user=actor, kind=params["kind"], when=params["when"])


def event_list_sheets(*, actor: User, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): the events the list shows under ``params``, with
    their sign-up and attendance counts; audited."""
    events = event_list_rows(actor=actor, params=params)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr="events list",
        reason="events xlsx",
        request=request,
        extra={"filters": {"kind": params["kind"], "when": params["when"]}},
    )
    columns = [
        Column(_("活动名称"), "title", width=28),
        Column(_("活动类型"), lambda e: e.get_kind_display(), width=10),
        Column(_("举办单位"), "unit.name", width=18),
        Column(_("开始时间"), "starts_at", kind="datetime", width=17),
        Column(_("结束时间"), "ends_at", kind="datetime", width=17),
        Column(_("地点"), lambda e: f"{e.place} {e.room}".strip(), width=24),
        Column(_("名额"), "capacity", kind="int", width=6),
        Column(_("已报名"), "n_confirmed", kind="int", width=8),
        Column(_("候补"), "n_waiting", kind="int", width=6),
        Column(_("已签到"), "n_present", kind="int", width=8),
        Column(_("状态"), lambda e: e.get_status_display(), width=8),
        Column(_("培训项目"), lambda e: e.programme.title if e.programme_id else "", width=20),
    ]
    title = _("往期活动") if params["when"] == "past" else _("即将开始的活动")
    sheet = Sheet(title, columns, events.iterator(chunk_size=1000), scope=scope_label(actor))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _("活动-%(date)s.xlsx") % {"date": stamp}, [sheet]


def attendance_rows(*, event: Event):
    return selectors.event_roster(event=event)


def attendance_sheets(*, actor: User, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder (inline or as a job): one event's registrations (the organiser's roster:
    confirmed and waiting) with their check-in times; staff over the event's unit only
    (``event_manage_get``); phones masked; audited."""
    event = selectors.event_manage_get(user=actor, pk=params["pk"])
    require_covers(actor, event.unit, message="events.manage_event")
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=event,
        reason="attendance xlsx",
        request=request,
    )
    columns = [
        Column(_("姓名"), lambda r: r.registrant_name, width=12),
        Column(_("联系电话"), lambda r: mask_phone(r.registrant_phone), width=14),
        Column(_("状态"), lambda r: r.get_status_display(), width=8),
        Column(_("报名时间"), "created_at", kind="datetime", width=17),
        Column(_("签到时间"), "checked_in_at", kind="datetime", width=17),
        Column(_("到场"), lambda r: _("是") if r.checked_in_at else _("否"), width=6),
        Column(_("窗口代报"), lambda r: _("是") if r.person_id and not r.user_id else "", width=8),
    ]
    start = timezone.localtime(event.starts_at)
    sheet = Sheet(
        f"{event.title} · {start:%Y-%m-%d %H:%M} · {_('报名与签到')}",
        columns,
        attendance_rows(event=event).iterator(),
        scope=event.unit.name,
        name=_("报名与签到"),
    )
    return _("签到-%(title)s.xlsx") % {"title": event.title}, [sheet]
