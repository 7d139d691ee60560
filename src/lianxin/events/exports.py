"""Exports of events, each audited here (not in the view): the printed sign-in sheet (签到表), and
the training coverage (per unit, and the people still missing) through the shared spreadsheet
writer: names are text cells, never formulas; rates are numbers with a % format."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Column, Sheet, scope_label
from lianxin.events import selectors
from lianxin.events.models import Event, Registration, RegistrationStatus
from lianxin.org.scoping import require_covers

BUILDER = "lianxin.events.exports.coverage_sheets"


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
