"""Thin views of 我的数据 (a resident's own data) and the clerks' correction queue."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.core.spreadsheets import Column, Sheet, content_disposition, xlsx_response
from lianxin.privacy import selectors, services
from lianxin.privacy.forms import CorrectionHandleForm, CorrectionRequestForm
from lianxin.privacy.models import CorrectionState


def _crumbs(*extra):
    return [{"label": _("我的数据"), "url": reverse("privacy:my_data")}, *extra]


@permission_required("privacy.view_own_data")
@require_GET
def my_data(request):
    return render(
        request,
        "privacy/my_data.html",
        {
            "sections": selectors.my_data(user=request.user),
            "breadcrumbs": [{"label": _("我的数据")}],
        },
    )


@permission_required("privacy.view_own_data")
@require_GET
def my_data_json(request):
    now = timezone.now()
    sections = selectors.my_data(user=request.user)
    services.my_data_export_record(
        user=request.user, sections=sections, file_format="json", request=request
    )
    document = services.my_data_document(user=request.user, sections=sections, now=now)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = _("我的数据-%(day)s.json") % {"day": timezone.localdate(now).isoformat()}
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("privacy.view_own_data")
@require_GET
def my_data_xlsx(request):
    now = timezone.now()
    sections = selectors.my_data(user=request.user)
    services.my_data_export_record(
        user=request.user, sections=sections, file_format="xlsx", request=request
    )
    sheets = [
        Sheet(
            title=s.title,
            columns=[Column(h, None) for h in s.headers],
            rows=[tuple(r) for r in s.rows],
        )
        for s in sections
    ]
    filename = _("我的数据-%(day)s.xlsx") % {"day": timezone.localdate(now).isoformat()}
    return xlsx_response(filename, sheets, now=now)


@permission_required("privacy.request_correction")
@require_http_methods(["GET", "POST"])
def correction_new(request):
    form = CorrectionRequestForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("更正申请已提交，村（社区）将尽快处理。"))
            return redirect("privacy:my_data")
    return render(
        request,
        "privacy/correction_form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("申请更正")})},
    )


@permission_required("privacy.handle_correction")
@require_GET
def correction_list(request):
    state = request.GET.get("state", CorrectionState.PENDING)
    if state not in CorrectionState.values:
        state = ""
    page = paginate(request, selectors.correction_list(user=request.user, state=state), 30)
    return render(
        request,
        "privacy/correction_list.html",
        {
            "page_obj": page,
            "state": state,
            "states": CorrectionState.choices,
            "breadcrumbs": [{"label": _("信息更正申请")}],
        },
    )


@permission_required("privacy.handle_correction")
@require_http_methods(["GET", "POST"])
def correction_detail(request, pk: int):
    correction = selectors.correction_get(user=request.user, pk=pk)
    form = CorrectionHandleForm(request.POST or None, initial={"action": "done"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "apply":
                services.correction_apply(
                    actor=request.user,
                    correction=correction,
                    value=data["value"],
                    note=data["note"],
                )
            elif data["action"] == "done":
                services.correction_mark_done(
                    actor=request.user, correction=correction, note=data["note"]
                )
            else:
                services.correction_reject(
                    actor=request.user, correction=correction, reason=data["note"]
                )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已处理。"))
            return redirect("privacy:correction_list")
    return render(
        request,
        "privacy/correction_detail.html",
        {
            "correction": correction,
            "form": form,
            "can_apply": services.correction_can_apply(correction),
            "field_label": services.PERSON_CORRECTABLE.get(correction.field, ""),
            "breadcrumbs": [
                {"label": _("信息更正申请"), "url": reverse("privacy:correction_list")},
                {"label": str(correction)},
            ],
        },
    )
