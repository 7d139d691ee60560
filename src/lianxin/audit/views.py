from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.audit.models import AuditAction
from lianxin.audit.selectors import audit_event_list
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate


@permission_required("audit.view_auditevent")
@require_GET
def audit_list(request):
    action = params.get_str(request.GET, "action", max_length=40)
    q = params.get_str(request.GET, "q")
    page = paginate(request, audit_event_list(user=request.user, action=action, q=q), 50)
    return render(
        request,
        "audit/audit_list.html",
        {
            "page_obj": page,
            "action": action,
            "q": q,
            "actions": AuditAction.choices,
            "breadcrumbs": [{"label": _("审计日志")}],
        },
    )
