"""The A4 交办单 (assignment sheet) and 督办单 (supervision sheet) of one request, printed and
signed by a clerk.

Rules: the request is read through ``cases.selectors.case_get`` (its view permission and scope:
404 outside it); the resident's name and phone are masked (a printed sheet travels); every
sheet printed leaves an EXPORT audit row naming the request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases import rates as case_rates
from lianxin.cases.models import Case, CaseEvent, EventKind
from lianxin.core import pdf
from lianxin.core.masking import mask_name, mask_phone

if TYPE_CHECKING:
    from lianxin.accounts.models import User

SHEETS = {"assign": "reports/pdf/assign.html", "supervise": "reports/pdf/supervise.html"}
SHEET_TITLES = {"assign": gettext_noop("交办单"), "supervise": gettext_noop("督办单")}


def sheet_filename(case: Case, sheet: str) -> str:
    return f"{_(SHEET_TITLES[sheet])} {case.code}.pdf"


def sheet_context(case: Case, sheet: str) -> dict[str, Any]:
    now = timezone.now()
    events = list(
        CaseEvent.objects.filter(case=case)
        .select_related("from_unit", "to_unit")
        .order_by("created_at", "id")
    )
    supervise = [e for e in events if e.kind == EventKind.SUPERVISE]
    overdue = Case.objects.filter(pk=case.pk).overdue(now).exists()
    return {
        "case": case,
        "sheet": sheet,
        "title": _(SHEET_TITLES[sheet]),
        "reporter_name": mask_name(case.reporter_name),
        "reporter_phone": mask_phone(case.reporter_phone),
        "place": " ".join(
            p
            for p in (
                getattr(case.town, "name", ""),
                getattr(case.village, "name", ""),
                getattr(case.grid, "name", ""),
                case.address,
            )
            if p
        ),
        "handler": str(case.owner_user) if case.owner_user_id else "",
        "events": events[-12:],
        "supervise_events": supervise,
        "overdue": overdue,
        "overdue_kind": case_rates.overdue_kind(case, now) if overdue else "",
        "overdue_due": case_rates.overdue_due(case, now) if overdue else None,
        "printed_at": now,
    }


def case_sheet_pdf(
    *, actor: User, case: Case, sheet: str, request: HttpRequest | None = None
) -> bytes:
    """The sheet as PDF bytes; audited."""
    if sheet not in SHEETS:
        raise ValueError(sheet)
    data = pdf.render_pdf(SHEETS[sheet], sheet_context(case, sheet))
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=case,
        request=request,
        reason=f"reports case {sheet} sheet",
        extra={"sheet": sheet},
    )
    return data
