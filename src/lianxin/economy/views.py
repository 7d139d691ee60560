"""Thin views: the 村级集体经济 summary, a town's villages, entry, import and export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.economy import selectors, services
from lianxin.economy.forms import ImportForm, IncomeForm
from lianxin.economy.models import SOURCE_FIELDS, SOURCES


def _year_choices(request) -> tuple[int, list[int]]:
    this_year = timezone.localdate().year
    years = set(selectors.years_with_data(user=request.user)) | {this_year, this_year - 1}
    default = max((y for y in years if y < this_year), default=this_year - 1)
    year = params.get_year(request.GET, "year", default) or default
    year = min(year, this_year)
    return year, sorted(years | {year}, reverse=True)


def _crumbs(*extra):
    return [{"label": _("村级集体经济"), "url": reverse("economy:summary")}, *extra]


@permission_required("economy.view_income")
@require_GET
def summary(request):
    year, years = _year_choices(request)
    data = selectors.summary(user=request.user, year=year)
    return render(
        request,
        "economy/summary.html",
        {
            "data": data,
            "year": year,
            "years": years,
            "sources": SOURCES,
            "weak_by_town": selectors.group_weak_by_town(data.scope.weak),
            "breadcrumbs": [{"label": _("村级集体经济")}],
        },
    )


@permission_required("economy.view_income")
@require_GET
def town(request, pk: int):
    unit = selectors.town_get(user=request.user, pk=pk)
    year, years = _year_choices(request)
    data = selectors.summary(user=request.user, year=year, town=unit)
    return render(
        request,
        "economy/town.html",
        {
            "town": unit,
            "data": data,
            "year": year,
            "years": years,
            "breadcrumbs": _crumbs({"label": unit.name}),
        },
    )


@permission_required("economy.set_income")
@require_http_methods(["GET", "POST"])
def entry(request, pk: int, year: int):
    village = selectors.village_get(user=request.user, pk=pk)
    if not request.user.has_perm("economy.set_income", village):
        raise PermissionDenied
    current = selectors.income_get(user=request.user, village=village, year=year)
    initial = {}
    if current is not None:
        initial = {k: getattr(current, k) for k in SOURCE_FIELDS} | {"note": current.note}
    form = IncomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.income_set(
                actor=request.user,
                village=village,
                year=year,
                amounts={k: d.get(k) for k in SOURCE_FIELDS},
                note=d.get("note", ""),
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            url = reverse("economy:town", args=[village.parent_id]) if village.parent_id else ""
            return redirect(f"{url or reverse('economy:summary')}?year={year}")
    title = _("%(name)s %(year)s 年集体经济收入") % {"name": village.name, "year": year}
    crumbs = [{"label": title}]
    if village.parent_id:
        crumbs.insert(
            0,
            {
                "label": village.parent.name,
                "url": reverse("economy:town", args=[village.parent_id]),
            },
        )
    return render(
        request,
        "economy/entry.html",
        {"form": form, "title": title, "village": village, "breadcrumbs": _crumbs(*crumbs)},
    )


@permission_required("economy.import_income")
@require_http_methods(["GET", "POST"])
def ledger_import(request):
    """Upload the sheet; the worker imports it (dry run first, then "确认导入" on the job's
    page, which shows the row-by-row report)."""
    from lianxin.economy.imports import PERM, RUNNER
    from lianxin.jobs.services import job_start
    from lianxin.org.scoping import user_scope

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        main = user_scope(request.user).main_membership()
        job = job_start(
            owner=request.user,
            kind="economy.import",
            title=_("试导入集体经济收入") if dry_run else _("导入集体经济收入"),
            runner=RUNNER,
            unit=main.unit if main else None,
            params={"dry_run": dry_run, "perm": PERM, "back_url": reverse("economy:summary")},
            source=upload,
            source_name=upload.name,
            request=request,
        )
        return redirect("jobs:job_detail", pk=job.pk)
    return render(
        request,
        "economy/import.html",
        {"form": form, "sources": SOURCES, "breadcrumbs": _crumbs({"label": _("导入")})},
    )


@permission_required("economy.view_income")
@require_GET
def ledger_export(request):
    from lianxin.economy.exports import BUILDER
    from lianxin.jobs.exports import export_response

    year, _years = _year_choices(request)
    return export_response(
        request,
        builder=BUILDER,
        params={"year": year},
        rows=selectors.incomes_for_export(user=request.user, year=year).count(),
        title=_("导出集体经济收入台账"),
        kind="economy.export",
    )
