"""Thin views: a unit's briefs (list, ask for one, download), and a request's 交办单/督办单."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.cases import selectors as case_selectors
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.pdf import PDF_CONTENT_TYPE
from lianxin.core.spreadsheets import XLSX_CONTENT_TYPE, content_disposition
from lianxin.reports import selectors, services, services_cases
from lianxin.reports.models import ReportState

MONTHS_LISTED = 12


def _crumbs(unit=None):
    crumbs = [{"label": _("月度简报"), "url": reverse("reports:index")}]
    if unit is not None:
        crumbs.append({"label": unit.name})
    return crumbs


@permission_required("reports.view_reports")
@require_GET
def index(request):
    unit = selectors.home_unit(actor=request.user)
    if unit is None:
        raise Http404
    return redirect("reports:unit", pk=unit.pk)


@permission_required("reports.view_reports")
@require_GET
def unit_reports(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    this_month = selectors.month_start(timezone.localdate())
    months = selectors.months_back(selectors.previous_month(this_month), MONTHS_LISTED)[::-1]
    by_month = {r.month: r for r in selectors.reports_of(actor=request.user, unit=unit)}
    rows = [{"month": m, "report": by_month.get(m)} for m in months]
    older = [r for m, r in sorted(by_month.items(), reverse=True) if m not in set(months)]
    children = (
        selectors.reportable_units(actor=request.user).filter(parent=unit).order_by("kind", "code")
    )
    building = any(
        r["report"] is not None and r["report"].state in (ReportState.QUEUED, ReportState.RUNNING)
        for r in rows
    )
    return render(
        request,
        "reports/unit_reports.html",
        {
            "unit": unit,
            "rows": rows,
            "older": older,
            "children": children,
            "building": building,
            "level_label": _(services.LEVEL_LABELS.get(selectors.level_of(unit), "")),
            "breadcrumbs": _crumbs(unit),
        },
    )


@permission_required("reports.request_brief")
@require_POST
def generate(request, pk: int):
    unit = selectors.unit_get(actor=request.user, pk=pk)
    month_text = params.month_text(request.POST, "month")
    if not month_text:
        messages.error(request, _("请选择月份。"))
        return redirect("reports:unit", pk=unit.pk)
    y, m = (int(x) for x in month_text.split("-"))
    try:
        report = services.report_request(
            actor=request.user, unit=unit, month=date(y, m, 1), request=request
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("reports:unit", pk=unit.pk)
    if (
        report.job_id
        and report.state != ReportState.DONE
        and report.job.owner_id == request.user.pk
    ):
        return redirect("jobs:job_detail", pk=report.job_id)
    return redirect("reports:unit", pk=unit.pk)


def _download(request, pk: int, fmt: str) -> HttpResponse:
    report = selectors.report_get(actor=request.user, pk=pk)
    if not request.user.has_perm("reports.view_reports", report.unit):
        raise PermissionDenied
    field = report.pdf if fmt == "pdf" else report.xlsx
    if report.state != ReportState.DONE or not field:
        raise Http404
    try:
        with field.open("rb") as fh:
            data = fh.read()
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.report_opened(actor=request.user, report=report, fmt=fmt, request=request)
    response = HttpResponse(
        data, content_type=PDF_CONTENT_TYPE if fmt == "pdf" else XLSX_CONTENT_TYPE
    )
    name = services.brief_filename(report.unit, report.month, fmt)
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("reports.view_reports")
@require_GET
def report_pdf(request, pk: int):
    return _download(request, pk, "pdf")


@permission_required("reports.view_reports")
@require_GET
def report_xlsx(request, pk: int):
    return _download(request, pk, "xlsx")


def _case_sheet(request, pk: int, sheet: str) -> HttpResponse:
    case = case_selectors.case_get(user=request.user, pk=pk)  # 404 outside the scope
    data = services_cases.case_sheet_pdf(
        actor=request.user, case=case, sheet=sheet, request=request
    )
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    disposition = content_disposition(services_cases.sheet_filename(case, sheet))
    response["Content-Disposition"] = disposition.replace("attachment", "inline", 1)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("cases.view_case")
@require_GET
def case_assign(request, pk: int):
    return _case_sheet(request, pk, "assign")


@permission_required("cases.view_case")
@require_GET
def case_supervise(request, pk: int):
    return _case_sheet(request, pk, "supervise")
