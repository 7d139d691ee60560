"""The progress page of a background job (polled by htmx every 2 s; without JavaScript it
refreshes itself), the owner's download of its result, and "确认导入" of a dry run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core.decorators import login_required
from lianxin.core.paging import paginate
from lianxin.core.spreadsheets import ImportReport, content_disposition
from lianxin.jobs import selectors, services


def _crumbs(*extra):
    return [{"label": _("我的后台任务"), "url": reverse("jobs:job_list")}, *extra]


@login_required
@require_GET
def job_list(request):
    page = paginate(request, selectors.jobs_of(user=request.user), per_page=20)
    return render(request, "jobs/job_list.html", {"page_obj": page, "breadcrumbs": _crumbs()})


@login_required
@require_GET
def job_detail(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    context = {"job": job}
    if "import" in job.report:
        context["import_report"] = ImportReport.from_dict(job.report["import"])
    if request.htmx:
        response = render(request, "jobs/partials/job_progress.html", context)
        if job.finished:
            response["HX-Refresh"] = "true"  # the whole page, with the report, once
        return response
    context["breadcrumbs"] = _crumbs({"label": job.title})
    return render(request, "jobs/job_detail.html", context)


@login_required
@require_GET
def job_download(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    if not job.has_result:
        raise Http404
    try:
        fh = job.result.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.job_result_opened(actor=request.user, job=job, request=request)
    response = FileResponse(fh, content_type=_content_type(job.result_name))
    response["Content-Disposition"] = content_disposition(job.result_name or "result.xlsx")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(name: str) -> str:
    if name.lower().endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/octet-stream"


@login_required
@require_POST
def job_confirm(request, pk):
    job = selectors.job_get(user=request.user, pk=pk)
    try:
        new = services.job_confirm(actor=request.user, job=job, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("jobs:job_detail", pk=job.pk)
    return redirect("jobs:job_detail", pk=new.pk)
