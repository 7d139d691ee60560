"""回访 on a request's page (the form and the list), and the public 办结照片 of the tracking page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.cases import selectors
from lianxin.cases.forms_replies import CallbackForm
from lianxin.cases.models import Case
from lianxin.cases.services.callback import (
    CALLBACK_PERM,
    case_callback_record,
    case_callbacks,
    may_record_callback,
)
from lianxin.cases.services.machine import CaseError
from lianxin.core.decorators import permission_required, public_view


def callback_context(request, case: Case, form: CallbackForm | None = None) -> dict:
    """What the detail page's 回访 card shows: the form (when allowed) and the calls made."""
    return {
        "case": case,
        "callbacks": case_callbacks(case),
        "can_callback": may_record_callback(request.user, case),
        "callback_form": form or CallbackForm(),
    }


@permission_required("cases.handle_case")
@require_POST
def callback_record(request, pk: int):
    """htmx: record one 回访; answers with the refreshed card (422 with the message if refused)."""
    case = selectors.case_get(user=request.user, pk=pk)
    if not request.user.has_perm(CALLBACK_PERM, case):
        raise PermissionDenied
    form = CallbackForm(request.POST)
    error = ""
    if form.is_valid():
        d = form.cleaned_data
        try:
            case_callback_record(
                case=case,
                actor=request.user,
                reached=d["reached"],
                satisfied=d["satisfied"],
                notes=d["notes"],
                request=request,
            )
        except CaseError as exc:
            error = exc.messages[0]
        else:
            form = None
    else:
        error = _("请检查回访信息。")
    if request.htmx:
        ctx = callback_context(request, case, form)
        ctx["callback_error"] = error
        return render(request, "cases/partials/callbacks.html", ctx, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已记录回访。"))
    return redirect("cases:case_detail", pk=case.pk)


@public_view
@require_GET
def result_photo(request, code: str, token: str):
    """A 办结照片 of the tracking page: only photos of kind ``result``, never the reporter's."""
    p = selectors.result_photo_get(code=code, token=token)
    response = FileResponse(p.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
