from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.audit.exports import BUILDER, audit_filters, audit_rows, newest_id
from lianxin.audit.models import AuditAction
from lianxin.core.decorators import permission_required
from lianxin.core.keyset import bounded_counts, request_keyset_page
from lianxin.core.registry import export_response

PER_PAGE = 50


@permission_required("audit.view_auditevent")
@require_GET
def audit_list(request):
    f = audit_filters(request.GET)  # the export reads the same filters
    action, q = f["action"], f["q"]
    rows = audit_rows(actor=request.user, params=f)
    # The log only grows: a keyset page by time (and id) and a bounded count read the same
    # number of rows on its millionth page as on its first (core.keyset).
    page = request_keyset_page(
        request,
        rows,
        order=("-created_at", "-id"),
        per_page=PER_PAGE,
        tag="audit.list",
    )
    return render(
        request,
        "audit/audit_list.html",
        {
            "page_obj": page,
            "total": bounded_counts({"rows": rows})["rows"],
            "action": action,
            "q": q,
            "actions": AuditAction.choices,
            "breadcrumbs": [{"label": _("审计日志")}],
        },
    )


@permission_required("audit.view_auditevent")
@require_GET
def audit_export(request):
    """The audit rows under the current query string, up to the newest one now, as .xlsx
    (itself audited); a long log is written by the worker."""
    f = audit_filters(request.GET)
    until = newest_id(actor=request.user, params=f)
    params = {**f, "until": until}
    return export_response(
        request,
        builder=BUILDER,
        params=params,
        rows=audit_rows(actor=request.user, params=params).count(),
        title=_("导出审计日志"),
        kind="audit.export",
    )
